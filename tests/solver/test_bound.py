"""The account-by-account lower bound (solver/bound.py)."""

from __future__ import annotations

import attrs
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replicas import copies
from strategies import agencies

from structplan import formats
from structplan.data import layout_path
from structplan.model import Account, Agency, Person, Pin, Policy, Project, Settings
from structplan.solver import SolveOptions
from structplan.solver.bound import Priced, local_bound, priced_bound
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


def test_end_to_end_accounts_pay_their_share_of_a_mentor_and_no_more() -> None:
    """The mid-size sample in hybrid with every account that may run end to end pinned to it:
    each such account needs at least 1/cap of a PMO mentor (cap: accounts one lead may run end
    to end), so the bound holds that share, and stays at or below the optimum CP-SAT proves
    (a share counted several times over would put it above: 5 times gives 150,726 > 148,998)."""
    agency = copies("midsize", 1)
    layout = LAYOUTS["hybrid"]
    e2e = [a.id for a in agency.accounts if layout.end_to_end_allowed(a)]
    pins = (*(p for p in agency.policy.pins if p.account not in e2e), *(Pin(a, mode="end_to_end") for a in e2e))
    agency = attrs.evolve(agency, policy=attrs.evolve(agency.policy, pins=pins))
    out = solve_structure(agency, layout, SolveOptions(time_limit=0, effort=3, seed=0, workers=1))
    assert out.status == "optimal" and out.problem is not None
    pb = out.problem
    share = layout.mentoring.hours_per_mentee * pb.hourly_rate * len(e2e) / layout.end_to_end.max_accounts_per_lead
    must = share + pb.coordination_cost * (len(pb.accounts) - len(e2e))  # the others stay split
    assert must <= local_bound(pb) <= out.objective


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agency=agencies(), structure=st.sampled_from(("separate", "hybrid", "merged")), data=st.data())
def test_no_prices_on_people_s_hours_lift_the_bound_above_a_plan(agency: Agency, structure: str, data) -> None:
    """Whatever each hour of each person is priced at, and whatever share of a mentee's cost
    each end-to-end lead choice pays, the priced floor stays at or below every
    plan (proven optima of small agencies), and the searched prices give at least the floor."""
    out = solve_structure(agency, LAYOUTS[structure], SolveOptions(time_limit=0, effort=20, seed=0, workers=1))
    if out.problem is None or out.solution is None:
        return
    pb = out.problem
    priced = Priced(pb)
    prices = data.draw(st.lists(st.floats(0, 50), min_size=len(pb.units), max_size=len(pb.units)))
    assert priced.value(np.array(prices, dtype=float))[0] <= out.objective + 1e-6
    # and whatever share of a mentee's cost each end-to-end lead choice pays
    n = len(priced.units)
    shares = data.draw(st.lists(st.floats(0, 5 * priced.mentee), min_size=n, max_size=n))
    assert priced.value(np.array(prices, dtype=float), share=np.array(shares))[0] <= out.objective + 1e-6
    # stepping towards a figure well above the plan, so that only validity keeps it below
    found = priced_bound(pb, 2 * out.objective + 1000)
    assert local_bound(pb) <= found <= out.objective


def test_pricing_hours_counts_the_seniors_the_floor_leaves_out() -> None:
    """The large sample, separate: complex work wants the few most senior people, whom the floor
    gives every account at once; priced, their hours run out (floor 666,700, priced about
    743,000, below the best plan known, 782,877)."""
    pb = build_problem(copies("large", 1), LAYOUTS["separate"])
    floor = local_bound(pb)
    priced = priced_bound(pb, 782_877)
    assert floor * 1.08 < priced <= 782_877


def test_the_priced_floor_stays_below_proven_optima_where_capacity_binds() -> None:
    """The mid-size sample, each structure proven optimal: stepped towards twice the optimum,
    the priced floor still ends at or below it, and above the floor in separate and hybrid; so
    does the floor at any flat prices."""
    for structure, layout in LAYOUTS.items():
        out = solve_structure(copies("midsize", 1), layout, SolveOptions(time_limit=0, effort=30, workers=2))
        assert out.status == "optimal" and out.problem is not None, structure
        found = priced_bound(out.problem, 2 * out.objective)
        assert found <= out.objective, structure
        # where the floor's choices overload people, their price lifts it (merged: they do not)
        assert found > local_bound(out.problem) or structure == "merged", structure
        # the same price on every hour, on every end-to-end account led beyond the first few and
        # beyond the most one may lead, on every lead choice's share of a mentee, at any size:
        # what comes back must match what a plan keeping every limit is charged (pay back less
        # and a high price lifts it above)
        priced = Priced(out.problem)
        n = len(out.problem.units)
        for hour in (0.0, 10.0, 100.0, 1000.0):
            for support in (0.0, priced.support):
                for over_cap in (0.0, 1e4, 1e6):
                    total, _, _ = priced.value(np.full(n, hour), np.full(n, support), np.full(n, over_cap))
                    assert total <= out.objective, (structure, hour, support, over_cap)
            # and each end-to-end lead choice paying any share of a mentee's cost
            for share in (1.0, 3.0, 100.0):
                total, _, _ = priced.value(np.full(n, hour), share=np.full(len(priced.units), share * priced.mentee))
                assert total <= out.objective, (structure, hour, share)


