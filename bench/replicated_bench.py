"""Replicated suite: k renamed copies of a bundled sample, against k times the one-copy answer.

    python bench/replicated_bench.py                              # every case below, default settings
    python bench/replicated_bench.py --cases midsize:5 --structures hybrid
    python bench/replicated_bench.py --cases large:2,large:4 --structures auto   # all three at once

An agency made of k copies of a sample can be staffed at k times the cost of staffing one copy
(nothing is shared between copies; the imbalance term, a maximum, is counted once, so k times
the one-copy objective is an upper bound on the optimum). A solver that ends above that
reference is not searching. Every solve runs in its own process with the command's default
settings (2 workers, --effort 8, the 60 s clock split over the structures solved: here one
structure per run, so 60 s each; `auto` compares all three within one 60 s, as the command does,
and reports the plan it picks) and reports, per case and structure: the objective against the
reference, the proven gap, seconds to the first plan, the wall time, peak memory and the ratio
to the greedy baseline of the same run. The one-copy reference is solved the same way, first.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES = ("midsize:5", "midsize:25", "large:4", "large:10")


def one(sample: str, copies: int, structure: str, limit: float, effort: float, workers: int) -> dict:
    sys.path.insert(0, str(HERE))
    from generate import replicate

    from structplan import formats
    from structplan.data import layout_path
    from structplan.solver.api import SolveOptions
    from structplan.solver.engine import solve_structure

    agency = formats.load_agency(ROOT / "sample_agencies" / f"{sample}.toml")
    if copies > 1:
        agency = replicate(agency, copies)
    options = SolveOptions(time_limit=limit, effort=effort, workers=workers)
    if structure == "auto":  # every structure, as `structplan solve` compares them
        from structplan.solver import solve

        t = time.monotonic()
        plan = solve(agency, None, None, options).plan
        wall = time.monotonic() - t
        if plan is None:
            raise SystemExit("no plan")
        run = dict(plan.run)
        return {
            "status": plan.solver.status,
            "stopped": plan.solver.stopped,
            "objective": plan.solver.objective,
            "bound": plan.solver.bound,
            "gap": plan.solver.gap,
            "first_plan_s": round(run.get("first_plan_s", 0.0), 2),
            "wall_s": round(wall, 1),
            "greedy": None,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "picked": plan.structure,
        }
    layout = formats.load_layout(layout_path(structure))
    t = time.monotonic()
    out = solve_structure(agency, layout, options)
    wall = time.monotonic() - t
    return {
        "status": out.status,
        "stopped": out.stopped,
        "objective": out.objective,
        "bound": out.bound,
        "gap": out.gap,
        "first_plan_s": round(out.first_plan_s, 2),
        "wall_s": round(wall, 1),
        "greedy": out.greedy_objective,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(sample: str, copies: int, structure: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--one", sample, str(copies), structure]
    cmd += ["--limit", str(args.limit), "--effort", str(args.effort), "--workers", str(args.workers)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        return {"status": "error", "error": res.stderr.strip().splitlines()[-1:]}
    return json.loads(res.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated SAMPLE:K (default: all)")
    ap.add_argument("--structures", default="separate,hybrid,merged")
    ap.add_argument("--limit", type=float, default=60.0, help="wall-clock seconds per solve (default 60)")
    ap.add_argument("--effort", type=float, default=8.0, help="deterministic seconds per solve (default 8)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--one", nargs=3, metavar=("SAMPLE", "K", "STRUCTURE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        sample, k, structure = args.one
        print(json.dumps(one(sample, int(k), structure, args.limit, args.effort, args.workers)))
        return 0
    print(f"{args.workers} workers, effort {args.effort:g}, clock {args.limit:g} s per solve", file=sys.stderr)
    header = (
        "| agency | structure | status (stopped by) | objective | reference (k x one copy) | objective / reference "
        "| gap | first plan s | wall s | peak MB | ratio to greedy |"
    )
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    references: dict[tuple[str, str], dict] = {}
    for case in args.cases.split(","):
        sample, k = case.split(":")
        for structure in args.structures.split(","):
            if (sample, structure) not in references:
                references[sample, structure] = base = run(sample, 1, structure, args)
                print(_row(f"{sample} x1", structure, base, None), flush=True)
            base = references[sample, structure]
            got = run(sample, int(k), structure, args)
            reference = base.get("objective", 0) * int(k) if base.get("status") != "error" else None
            print(_row(f"{sample} x{k}", structure, got, reference), flush=True)
    return 0


def _row(name: str, structure: str, got: dict, reference: int | None) -> str:
    if got.get("status") == "error":
        return f"| {name} | {structure} | error: {' '.join(got.get('error', []))} | | | | | | | | |"
    ratio = f"{got['objective'] / reference:.3f}" if reference else "-"
    greedy = f"{got['objective'] / got['greedy']:.3f}" if got.get("greedy") else "-"
    if "picked" in got:  # auto: the structure it picked
        structure = f"{structure}: {got['picked']}"
    return (
        f"| {name} | {structure} | {got['status']} ({got['stopped']}) | {got['objective']:,} | "
        f"{f'{reference:,}' if reference else '-'} | {ratio} | {got['gap']:.1%} | {got['first_plan_s']} | "
        f"{got['wall_s']} | {got['peak_mb']} | {greedy} |"
    )


if __name__ == "__main__":
    sys.exit(main())
