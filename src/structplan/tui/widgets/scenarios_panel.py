"""The Scenarios tab: the what-if scenarios of the agency, solved side by side in the background.

The scenarios live next to the agency file in X.scenarios.toml (scenario_edit.py); each is
added, edited and deleted in a form with the loader's checks and written to that file at once.
`r` solves the agency as edited and every scenario in worker processes (scenario_run.py, the
same solves as `structplan scenarios`), with each row's progress; Esc stops the run. The
comparison fills the table as the solves end, with a chart of cost and headcount; Enter on a
solved row shows its plan in the plan views.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

import attrs
import tomlkit
from rich.bar import Bar
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import DataTable, Label, Static

from structplan import scenario_edit
from structplan.formats import LoadError
from structplan.model import Agency, Plan
from structplan.scenario import BASE
from structplan.scenario_report import change_text, status_text
from structplan.scenario_run import (
    Comparison,
    Row,
    Solved,
    compare,
    default_jobs,
    jobs_of,
    local_executor,
    run_jobs,
    stop_executor,
)
from structplan.solver.api import SolveOptions
from structplan.tui.editing import EditRefused, Field
from structplan.tui.screens.form import RecordForm
from structplan.tui.state import AgencyShown
from structplan.tui.widgets.row_table import RowTable

#: Makes the executor a run goes through, given the number of parallel solves.
ExecutorFactory = Callable[[int], AbstractContextManager[Executor]]

FIELDS = (
    Field("id", "Id", help="stable identifier: the scenario's plan is written to <id>.plan.toml"),
    Field("name", "Name", optional=True, help="what the scenario is, in a few words"),
    Field("description", "Description", optional=True, help="why it is asked"),
    Field(
        "changes",
        "Changes (TOML)",
        "toml",
        help="leave, leave_by_role, join, lose, win, scale, hiring, hiring_max, freeze_hiring, policy, "
        "structure, layout: docs/scenarios.md. Ctrl+S saves.",
    ),
)

COLUMNS = (
    ("scenario", "Scenario"),
    ("status", "Status"),
    ("structure", "Structure"),
    ("cost", "Cost"),
    ("change", "vs base"),
    ("hires", "Hires"),
    ("surplus", "Surplus"),
    ("leads", "Leads moved"),
    ("warnings", "Warn."),
)


@attrs.frozen
class RunState:
    """A run of the scenarios: what is solved so far."""

    results: dict[str, Solved] = attrs.field(factory=dict)
    total: int = 0
    running: bool = False
    cancelled: bool = False
    started: float = 0.0


class ScenariosPanel(Vertical):
    """The scenarios of the agency: a table, a chart and the form flows that edit the file."""

    agency_shown: reactive[AgencyShown | None] = reactive(None, always_update=True, init=False)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_scenario", "Add"),
        Binding("e", "edit_scenario", "Edit"),
        Binding("d,delete", "delete_scenario", "Delete"),
        Binding("r", "run_scenarios", "Run all"),
        Binding("escape", "stop_scenarios", "Stop run"),
    ]

    class PlanChosen(Message):
        """The user wants to see a scenario's plan in the plan views."""

        def __init__(self, scenario: str, plan: Plan, agency: Agency) -> None:
            super().__init__()
            self.scenario = scenario
            self.plan = plan
            self.agency = agency

    state: reactive[RunState] = reactive(RunState, always_update=True, init=False)
    """The current or last run."""

    def __init__(self, executor: ExecutorFactory = local_executor, options: SolveOptions | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.executor_factory = executor
        self.options = options or SolveOptions()
        self.book: scenario_edit.ScenarioBook | None = None
        self.agency: Agency | None = None
        self.agency_path: Path | None = None
        self.read_only = False
        """Whether the agency is the bundled sample: its scenarios run but are not edited."""
        self.problem: str = ""
        """Why the scenario file cannot be shown (one line), or ""."""
        self._executor: Executor | None = None
        self._stop: Future[None] | None = None
        self._ticker: Timer | None = None
        self._lock = threading.Lock()
        self._comparison: Comparison | None = None
        self._agencies: dict[str, Agency] = {}
        self._jobs = 1
        """Solves a run has at once."""

    def compose(self) -> ComposeResult:
        yield Label("Scenarios", id="scenarios-title", classes="table-title")
        yield Static("", id="scenarios-status")
        table = RowTable(id="scenarios-table", squeeze="scenario", squeeze_min=12)
        yield table
        with VerticalScroll(id="scenario-charts"):
            yield Static(id="scenario-chart")

    def on_mount(self) -> None:
        table = self.query_one("#scenarios-table", DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        if self.agency is not None:  # shown before its table had columns
            self._fill()

    # ------------------------------------------------------------------ showing

    def watch_agency_shown(self, shown: AgencyShown | None) -> None:
        if shown is not None:
            self.show(shown.agency, shown.path, shown.read_only)

    def show(self, agency: Agency, path: Path | None, read_only: bool = False) -> None:
        """The agency as edited and its file. The table shows the scenario file and the last
        run, not the agency, so it is read and drawn again only when the file's place changes
        (an edit of the agency only changes what the next run and the next form check use)."""
        self.agency = agency
        self.read_only = read_only
        if path != self.agency_path or (self.book is None and not self.problem):
            self.agency_path = path
            self._open_book()
            if self.table.columns:
                self._fill()

    def _open_book(self) -> None:
        self.book, self.problem = None, ""
        if self.agency_path is None:
            self.problem = "Save the agency to a file first: its scenarios are kept next to it."
            return
        target = scenario_edit.path_for(self.agency_path)
        try:
            self.book = scenario_edit.ScenarioBook.open(
                target, self.agency_path, self.agency.agency.name if self.agency else ""
            )
            self.book.scenarios()
        except LoadError as exc:
            self.book = None
            self.problem = f"{exc.problems[0]}" + (
                f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            )

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#scenarios-table", DataTable)

    def current_id(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        row = min(max(table.cursor_row, 0), table.row_count - 1)
        return str(table.ordered_rows[row].key.value)

    def _rows(self) -> list[tuple[str, str]]:
        """(id, title) of the base and every scenario of the file, in file order."""
        out = [(BASE, "base agency (as edited)")]
        if self.book is not None:
            out += [(s.id, s.title) for s in self.book.scenarios()]
        return out

    def _fill(self) -> None:
        title = self.query_one("#scenarios-title", Label)
        status = self.query_one("#scenarios-status", Static)
        table = self.table
        keep = self.current_id()
        table.clear()
        if self.book is None:
            title.update("Scenarios")
            status.update(Text(self.problem, style="bold red" if self.agency_path else ""))
            return
        name = self.book.path.name + (
            " (bundled sample: runs, not edited)"
            if self.read_only
            else ""
            if self.book.exists
            else " (new: written on the first change)"
        )
        title.update(Text.assemble(f"Scenarios of {name}  ", ("a add · e edit · d delete · r run · Enter plan", "dim")))
        rows = {r.id: r for r in self._comparison.rows} if self._comparison is not None else {}
        state = self.state if self.is_mounted else RunState()
        base_cost = rows[BASE].cost if BASE in rows else None
        listed = self._rows()
        # the solves run in file order, `jobs` at a time: the first ones not done are under way
        pending = [sid for sid, _ in listed if sid not in state.results]
        solving = set(pending[: self._jobs]) if state.running else set()
        for sid, label in listed:
            row = rows.get(sid)
            cells = self._cells(sid, label, row, state, base_cost, sid in solving)
            table.add_row(*cells, key=sid)
        ids = [sid for sid, _ in listed]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        status.update(self._status_line(state))
        self._chart()

    def _cells(
        self, sid: str, label: str, row: Row | None, state: RunState, base_cost: int | None, solving: bool
    ) -> list[Any]:
        """The row of one scenario: its name and status first, so both show at 80 columns."""
        empty = ["-", "", "", "", "", "", ""]
        if row is None or row.status == "not run":
            if state.running and sid not in state.results:
                waiting = "solving" if solving else "waiting"
                return [Text(label), Text(waiting, style="bold" if waiting == "solving" else "dim"), *empty]
            what = "not run" if state.cancelled and state.total else "-"
            return [Text(label), Text(what, style="dim"), *empty]
        if not row.structure:
            why = row.explanation[0] if row.explanation else row.status
            return [Text(label), Text(f"{row.status}: {why}", style="red"), *empty]
        return [
            Text(label),
            status_text(row),
            row.structure,
            Text(f"{row.cost:,}" if row.cost is not None else "-", justify="right"),
            Text(change_text(row, base_cost), justify="right"),
            ", ".join(f"{role} {n}" for role, n in row.hires) or "-",
            Text(str(row.surplus), justify="right"),
            Text("-" if row.leads_changed is None else str(row.leads_changed), justify="right"),
            Text(str(row.warnings), justify="right"),
        ]

    def _status_line(self, state: RunState) -> Text:
        if state.running:
            return Text.assemble(
                (f"Solving: {len(state.results)} of {state.total} done", "bold"),
                f"  ({time.monotonic() - state.started:.0f} s)  ",
                ("Esc stops the run", "dim"),
            )
        if state.cancelled:
            return Text(f"Stopped: {len(state.results)} of {state.total} solved; r runs them all again.")
        if state.total:
            return Text(f"Solved {state.total} of {state.total}. The base is the agency as edited, not as saved.")
        return Text("r solves the agency as edited and every scenario (effort 8 each, repeatable).", style="dim")

    def _chart(self) -> None:
        """Cost and headcount of each solved scenario as bars (rich's Bar), the base first."""
        comparison = self._comparison
        solved = [r for r in comparison.rows if r.cost is not None] if comparison is not None else []
        chart = self.query_one("#scenario-chart", Static)
        if comparison is None or not solved:
            chart.update(Text("The chart of cost and headcount per scenario fills in as the solves end.", style="dim"))
            return
        plans = dict(comparison.plans)
        heads = {r.id: sum(s.on_staff + s.hired for s in plans[r.id].staffing) for r in solved}
        top_cost = max(r.cost or 0 for r in solved) or 1
        top_heads = max(heads.values()) or 1
        width = max(8, (self.size.width - 40) // 2)
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
        table.add_column("", no_wrap=True, overflow="ellipsis", max_width=18)
        table.add_column(f"Cost, thousand {comparison.currency}", no_wrap=True)
        table.add_column("", justify="right", no_wrap=True)
        table.add_column("Headcount: on staff + hires", no_wrap=True)
        table.add_column("", justify="right", no_wrap=True)
        for r in solved:
            cost = r.cost or 0
            table.add_row(
                Text(r.id),
                Bar(top_cost, 0, cost, width=width, color="magenta"),
                f"{round(cost / 1000):,}",
                Bar(top_heads, 0, heads[r.id], width=width, color="cyan"),
                str(heads[r.id]),
            )
        chart.update(table)

    def watch_state(self, state: RunState) -> None:
        if self.book is not None or state.total:
            self._fill()
        if state.running and self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)
        elif not state.running and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _tick(self) -> None:
        """The seconds a run has taken, once a second (nothing else changes meanwhile)."""
        self.query_one("#scenarios-status", Static).update(self._status_line(self.state))

    # ------------------------------------------------------------------ editing

    def _form(self, title: str, values: dict[str, str], replace: str | None) -> None:
        book, agency = self.book, self.agency
        if book is None or agency is None:
            self.notify(self.problem or "No scenario file", severity="warning")
            return
        if self.read_only:
            self.notify(
                "This is the bundled sample: save the agency to a file first (Ctrl+S); its scenarios go next to it.",
                severity="warning",
                markup=False,
            )
            return
        at = book.index(replace) if replace is not None else None
        record = f"scenarios[{at if at is not None else len(book.ids())}]"

        def submit(raw: dict[str, Any]) -> EditRefused | None:
            try:
                data = scenario_edit.from_form(raw, record, str(book.path))
                scenario_edit.check(book, agency, data, replace)
            except LoadError as exc:
                return EditRefused([(p.where, p.message) for p in exc.problems], record)
            book.put(data, replace)
            try:
                book.save()
            except OSError as exc:
                book.delete(str(data.get("id")))
                return EditRefused([("", f"cannot write {book.path}: {exc.strerror or exc}")], record)
            self._comparison = None
            self.state = RunState()
            self.notify(f"Saved {book.path.name}", title="Scenario " + ("changed" if replace else "added"))
            return None

        self.app.push_screen(RecordForm(title, FIELDS, values, submit))

    def action_add_scenario(self) -> None:
        if self.state.running:
            self.notify("Stop the run first (Esc)", severity="warning")
            return
        self._form("New scenario", {"id": "", "name": "", "description": "", "changes": ""}, None)

    def action_edit_scenario(self) -> None:
        sid = self.current_id()
        if sid in (None, BASE) or self.book is None:
            return
        if self.state.running:
            self.notify("Stop the run first (Esc)", severity="warning")
            return
        data = next(d for d in self.book.raw() if d.get("id") == sid)
        values = {k: str(data.get(k, "")) for k in scenario_edit.HEAD}
        values["changes"] = scenario_edit.changes_text(data)
        self._form(f"Scenario {sid}", values, sid)

    @work(group="scenario-dialog")
    async def action_delete_scenario(self) -> None:
        from structplan.tui.screens.dialogs import ChoiceScreen

        sid = self.current_id()
        book = self.book
        if sid in (None, BASE) or book is None or self.state.running:
            return
        if self.read_only:
            self.notify("This is the bundled sample: save the agency to a file first (Ctrl+S).", severity="warning")
            return
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "Delete scenario",
                f"Delete scenario {sid} from {book.path.name}? The file is written at once.",
                [("keep", "Keep", "default"), ("delete", "Delete", "error")],
            )
        )
        if answer != "delete":
            return
        before = book.text()
        book.delete(sid)
        try:
            book.save()
        except OSError as exc:
            book.doc = tomlkit.parse(before)
            self.notify(f"cannot write {book.path}: {exc.strerror or exc}", severity="error")
            return
        self._comparison = None
        self.state = RunState()

    # ------------------------------------------------------------------ running

    def action_run_scenarios(self) -> None:
        if self.state.running or self.book is None or self.agency is None or self.agency_path is None:
            return
        try:
            loaded = scenario_edit.loaded(self.book, self.agency, self.agency_path)
        except LoadError as exc:
            self.notify(
                "\n".join(str(p) for p in exc.problems[:5]), title="Scenarios refused", severity="error", markup=False
            )
            return
        jobs = jobs_of(loaded, self.options)
        self._agencies = {j.id: j.agency for j in jobs}
        self._comparison = None
        self._jobs = default_jobs(self.options.workers)
        self.state = RunState(total=len(jobs), running=True, started=time.monotonic())
        self._stop = Future()
        self._run(loaded, jobs, self._stop)

    @work(thread=True, exclusive=True, group="scenarios")
    def _run(self, loaded: Any, jobs: list[Any], stop: Future[None]) -> None:
        results: dict[str, Solved] = {}

        def done(result: Solved, _n: int, _total: int) -> None:
            results[result.id] = result
            comparison = compare(loaded, dict(results))
            self.app.call_from_thread(self._progress, comparison, dict(results))

        try:
            with self.executor_factory(self._jobs) as executor:
                with self._lock:
                    self._executor = executor
                run_jobs(jobs, executor, done, stop)
        except Exception as exc:  # the workers could not be started: say so, keep the editor
            self.app.call_from_thread(
                self.notify, f"{type(exc).__name__}: {exc}", title="Scenarios not run", severity="error", markup=False
            )
        finally:
            with self._lock:
                self._executor = None
            self.app.call_from_thread(self._finished)

    def _progress(self, comparison: Comparison, results: dict[str, Solved]) -> None:
        if self.state.cancelled:
            results = {k: v for k, v in results.items() if not v.failed}
            comparison = attrs.evolve(
                comparison,
                rows=tuple(r if r.id in results else Row(r.id, r.name, status="not run") for r in comparison.rows),
            )
        self._comparison = comparison
        self.state = attrs.evolve(self.state, results=results)

    def _finished(self) -> None:
        self.state = attrs.evolve(self.state, running=False)

    def action_stop_scenarios(self) -> None:
        if not self.state.running:
            return
        self.state = attrs.evolve(self.state, cancelled=True)
        if self._stop is not None and not self._stop.done():
            self._stop.set_result(None)
        with self._lock:
            if self._executor is not None:
                stop_executor(self._executor)

    @on(DataTable.RowSelected, "#scenarios-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        sid = str(event.row_key.value)
        plans = dict(self._comparison.plans) if self._comparison is not None else {}
        if sid in plans and sid in self._agencies:
            self.post_message(self.PlanChosen(sid, plans[sid], self._agencies[sid]))
        elif sid != BASE:
            self.action_edit_scenario()

    @property
    def comparison(self) -> Comparison | None:
        """The comparison of the last run (complete or not), None before one."""
        return self._comparison
