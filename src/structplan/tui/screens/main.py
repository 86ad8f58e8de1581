"""The main screen: the editing tabs, the Solve tab, the Plan tab and the Scenarios tab."""

from __future__ import annotations

from operator import attrgetter

from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

from structplan.tui.state import AgencyShown, PlanShown
from structplan.tui.widgets.editors import AccountsEditor, PolicyEditor, RecordsEditor
from structplan.tui.widgets.footer import KeyFooter
from structplan.tui.widgets.plan_view import PlanView
from structplan.tui.widgets.scenarios_panel import ScenariosPanel
from structplan.tui.widgets.solve_panel import SolvePanel

#: Top-level tabs, in the order of their number keys.
TABS = ("accounts", "people", "hiring", "policy", "solve", "plan", "scenarios")


class MainScreen(Screen[None]):
    """Tabs 1-7 between a header and the footer of key bindings. The app sets what they show
    (`agency_shown`, `plan_shown`); each tab holds it as a reactive bound to these and draws itself."""

    agency_shown: reactive[AgencyShown | None] = reactive(None, always_update=True, init=False)
    plan_shown: reactive[PlanShown | None] = reactive(None, always_update=True, init=False)

    class Ready(Message):
        """The screen's widgets are mounted: the app may show its documents and ask its questions."""

    def compose(self) -> ComposeResult:
        yield Header(icon="▦")
        with TabbedContent(id="tabs", initial="accounts"):
            with TabPane("1 Accounts", id="accounts"):
                yield AccountsEditor(id="accounts-editor").data_bind(MainScreen.agency_shown)
            with TabPane("2 People", id="people"):
                yield RecordsEditor(
                    "person",
                    "People on staff",
                    [
                        ("id", "Id"),
                        ("name", "Name"),
                        ("role", "Role"),
                        ("level", "Level"),
                        ("fte", "FTE"),
                        ("cost", "Cost"),
                        ("service_lines", "Service lines"),
                    ],
                    of=attrgetter("people"),
                    # a person's id is mostly their name again: on a narrow screen the name stays whole
                    squeeze="id",
                    id="people-editor",
                ).data_bind(MainScreen.agency_shown)
            with TabPane("3 Hiring", id="hiring"):
                yield RecordsEditor(
                    "hiring",
                    "Hiring options",
                    [
                        ("id", "Id"),
                        ("name", "Title"),
                        ("role", "Role"),
                        ("level", "Level"),
                        ("cost", "Cost"),
                        ("max", "Max"),
                        ("fte", "FTE"),
                        ("service_lines", "Service lines"),
                    ],
                    of=attrgetter("hiring"),
                    id="hiring-editor",
                ).data_bind(MainScreen.agency_shown)
            with TabPane("4 Policy", id="policy"):
                yield PolicyEditor(id="policy-editor").data_bind(MainScreen.agency_shown)
            with TabPane("5 Solve", id="solve"):
                yield SolvePanel(id="solve-panel").data_bind(MainScreen.agency_shown)
            with TabPane("6 Plan", id="plan"):
                yield PlanView(id="plan-view").data_bind(MainScreen.plan_shown)
            with TabPane("7 Scenarios", id="scenarios"):
                yield ScenariosPanel(id="scenarios-panel").data_bind(MainScreen.agency_shown)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.post_message(self.Ready())

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#tabs", TabbedContent)

    @property
    def accounts(self) -> AccountsEditor:
        return self.query_one(AccountsEditor)

    @property
    def people(self) -> RecordsEditor:
        return self.query_one("#people-editor", RecordsEditor)

    @property
    def hiring(self) -> RecordsEditor:
        return self.query_one("#hiring-editor", RecordsEditor)

    @property
    def policy(self) -> PolicyEditor:
        return self.query_one(PolicyEditor)

    @property
    def solve_panel(self) -> SolvePanel:
        return self.query_one(SolvePanel)

    @property
    def plan_view(self) -> PlanView:
        return self.query_one(PlanView)

    @property
    def scenarios(self) -> ScenariosPanel:
        return self.query_one(ScenariosPanel)

    def go_to(self, kind: str, record_id: str) -> None:
        """Show an account or a person in its editing tab, the cursor on it."""
        if kind == "account":
            self.show_tab("accounts")
            self.accounts.show_projects(record_id)
            self.accounts.accounts_table.focus()
        elif kind == "person" and self.agency_shown is not None:
            self.show_tab("people")
            self.people.show(self.agency_shown.agency.people, select=record_id)
            self.people.table.focus()

    def show_tab(self, tab: str) -> None:
        """Switch to a top-level tab and focus its first table or control."""
        self.tabs.active = tab
        pane = self.query_one(f"#{tab}", TabPane)
        targets = [w for w in pane.query("*") if w.focusable and w.display]
        if tab == "plan":
            targets = [
                w for w in pane.query("DataTable, VerticalScroll") if w.focusable and w.display and w.is_on_screen
            ] or targets
        if targets:
            targets[0].focus()
