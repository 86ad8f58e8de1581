"""The Plan tab: overview and structure comparison, accounts, people, mentoring, hires,
warnings and the diff against the saved plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from rich import box
from rich.console import Group, JustifyMethod, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from structplan.model import E2E, Agency, Plan
from structplan.names import Names
from structplan.tui.document import PlanDocument
from structplan.tui.state import Changes, PlanShown
from structplan.tui.widgets.row_table import RowTable
from structplan.tui.widgets.solve_panel import money, percent, result_figures, shown_status

VIEWS = ("overview", "staffing", "load", "mentoring", "hires", "warnings", "diff")
TITLES = ("Overview", "Accounts", "People", "Mentoring", "Hires", "Warnings", "Diff")


def utilization_bar(value: float, target: float, ceiling: float, width: int = 12) -> Text:
    """A bar of a person's utilization, yellow above the target and red above the ceiling."""
    filled = max(0, min(width, round(value * width)))
    style = "red" if value > ceiling + 1e-9 else "yellow" if value > target + 1e-9 else "green"
    bar = Text("█" * filled, style=style)
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {value * 100:3.0f}%")
    return bar


def _plain(value: Any) -> Any:
    """A cell as plain text: a name from a file is shown as written, never read as markup."""
    return Text(value) if isinstance(value, str) else value


def _add(table: Any, *cells: Any, **kwargs: Any) -> None:
    """Add a row of plain-text cells to a DataTable or a Rich Table."""
    table.add_row(*(_plain(c) for c in cells), **kwargs)


def _table(view: DataTable[Any], columns: list[tuple[str, str]]) -> None:
    view.clear(columns=True)
    for key, label in columns:
        view.add_column(label, key=key)


