"""The window search of very large agencies (lns.py), and the engine's way to it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fixed import model_cost
from replicas import copies

from structplan import formats
from structplan.data import layout_path
from structplan.solver import engine, lns, parts
from structplan.solver.api import SolveOptions
from structplan.solver.engine import _extend_candidates
from structplan.solver.greedy import evaluate
from structplan.solver.prep import build_problem
from structplan.solver.tidy import in_slot_order

ROOT = Path(__file__).resolve().parents[2]
NO_CLOCK = 10**9  # a deadline that never comes: only the effort ends the search


@pytest.mark.parametrize("structure", ["separate", "merged"])
def test_the_window_search_improves_its_start_with_a_valid_plan_and_repeats(structure: str) -> None:
    pb = build_problem(copies("midsize", 3), formats.load_layout(layout_path(structure)))
    start = engine._hand(pb)
    assert start is not None
    _extend_candidates(pb, start)
    before = sum(evaluate(pb, start).values())

    runs = [lns.improve(pb, start, time.monotonic() + NO_CLOCK, seed=3, effort=0.1) for _ in range(2)]

    plan, _, stopped, spent = runs[0]
    cost = sum(evaluate(pb, plan).values())
    assert stopped == "effort" and spent >= 0.1
    assert cost < before
    # the whole model takes the plan at its own cost, once its hires are numbered as the model
    # opens them (the windows open whichever slots they were given)
    ordered = in_slot_order(pb, plan)
    assert sum(evaluate(pb, ordered).values()) == cost
    assert model_cost(pb, ordered) == cost
    assert runs[1][0] == plan  # bounded by effort alone: the same seed gives the same plan


def test_above_the_window_threshold_the_whole_is_searched_from_the_hand_plan_without_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agency = copies("midsize", 3)
    assert parts.count(agency) > 1
    monkeypatch.setattr(engine, "LARGE", 0)

    def no_parts(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parts were searched")

    monkeypatch.setattr(engine, "_by_parts", no_parts)
    layout = formats.load_layout(layout_path("separate"))
    out = engine.solve_structure(agency, layout, SolveOptions(time_limit=0, effort=0.5, workers=2))

    assert out.solution is not None and out.problem is not None
    assert out.stopped == "effort" and out.deterministic_s >= 0.5
    assert out.objective == sum(evaluate(out.problem, out.solution).values())
    assert out.greedy_objective is not None and out.objective < out.greedy_objective
