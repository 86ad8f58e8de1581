"""The command palette (Ctrl+P): every action of the editor by name, plus "go to" entries built
from the agency on screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from structplan.model import STRUCTURES
from structplan.tui.widgets.plan_view import TITLES, VIEWS

if TYPE_CHECKING:
    from structplan.tui.app import StructplanApp

Command = tuple[str, str, Callable[[], object]]


class StructplanCommands(Provider):
    """Actions (save, open, solve, undo, add ...) and jumps to accounts and people."""

    @property
    def structplan(self) -> StructplanApp:
        return cast("StructplanApp", self.app)  # a Provider knows only that its app is an App

    def actions(self) -> Iterator[Command]:
        """The editor's actions, shown when the palette opens."""
        app = self.structplan
        run = app.run_action
        yield "Save", "Save the agency (comments kept) and the plan next to it (Ctrl+S)", partial(run, "save")
        yield "Save agency as...", "Write the agency to another file", partial(run, "save_agency_as")
        yield "Save plan as...", "Write the plan on screen to a file of your choice", partial(run, "save_plan_as")
        yield "Open file...", "Open an agency or a plan file (Ctrl+O)", partial(run, "open")
        yield "Undo", "Undo the last edit (Ctrl+Z)", partial(run, "undo")
        yield "Redo", "Redo an undone edit (Ctrl+Y)", partial(run, "redo")
        yield "Solve", "Solve the structures ticked on the Solve tab (F5)", partial(run, "solve")
        yield "Cancel solve", "Stop the search and keep the best plan so far (Esc)", partial(run, "cancel_solve")
        for name in STRUCTURES:
            yield (
                f"Toggle structure: {name}",
                f"Tick or untick {name} on the Solve tab",
                partial(run, f"toggle_structure('{name}')"),
            )
        yield "Add account", "New account with its first project", partial(run, "add('account')")
        yield "Add project", "New project in the account under the cursor", partial(run, "add('project')")
        yield "Add person", "New person on staff", partial(run, "add('person')")
        yield "Add hiring option", "New position the plan may open", partial(run, "add('hiring')")
        yield "Add pin", "New decision the solver must keep", partial(run, "add('pin')")
        yield "Edit record", "Edit the record under the cursor (e / Enter)", partial(run, "edit_current")
        yield "Delete record", "Delete the record under the cursor (d)", partial(run, "delete_current")
        for i, (tab, title) in enumerate(
            (
                ("accounts", "Accounts"),
                ("people", "People"),
                ("hiring", "Hiring"),
                ("policy", "Policy"),
                ("solve", "Solve"),
                ("plan", "Plan"),
                ("scenarios", "Scenarios"),
            ),
            start=1,
        ):
            yield f"Go to {title}", f"Show tab {i} ({i})", partial(run, f"show_tab('{tab}')")
        for view, title in zip(VIEWS, TITLES, strict=True):
            yield f"Plan: {title}", f"Show the plan's {title.lower()} view", partial(run, f"plan_view('{view}')")
        for what, title, meaning in (
            ("add_scenario", "Add scenario", "New what-if scenario of the agency (a)"),
            ("edit_scenario", "Edit scenario", "Edit the scenario under the cursor (e)"),
            ("delete_scenario", "Delete scenario", "Delete the scenario under the cursor (d)"),
            ("run_scenarios", "Run scenarios", "Solve the agency and every scenario side by side (r)"),
            ("stop_scenarios", "Stop scenarios", "Stop the scenario run, keeping the solves done (Esc)"),
        ):
            yield title, f"Scenarios tab: {meaning}", partial(run, f"scenarios('{what}')")
        yield "Help", "Every key (F1)", partial(run, "help")
        yield "Quit", "Leave structplan, asking first when something is unsaved (Ctrl+Q)", partial(run, "quit")

    def jumps(self) -> Iterator[Command]:
        """Go-to entries for every account and person of the agency."""
        app = self.structplan
        agency = app.document.agency
        for account in agency.accounts:
            yield (
                f"Account: {account.name} ({account.id})",
                "Show it on the Accounts tab",
                partial(app.main.go_to, "account", account.id),
            )
        for person in agency.people:
            yield (
                f"Person: {person.name} ({person.id})",
                "Show them on the People tab",
                partial(app.main.go_to, "person", person.id),
            )

    async def discover(self) -> Hits:
        for title, help_text, callback in self.actions():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in [*self.actions(), *self.jumps()]:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
