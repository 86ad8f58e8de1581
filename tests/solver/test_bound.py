"""The account-by-account lower bound (solver/bound.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replicas import copies
from strategies import agencies

from structplan import formats
from structplan.data import layout_path
from structplan.model import Agency
from structplan.solver import SolveOptions
from structplan.solver.bound import local_bound
from structplan.solver.engine import solve_structure
from structplan.solver.greedy import evaluate, greedy
from structplan.solver.prep import build_problem

LAYOUTS = {s: formats.load_layout(layout_path(s)) for s in ("separate", "hybrid", "merged")}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agency=agencies(), structure=st.sampled_from(("separate", "hybrid", "merged")))
def test_no_plan_costs_less_than_the_bound(agency: Agency, structure: str) -> None:
    """Proven optima of small agencies, and the hand method's plans, are never below it."""
    out = solve_structure(agency, LAYOUTS[structure], SolveOptions(time_limit=0, effort=20, seed=0, workers=1))
    if out.problem is None or out.solution is None:
        return
    bound = local_bound(out.problem)
    assert bound <= out.objective
    if out.status == "optimal":  # the reported bound is at least this one
        assert out.bound >= min(bound, out.objective)
    for hand in (greedy(out.problem), greedy(out.problem, keep_today=True)):
        if hand is not None:
            assert bound <= sum(evaluate(out.problem, hand).values())


def test_a_separate_agency_pays_every_split_and_the_department_head() -> None:
    """In separate every account is split: the bound holds each one's coordination and the head."""
    pb = build_problem(copies("midsize", 1), LAYOUTS["separate"])
    head = pb.layout.costs.department_head_hours * pb.hourly_rate
    assert local_bound(pb) >= pb.coordination_cost * len(pb.accounts) + head


def test_the_bound_grows_with_the_copies() -> None:
    """An agency of k copies needs at least k times what each account of one copy needs alone
    (the structure-wide terms are paid once): the bound of 3 copies is about 3 times one's."""
    for structure, layout in LAYOUTS.items():
        one = local_bound(build_problem(copies("midsize", 1), layout))
        three = local_bound(build_problem(copies("midsize", 3), layout))
        head = layout.costs.department_head_hours * build_problem(copies("midsize", 1), layout).hourly_rate
        assert 3 * one - 2 * head - 3 <= three <= 3 * one, structure


def test_solves_that_stop_early_report_at_least_the_bound() -> None:
    """A hybrid search cut short before its second case has no bound of CP-SAT's own; the
    plan's bound is then this one, not 0."""
    agency = copies("midsize", 1)
    out = solve_structure(agency, LAYOUTS["hybrid"], SolveOptions(time_limit=0, effort=0.05, seed=0, workers=1))
    assert out.problem is not None and out.solution is not None
    assert out.bound >= local_bound(out.problem) > 0


def test_where_no_account_competes_for_people_the_bound_is_the_optimum() -> None:
    """The boutique, separate: its optimum staffs every account as it would alone, so the bound
    meets CP-SAT's proven optimum, and the search stops on the proof."""
    out = solve_structure(copies("boutique", 1), LAYOUTS["separate"], SolveOptions(time_limit=0, effort=20, workers=1))
    assert out.status == "optimal" and out.problem is not None
    assert local_bound(out.problem) == out.objective
