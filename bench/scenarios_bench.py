"""Scenarios in parallel: the mid-size sample's eight scenarios (and the base) solved with one
local process, with two, and on a two-worker Dask LocalCluster, in the same run.

    python bench/scenarios_bench.py                          # effort 2 per structure, 1 worker per solve
    python bench/scenarios_bench.py --effort 8

Prints the wall time of each way, its ratio to one process, the load average before and after
(the machine may be shared), and whether the three comparisons and their plans are identical
(they must be: every solve ends on the deterministic clock).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from pathlib import Path

import attrs

from structplan import formats, scenario
from structplan.scenario_run import Comparison, cluster_executor, compare, jobs_of, local_executor, run_jobs
from structplan.solver.api import SolveOptions

ROOT = Path(__file__).resolve().parent.parent


def _fingerprint(c: Comparison) -> tuple[object, ...]:
    """The comparison and every plan, without the run's timings."""
    return (c.rows, tuple((sid, formats.dumps(attrs.evolve(p, run=()))) for sid, p in c.plans))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", default=str(ROOT / "sample_agencies" / "midsize.scenarios.toml"))
    ap.add_argument("--effort", type=float, default=2.0)
    ap.add_argument("--time-limit", type=float, default=600.0)
    args = ap.parse_args()
    loaded = scenario.load(args.file)
    options = SolveOptions(time_limit=args.time_limit, effort=args.effort, seed=0, workers=1)
    jobs = jobs_of(loaded, options)
    print(f"{args.file}: {len(loaded.scenarios)} scenarios and the base, effort {args.effort:g}, 1 worker per solve")
    print(f"cores {os.cpu_count()}, load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def cluster() -> AbstractContextManager[Executor]:
        from distributed import LocalCluster

        class _Both:
            def __enter__(self) -> Executor:
                self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
                self.executor = cluster_executor(self.cluster.scheduler_address)
                return self.executor.__enter__()

            def __exit__(self, *exc: object) -> None:
                self.executor.__exit__(None, None, None)
                self.cluster.close()

        return _Both()

    ways: list[tuple[str, Callable[[], AbstractContextManager[Executor]]]] = [
        ("--jobs 1", lambda: local_executor(1)),
        ("--jobs 2", lambda: local_executor(2)),
        ("LocalCluster, 2 workers", cluster),
    ]
    times: dict[str, float] = {}
    prints: dict[str, tuple[object, ...]] = {}
    per_job: dict[str, float] = {}
    for label, make in ways:
        start = time.monotonic()
        with make() as executor:  # pool start-up (process spawn, imports) is counted
            results = run_jobs(jobs, executor)
        times[label] = time.monotonic() - start
        comparison = compare(loaded, results)
        prints[label] = _fingerprint(comparison)
        if label == "--jobs 1":
            per_job = {sid: r.seconds for sid, r in results.items()}
        print(f"{label:<24} {times[label]:7.1f} s  x{times[label] / times['--jobs 1']:.2f} of --jobs 1", flush=True)
    first = prints["--jobs 1"]
    same = all(p == first for p in prints.values())
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"identical comparisons and plans: {'yes' if same else 'NO'}")
    if per_job:
        longest = max(per_job.values())
        total = sum(per_job.values())
        print(
            f"solves with --jobs 1: total {total:.1f} s, longest {longest:.1f} s "
            f"({max(per_job, key=per_job.__getitem__)})"
        )
        print(f"best two can do: max(total / 2, longest) = {max(total / 2, longest):.1f} s")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
