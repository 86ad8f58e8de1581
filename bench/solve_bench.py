"""Solver benchmark: generated agencies of growing size, against the greedy baseline.

    python bench/solve_bench.py                    # every size, 2 workers, hybrid
    python bench/solve_bench.py --sizes 120x300 --structure separate --workers 1

Each size runs in its own process (so peak memory is that size's alone) and prints, per size:
status, seconds to a first valid plan, seconds to the best plan, the proven gap, peak memory,
and the ratio of the solver's objective to the greedy baseline's, computed in the same run
(what a planner does by hand: biggest accounts first to the least loaded eligible person).
A ratio below 1 means the solver's plan is cheaper. Timings are wall-clock on this machine.
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
SIZES = {"30x80": 10.0, "120x300": 10.0, "1000x3000": 60.0, "2000x6000": 30.0}


def one(accounts: int, people: int, structure: str, limit: float, workers: int, seed: int, voices: int = 0) -> dict:
    sys.path.insert(0, str(HERE))
    import attrs
    from generate import generate

    from structplan.data import layout_path
    from structplan.formats import load_layout
    from structplan.solver.api import SolveOptions
    from structplan.solver.engine import solve_structure

    agency = generate(accounts, people, seed)
    if voices:
        pol = agency.policy
        agency = attrs.evolve(agency, policy=attrs.evolve(pol, weights=attrs.evolve(pol.weights, voices=voices)))
    layout = load_layout(layout_path(structure))
    t = time.monotonic()
    out = solve_structure(agency, layout, SolveOptions(time_limit=limit, seed=seed, workers=workers))
    wall = time.monotonic() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = (out.objective / out.greedy_objective) if out.greedy_objective else None
    return {
        "size": f"{accounts}x{people}",
        "structure": structure,
        "status": out.status,
        "first_plan_s": round(out.first_plan_s, 2),
        "best_plan_s": round(out.best_plan_s, 2),
        "wall_s": round(wall, 2),
        "limit_s": limit,
        "objective": out.objective,
        "bound": out.bound,
        "gap": out.gap,
        "greedy": out.greedy_objective,
        "ratio": round(ratio, 4) if ratio is not None else None,
        "peak_mb": round(peak),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=",".join(SIZES), help="comma-separated AxP (default: all)")
    ap.add_argument("--structure", default="hybrid", choices=("separate", "hybrid", "merged"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--voices", type=int, default=0, help="policy.weights.voices of the generated agencies")
    ap.add_argument("--limit", type=float, default=None, help="seconds per size (default: per size)")
    ap.add_argument("--one", nargs=2, type=int, metavar=("ACCOUNTS", "PEOPLE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        limit = args.limit if args.limit is not None else SIZES.get(f"{args.one[0]}x{args.one[1]}", 30.0)
        print(json.dumps(one(*args.one, args.structure, limit, args.workers, args.seed, args.voices)))
        return 0
    rows = []
    print(
        f"structure {args.structure}, {args.workers} workers, seed {args.seed}, voices weight {args.voices}",
        file=sys.stderr,
    )
    header = (
        "| size (accounts x people) | status | first plan s | best plan s | limit s | gap | "
        "peak MB | objective | greedy | ratio to greedy |"
    )
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for size in args.sizes.split(","):
        a, p = (int(x) for x in size.split("x"))
        cmd = [
            sys.executable,
            __file__,
            "--one",
            str(a),
            str(p),
            "--structure",
            args.structure,
            "--workers",
            str(args.workers),
            "--seed",
            str(args.seed),
            "--voices",
            str(args.voices),
        ]
        if args.limit is not None:
            cmd += ["--limit", str(args.limit)]
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if res.returncode != 0:
            print(f"| {size} | error | | | | | | | | |")
            print(res.stderr[-2000:], file=sys.stderr)
            continue
        r = json.loads(res.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(
            f"| {r['size']} | {r['status']} | {r['first_plan_s']} | {r['best_plan_s']} | {r['limit_s']:g} | "
            f"{r['gap']:.2%} | {r['peak_mb']} | {r['objective']:,} | "
            f"{r['greedy']:,} | {r['ratio']} |"
            if r["greedy"]
            else f"| {r['size']} | {r['status']} | {r['first_plan_s']} | {r['best_plan_s']} | {r['limit_s']:g} | "
            f"{r['gap']:.2%} | {r['peak_mb']} | {r['objective']:,} | no greedy plan | - |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
