"""A separate plan is a hybrid plan too: hybrid starts from it and never ends above it."""

from __future__ import annotations

from pathlib import Path

import attrs

from structplan import checks, formats
from structplan.data import layout_path
from structplan.solver.api import SolveOptions
from structplan.solver.engine import solve_structure, to_plan
from structplan.solver.greedy import evaluate
from structplan.solver.prep import build_problem
from structplan.solver.transfer import keeps_rules, transfer

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = {s: formats.load_layout(layout_path(s)) for s in ("separate", "hybrid", "merged")}
OPTIONS = SolveOptions(time_limit=0, effort=1, workers=1)


def test_a_separate_staffing_keeps_the_hybrid_rules_at_the_same_cost() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    sep = solve_structure(agency, LAYOUTS["separate"], OPTIONS)
    assert sep.solution is not None and sep.problem is not None
    hybrid = build_problem(agency, LAYOUTS["hybrid"])
    moved = transfer(hybrid, sep.problem, sep.solution)
    assert moved is not None and keeps_rules(hybrid, moved)
    assert sum(evaluate(hybrid, moved).values()) == sep.objective
    # merged has other roles: a separate staffing is no merged staffing
    assert transfer(build_problem(agency, LAYOUTS["merged"]), sep.problem, sep.solution) is None


def test_a_staffing_that_breaks_a_rule_is_not_taken() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    sep = solve_structure(agency, LAYOUTS["separate"], OPTIONS)
    assert sep.solution is not None and sep.problem is not None
    pb = sep.problem
    tier1 = next(a for a in pb.accounts if a.account.tier == 1)
    junior = next(u.index for u in pb.units if not u.is_hire and u.level == 1)
    broken = attrs.evolve(sep.solution, lead={**sep.solution.lead, tier1.index: junior})
    assert not keeps_rules(pb, broken)
    assert transfer(build_problem(agency, LAYOUTS["hybrid"]), pb, broken) is None


def test_hybrid_started_from_separate_is_never_above_it_and_holds_every_rule() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "midsize.toml")
    sep = solve_structure(agency, LAYOUTS["separate"], OPTIONS)
    # a budget too small for hybrid's own search to reach separate's figure from its hand plans
    starved = SolveOptions(time_limit=0, effort=0.05, workers=1)
    alone = solve_structure(agency, LAYOUTS["hybrid"], starved)
    started = solve_structure(agency, LAYOUTS["hybrid"], starved, earlier=[sep])
    assert started.objective <= sep.objective < alone.objective
    plan = to_plan(agency, started, starved)
    assert checks.violations(plan, agency, LAYOUTS["hybrid"]) == []
