"""The structplan editor: edit an agency, solve it in the background, browse and save the plan.

`create_app` builds the app for the CLI and for the tests alike; `run(args)` is what
`structplan` and `structplan edit [FILE]` call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, TextArea

from structplan import data
from structplan.model import Agency, Plan
from structplan.solver.api import Outcome, Progress, SolveOptions
from structplan.solver.api import solve as default_solve
from structplan.tui import editing
from structplan.tui.changes import DiffCache
from structplan.tui.commands import StructplanCommands
from structplan.tui.document import (
    AgencyDocument,
    PlanDocument,
    empty_agency,
)
from structplan.tui.editing import KINDS, SETTINGS, Edit, EditRefused, format_value
from structplan.tui.files import FileFlows, open_plan_for
from structplan.tui.messages import SolveFailed, SolveFinished, SolveProgress
from structplan.tui.screens.dialogs import ChoiceScreen
from structplan.tui.screens.form import RecordForm
from structplan.tui.screens.help import HelpScreen
from structplan.tui.screens.main import TABS, MainScreen
from structplan.tui.state import AgencyShown, PlanShown
from structplan.tui.widgets.editors import SettingsTable
from structplan.tui.widgets.record_table import RecordTable
from structplan.tui.widgets.scenarios_panel import ExecutorFactory, ScenariosPanel

SolveFunction = Callable[..., Outcome]

#: Values a new record's form starts with.
_NEW_DEFAULTS: dict[str, dict[str, str]] = {
    "account": {"tier": "2", "project_complexity": "2"},
    "project": {"complexity": "2"},
    "person": {"role": "am", "level": "2", "fte": "1"},
    "hiring": {"role": "pm", "level": "2", "max": "1", "fte": "1"},
    "pin": {},
}


class StructplanApp(App[int]):
    """Edit an agency, solve it, browse and save the plan."""

    CSS_PATH = "structplan.tcss"
    TITLE = "structplan"
    COMMANDS = App.COMMANDS | {StructplanCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # In the order the footer shows them (Quit first, as in every Textual app). Open is
        # in the help and the palette, not the footer: with a table's keys the footer would
        # be wider than 80 columns.
        Binding("f5", "solve", "Solve"),
        Binding("ctrl+r", "solve", "Solve", show=False),
        Binding("escape", "cancel_solve", "Cancel solve"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit"),
        Binding("ctrl+o", "open", "Open", show=False),
        *(Binding(str(i), f"show_tab('{tab}')", tab.title(), show=False) for i, tab in enumerate(TABS, start=1)),
    ]

    def __init__(
        self,
        document: AgencyDocument,
        *,
        plan: PlanDocument | None = None,
        solve: SolveFunction = default_solve,
        create_path: Path | None = None,
        cursor_blink: bool = True,
        time_limit: float | None = None,
        scenario_executor: ExecutorFactory | None = None,
    ) -> None:
        super().__init__()
        self.scenario_executor = scenario_executor
        self._base_plan: PlanDocument | None = None
        """The agency's own plan while a scenario's plan is on screen."""
        self.document = document
        self.plan_doc = plan or PlanDocument(path=document.plan_path)
        self.solve_function = solve
        self.create_path = create_path
        self.cursor_blink = cursor_blink
        self.initial_time_limit = time_limit
        self._stop: threading.Event | None = None
        self._diff = DiffCache()
        self.files = FileFlows(self)

    # ------------------------------------------------------------------ screen

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, less its Quit: ours asks about unsaved work first."""
        return (c for c in super().get_system_commands(screen) if c.title != "Quit")

    @property
    def main(self) -> MainScreen:
        """The main screen (under any dialog)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def solving(self) -> bool:
        """Whether a search is running."""
        return self.main.solve_panel.solving

    @on(MainScreen.Ready)
    def _main_screen_ready(self) -> None:
        """Once the main screen's widgets are mounted: show the agency, ask questions."""
        if self.initial_time_limit is not None:
            self.main.solve_panel.set_time_limit(self.initial_time_limit)
        if self.scenario_executor is not None:
            self.main.scenarios.executor_factory = self.scenario_executor
        self.show_document()
        self.main.show_tab("accounts")
        if self.create_path is not None:
            self.files.offer_create(self.create_path)
        else:
            self.files.offer_recovery()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.cursor_blink and isinstance(event.widget, (Input, TextArea)):
            event.widget.cursor_blink = False

    def show_document(self, select: tuple[str, str] | None = None) -> None:
        """Show the agency in every editing tab, the plan, and the title."""
        doc = self.document
        self.main.agency_shown = AgencyShown(
            doc.agency, doc.path or doc.origin, read_only=doc.path is None, select=select or ("", "")
        )
        self.show_plan()
        self.update_title()

    def show_plan(self) -> None:
        self.main.plan_shown = PlanShown(self.plan_doc, self.document.agency, self._diff.changes(self.plan_doc))

    def update_title(self) -> None:
        parts = [self.document.name]
        if self.document.modified:
            parts.append("● modified")
        if self.plan_doc.unsaved:
            parts.append("plan unsaved")
        if self.files.saving:
            parts.append("saving...")
        self.sub_title = " · ".join(parts)

    def set_document(self, document: AgencyDocument, plan: PlanDocument) -> None:
        self.document = document
        self.plan_doc = plan
        self._base_plan = None
        self.show_document()

    # ------------------------------------------------------------------ editing

    def _form(self, kind: str, action: editing.Action, target: str | None, parent: str | None) -> None:
        agency = self.document.agency
        if kind == "setting":
            assert target is not None
            field = dict(SETTINGS)[target]
            fields: tuple[editing.Field, ...] = (field,)
            values = {field.name: format_value(field, editing.setting_value(agency, target))}
            title = f"Setting: {field.label} ({target})"
        else:
            spec = KINDS[kind]
            fields = spec.fields + (editing.FIRST_PROJECT if kind == "account" and action == "add" else ())
            if action == "add":
                values = dict(_NEW_DEFAULTS.get(kind, {}))
                title = f"New {spec.title.lower()}" + (f" of {parent}" if parent else "")
            else:
                assert target is not None
                current = editing.record_values(agency, kind, target, parent)
                values = {f.name: format_value(f, current.get(f.name)) for f in spec.fields}
                title = f"{spec.title} {target}" + (f" of {parent}" if parent else "")

        def submit(raw: dict[str, Any]) -> EditRefused | None:
            return self._submit(kind, action, target, parent, raw)

        self.push_screen(RecordForm(title, fields, values, submit))

    def _submit(
        self, kind: str, action: editing.Action, target: str | None, parent: str | None, raw: dict[str, Any]
    ) -> EditRefused | None:
        values = dict(raw)
        if kind == "setting":
            assert target is not None
            edit = Edit("setting", "change", target, None, {"value": next(iter(values.values()))})
        else:
            if kind == "account" and action == "add":
                project = {
                    "id": values.pop("project_id"),
                    "name": values.pop("project_name"),
                    "complexity": values.pop("project_complexity"),
                }
                values["projects"] = [project]
            edit = Edit(kind, action, target, parent, values)
        try:
            what = self.document.apply(edit)
        except EditRefused as exc:
            if kind == "account" and action == "add":
                exc = _first_project_fields(exc)
            return exc
        select = values.get(KINDS[kind].key) if kind != "setting" else None
        self._edited(what, (kind, select) if isinstance(select, str) else None)
        return None

    def _edited(self, what: str, select: tuple[str, str] | None = None) -> None:
        """After an edit, undo or redo: keep it in the recovery journal first, then show it."""
        self.files.keep_recovery()
        self.show_document(select)
        if what != "no change":
            self.notify(f"{what[:1].upper()}{what[1:]}. Ctrl+Z undoes.", timeout=3)

    @on(RecordTable.AddRequested)
    def _add_requested(self, event: RecordTable.AddRequested) -> None:
        self.action_add(event.table.kind.name, event.table.parent_id)

    @on(RecordTable.EditRequested)
    def _edit_requested(self, event: RecordTable.EditRequested) -> None:
        self._form(event.table.kind.name, "change", event.record_id, event.table.parent_id)

    @on(SettingsTable.EditRequested)
    def _setting_requested(self, event: SettingsTable.EditRequested) -> None:
        self._form("setting", "change", event.path, None)

    @on(RecordTable.DeleteRequested)
    def _delete_requested(self, event: RecordTable.DeleteRequested) -> None:
        kind, parent = event.table.kind.name, event.table.parent_id
        try:
            what = self.document.apply(Edit(kind, "delete", event.record_id, parent))
        except EditRefused as exc:
            self.notify(
                "\n".join(exc.lines()),
                title=f"Cannot delete {event.record_id}",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self._edited(what)

    def action_add(self, kind: str, parent: str | None = None) -> None:
        """Open the form of a new record."""
        if kind == "project":
            parent = parent or self.main.accounts.accounts_table.current_id
            if parent is None:
                self.notify("Add an account first: a project belongs to an account.", severity="warning")
                return
        self.main.show_tab(
            {"account": "accounts", "project": "accounts", "person": "people", "hiring": "hiring", "pin": "policy"}[
                kind
            ]
        )
        self._form(kind, "add", None, parent)

    def _current_table(self) -> RecordTable | SettingsTable | None:
        focused = self.main.focused
        if isinstance(focused, (RecordTable, SettingsTable)):
            return focused
        tab = self.main.tabs.active
        fallback = {
            "accounts": "#accounts-table",
            "people": "#person-table",
            "hiring": "#hiring-table",
            "policy": "#settings-table",
        }.get(tab)
        if fallback is None:
            return None
        table = self.main.query_one(fallback)
        return table if isinstance(table, (RecordTable, SettingsTable)) else None

    def action_edit_current(self) -> None:
        """Edit the record under the cursor of the table in view."""
        table = self._current_table()
        if isinstance(table, RecordTable):
            table.action_edit_record()
        elif isinstance(table, SettingsTable):
            table.action_edit_setting()
        else:
            self.notify("Show a table of records first (tabs 1-4).", severity="warning")

    def action_delete_current(self) -> None:
        """Delete the record under the cursor of the table in view."""
        table = self._current_table()
        if isinstance(table, RecordTable):
            table.action_delete_record()
        else:
            self.notify("Show a table of records first (tabs 1-4).", severity="warning")

    def action_undo(self) -> None:
        what = self.document.undo()
        if what is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        self._edited("no change")
        self.notify(f"Undone: {what}.", timeout=3)

    def action_redo(self) -> None:
        what = self.document.redo()
        if what is None:
            self.notify("Nothing to redo.", timeout=3)
            return
        self._edited("no change")
        self.notify(f"Redone: {what}.", timeout=3)

    # ------------------------------------------------------------------ navigation

    def action_show_tab(self, tab: str) -> None:
        self.main.show_tab(tab)

    def action_plan_view(self, view: str) -> None:
        self.main.show_tab("plan")
        if self.plan_doc.plan is not None:
            self.main.plan_view.show_view(view)

    def action_scenarios(self, what: str) -> None:
        """A Scenarios tab action from the palette: shows the tab and does it there."""
        self.main.show_tab("scenarios")
        getattr(self.main.scenarios, f"action_{what}")()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_structure(self, name: str) -> None:
        from textual.widgets import Checkbox

        self.main.show_tab("solve")
        box = self.main.query_one(f"#structure-{name}", Checkbox)
        if not box.disabled:
            box.toggle()

    # ------------------------------------------------------------------ solving

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_solve":
            return self.screen is self.main and self.solving
        if action == "solve":
            return None if self.solving else True
        return True

    def action_solve(self) -> None:
        """Solve the ticked structures in a background thread."""
        panel = self.main.solve_panel
        if self.solving:
            return
        structures = panel.structures
        time_limit = panel.time_limit
        if not structures:
            self.main.show_tab("solve")
            self.notify("Tick at least one structure to solve.", severity="warning")
            return
        if time_limit is None:
            self.main.show_tab("solve")
            self.notify("Choose the seconds per structure.", severity="warning")
            return
        self._stop = threading.Event()
        panel.start(structures, time_limit)
        self.main.show_tab("solve")
        self._solve_in_thread(
            self.document.agency, structures, SolveOptions(time_limit=time_limit * len(structures)), self._stop
        )

    def stop_solve(self) -> None:
        """Stop a running search without a word (on quitting)."""
        if self._stop is not None:
            self._stop.set()

    def action_cancel_solve(self) -> None:
        """Stop the search; the solver returns the best plan so far."""
        if self._stop is not None and self.solving and not self._stop.is_set():
            self._stop.set()
            self.main.solve_panel.cancelling()

    @work(thread=True, exclusive=True, group="solve", exit_on_error=False)
    def _solve_in_thread(
        self, agency: Agency, structures: Sequence[str], options: SolveOptions, stop: threading.Event
    ) -> None:
        """Runs in a thread: calls the solver and posts messages; never touches a widget."""
        started = time.monotonic()
        last: dict[str, Any] = {"at": 0.0, "structure": None}

        def report(progress: Progress) -> None:
            now = time.monotonic()
            if progress.structure != last["structure"] or now - last["at"] >= 0.1:
                last.update(at=now, structure=progress.structure)
                self.post_message(SolveProgress(progress))

        try:
            outcome = self.solve_function(agency, structures, None, options, report, stop)
        except Exception as exc:  # a solver bug: say so on screen, keep the editor alive
            self.post_message(SolveFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SolveFinished(outcome, agency, structures, time.monotonic() - started))

    @on(SolveProgress)
    def _solve_progress(self, message: SolveProgress) -> None:
        self.main.solve_panel.progress(message.progress)

    @on(SolveFinished)
    def _solve_finished(self, message: SolveFinished) -> None:
        outcome = message.outcome
        self.main.solve_panel.finish(outcome, message.elapsed)
        self._stop = None
        if outcome.plan is None:
            self.notify(
                "No plan: see the Solve tab." if not outcome.cancelled else "Cancelled before any plan.",
                severity="warning",
            )
            return
        previous = self.plan_doc.plan
        if outcome.cancelled and previous is not None and not self.plan_doc.cancelled:
            # A cancelled search has a plan of part of the work: the complete plan on screen
            # stays unless the user takes the partial one.
            if self.asking:
                self.notify(
                    f"The solve was cancelled; the complete plan on screen is kept "
                    f"(the partial one, {_plan_words(outcome.plan)}, is dropped).",
                    title="Cancelled",
                )
            else:
                self._offer_partial_plan(outcome.plan, message.agency)
            return
        self._take_plan(outcome.plan, message.agency, outcome.cancelled)

    def _take_plan(self, plan: Plan, agency: Agency, cancelled: bool) -> None:
        """Show a solved plan as the plan on screen."""
        if self._base_plan is not None:  # a scenario's plan was on screen: back to the agency's
            self.plan_doc, self._base_plan = self._base_plan, None
        self.plan_doc.plan = plan
        self.plan_doc.agency = agency
        self.plan_doc.cancelled = cancelled
        if self.plan_doc.path is None:
            self.plan_doc.path = self.document.plan_path
        self.show_plan()
        self.update_title()
        self.notify(
            f"Plan: {_plan_words(plan)} a year. Press 6 to see it.",
            title="Cancelled: best so far" if cancelled else "Solved",
        )

    @work(group="dialog")
    async def _offer_partial_plan(self, partial: Plan, agency: Agency) -> None:
        """Ask whether the best plan of a cancelled solve replaces the complete plan on screen."""
        previous = self.plan_doc.plan
        assert previous is not None
        choice = await self.push_screen_wait(
            ChoiceScreen(
                "Solve cancelled",
                f"The cancelled solve's best plan so far is {_plan_words(partial)} (not searched to the end). "
                f"The plan on screen is {_plan_words(previous)}, from a complete solve"
                + (" of the agency before your last edits" if self.plan_doc.agency != agency else "")
                + ". Keep the plan on screen?",
                [("keep", "Keep the plan on screen", "primary"), ("partial", "Use the partial plan", "warning")],
            )
        )
        if choice == "partial":
            self._take_plan(partial, agency, cancelled=True)
        else:
            self.notify("Kept the complete plan; the partial plan is dropped. F5 solves again.", title="Cancelled")

    @on(SolveFailed)
    @on(ScenariosPanel.PlanChosen)
    def _scenario_plan(self, message: ScenariosPanel.PlanChosen) -> None:
        """Show a scenario's plan in the plan views; Ctrl+S writes it next to the agency as
        <stem>.<scenario>.plan.toml, and the next solve brings the agency's own plan back."""
        if self._base_plan is None and self.plan_doc.unsaved:
            self.notify(
                "Save the plan on screen first (Ctrl+S): a scenario's plan would take its place.",
                title="Plan not saved",
                severity="warning",
            )
            return
        if self._base_plan is None:
            self._base_plan = self.plan_doc
        home = self.document.path or Path.cwd() / (self.document.origin or Path("agency.toml")).name
        path = home.with_name(f"{home.stem}.{message.scenario}.plan.toml")
        self.plan_doc = PlanDocument(plan=message.plan, agency=message.agency, path=path, scenario=message.scenario)
        self.show_plan()
        self.update_title()
        self.main.show_tab("plan")
        self.notify(
            f"Scenario {message.scenario}: {_plan_words(message.plan)} a year. Ctrl+S writes {path.name}.",
            title="Scenario plan",
            markup=False,
        )

    def _solve_failed(self, message: SolveFailed) -> None:
        self.main.solve_panel.failed(message.error)
        self._stop = None
        self.notify(message.error, title="The solver failed", severity="error", markup=False)

    # ------------------------------------------------------------------ files

    @property
    def asking(self) -> bool:
        """Whether a question or a save is under way (one at a time)."""
        return self.files.asking

    def action_save(self) -> None:
        self.files.save()

    def action_save_agency_as(self) -> None:
        self.files.save_agency_as()

    def action_save_plan_as(self) -> None:
        self.files.save_plan_as()

    async def action_quit(self) -> None:
        self.files.quit()

    def action_open(self) -> None:
        self.files.open()

    def open_path(self, path: Path) -> bool:
        """Open an agency file (with its plan) or a plan file; problems are shown, not raised."""
        return self.files.open_path(path)


def _plan_words(plan: Plan) -> str:
    """A plan in a few words: 'hybrid, 94,940 EUR'."""
    return f"{plan.structure}, {plan.cost.total:,} {plan.currency}"


def _first_project_fields(refused: EditRefused) -> EditRefused:
    """Point problems of a new account's first project at the form's first-project inputs."""
    moved = []
    for where, message in refused.problems:
        head = f"{refused.record}.projects[0]."
        if refused.record and where.startswith(head):
            where = f"{refused.record}.project_{where[len(head) :]}"
        moved.append((where, message))
    return EditRefused(moved, refused.record)


def create_app(
    agency: str | Path | None = None,
    *,
    solve: SolveFunction = default_solve,
    sample: Path | None = None,
    state_dir: Path | None = None,
    cursor_blink: bool = True,
    time_limit: float | None = None,
    scenario_executor: ExecutorFactory | None = None,
) -> StructplanApp:
    """The editor on an agency file, or on the bundled sample when `agency` is None.

    A missing file is offered for creation when the app starts. Raises LoadError when the file
    exists but is not a valid agency.
    """
    create_path: Path | None = None
    if agency is None:
        document = AgencyDocument.sample(sample or data.default_sample(), state_dir)
    else:
        path = Path(agency)
        if path.exists():
            document = AgencyDocument.open(path, state_dir)
        else:
            name = path.stem or "agency"
            document = AgencyDocument(empty_agency(name), empty_agency(name), None, None, None)
            if state_dir is not None:
                document.state_dir = state_dir
            create_path = path
    plan = open_plan_for(document) if create_path is None else PlanDocument()
    return StructplanApp(
        document,
        plan=plan,
        solve=solve,
        create_path=create_path,
        cursor_blink=cursor_blink,
        time_limit=time_limit,
        scenario_executor=scenario_executor,
    )