def test_pricing_end_to_end_accounts_pays_back_exactly_the_first_few_and_the_most_one_may_lead() -> None:
    """One client-service person leads four small accounts end to end: junior support is due for
    the two beyond the first two, and that is the optimum. Priced at what that support costs,
    the accounts prove exactly it; priced for going beyond the most one may lead (six), at any
    height, they prove no more (pay back less for the first few, or for that most, and they would)."""
    people = (
        Person("cs1", "Casey Lund", "client_service", 3, 80_000, 1.0, ()),
        Person("js1", "Jo Park", "junior_support", 1, 40_000, 1.0, ()),
    )
    accounts = tuple(
        Account(f"a{i}", f"Client {i}", 100_000, 3, "cs1", (Project(f"p{i}", f"Project {i}", 1, ""),)) for i in range(4)
    )
    agency = formats.canonical(Agency(Settings("Solo"), people, accounts, (), Policy()))
    out = solve_structure(agency, LAYOUTS["merged"], SolveOptions(time_limit=0, effort=5, workers=1))
    assert out.status == "optimal" and out.problem is not None
    priced = Priced(out.problem)
    assert out.terms["junior_support"] == 2 * priced.support == out.objective
    n = len(out.problem.units)
    none = np.zeros(n)
    assert priced.value(none, np.full(n, priced.support), none)[0] == out.objective
    for height in (1e3, 1e5, 1e7):
        assert priced.value(none, none, np.full(n, height))[0] <= out.objective


def test_pricing_hours_proves_the_overload_past_a_person_s_target() -> None:
    """One client-service person runs fourteen small projects of one account end to end: 1,320
    hours against a target of 1,280 and a limit of 1,440, so the 40 hours past the target are
    paid as overload, and nothing else but the imbalance. Priced at what an overload hour costs,
    the hours prove exactly that overload (pay back the price times the limit, as if hours up to
    it were free, and the bound falls below zero); the searched prices prove it too."""
    person = Person("cs1", "Casey Lund", "client_service", 3, 80_000, 1.0, ())
    projects = tuple(Project(f"p{j}", f"Project {j}", 1, "") for j in range(14))
    account = Account("a0", "Client 0", 100_000, 3, "cs1", projects)
    agency = formats.canonical(Agency(Settings("Solo"), (person,), (account,), (), Policy()))
    out = solve_structure(agency, LAYOUTS["merged"], SolveOptions(time_limit=0, effort=5, workers=1))
    assert out.status == "optimal" and out.problem is not None and out.terms is not None
    (unit,) = out.problem.units
    assert out.solution is not None and out.solution.hours(out.problem)[0] > unit.target
    overload = out.terms["overload"]
    assert overload > 0 and out.objective == overload + out.terms["imbalance"]
    priced = Priced(out.problem)
    assert priced.value(np.array([priced.overload]))[0] == overload
    assert overload <= priced_bound(out.problem, out.objective) <= out.objective


def test_sharing_out_the_mentees_cost_proves_a_mentee_leading_few_accounts_pays_it_whole() -> None:
    """One account manager runs two small accounts end to end (pinned), mentored by the one PMO
    manager: the optimum pays one mentee's cost and the clarity, nothing else. The 1/cap share
    per account proves two thirds of the mentee; each lead choice paying the whole cost proves
    all of it and not twice (what a person's shares could add up to beyond one mentee is paid
    back), at any height of the shares, and the search finds it."""
    people = (
        Person("am1", "Casey Lund", "am", 3, 80_000, 1.0, ()),
        Person("pmo1", "Jo Park", "pmo", 4, 90_000, 1.0, ()),
    )
    accounts = tuple(
        Account(f"a{i}", f"Client {i}", 100_000, 3, "am1", (Project(f"p{i}", f"Project {i}", 1, ""),)) for i in range(2)
    )
    policy = Policy(pins=tuple(Pin(a.id, mode="end_to_end") for a in accounts))
    agency = formats.canonical(Agency(Settings("Solo"), people, accounts, (), policy))
    out = solve_structure(agency, LAYOUTS["hybrid"], SolveOptions(time_limit=0, effort=5, workers=1))
    assert out.status == "optimal" and out.problem is not None and out.terms is not None
    priced = Priced(out.problem)
    mentee = out.terms["mentoring"]
    assert mentee == priced.mentee > 0 and out.objective == mentee + out.terms["clarity"]
    assert local_bound(out.problem) == out.objective - round(mentee / 3)
    none = np.zeros(len(out.problem.units))
    whole = np.where(priced.ends, priced.mentee, 0.0)
    for height in (1.0, 2.0, 100.0):
        assert priced.value(none, share=height * whole)[0] == out.objective
    assert priced_bound(out.problem, 2 * out.objective) == out.objective
