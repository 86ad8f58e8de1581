"""The structplan editor: edit an agency, solve it in the background, browse and save the plan.

`create_app` builds the app for the CLI and for the tests alike; `run(args)` is what
`structplan` and `structplan edit [FILE]` call.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, TextArea

from structplan import data, formats
from structplan.diff.text import Document
from structplan.exitcode import ExitCode
from structplan.model import Agency, Plan
from structplan.solver.api import Outcome, Progress, SolveOptions
from structplan.solver.api import solve as default_solve
from structplan.tui import editing
from structplan.tui.commands import StructplanCommands
from structplan.tui.document import (
    AgencyDocument,
    PlanDocument,
    RecoveryWriter,
    RemoveFile,
    empty_agency,
    perform_save,
    plan_path_for,
    write_plan,
)
from structplan.tui.editing import KINDS, SETTINGS, Edit, EditRefused, format_value
from structplan.tui.messages import SolveFailed, SolveFinished, SolveProgress
from structplan.tui.screens.dialogs import ChoiceScreen, PathScreen
from structplan.tui.screens.form import RecordForm
from structplan.tui.screens.help import HelpScreen
from structplan.tui.screens.main import TABS, MainScreen
from structplan.tui.widgets.editors import SettingsTable
from structplan.tui.widgets.plan_view import Changes
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
        self._recovery_warned = False
        self.recovery_writer = RecoveryWriter()
        self._saving = False
        self._ticked_from: tuple[str, ...] | None = None
        self._diff_cache: tuple[tuple[Any, ...], Changes] | None = None

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

    def main_screen_ready(self) -> None:
        """Called by the main screen once its widgets are mounted: show the agency, ask questions."""
        if self.initial_time_limit is not None:
            self.main.solve_panel.set_time_limit(self.initial_time_limit)
        if self.scenario_executor is not None:
            self.main.scenarios.executor_factory = self.scenario_executor
        self._show_document()
        self.main.show_tab("accounts")
        if self.create_path is not None:
            self._offer_create(self.create_path)
        else:
            self._offer_recovery()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.cursor_blink and isinstance(event.widget, (Input, TextArea)):
            event.widget.cursor_blink = False

    def _show_document(self, select: tuple[str, str] | None = None) -> None:
        """Show the agency in every editing tab, the plan, and the title."""
        main, agency = self.main, self.document.agency
        kind, record = select or ("", "")
        main.accounts.show(agency, select=record if kind == "account" else None)
        if kind == "project":
            account = agency.account(main.accounts.projects_table.parent_id or "")
            main.accounts.projects_table.show(account.projects if account else (), select=record)
        main.people.show(agency.people, select=record if kind == "person" else None)
        main.hiring.show(agency.hiring, select=record if kind == "hiring" else None)
        main.policy.show(agency, select=record if kind == "pin" else None)
        main.scenarios.show(agency, self.document.path or self.document.origin, read_only=self.document.path is None)
        if agency.policy.structures != self._ticked_from:
            # The policy says which structures to consider: the Solve tab follows it.
            self._ticked_from = agency.policy.structures
            main.solve_panel.set_structures(agency.policy.structures)
        self._show_plan()
        self._update_title()

    def _show_plan(self) -> None:
        self.main.plan_view.show(self.plan_doc, self.document.agency, self._changes())

    def _update_title(self) -> None:
        parts = [self.document.name]
        if self.document.modified:
            parts.append("● modified")
        if self.plan_doc.unsaved:
            parts.append("plan unsaved")
        if self._saving:
            parts.append("saving...")
        self.sub_title = " · ".join(parts)

    # ------------------------------------------------------------------ startup questions

    @work(group="dialog")
    async def _offer_create(self, path: Path) -> None:
        choice = await self.push_screen_wait(
            ChoiceScreen(
                "New file",
                f"{path} does not exist. Create it as a new agency?",
                [("create", "Create it", "primary"), ("cancel", "Quit", "default")],
            )
        )
        if choice != "create":
            self.exit(ExitCode.OK)
            return
        try:
            self._set_document(
                AgencyDocument.create(path, self.document.state_dir), PlanDocument(path=plan_path_for(path))
            )
        except (OSError, formats.LoadError) as exc:
            self.notify(str(exc), title="Could not create the file", severity="error")
            return
        self.notify(f"Created {path}. Add accounts (a) to begin.", title="New agency")

    @work(group="dialog")
    async def _offer_recovery(self) -> None:
        """Offer the edits every other session left unsaved, newest first, one at a time."""
        found = self.document.pending_recoveries()
        for number, recovery in enumerate(found, start=1):
            of = f" ({number} of {len(found)})" if len(found) > 1 else ""
            choice = await self.push_screen_wait(
                ChoiceScreen(
                    f"Unsaved edits found{of}",
                    f"{self.document.name} has edits that were never saved (kept in {_home(recovery.path)}, "
                    f"written {recovery.saved_at}). Recover them?",
                    [
                        ("recover", "Recover them", "primary"),
                        ("later", "Not now", "default"),
                        ("discard", "Discard them", "error"),
                    ],
                )
            )
            if choice == "recover":
                self.document.recover(recovery)
                self._show_document()
                self._keep_recovery()
                left = len(found) - number
                more = f" {left} other set{'s' if left != 1 else ''} of edits stay for the next start." if left else ""
                self.notify(
                    f"Recovered edits: Ctrl+S saves them, Ctrl+Z goes back to the file.{more}",
                    title="Recovered",
                    markup=False,
                )
                return
            if choice == "discard":
                self.recovery_writer.put([RemoveFile(recovery.path)])
                self._drain_recovery_now()

    def _set_document(self, document: AgencyDocument, plan: PlanDocument) -> None:
        self.document = document
        self.plan_doc = plan
        self._base_plan = None
        self._show_document()

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
        self._keep_recovery()
        self._show_document(select)
        if what != "no change":
            self.notify(f"{what[:1].upper()}{what[1:]}. Ctrl+Z undoes.", timeout=3)

    def _keep_recovery(self) -> None:
        """Hand the journal writes of the last edits to the writer, performed in a worker thread
        at once (an edit is one short line; only a save or a far undo rewrites the journal)."""
        ops = self.document.take_recovery_ops()
        if ops:
            self.recovery_writer.put(ops)
            self._write_recovery()

    def _drain_recovery_now(self) -> None:
        """Perform the queued journal writes here and now (before quitting or opening a file)."""
        self.recovery_writer.put(self.document.take_recovery_ops())
        try:
            self.recovery_writer.drain()
        except OSError as exc:
            self._recovery_failed(exc)

    @work(thread=True, group="recovery", exit_on_error=False)
    def _write_recovery(self) -> None:
        """Runs in a thread; reports a failure with a message, never touches a widget."""
        try:
            self.recovery_writer.drain()
        except OSError as exc:
            self.call_from_thread(self._recovery_failed, exc)

    def _recovery_failed(self, exc: OSError) -> None:
        if not self._recovery_warned:
            self._recovery_warned = True
            self.notify(f"Cannot write the recovery file: {exc}. Save often.", severity="warning", markup=False)

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

    def go_to_record(self, kind: str, record_id: str) -> None:
        """Show a record in its editing tab."""
        if kind == "account":
            self.main.show_tab("accounts")
            self.main.accounts.show_projects(record_id)
            self.main.accounts.accounts_table.focus()
        elif kind == "person":
            self.main.show_tab("people")
            self.main.people.show(self.document.agency.people, select=record_id)
            self.main.people.table.focus()

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
        self._show_plan()
        self._update_title()
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
        self._show_plan()
        self._update_title()
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

    # ------------------------------------------------------------------ the diff

    def _changes(self) -> Changes:
        """The Diff view's content and the overview's summary of it, computed again only when
        one of the plans changed."""
        doc = self.plan_doc
        key = (doc.plan, doc.saved, doc.replaced, doc.path)
        cached = self._diff_cache
        if cached is not None and all(a is b for a, b in zip(cached[0], key, strict=True)):
            return cached[1]
        changes = self._make_changes(doc)
        self._diff_cache = (key, changes)
        return changes

    def _make_changes(self, doc: PlanDocument) -> Changes:
        if doc.plan is None:
            return Changes(Text(""))
        saved_name = doc.path.name if doc.path else "the plan file"
        if doc.saved is None:
            return Changes(
                Text(
                    f"No saved plan to compare with yet. Ctrl+S saves this plan to {saved_name}; "
                    "the next solve is then compared with it, as `structplan diff` would."
                )
            )
        if doc.same_as_saved():
            if doc.plan is not doc.saved and doc.plan != doc.saved:
                return Changes(
                    Text(
                        f"The plan on screen makes the same staffing decisions, figures and warnings as the "
                        f"saved plan ({saved_name}): no changes, as `structplan diff` compares plans."
                    )
                )
            if doc.replaced is None:
                return Changes(
                    Text(
                        f"The plan on screen is the saved plan ({saved_name}): no changes. "
                        "Edit the agency and solve again (F5) to see what would change."
                    )
                )
            text = _render_diff(doc.replaced, doc.saved, f"{saved_name} (before)", saved_name)
            return Changes(
                Group(
                    Text(f"Saved to {saved_name}. What the save changed, from the plan it replaced:\n", style="bold"),
                    _shown(text),
                )
            )
        text = _render_diff(doc.saved, doc.plan, saved_name, "on screen")
        head = Text(
            f"From the saved plan ({saved_name}) to the plan on screen, as `structplan diff` shows it:\n", style="bold"
        )
        return Changes(Group(head, _shown(text)), _summary(text), saved_name)

    # ------------------------------------------------------------------ files

    @property
    def asking(self) -> bool:
        """Whether a question or a save is under way (one at a time)."""
        return any(w.group == "dialog" and not w.is_finished for w in self.workers)

    def _start_flow(self, flow: Callable[[], Any]) -> None:
        if self.asking:
            self.notify("Finish the question on screen first (Esc closes it).", timeout=3)
            return
        flow()

    def action_save(self) -> None:
        self._start_flow(self._save_flow)

    @work(group="dialog")
    async def _save_flow(self) -> None:
        await self._save_all()

    async def _write_agency(self, target: Path | None = None) -> str | None:
        """Save the agency in a worker thread (a large file takes seconds); its name for the note,
        None when the user chose not to overwrite a file another program changed."""
        doc = self.document
        job = doc.prepare_save(target)
        if job.path == doc.path and doc.source is not None and not await self._may_overwrite(job.path, doc.source):
            return None
        self._saving = True
        self._update_title()
        try:
            result = await asyncio.to_thread(perform_save, job)
        finally:
            self._saving = False
        doc.finish_save(job, result)
        self._keep_recovery()
        return self._saved_note(doc)

    async def _may_overwrite(self, path: Path, source: str) -> bool:
        """Whether to save over `path` when another program changed it since it was read."""
        try:
            now = formats.read_text(path)
        except formats.LoadError:
            return True  # gone or unreadable: the write says what is wrong
        if now == source:
            return True
        choice = await self.push_screen_wait(
            ChoiceScreen(
                "The file changed on disk",
                f"{path.name} was changed by another program after structplan read it. Saving writes your "
                "version over those changes.",
                [("replace", "Save mine over it", "error"), ("cancel", "Don't save", "default")],
            )
        )
        return choice == "replace"

    async def _write_plan(self, target: Path) -> None:
        """Save the plan on screen in a worker thread."""
        plan = self.plan_doc.plan
        assert plan is not None
        await asyncio.to_thread(write_plan, target, plan)
        self.plan_doc.mark_saved(plan, target)

    async def _save_all(self) -> bool:
        """Save what is unsaved; False when the user cancelled or a write failed."""
        doc, plan = self.document, self.plan_doc
        written: list[str] = []
        try:
            if doc.path is None:
                if not (doc.modified or plan.unsaved):
                    self.notify("Nothing to save: this is the bundled sample, unchanged.", timeout=3)
                    return True
                target = await self._ask_save_path(
                    "Save the agency as",
                    doc.origin.name if doc.origin else "agency.toml",
                    "The bundled sample is not overwritten: name a file for your copy (its plan goes next to it).",
                )
                if target is None:
                    return False
                note = await self._write_agency(target)
                if note is None:
                    return False
                written.append(note)
                if plan.path is None or plan.path == plan_path_for(doc.origin or target):
                    plan.path = plan_path_for(target)
            elif doc.modified:
                note = await self._write_agency()
                if note is None:
                    return False
                written.append(note)
            if plan.unsaved:
                if plan.path is None:
                    plan.path = doc.plan_path
                assert plan.path is not None
                await self._write_plan(plan.path)
                written.append(plan.path.name)
        except OSError as exc:
            self.notify(
                f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}",
                title="Not saved",
                severity="error",
                markup=False,
            )
            return False
        finally:
            self._show_plan()
            self._update_title()
        if written:
            self.notify("Saved " + ", ".join(written) + ".", title="Saved", markup=False)
            if not doc.kept_comments:
                self.notify(f"{doc.name} was rewritten in full: its comments could not be kept.", severity="warning")
        else:
            self.notify("Nothing to save.", timeout=3)
        return True

    def _saved_note(self, doc: AgencyDocument) -> str:
        assert doc.path is not None
        return doc.path.name + (" (comments kept)" if doc.kept_comments and doc.source else "")

    async def _ask_save_path(self, title: str, initial: str, note: str = "") -> Path | None:
        target = await self.push_screen_wait(PathScreen(title, initial, note, must_exist=False))
        if target is None:
            return None
        if target.exists():
            choice = await self.push_screen_wait(
                ChoiceScreen(
                    "Replace the file?",
                    f"{target} exists. Replace it?",
                    [("replace", "Replace it", "error"), ("cancel", "Cancel", "default")],
                )
            )
            if choice != "replace":
                return None
        return target

    def action_save_agency_as(self) -> None:
        self._start_flow(self._save_agency_as)

    @work(group="dialog")
    async def _save_agency_as(self) -> None:
        initial = str(self.document.path or (self.document.origin.name if self.document.origin else "agency.toml"))
        target = await self._ask_save_path("Save the agency as", initial)
        if target is None:
            return
        try:
            note = await self._write_agency(target)
        except OSError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            self._update_title()
            return
        if note is None:
            return
        if self.plan_doc.saved is None:
            self.plan_doc.path = plan_path_for(target)
        self._update_title()
        self._show_plan()
        self.notify(f"Saved {note}.", title="Saved", markup=False)

    def action_save_plan_as(self) -> None:
        self._start_flow(self._save_plan_as)

    @work(group="dialog")
    async def _save_plan_as(self) -> None:
        if self.plan_doc.plan is None:
            self.notify("No plan to save yet: solve first (F5).", severity="warning")
            return
        initial = str(self.plan_doc.path or "plan.toml")
        target = await self._ask_save_path("Save the plan as", initial)
        if target is None:
            return
        try:
            await self._write_plan(target)
        except OSError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self._update_title()
        self._show_plan()
        self.notify(f"Saved {target.name}.", title="Saved", markup=False)

    async def _settle_unsaved(self, doing: str) -> bool:
        """Ask what to do with unsaved work before `doing`; False means stay."""
        doc, plan = self.document, self.plan_doc
        if not (doc.modified or plan.unsaved):
            return True
        what = []
        if doc.modified:
            count = len(doc.undo_stack)
            what.append(f"unsaved edits to {doc.name} ({count} edit{'s' if count != 1 else ''})")
        if plan.unsaved:
            what.append("a plan that is not saved")
        choice = await self.push_screen_wait(
            ChoiceScreen(
                "Unsaved work",
                f"You have {' and '.join(what)}. Save before you {doing}?",
                [("save", "Save", "primary"), ("discard", "Don't save", "error"), ("cancel", "Cancel", "default")],
            )
        )
        if choice == "save":
            return await self._save_all()
        if choice == "discard":
            doc.discard_recovery()
            self._drain_recovery_now()
            return True
        return False

    async def action_quit(self) -> None:
        self._start_flow(self._quit_flow)

    @work(group="dialog")
    async def _quit_flow(self) -> None:
        if not await self._settle_unsaved("quit"):
            return
        self._drain_recovery_now()
        if self._stop is not None:
            self._stop.set()
        self.exit(ExitCode.OK)

    def action_open(self) -> None:
        self._start_flow(self._open_flow)

    @work(group="dialog")
    async def _open_flow(self) -> None:
        if self.solving:
            self.notify("A solve is running: cancel it first (Esc).", severity="warning")
            return
        if not await self._settle_unsaved("open another file"):
            return
        here = self.document.path.parent if self.document.path else Path.cwd()
        try:
            initial = str(here.relative_to(Path.cwd())) + "/"
        except ValueError:
            initial = str(here) + "/"
        if initial == "./":
            initial = ""
        path = await self.push_screen_wait(PathScreen("Open an agency or plan file", initial))
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open an agency file (with its plan) or a plan file; problems are shown, not raised."""
        try:
            kind, _ = formats.load(path)
        except formats.LoadError as exc:
            self.notify(
                "\n".join(str(p) for p in exc.problems[:8]),
                title=f"Cannot open {path.name}",
                severity="error",
                timeout=15,
                markup=False,
            )
            return False
        if kind == "plan":
            try:
                self.plan_doc = PlanDocument.open(path)
            except formats.LoadError as exc:  # pragma: no cover - load just succeeded
                self.notify(str(exc), severity="error", markup=False)
                return False
            self._show_plan()
            self._update_title()
            self.main.show_tab("plan")
            self.notify(f"Opened plan {path.name}: the next solve is compared with it.", title="Plan opened")
            return True
        if kind != "agency":
            self.notify(f"{path.name} is a {kind} file; open an agency or a plan.", severity="error")
            return False
        try:
            document = AgencyDocument.open(path, self.document.state_dir)
        except (formats.LoadError, OSError) as exc:
            self.notify(str(exc), title=f"Cannot open {path.name}", severity="error", markup=False)
            return False
        self._set_document(document, open_plan_for(document, self.notify))
        self.main.show_tab("accounts")
        self.notify(f"Opened {path.name}.", title="Opened")
        self._offer_recovery()
        return True