class PlanView(Vertical):
    """Everything about the plan on screen."""

    plan_shown: reactive[PlanShown | None] = reactive(None, always_update=True, init=False)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "previous_view", "Prev view"),
        Binding("right_square_bracket", "next_view", "Next view"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._plan: Plan | None = None
        self._names: Names | None = None
        self._shown_plan: Plan | None = None
        self._shown: tuple[Any, ...] = ()
        self._shown_diff: Changes | None = None
        self._detail_width: int | None = None
        self._source: Agency | None = None
        self._stale: set[str] = set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("previous_view", "next_view"):
            return self._plan is not None
        return True

    def compose(self) -> ComposeResult:
        yield Static(
            "No plan yet. Tick structures on the Solve tab (5) and press F5, or open a plan file with Ctrl+O.",
            id="plan-empty",
        )
        with TabbedContent(id="plan-tabs"):
            with TabPane("Overview", id="overview"), VerticalScroll():
                yield Static(id="overview-text")
            with TabPane("Accounts", id="staffing"):
                yield RowTable(id="staffing-table", squeeze="pms")
                with VerticalScroll(id="account-detail-scroll"):
                    yield Static(id="account-detail")
            with TabPane("People", id="load"):
                yield RowTable(id="load-table", squeeze="accounts")
                yield Static(id="person-detail", classes="row-detail")
            with TabPane("Mentoring", id="mentoring"):
                yield RowTable(id="mentoring-table")
            with TabPane("Hires", id="hires"):
                yield RowTable(id="hires-table", squeeze="name")
                yield Static(id="hires-total")
            with TabPane("Warnings", id="warnings"):
                yield Static("Pitfalls of this plan. Enter on one shows its account or person.", classes="view-hint")
                yield RowTable(id="warnings-table", squeeze="message")
                yield Static(id="warning-detail", classes="row-detail")
            with TabPane("Diff", id="diff"), VerticalScroll(id="diff-scroll"):
                yield Static(id="diff-text")

    def on_mount(self) -> None:
        self._tabs.display = False

    # ------------------------------------------------------------------ parts, by type

    @property
    def _tabs(self) -> TabbedContent:
        return self.query_one("#plan-tabs", TabbedContent)

    def _static(self, name: str) -> Static:
        return self.query_one(f"#{name}", Static)

    def _table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    # ------------------------------------------------------------------ navigation

    @property
    def view(self) -> str:
        """The view shown (overview, staffing, load, mentoring, hires, warnings, diff)."""
        return self._tabs.active

    def _fill(self, view: str) -> None:
        """Fill a view's table if the plan changed since it was last filled."""
        if view not in self._stale or self._plan is None or self._names is None or self._source is None:
            return
        self._stale.discard(view)
        plan, names = self._plan, self._names
        if view == "staffing":
            self._show_staffing(plan, names)
        elif view == "load":
            self._show_load(plan, names, self._source)
        elif view == "mentoring":
            self._show_mentoring(plan, names)
        elif view == "hires":
            self._show_hires(plan)
        elif view == "warnings":
            self._show_warnings(plan, names)

    @on(TabbedContent.TabActivated, "#plan-tabs")
    def _view_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if event.pane.id:
            self._fill(event.pane.id)

    def show_view(self, view: str) -> None:
        """Switch to a view."""
        self._fill(view)
        self._tabs.active = view
        pane = self.query_one(f"#{view}", TabPane)
        focusable = pane.query("DataTable, VerticalScroll").first() if pane.query("DataTable, VerticalScroll") else None
        if focusable is not None and self.screen.focused is not None:
            focusable.focus()

    def action_previous_view(self) -> None:
        self.show_view(VIEWS[(VIEWS.index(self.view) - 1) % len(VIEWS)])

    def action_next_view(self) -> None:
        self.show_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def jump_to_account(self, account_id: str) -> None:
        """Show an account's staffing."""
        self.show_view("staffing")
        table = self._table("staffing-table")
        try:
            table.move_cursor(row=table.get_row_index(account_id), animate=False)
        except Exception:  # the account is not in this plan
            return
        table.focus()

    def jump_to_person(self, person_id: str) -> None:
        """Show a person's load."""
        self.show_view("load")
        table = self._table("load-table")
        try:
            table.move_cursor(row=table.get_row_index(person_id), animate=False)
        except Exception:
            return
        table.focus()

    @on(DataTable.RowSelected, "#warnings-table")
    def _warning_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self._plan is None or not 0 <= event.cursor_row < len(self._plan.warnings):
            return
        warning = self._plan.warnings[event.cursor_row]
        if warning.account:
            self.jump_to_account(warning.account)
        elif warning.person:
            self.jump_to_person(warning.person)

    @on(DataTable.RowHighlighted, "#load-table")
    def _person_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted person's accounts in full (the column is cut on narrow screens)."""
        event.stop()
        if self._plan is None or self._names is None or event.row_key.value is None:
            return
        person = self._plan.person(event.row_key.value)
        if person is None:
            return
        names = self._names
        led = {a.id for a in self._plan.accounts if a.lead == person.id}
        text = Text(names.person(person.id), style="bold")
        text.append(f"  {person.hours:,} of {person.capacity:,} h ({person.utilization:.0%})\n")
        text.append(
            ", ".join(names.account(a) + (" (lead)" if a in led else "") for a in person.accounts) or "no accounts"
        )
        self._static("person-detail").update(text)

    @on(DataTable.RowHighlighted, "#warnings-table")
    def _warning_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted warning in full."""
        event.stop()
        if self._plan is None or not 0 <= event.cursor_row < len(self._plan.warnings):
            return
        warning = self._plan.warnings[event.cursor_row]
        text = Text(warning.kind.replace("_", " "), style="bold")
        text.append(f": {warning.message}")
        if warning.account or warning.person:
            text.append("  (Enter: show it)", style="dim")
        self._static("warning-detail").update(text)

    @on(DataTable.RowHighlighted, "#staffing-table")
    def _account_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self._plan is not None and event.row_key.value is not None:
            self._show_account(event.row_key.value)

    # ------------------------------------------------------------------ content

    def watch_plan_shown(self, shown: PlanShown | None) -> None:
        if shown is not None:
            self.show(shown.doc, shown.agency, shown.changes)

    def show(self, doc: PlanDocument, agency: Agency, changes: Changes) -> None:
        """Show the plan of a plan document (or the empty note when there is none)."""
        plan = doc.plan
        if (plan is None) != (self._plan is None):
            self.refresh_bindings()
        self._plan = plan
        self.query_one("#plan-empty").display = plan is None
        self._tabs.display = plan is not None
        if plan is None:
            return
        source = doc.agency or agency
        names = Names.of_agency(source, ((h.id, h.name) for h in plan.hires)).union(Names.of_plan(plan))
        self._static("overview-text").update(self._overview(doc, plan, agency, changes))
        # An edit of the agency changes none of the tables unless names or thresholds changed:
        # rebuilding hundreds of rows after every edit would make typing lag.
        shown = (names, source.policy.target_utilization, source.policy.utilization_ceiling)
        if self._shown_plan is not plan or self._shown != shown:
            self._shown_plan, self._shown = plan, shown
            self._names, self._source = names, source
            # Tables are filled when their view is first shown: a large plan has hundreds of
            # rows per view, and filling all of them at once would stall the screen.
            self._stale = {"staffing", "load", "mentoring", "hires", "warnings"}
            self._fill(self.view)
        if changes is not self._shown_diff:
            self._shown_diff = changes
            self._static("diff-text").update(changes.full)

    def _overview(self, doc: PlanDocument, plan: Plan, agency: Agency, changes: Changes) -> RenderableType:
        parts: list[RenderableType] = []
        head = Text(f"{plan.structure.title()} structure", style="bold")
        info = plan.solver
        status = shown_status(info.status, info.objective, info.bound)
        head.append(f"  ({plan.agency}, layout {plan.layout}, solver {status}", style="")
        if plan.solver.gap:
            head.append(f", gap {percent(plan.solver.gap)}")
        head.append(")")
        parts.append(head)
        notes = []
        if doc.cancelled:
            notes.append("The solve was cancelled: this is the best plan found so far.")
        if doc.scenario is not None:
            notes.append(
                f"Scenario {doc.scenario}: the plan of the agency with that scenario's changes (tab 7);"
                " F5 solves the agency itself."
            )
        elif doc.agency is not None and doc.agency != agency:
            notes.append("The agency has changed since this plan was solved: press F5 to solve again.")
        if doc.unsaved:
            where = doc.path.name if doc.path else "a plan file"
            notes.append(f"Not saved yet: Ctrl+S writes it to {where}.")
        for note in notes:
            parts.append(Text(note, style="yellow"))
        if plan.reason:
            parts.append(Text(""))
            parts.append(Text(plan.reason))
        if changes.summary is not None:
            parts.append(Text(""))
            parts.append(
                Text(f"Against the saved plan ({changes.saved_name}); every change in the Diff view:", style="bold")
            )
            parts.append(changes.summary)
        cur = plan.currency
        cost = Table(title="Cost a year", title_justify="left", show_header=False, box=None, padding=(0, 2))
        cost.add_column()
        cost.add_column(justify="right")
        cost.add_row("Staff payroll", f"{plan.cost.staff:,} {cur}")
        cost.add_row("Hires", f"{plan.cost.hires:,} {cur}")
        cost.add_row("Coordination", f"{plan.cost.coordination:,} {cur}")
        for label, amount in plan.cost.tradeoffs:
            cost.add_row(label.replace("_", " ").capitalize(), f"{amount:,} {cur}")
        cost.add_row(Text("Total", style="bold"), Text(f"{plan.cost.total:,} {cur}", style="bold"))
        for label, amount in plan.cost.penalties:
            cost.add_row(Text(f"penalty: {label}", style="dim"), Text(f"{amount:,}", style="dim"))
        heads = Table(title="Headcount", title_justify="left", show_header=False, box=None, padding=(0, 2))
        heads.add_column()
        heads.add_column(justify="right")
        for role, count in plan.headcount:
            heads.add_row(role, str(count))
        heads.add_row("Hires", str(len(plan.hires)))
        heads.add_row("Warnings", str(len(plan.warnings)))
        side = Table.grid(padding=(0, 4))
        side.add_row(cost, heads)
        parts.append(Text(""))
        parts.append(side)
        if plan.comparison:
            comp = Table(
                title="Structures compared",
                title_justify="left",
                header_style="bold",
                padding=(0, 1),
                box=box.SIMPLE_HEAD,  # no column rules: every header fits at 80 columns
                show_edge=False,
                pad_edge=False,
            )
            columns: tuple[tuple[str, JustifyMethod], ...] = (
                ("Structure", "left"),
                ("Status", "left"),
                ("Objective", "right"),
                ("Cost", "right"),
                ("Hires", "right"),
                ("Util.", "right"),
                ("Warn.", "right"),
                ("Gap", "right"),
            )
            for label, justify in columns:
                comp.add_column(label, justify=justify)
            for r in plan.comparison:
                chosen = r.structure == plan.structure
                _add(
                    comp,
                    Text(("▶ " if chosen else "  ") + r.structure, style="bold green" if chosen else ""),
                    result_figures(r, plan)[0],
                    money(r.objective),
                    money(r.cost),
                    str(r.hires),
                    percent(r.utilization),
                    str(r.warnings),
                    percent(r.gap),
                )
            parts.append(Text(""))
            parts.append(comp)
            parts.append(Text(""))
        parts.append(
            Text(
                f"Solver: {status}, objective {info.objective:,}, bound {info.bound:,}, "
                f"gap {percent(info.gap)}, seed {info.seed}, {info.workers} worker(s)",
                style="dim",
            )
        )
        return Group(*parts)

    def _show_staffing(self, plan: Plan, names: Names) -> None:
        table = self._table("staffing-table")
        keep = table.cursor_row
        _table(
            table,
            [("name", "Account"), ("mode", "Mode"), ("lead", "Lead"), ("hours", "Lead h"), ("pms", "Project managers")],
        )
        for a in plan.accounts:
            pms = sorted({c.person for c in a.coverage if c.person != a.lead})
            _add(
                table,
                names.account(a.id),
                a.mode.replace("_", " "),
                names.person(a.lead),
                Text(f"{a.lead_hours:,}", justify="right"),
                ", ".join(names.person(p) for p in pms) or Text("-", style="dim"),
                key=a.id,
            )
        if plan.accounts:
            table.move_cursor(row=min(max(keep, 0), len(plan.accounts) - 1), animate=False)
            self._show_account(plan.accounts[table.cursor_row].id)
        else:
            self._static("account-detail").update("")

    def _show_account(self, account_id: str) -> None:
        if self._plan is None or self._names is None:
            return
        a = self._plan.account(account_id)
        if a is None:
            return
        names = self._names
        parts: list[RenderableType] = []
        head = Text(f"{names.account(a.id)}", style="bold")
        head.append(f"  {a.mode.replace('_', ' ')}, led by {names.person(a.lead)} ({a.lead_hours:,} h)")
        parts.append(head)
        if a.contact is not None:
            contact = Text("Client calls  ")
            contact.append("strategy: ", style="dim")
            contact.append(names.person(a.contact.strategy), style="bold")
            contact.append("   project updates: ", style="dim")
            contact.append(names.person(a.contact.updates), style="bold")
            parts.append(contact)
        coverage = Table(title="Coverage", title_justify="left", header_style="bold", box=None, padding=(0, 1))
        coverage.add_column("Project")
        coverage.add_column("Managed by")
        coverage.add_column("Hours", justify="right")
        for c in a.coverage:
            _add(coverage, names.project(c.project), names.person(c.person), f"{c.hours:,}")
        raci = Table(title="RACI", title_justify="left", header_style="bold", box=None, padding=(0, 1))
        for label in ("Duty", "Accountable", "Responsible", "Consulted", "Informed"):
            raci.add_column(label)
        for r in a.raci:
            _add(
                raci,
                r.duty.replace("_", " "),
                Text(names.person(r.accountable), style="bold") if r.accountable else Text("nobody", style="bold red"),
                ", ".join(names.person(p) for p in r.responsible),
                ", ".join(names.person(p) for p in r.consulted),
                ", ".join(names.person(p) for p in r.informed),
            )
        console = self.app.console
        options = console.options
        wanted = (
            Measurement.get(console, options, coverage).maximum + 3 + Measurement.get(console, options, raci).maximum
        )
        if wanted <= self.size.width - 4:  # side by side only when every header and name fits
            grid = Table.grid(padding=(0, 3))
            grid.add_row(coverage, raci)
            parts.append(grid)
        else:  # one under the other, names in full
            parts.extend((coverage, Text(""), raci))
        self._static("account-detail").update(Group(*parts))
        self._detail_width = self.size.width

    def on_resize(self) -> None:
        if self._detail_width is not None and self._detail_width != self.size.width:
            table = self._table("staffing-table")
            if self._plan is not None and self._plan.accounts:
                self._show_account(self._plan.accounts[min(table.cursor_row, len(self._plan.accounts) - 1)].id)

    def _show_load(self, plan: Plan, names: Names, agency: Agency) -> None:
        table = self._table("load-table")
        _table(
            table,
            [
                ("name", "Person"),
                ("role", "Role"),
                ("utilization", "Utilization"),
                ("hours", "Hours"),
                ("capacity", "Capacity"),
                ("accounts", "Accounts"),
            ],
        )
        target, ceiling = agency.policy.target_utilization, agency.policy.utilization_ceiling
        for p in plan.people:
            _add(
                table,
                names.person(p.id),
                p.role.replace("_", " "),
                utilization_bar(p.utilization, target, ceiling),
                Text(f"{p.hours:,}", justify="right"),
                Text(f"{p.capacity:,}", justify="right"),
                ", ".join(names.account(a) for a in p.accounts) or Text("-", style="dim"),
                key=p.id,
            )

    def _show_mentoring(self, plan: Plan, names: Names) -> None:
        table = self._table("mentoring-table")
        _table(table, [("mentor", "Mentor"), ("mentee", "Mentee"), ("accounts", "Mentee runs end to end")])
        runs: dict[str, list[str]] = defaultdict(list)
        for a in plan.accounts:
            if a.mode == E2E:
                runs[a.lead].append(names.account(a.id))
        for m in plan.mentoring:
            _add(table, names.person(m.mentor), names.person(m.mentee), ", ".join(runs.get(m.mentee, [])))
        if not plan.mentoring:
            _add(table, Text("No mentoring pairs in this plan.", style="dim"), "", "")

    def _show_hires(self, plan: Plan) -> None:
        table = self._table("hires-table")
        _table(
            table, [("id", "Hire"), ("name", "Position"), ("role", "Role"), ("level", "Level"), ("cost", "Cost a year")]
        )
        for h in plan.hires:
            _add(
                table,
                h.id,
                h.name,
                h.role,
                Text(str(h.level), justify="right"),
                Text(f"{h.cost:,}", justify="right"),
                key=h.id,
            )
        total = sum(h.cost for h in plan.hires)
        self._static("hires-total").update(
            Text(f"{len(plan.hires)} hires, {total:,} {plan.currency} a year" if plan.hires else "No hires needed.")
        )

    def _show_warnings(self, plan: Plan, names: Names) -> None:
        table = self._table("warnings-table")
        _table(table, [("kind", "Kind"), ("where", "Account / person"), ("message", "Warning")])
        for i, w in enumerate(plan.warnings):
            where = names.account(w.account) if w.account else names.person(w.person) if w.person else "-"
            _add(table, w.kind.replace("_", " "), where, w.message, key=str(i))
        if not plan.warnings:
            _add(table, Text("No warnings.", style="dim"), "", "")
