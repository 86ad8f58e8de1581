"""`structplan scenarios FILE`: solve the base and every scenario, print the comparison, write the plans."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

import attrs

from structplan import formats, scenario, terminal
from structplan.exitcode import ExitCode
from structplan.scenario_report import render_json, render_text
from structplan.scenario_run import (
    ClusterError,
    Solved,
    cluster_executor,
    compare,
    default_jobs,
    jobs_of,
    local_executor,
    run_jobs,
)
from structplan.solver.api import SolveOptions


def _output_dir(folder: str, names: list[str], inputs: list[str]) -> str | None:
    """Why the plans cannot be written in `folder` (one line), or None; checked before solving."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        return f"{folder}: is not a folder; -o names the folder the plans are written to"
    if not path.exists():
        parent = path.parent
        if not parent.is_dir():
            return f"{folder}: no such folder {parent} to create it in"
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"{folder}: cannot create it in {parent} (permission denied)"
        return None
    for name in names:
        target = path / name
        problem = formats.output_problem(target, inputs)
        if problem:
            return problem
        if target.exists() and not _is_plan(target):
            return (
                f"{target}: is not a plan file; -o replaces only the plans of an earlier run "
                "(move it or name another folder)"
            )
    return None


def _is_plan(path: Path) -> bool:
    try:
        return formats.detect_kind(formats.read_toml(path)) == "plan"
    except formats.LoadError:
        return False


class _Progress:
    """The last solve done, for the live line on a terminal."""

    def __init__(self) -> None:
        self.text = "solving"

    def __call__(self, result: Solved, done: int, total: int) -> None:
        self.text = f"solved {done}/{total}: {result.id}"


def run(args: argparse.Namespace) -> int:
    """Solve the base and every scenario; 0 when each has a plan, 1 when one has none, 2 on bad input."""
    if args.time_limit == 0 and args.effort == 0:
        print("structplan: --time-limit 0 and --effort 0 together leave nothing to end the search", file=sys.stderr)
        return ExitCode.BAD
    if args.scheduler is not None and args.jobs is not None:
        print(
            "structplan: --jobs is for local processes; with --scheduler the cluster's workers run the solves",
            file=sys.stderr,
        )
        return ExitCode.BAD
    loaded = scenario.load(args.file)
    if not loaded.base.accounts:
        print(f"{loaded.base_path}: has no accounts: there is nothing to plan", file=sys.stderr)
        return ExitCode.BAD
    names = [f"{scenario.BASE}.plan.toml"] + [f"{r.scenario.id}.plan.toml" for r in loaded.scenarios]
    if args.output is not None:
        inputs = [args.file, loaded.base_path] + [r.layout_path for r in loaded.scenarios if r.layout_path]
        problem = _output_dir(args.output, names, inputs)
        if problem:
            print(problem, file=sys.stderr)
            return ExitCode.BAD
    options = SolveOptions(time_limit=args.time_limit, effort=args.effort, seed=args.seed, workers=args.workers)
    jobs = jobs_of(loaded, options)
    tty = sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        try:
            if args.scheduler is not None:
                pool = stack.enter_context(cluster_executor(args.scheduler))
            else:
                pool = stack.enter_context(local_executor(min(args.jobs or default_jobs(args.workers), len(jobs))))
        except ClusterError as exc:
            print(f"structplan: {exc}", file=sys.stderr)
            return ExitCode.BAD
        progress = _Progress() if tty else None
        with terminal.live_line(sys.stderr, lambda: progress.text) if progress else contextlib.nullcontext():
            results = run_jobs(jobs, pool, progress)
    comparison = compare(loaded, results)
    if args.output is not None:
        folder = Path(args.output)
        folder.mkdir(exist_ok=True)
        rows = []
        plans = dict(comparison.plans)
        for row in comparison.rows:
            if row.id in plans:
                target = folder / f"{row.id}.plan.toml"
                try:
                    formats.save(plans[row.id], target)
                except OSError as exc:
                    print(f"{target}: cannot write the plan: {exc.strerror or exc}", file=sys.stderr)
                    return ExitCode.BAD
                row = attrs.evolve(row, plan_file=str(target))
            rows.append(row)
        comparison = attrs.evolve(comparison, rows=tuple(rows))
    if args.format == "json":
        json.dump(render_json(comparison, args.file, options), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(comparison, args.file, options))
    return ExitCode.OK if comparison.complete else ExitCode.NO