def _plan_words(plan: Plan) -> str:
    """A plan in a few words: 'hybrid, 94,940 EUR'."""
    return f"{plan.structure}, {plan.cost.total:,} {plan.currency}"


def _render_diff(old: Plan, new: Plan, old_name: str, new_name: str) -> Document | Text:
    """What `structplan diff OLD NEW` prints for two plans, as its sections."""
    from structplan import diff as plan_diff

    try:
        return plan_diff.document(plan_diff.diff(old, new, old_name, new_name))
    except Exception as exc:  # the diff is a report: never let it take the editor down
        return Text(f"The diff failed: {type(exc).__name__}: {exc}", style="red")


def _shown(diff: Document | Text) -> Text:
    return diff.text() if isinstance(diff, Document) else diff


def _summary(diff: Document | Text) -> Text | None:
    """The Summary section of a diff (None when the plans do not differ or the diff failed)."""
    section = diff.section("summary") if isinstance(diff, Document) else None
    if section is None:
        return None
    return Text("\n".join(line.plain.strip() for line in section.lines))


def _first_project_fields(refused: EditRefused) -> EditRefused:
    """Point problems of a new account's first project at the form's first-project inputs."""
    moved = []
    for where, message in refused.problems:
        head = f"{refused.record}.projects[0]."
        if refused.record and where.startswith(head):
            where = f"{refused.record}.project_{where[len(head) :]}"
        moved.append((where, message))
    return EditRefused(moved, refused.record)


