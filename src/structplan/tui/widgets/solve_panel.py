"""The Solve tab: which structures, how long, and the live progress of the search."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Label,
    ProgressBar,
    Select,
    Static,
)

from structplan.model import STRUCTURES, Plan, StructureResult
from structplan.solver.api import Outcome, Progress, search_rank
from structplan.tui.state import AgencyShown


def money(value: int | None) -> str:
    """An amount with thousands separators ('-' when unknown)."""
    return "-" if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """A share as a percentage ('-' when unknown)."""
    return "-" if value is None else f"{value * 100:.1f}%"


def shown_status(status: str, objective: int, bound: int) -> str:
    """The status to show: a plan is optimal only when its objective meets its bound."""
    return "feasible" if status == "optimal" and objective != bound else status


def result_figures(result: StructureResult, plan: Plan) -> tuple[str, int, int | None, float]:
    """Status, objective, bound and gap of one structure of a solve, all from the plan.

    The chosen structure's figures are the plan's own (`solver`); another structure's bound is
    its objective less its gap (the plan keeps no other bound). The bound the search reported
    last is never shown after the solve: it was taken before the plan was tidied and finished.
    """
    if result.structure == plan.structure:
        info = plan.solver
        return shown_status(info.status, info.objective, info.bound), info.objective, info.bound, info.gap
    if result.status not in ("optimal", "feasible"):
        return result.status, result.objective, None, result.gap
    bound = result.objective if not result.gap else round(result.objective * (1 - result.gap))
    return shown_status(result.status, result.objective, bound), result.objective, bound, result.gap


#: Seconds per structure offered on the Solve tab.
TIME_LIMITS: tuple[float, ...] = (1, 3, 5, 10, 20, 30, 60, 120, 300, 600)


class SolvePanel(Vertical):
    """Structure checkboxes, time limit, solve and cancel, and a row of figures per structure."""

    solving: reactive[bool] = reactive(False)
    """Whether a search is running."""
    agency_shown: reactive[AgencyShown | None] = reactive(None, always_update=True, init=False)
    """The agency as edited: the boxes follow its policy's structures when those change."""

    DEFAULT_TIME_LIMIT = 20.0  # three structures: the 60 s of structplan solve

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._started = 0.0
        self._structures: tuple[str, ...] = ()
        self._current: str | None = None
        self._current_started = 0.0
        self._together: set[str] = set()
        """Structures reported as searched side by side (`Progress.together`)."""
        self._time_limit = self.DEFAULT_TIME_LIMIT
        self._ticker: Timer | None = None
        self._cancelled = False
        self._ticked_from: tuple[str, ...] | None = None

    # ------------------------------------------------------------------ parts, by type

    @property
    def _table(self) -> DataTable[Any]:
        return self.query_one("#progress-table", DataTable)

    @property
    def _bar(self) -> ProgressBar:
        return self.query_one(ProgressBar)

    @property
    def _time_select(self) -> Select[Any]:
        return self.query_one("#time-limit", Select)

    @property
    def _explanation(self) -> Static:
        return self.query_one("#explanation", Static)

    @property
    def _status_line(self) -> Static:
        return self.query_one("#solve-status", Static)

    def _box(self, structure: str) -> Checkbox:
        return self.query_one(f"#structure-{structure}", Checkbox)

    def compose(self) -> ComposeResult:
        yield Label("Structures to solve  [dim](Space ticks; the best one becomes the plan)[/]", classes="table-title")
        with Horizontal(id="structures"):
            for name in STRUCTURES:
                yield Checkbox(name, True, id=f"structure-{name}")
        with Horizontal(id="solve-controls"):
            yield Label("Seconds per structure", id="time-limit-label")
            # A list, not a text input: an input would take the digit keys that switch tabs.
            yield Select(
                [(f"{s:g} s", s) for s in TIME_LIMITS],
                value=self.DEFAULT_TIME_LIMIT,
                allow_blank=False,
                id="time-limit",
                compact=True,
            )
            yield Button("Solve  F5", id="solve", variant="primary", compact=True)
            yield Button("Cancel  Esc", id="cancel", variant="error", compact=True, disabled=True)
        yield Static("Ready. Tick the structures to compare and press F5.", id="solve-status")
        yield ProgressBar(id="solve-progress", show_eta=False)
        yield DataTable(id="progress-table", cursor_type="none", zebra_stripes=True)
        yield Static("", id="explanation")

    def on_mount(self) -> None:
        table = self._table
        for key, label, width in (
            ("structure", "Structure", 10),
            ("status", "Status", 18),
            ("objective", "Objective", 12),
            ("bound", "Bound", 12),
            ("gap", "Gap", 7),
            ("elapsed", "Elapsed", 8),
        ):
            table.add_column(label, key=key, width=width)
        self._bar.display = False

    # ------------------------------------------------------------------ settings

    @property
    def structures(self) -> tuple[str, ...]:
        """The structures ticked, in their usual order."""
        return tuple(s for s in STRUCTURES if self._box(s).value)

    def watch_agency_shown(self, shown: AgencyShown | None) -> None:
        # the policy says which structures to consider: the boxes follow it when it changes,
        # and keep what the user ticked otherwise
        if shown is not None and shown.agency.policy.structures != self._ticked_from:
            self._ticked_from = shown.agency.policy.structures
            self.set_structures(shown.agency.policy.structures)

    def set_structures(self, structures: Sequence[str]) -> None:
        """Tick exactly these structures."""
        for s in STRUCTURES:
            self._box(s).value = s in structures

    @property
    def time_limit(self) -> float | None:
        """Seconds per structure."""
        value = self._time_select.value
        return float(value) if isinstance(value, (int, float)) and value > 0 else None

    def set_time_limit(self, seconds: float) -> None:
        """Choose a time limit (added to the list when it is not there)."""
        select = self._time_select
        if seconds not in TIME_LIMITS:
            select.set_options([(f"{s:g} s", s) for s in sorted({*TIME_LIMITS, seconds})])
        select.value = seconds

    # ------------------------------------------------------------------ progress

    def watch_solving(self, solving: bool) -> None:
        self.query_one("#solve", Button).disabled = solving
        self.query_one("#cancel", Button).disabled = not solving
        for s in STRUCTURES:
            self._box(s).disabled = solving
        self._time_select.disabled = solving

    def start(self, structures: Sequence[str], time_limit: float) -> None:
        """A search begins."""
        # in the order the solver takes them, for "n of m" and the bar
        self._structures = tuple(sorted(structures, key=search_rank))
        self._time_limit = time_limit
        self._started = time.monotonic()
        self._current = None
        self._current_started = 0.0
        self._together = set()
        self._cancelled = False
        self.solving = True
        table = self._table
        table.clear()
        for s in structures:
            table.add_row(s, Text("waiting", style="dim"), "-", "-", "-", "-", key=s)
        bar = self._bar
        bar.display = True
        bar.update(total=len(structures) * time_limit, progress=0)
        self._explanation.update("")
        self._status(f"Solving {', '.join(structures)}...")
        self._ticker = self.set_interval(0.25, self._tick)

    def progress(self, report: Progress) -> None:
        """The search reported figures for one structure."""
        table = self._table
        if report.structure not in self._structures:
            return
        if report.together:  # searched side by side with the others: each is solving till the end
            self._together.add(report.structure)
        elif self._current != report.structure:
            if self._current is not None:
                table.update_cell(self._current, "status", "done")
            self._current = report.structure
            self._current_started = time.monotonic() - report.elapsed
        table.update_cell(report.structure, "status", Text("solving", style="bold"))
        table.update_cell(report.structure, "objective", Text(money(report.objective), justify="right"))
        table.update_cell(report.structure, "bound", Text(money(report.bound), justify="right"))
        table.update_cell(report.structure, "gap", Text(percent(report.gap), justify="right"))
        self._tick()

    def _tick(self) -> None:
        """Every quarter second while solving: the clock, the current structure's time, the bar."""
        if not self.solving:
            return
        now = time.monotonic()
        elapsed = now - self._started
        if self._together:
            going = [s for s in self._structures if s in self._together]
            for s in going:
                self._table.update_cell(s, "elapsed", Text(f"{elapsed:.1f} s", justify="right"))
            where = f"{', '.join(going)} side by side"
            done = elapsed
        elif self._current is not None:
            here = now - self._current_started
            self._table.update_cell(self._current, "elapsed", Text(f"{here:.1f} s", justify="right"))
            index = self._structures.index(self._current)
            where = f"{self._current} ({index + 1} of {len(self._structures)})"
            done = index * self._time_limit + min(here, self._time_limit)
        else:
            where, done = "preparing", min(elapsed, self._time_limit)
        if self._cancelled:
            return
        self._status(f"Solving: {where} · {elapsed:.1f} s · Esc cancels")
        self._bar.update(progress=min(done, len(self._structures) * self._time_limit))

    def cancelling(self) -> None:
        """The user asked to stop; the solver is winding down (the bar pulses until it has)."""
        self._cancelled = True
        self._bar.update(total=None, progress=0)
        self._status("Cancelling: keeping the best plan found so far...")

    def _reset_bar(self) -> None:
        """Hide the progress bar and put it back at the start."""
        bar = self._bar
        bar.update(total=None, progress=0)
        bar.display = False

    def finish(self, outcome: Outcome, elapsed: float) -> None:
        """The search ended."""
        self.solving = False
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self._reset_bar()
        table = self._table
        plan = outcome.plan
        results = {r.structure: r for r in plan.comparison} if plan else {}
        for s in self._structures:
            result = results.get(s)
            if result is not None and plan is not None:
                chosen = s == plan.structure
                style = "bold green" if chosen else ""
                shown, objective, bound, gap = result_figures(result, plan)
                status = f"{shown}{'  <- plan' if chosen else ''}"
                table.update_cell(s, "status", Text(status, style=style))
                table.update_cell(s, "objective", Text(money(objective), justify="right"))
                table.update_cell(s, "bound", Text(money(bound), justify="right"))
                table.update_cell(s, "gap", Text(percent(gap), justify="right"))
            elif outcome.cancelled:
                table.update_cell(s, "status", Text("cancelled", style="yellow"))
            elif plan is None:
                table.update_cell(s, "status", Text("no plan", style="red"))
        self._status(self._summary(outcome, plan, elapsed))
        explanation = self._explanation
        if plan is None and outcome.explanation:
            lines = Text("No plan exists. The facts that conflict:\n", style="bold red")
            for line in outcome.explanation:
                lines.append(f"  - {line}\n", style="red")
            explanation.update(lines)
        else:
            explanation.update("")

    def failed(self, error: str) -> None:
        """The solver raised."""
        self.solving = False
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self._reset_bar()
        self._status(Text(f"The solver failed: {error}", style="bold red"))

    def _summary(self, outcome: Outcome, plan: Plan | None, elapsed: float) -> Text:
        took = f" in {elapsed:.1f} s"
        if plan is None and outcome.cancelled:
            return Text(f"Cancelled{took} before any plan was found.", style="yellow")
        if plan is None:
            return Text(f"No plan{took}: see below. Change the agency and solve again.", style="bold red")
        cost = f"{plan.cost.total:,} {plan.currency}"
        lead = "Cancelled: best plan so far" if outcome.cancelled else "Solved"
        return Text(
            f"{lead}{took}: {plan.structure}, {cost} a year, {len(plan.hires)} hires, "
            f"{len(plan.warnings)} warnings. Press 6 to see the plan.",
            style="yellow" if outcome.cancelled else "green",
        )

    def _status(self, text: str | Text) -> None:
        self._status_line.update(text)
