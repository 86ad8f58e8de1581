"""The bound of each case of a mixed structure against the bound of the one model.

    python bench/case_bench.py                       # large sample, hybrid, 60 s per model
    python bench/case_bench.py sample_agencies/midsize.toml --seconds 20

Builds the structure's model from the hand method's plan (as the search does), then solves it
with 2 workers four times: as one model, with clarity not paid (every account split), with
clarity paid, and with clarity paid cut below the best plan of the first three (as the upper
end of the objective's domain, as solver/engine.py does). Prints each status, plan and bound.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ortools.sat.python import cp_model

from structplan import formats
from structplan.data import layout_path
from structplan.solver.build import add_hint, build
from structplan.solver.engine import _case, _cut_below, _extend_candidates
from structplan.solver.greedy import evaluate, greedy
from structplan.solver.prep import build_problem

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("agency", nargs="?", default=str(ROOT / "sample_agencies" / "large.toml"))
    ap.add_argument("--structure", default="hybrid")
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    pb = build_problem(formats.load_agency(args.agency), formats.load_layout(layout_path(args.structure)))
    hint = greedy(pb, keep_today=True) or greedy(pb, keep_today=True, gather=False)
    assert hint is not None, "the hand method found no plan"
    print(f"{args.agency}, {args.structure}: hand plan {sum(evaluate(pb, hint).values()):,}")
    _extend_candidates(pb, hint)
    best: int | None = None
    for name in ("one model", "all split", "clarity paid", "clarity paid, cut"):
        built = build(pb)
        add_hint(built, pb, hint)
        case = _case(built)
        if case is None:
            print("no clarity term: nothing to split on")
            return 1
        model = built.model
        if name != "one model":
            model.add(case == (0 if name == "all split" else 1))
        if name.endswith("cut"):
            assert best is not None
            model.clear_hints()
            _cut_below(model, best)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2
        solver.parameters.interleave_search = True
        solver.parameters.max_time_in_seconds = args.seconds
        start = time.monotonic()
        status = solver.solve(model)
        found = round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
        if found is not None:
            best = found if best is None else min(best, found)
        cut = f" (below {best:,})" if name.endswith("cut") else ""
        print(
            f"{name + cut:32} {solver.status_name(status):10} plan {found if found is None else f'{found:,}'}"
            f"  bound {solver.best_objective_bound:,.0f}  {solver.deterministic_time:.1f} det s"
            f"  {time.monotonic() - start:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
