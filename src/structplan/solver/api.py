"""Types and entry point of the solver."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

import attrs

from structplan.model import Agency, Layout, Plan, Structure

#: The order structures are searched in: hybrid last, as it searches two cases and starts from
#: separate's plan, so it takes what the others leave of the clock.
SEARCH_ORDER: tuple[Structure, ...] = ("separate", "merged", "hybrid")


def rank(order: Sequence[str], structure: str) -> int:
    """Where `structure` comes in `order` (one of a layout of its own: last)."""
    return order.index(structure) if structure in order else len(order)


def search_rank(structure: str) -> int:
    """Where `structure` comes in `SEARCH_ORDER`."""
    return rank(SEARCH_ORDER, structure)


@attrs.frozen
class SolveOptions:
    """How hard and how repeatably to search."""

    time_limit: float = 60.0
    """Wall-clock seconds for the whole solve, every structure together (0: no limit). A safety
    cap: a search that the clock stops before its `effort` may differ on a rerun, and says so."""
    effort: float = 8.0
    """CP-SAT deterministic seconds per structure, where a repeatable search ends (0: none, only
    the clock). Deterministic time counts work, not seconds: the same on an idle or busy machine."""
    seed: int = 0
    """Random seed."""
    workers: int = 2
    """Search workers. They interleave deterministically, so any count repeats its plan; the
    count itself changes the search (and may change the plan)."""
    spent: float = 0.0
    """Seconds of `time_limit` the caller has used or keeps for itself (the command: reading the
    input and writing the plan); the search gets the rest. Not part of the plan."""


@attrs.frozen
class Progress:
    """A report from the running search (sent from the solver's thread)."""

    structure: str
    """Structure being solved."""
    objective: int | None
    """Best objective so far."""
    bound: int | None
    """Best proven bound so far."""
    gap: float | None
    """Relative gap so far."""
    elapsed: float
    """Seconds since this structure started."""
    together: bool = False
    """Whether this structure is searched side by side with the others, so that their reports
    interleave (the window search of a big agency: engine.solve_agency), rather than in turn."""


@attrs.frozen
class Outcome:
    """What a solve gives: a plan, or the reasons there is none."""

    plan: Plan | None
    """The best plan found, with the comparison of all structures tried."""
    explanation: tuple[str, ...] = ()
    """When no plan exists: the facts that conflict, one per line."""
    cancelled: bool = False
    """Whether the user stopped the search."""
    statuses: tuple[tuple[str, str], ...] = ()
    """Each structure of the run with its status (optimal, feasible, infeasible, unknown or
    not_tried), in the order of `structplan.model.STRUCTURES`."""


def solve(
    agency: Agency,
    structures: Sequence[str] | None = None,
    layouts: Mapping[str, Layout] | None = None,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Outcome:
    """Solve each structure (default: those the agency's policy allows) and keep the best.

    `layouts` maps structure name to layout (default: the bundled layouts). `on_progress` is
    called from the solving thread; `stop` set from any thread ends the search early and the
    best plan so far is returned.
    """
    from structplan.solver.engine import solve_agency

    return solve_agency(agency, structures, layouts, options, on_progress, stop)