def open_plan_for(document: AgencyDocument, warn: Callable[..., None] | None = None) -> PlanDocument:
    """The plan document of an agency: its plan file when there is one."""
    path = document.plan_path
    if path is None or not path.is_file():
        return PlanDocument(path=path)
    try:
        plan = PlanDocument.open(path)
    except formats.LoadError as exc:
        if warn is not None:
            warn(
                "\n".join(str(p) for p in exc.problems[:5]),
                title=f"Plan {path.name} not loaded",
                severity="warning",
                markup=False,
            )
        return PlanDocument(path=path)
    plan.agency = None
    return plan


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


def run(args: argparse.Namespace) -> int:
    """`structplan` / `structplan edit [AGENCY]`: run the editor; the exit code."""
    agency = getattr(args, "agency", None)
    if agency is not None:
        problem = _not_an_agency(Path(agency))
        if problem:
            print(problem, file=sys.stderr)
            return ExitCode.BAD
    try:
        app = create_app(agency)
    except formats.LoadError as exc:
        for load_problem in exc.problems:
            print(load_problem, file=sys.stderr)
        print("structplan: fix the file (see `structplan validate`) and open it again", file=sys.stderr)
        return ExitCode.BAD
    result = app.run()
    return result if isinstance(result, int) else ExitCode.OK


def _home(path: Path) -> str:
    """A path as a person writes it: ~ for the home folder."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _not_an_agency(path: Path) -> str:
    """Why `structplan edit PATH` cannot start, in one line ('' when it can)."""
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        return "" if parent.is_dir() else f"{parent}: no such folder to create {path.name} in"
    if path.is_dir():
        return f"{path}: is a folder: name an agency file"
    try:
        kind = formats.detect_kind(formats.read_toml(path))
    except formats.LoadError:
        return ""  # the loader says what is wrong, line by line
    if kind == "plan":
        return (
            f"{path}: is a plan: open the agency it was made for (structplan edit AGENCY, then Ctrl+O "
            f"to compare with this plan), or read it with `structplan show {path}`"
        )
    if kind == "layout":
        return f"{path}: is a layout: structplan edit opens an agency file"
    return ""
