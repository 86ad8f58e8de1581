"""Types and entry point of the solver."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

import attrs

from structplan.model import Agency, Layout, Plan


@attrs.frozen
class SolveOptions:
    """How hard and how repeatably to search."""

    time_limit: float = 30.0
    """Seconds per structure; 0 means no limit."""
    seed: int = 0
    """Random seed."""
    workers: int = 1
    """Search workers; 1 gives the same plan every run."""


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


@attrs.frozen
class Outcome:
    """What a solve gives: a plan, or the reasons there is none."""

    plan: Plan | None
    """The best plan found, with the comparison of all structures tried."""
    explanation: tuple[str, ...] = ()
    """When no plan exists: the facts that conflict, one per line."""
    cancelled: bool = False
    """Whether the user stopped the search."""


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
