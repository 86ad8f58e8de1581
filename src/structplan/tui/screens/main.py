"""The main screen: the editing tabs, the Solve tab, the Plan tab and the Scenarios tab."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

from structplan.tui.widgets.editors import AccountsEditor, PolicyEditor, RecordsEditor
from structplan.tui.widgets.footer import KeyFooter
from structplan.tui.widgets.plan_view import PlanView
from structplan.tui.widgets.scenarios_panel import ScenariosPanel
from structplan.tui.widgets.solve_panel import SolvePanel

#: Top-level tabs, in the order of their number keys.
TABS = ("accounts", "people", "hiring", "policy", "solve", "plan", "scenarios")


class MainScreen(Screen[None]):
    """Tabs 1-7 between a header and the footer of key bindings."""

    class Ready(Message):
        """The screen's widgets are mounted: the app may show its documents and ask its questions."""

    def compose(self) -> ComposeResult:
        yield Header(icon="▦")
        with TabbedContent(id="tabs", initial="accounts"):
            with TabPane("1 Accounts", id="accounts"):
                yield AccountsEditor(id="accounts-editor")
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
                    id="people-editor",
                )
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
                    id="hiring-editor",
                )
            with TabPane("4 Policy", id="policy"):
                yield PolicyEditor(id="policy-editor")
            with TabPane("5 Solve", id="solve"):
                yield SolvePanel(id="solve-panel")
            with TabPane("6 Plan", id="plan"):
                yield PlanView(id="plan-view")
            with TabPane("7 Scenarios", id="scenarios"):
                yield ScenariosPanel(id="scenarios-panel")
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
