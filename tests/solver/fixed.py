"""The model's own price of a plan: every decision fixed to it."""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from structplan.solver.build import add_hint, build, extend_candidates
from structplan.solver.greedy import Solution
from structplan.solver.prep import Problem


def model_cost(pb: Problem, sol: Solution) -> int | None:
    """The model's objective with every decision fixed to `sol` (None: the model refuses it)."""
    extend_candidates(pb, sol)
    built = build(pb)
    m = built.model
    decisions: list[dict[Any, Any]] = [
        built.mode,
        built.lead,
        built.manage,
        built.self_manage,
        built.mentor,
        built.opened,
    ]
    add_hint(built, pb, sol)
    hint = m.proto.solution_hint
    fixed = dict(zip(hint.vars, (bool(v) for v in hint.values), strict=True))
    for table in decisions:
        for var in table.values():
            m.add(var == fixed[var.index])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 30
    status = solver.solve(m)
    return round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
