from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from replicas import copies
from strategies import agencies

from structplan import formats
from structplan.data import layout_path
from structplan.model import Agency
from structplan.solver import SolveOptions
from structplan.solver.bound import local_bound
from structplan.solver.build import build
from structplan.solver.engine import solve_structure
from structplan.solver.prep import build_problem
from structplan.solver.relax import Relaxation, Solving

LAYOUTS = {s: formats.load_layout(layout_path(s)) for s in ("separate", "hybrid", "merged")}


def test_a_model_whose_lp_has_a_whole_optimum_is_bounded_by_that_optimum() -> None:
    """Every kind of constraint the builder writes (exactly one, at most one, implications, a
    bounded sum) read as LP rows: the LP optimum is 9.83 (x = y = 1/2, w = 1/3), rounded up to
    10, the whole-number optimum (x alone)."""
    m = cp_model.CpModel()
    x, y, z, w = (m.new_bool_var(n) for n in "xyzw")
    m.add_exactly_one([x, y, z])
    m.add_at_most_one([y, w])
    m.add_implication(y, w.Not())  # y <= 1 - w
    m.add_implication(z, w)  # z <= w
    m.add(2 * x + 3 * w >= 2)
    m.minimize(3 * x + 2 * y + 5 * z + w + 7)
    solver = cp_model.CpSolver()
    assert solver.solve(m) == cp_model.OPTIMAL
    lp = Relaxation(m).solve()
    assert round(solver.objective_value) == 10
    assert lp == 10


def test_leaving_out_an_enforced_sum_only_lowers_the_bound() -> None:
    """A linear constraint enforced by a literal is not read: the bound is then lower, never wrong."""
    m = cp_model.CpModel()
    x, y = m.new_bool_var("x"), m.new_bool_var("y")
    m.add(x + y >= 1).only_enforce_if(x.Not())
    m.add_bool_or([x, y])
    m.minimize(4 * x + 6 * y)
    assert Relaxation(m).solve() == 4


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agency=agencies(), structure=st.sampled_from(("separate", "hybrid", "merged")), data=st.data())
def test_no_duals_prove_more_than_the_optimum(agency: Agency, structure: str, data: st.DataObject) -> None:
    """Whatever duals are given, what they prove is at most the proven optimum (and GLOP's duals
    prove at most that too): the bound's validity does not rest on GLOP's tolerances."""
    out = solve_structure(agency, LAYOUTS[structure], SolveOptions(time_limit=0, effort=20, seed=0, workers=1))
    if out.problem is None or out.solution is None:
        return
    lp = Relaxation(build(out.problem).model)
    found = lp.solve()
    assert found is not None
    assert found <= out.objective
    if out.status == "optimal":
        duals = data.draw(st.lists(st.floats(-1e5, 1e5), min_size=len(lp.rows), max_size=len(lp.rows)))
        assert lp.certify(duals) <= out.objective
        assert lp.certify([0.0] * len(lp.rows)) <= found


def test_the_lp_counts_the_seniors_the_floor_leaves_out() -> None:
    """Mid-size sample, separate: capacity decides who runs the complex work, which the
    account-by-account floor ignores; the LP keeps it and stays at or below the optimum."""
    agency = copies("midsize", 1)
    out = solve_structure(agency, LAYOUTS["separate"], SolveOptions(time_limit=0, effort=20, workers=2))
    assert out.status == "optimal" and out.problem is not None
    lp = Relaxation(build(out.problem).model).solve()
    assert lp is not None
    assert local_bound(out.problem) < lp <= out.objective


def test_a_search_cut_short_reports_the_lp_bound() -> None:
    """Two copies of the mid-size sample, merged, with almost no effort: not proven, and the
    plan's bound is at least the LP's (and the floor's)."""
    agency = copies("midsize", 2)
    out = solve_structure(agency, LAYOUTS["merged"], SolveOptions(time_limit=0, effort=0.2, seed=0, workers=1))
    assert out.problem is not None and out.solution is not None and out.status == "feasible"
    lp = Relaxation(build(out.problem).model).solve()
    assert lp is not None
    assert out.bound >= max(lp, local_bound(out.problem))
    assert out.bound <= out.objective


def test_the_bound_is_handed_on_once_known() -> None:
    """`then` hands the bound to whoever shows progress; a cancelled LP hands on nothing."""
    model = build(build_problem(copies("boutique", 1), LAYOUTS["merged"])).model
    job = Solving(model).start()
    bound = job.result()
    assert bound is not None and bound > 0
    got: list[int] = []
    job.then(got.append)
    assert got == [bound]
    quiet = Solving(model)
    quiet.cancel()
    assert quiet.start().result() is None
    quiet.then(got.append)
    assert got == [bound]
