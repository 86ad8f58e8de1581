"""The editing tabs: accounts with their projects, people, hiring options, policy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Label, Static

from structplan.model import Account, Agency
from structplan.names import Names
from structplan.tui.editing import KINDS, SETTINGS, format_value, setting_value
from structplan.tui.state import AgencyShown
from structplan.tui.widgets.record_table import RecordTable
from structplan.tui.widgets.row_table import RowTable


def _account_extra(account: Account, key: str) -> Any:
    if key == "projects":
        return len(account.projects)
    if key == "top_complexity":
        return max((p.complexity for p in account.projects), default=None)
    return NotImplemented


def _named(names: Names, record: Any, key: str) -> Any:
    """The name of the person or account a record refers to by id (the id when unknown)."""
    value = getattr(record, key, None)
    if not value:
        return NotImplemented
    if key in ("lead", "manager"):
        return names.person(value)
    if key == "account":
        return names.account(value)
    return NotImplemented


class AccountsEditor(Vertical):
    """Accounts on top, the projects of the highlighted account below."""

    agency_shown: reactive[AgencyShown | None] = reactive(None, always_update=True, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._agency: Agency | None = None
        self._names = Names()

    def _account_cell(self, account: Account, key: str) -> Any:
        value = _account_extra(account, key)
        return _named(self._names, account, key) if value is NotImplemented else value

    def _project_cell(self, project: Any, key: str) -> Any:
        return _named(self._names, project, key)

    def compose(self) -> ComposeResult:
        yield Label("Accounts", id="accounts-title", classes="table-title")
        yield RecordTable(
            KINDS["account"],
            [
                ("id", "Id"),
                ("name", "Name"),
                ("fee", "Fee"),
                ("tier", "Tier"),
                ("lead", "Lead today"),
                ("projects", "Proj."),
                ("top_complexity", "Max cx"),
            ],
            extra=self._account_cell,
            id="accounts-table",
        )
        yield Label("Projects", id="projects-title", classes="table-title")
        yield RecordTable(
            KINDS["project"],
            [
                ("id", "Id"),
                ("name", "Name"),
                ("complexity", "Complexity"),
                ("service_line", "Service line"),
                ("effort_hours", "Effort h"),
                ("manager", "PM today"),
            ],
            extra=self._project_cell,
            id="projects-table",
        )

    @property
    def accounts_table(self) -> RecordTable:
        return self.query_one("#accounts-table", RecordTable)

    @property
    def projects_table(self) -> RecordTable:
        return self.query_one("#projects-table", RecordTable)

    def watch_agency_shown(self, shown: AgencyShown | None) -> None:
        if shown is not None:
            self.show(shown.agency, select=shown.selected("account"), project=shown.selected("project"))

    def show(self, agency: Agency, select: str | None = None, project: str | None = None) -> None:
        """Show an agency's accounts (and the projects of the one under the cursor), the
        cursor on account `select` and on its project `project` when given."""
        self._agency = agency
        self._names = Names.of_agency(agency)
        self.accounts_table.show(agency.accounts, select=select)
        self.query_one("#accounts-title", Label).update(
            f"Accounts ({len(agency.accounts)})  [dim]a add · e edit · d delete · Tab: projects[/]"
        )
        self._show_projects(project)

    def show_projects(self, account_id: str, select: str | None = None) -> None:
        """Put the cursor on an account and show its projects."""
        if self._agency is None:
            return
        self.accounts_table.show(self._agency.accounts, select=account_id)
        self._show_projects(select)

    def _show_projects(self, select: str | None = None) -> None:
        if self._agency is None:
            return
        account = self._agency.account(self.accounts_table.current_id or "")
        table = self.projects_table
        table.parent_id = account.id if account else None
        table.show(account.projects if account else (), select=select)
        title = Text(f"Projects of {account.name} ({len(account.projects)})") if account else "Projects"
        self.query_one("#projects-title", Label).update(title)

    @on(DataTable.RowHighlighted, "#accounts-table")
    def _account_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._agency is not None and self.projects_table.parent_id != self.accounts_table.current_id:
            self._show_projects()


class RecordsEditor(Vertical):
    """One titled table of records (people, hiring options): `of` reads them from the agency."""

    agency_shown: reactive[AgencyShown | None] = reactive(None, always_update=True, init=False)

    def __init__(
        self,
        kind: str,
        title: str,
        columns: list[tuple[str, str]],
        of: Callable[[Agency], Sequence[Any]],
        squeeze: str = "name",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.of = of
        self.title_text = title
        self.columns = columns
        self.squeeze = squeeze
        """The column cut first when the table is wider than the screen (RowTable.squeeze)."""

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, classes="table-title")
        yield RecordTable(KINDS[self.kind], self.columns, squeeze=self.squeeze, id=f"{self.kind}-table")

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def watch_agency_shown(self, shown: AgencyShown | None) -> None:
        if shown is not None:
            self.show(self.of(shown.agency), select=shown.selected(self.kind))

    def show(self, records: Any, select: str | None = None) -> None:
        """Show these records."""
        self.table.show(records, select=select)
        self.query_one(".table-title", Label).update(
            f"{self.title_text} ({len(records)})  [dim]a add · e edit · d delete[/]"
        )


class SettingsTable(RowTable):
    """Agency settings and policy, one row per value; Enter edits it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "edit_setting", "Edit")]

    class EditRequested(Message):
        """The user wants to change the setting under the cursor."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(squeeze="help", squeeze_min=16, **kwargs)

    def on_mount(self) -> None:
        self.add_column("Setting", key="label")
        self.add_column("Value", key="value")
        self.add_column("Meaning", key="help")
        for path, field in SETTINGS:
            self.add_row(field.label, "", Text(field.help, no_wrap=True, overflow="ellipsis"), key=path)

    def show(self, agency: Agency) -> None:
        """Show an agency's settings."""
        for path, field in SETTINGS:
            text = format_value(field, setting_value(agency, path))
            self.update_cell(path, "value", Text(text if text != "" else "-"), update_width=True)

    @property
    def current_path(self) -> str:
        return SETTINGS[min(max(self.cursor_row, 0), len(SETTINGS) - 1)][0]

    def action_edit_setting(self) -> None:
        self.post_message(self.EditRequested(self.current_path))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_setting()


