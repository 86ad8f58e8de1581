"""A mixed structure is searched in two cases, all accounts split and clarity paid: together
they are the whole model, and the lower bound they give is a bound of the whole."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ortools.sat.python import cp_model

from structplan import formats
from structplan.data import layout_path
from structplan.model import E2E, SPLIT
from structplan.solver.api import SolveOptions
from structplan.solver.build import build
from structplan.solver.cpsat import Watch, clarity_case, run
from structplan.solver.engine import _cheaper, solve_structure
from structplan.solver.greedy import evaluate, greedy
from structplan.solver.prep import build_problem

ROOT = Path(__file__).resolve().parents[2]
HYBRID = formats.load_layout(layout_path("hybrid"))
PROVE = SolveOptions(time_limit=0, effort=0, workers=1)


def _whole_and_cases(name: str):
    agency = formats.load_agency(ROOT / "sample_agencies" / f"{name}.toml")
    pb = build_problem(agency, HYBRID)
    built = build(pb)
    case = clarity_case(built)
    assert case is not None  # hybrid pays clarity once for the agency
    watch = Watch("hybrid", None, None, time.monotonic())
    whole = run(built, pb, PROVE, 0, time.monotonic(), watch, None)
    split = run(built, pb, PROVE, 0, time.monotonic(), watch, None, fix=(case, 0))
    paid = run(built, pb, PROVE, 0, time.monotonic(), watch, None, fix=(case, 1))
    return pb, whole, split, paid


def test_the_two_cases_together_are_the_whole_model() -> None:
    _, whole, split, paid = _whole_and_cases("boutique")
    assert whole.status == split.status == paid.status == cp_model.OPTIMAL
    assert min(split.objective, paid.objective) == whole.objective
    assert split.solution is not None and all(md == SPLIT for md in split.solution.mode.values())
    # clarity is paid in the second case whether or not an account runs end to end
    assert paid.solution is not None
    if not any(md == E2E for md in paid.solution.mode.values()):
        assert paid.objective >= split.objective


def test_the_search_of_a_mixed_structure_proves_what_the_whole_model_proves() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    out = solve_structure(agency, HYBRID, PROVE)
    _, whole, _, _ = _whole_and_cases("boutique")
    assert out.status == "optimal" and out.stopped == "proof"
    assert out.objective == whole.objective and out.bound == out.objective


def test_a_case_cut_below_a_plan_has_no_plan_at_or_above_it() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    pb = build_problem(agency, HYBRID)
    built = build(pb)
    case = clarity_case(built)
    assert case is not None
    watch = Watch("hybrid", None, None, time.monotonic())
    best = run(built, pb, PROVE, 0, time.monotonic(), watch, None)
    # nothing is cheaper than the optimum: the cut case proves it has no plan
    cut = run(built, pb, PROVE, 0, time.monotonic(), watch, None, fix=(case, 1), below=best.objective)
    assert cut.status == cp_model.INFEASIBLE and cut.solution is None
    # one unit above the optimum: the cut case finds the optimum, or the split case holds it
    above = run(built, pb, PROVE, 0, time.monotonic(), watch, None, fix=(case, 1), below=best.objective + 1)
    split = run(built, pb, PROVE, 0, time.monotonic(), watch, None, fix=(case, 0))
    assert (above.solution is not None and above.objective == best.objective) or split.objective == best.objective


def test_a_hint_is_kept_for_the_cut_case_only_when_it_is_cheaper_than_the_cut() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    pb = build_problem(agency, HYBRID)
    hint = greedy(pb, keep_today=False)
    assert hint is not None
    terms = evaluate(pb, hint)
    clarity = build(pb).terms["clarity"][0][1]
    paid = sum(terms.values()) - terms.get("clarity", 0) + clarity
    assert _cheaper(pb, hint, paid + 1, clarity)
    assert not _cheaper(pb, hint, paid, clarity)


def test_a_stop_between_the_cases_gives_no_bound_for_the_case_not_searched() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "midsize.toml")
    stop = threading.Event()
    seen: list[str] = []

    def progress(p) -> None:  # the first plan reported: stop before the second case starts
        seen.append(p.structure)
        stop.set()

    out = solve_structure(agency, HYBRID, SolveOptions(time_limit=0, effort=2, workers=1), progress, stop)
    assert seen and stop.is_set()
    assert out.stopped == "user"
    assert out.solution is not None and out.bound <= out.objective
    assert out.status == "feasible"
