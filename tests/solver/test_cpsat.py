"""One CP-SAT search as large models get it: LNS alone from the hint, the full LP-free
subsolvers without one. The size threshold is lowered so a small sample takes that path."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from structplan import formats
from structplan.data import layout_path
from structplan.solver import cpsat
from structplan.solver.api import SolveOptions
from structplan.solver.build import build
from structplan.solver.cpsat import Watch, run
from structplan.solver.greedy import evaluate, greedy
from structplan.solver.prep import build_problem

ROOT = Path(__file__).resolve().parents[2]
#: Repeatable and bounded by effort alone: no clock, two interleaved workers.
OPTIONS = SolveOptions(time_limit=0, effort=2, workers=2)


@pytest.fixture
def large_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every model counts as large."""
    monkeypatch.setattr(cpsat, "LP_FREE_VARS", 0)


def _separate():
    agency = formats.load_agency(ROOT / "sample_agencies" / "midsize.toml")
    pb = build_problem(agency, formats.load_layout(layout_path("separate")))
    return pb, build(pb)


def test_lns_alone_improves_on_its_hint_and_gives_a_valid_plan(large_path: None) -> None:
    pb, built = _separate()
    hint = greedy(pb)
    assert hint is not None
    built.model.clear_hints()
    watch = Watch("separate", None, None, 0.0)
    case = run(built, pb, OPTIONS, OPTIONS.effort, time.monotonic(), watch, None, hint=hint)
    assert case.status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and case.solution is not None
    assert case.objective == sum(evaluate(pb, case.solution).values())
    assert case.objective < sum(evaluate(pb, hint).values())


def test_without_a_hint_the_full_subsolvers_find_the_first_plan(large_path: None) -> None:
    pb, built = _separate()
    built.model.clear_hints()
    assert not built.model.proto.has_solution_hint()
    case = run(built, pb, OPTIONS, OPTIONS.effort, time.monotonic(), Watch("separate", None, None, 0.0), None)
    assert case.status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and case.solution is not None
    assert case.objective == sum(evaluate(pb, case.solution).values())