class PolicyEditor(Vertical):
    """Agency settings and policy on top, pins below."""

    agency_shown: reactive[AgencyShown | None] = reactive(None, always_update=True, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._names = Names()

    def _pin_cell(self, pin: Any, key: str) -> Any:
        return _named(self._names, pin, key)

    def compose(self) -> ComposeResult:
        yield Label("Settings and policy  [dim]e / Enter edit[/]", classes="table-title")
        yield SettingsTable(id="settings-table")
        yield Static(id="setting-detail", classes="setting-detail")
        yield Label("Pins", id="pins-title", classes="table-title")
        yield RecordTable(
            KINDS["pin"],
            [("account", "Account"), ("lead", "Lead"), ("mode", "Mode")],
            extra=self._pin_cell,
            squeeze="account",
            id="pin-table",
        )

    @on(DataTable.RowHighlighted, "#settings-table")
    def _setting_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole meaning of the setting under the cursor (the column may be cut)."""
        path = event.row_key.value or ""
        field = dict(SETTINGS).get(path)
        if field is not None:
            line = Text(field.label, style="bold")
            line.append(f" ({path})" + (f": {field.help}" if field.help else ""))
            self.query_one("#setting-detail", Static).update(line)

    def watch_agency_shown(self, shown: AgencyShown | None) -> None:
        if shown is not None:
            self.show(shown.agency, select=shown.selected("pin"))

    def show(self, agency: Agency, select: str | None = None) -> None:
        """Show an agency's policy."""
        self._names = Names.of_agency(agency)
        self.query_one(SettingsTable).show(agency)
        self.query_one("#pin-table", RecordTable).show(agency.policy.pins, select=select)
        self.query_one("#pins-title", Label).update(
            f"Pins: decisions the solver must keep ({len(agency.policy.pins)})  [dim]a add · e edit · d delete[/]"
        )
