"""`structplan scenarios`: solve a scenario file's base and scenarios and print one comparison."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import attrs

from structplan import formats, scenario, terminal
from structplan.exitcode import ExitCode
from structplan.scenario_run import (
    ClusterError,
    Comparison,
    Row,
    Solved,
    cluster_executor,
    compare,
    default_jobs,
    jobs_of,
    local_executor,
    run_jobs,
)
from structplan.solver.api import SolveOptions

#: Facts of a scenario without a plan shown under its row (json gives them all).
FACTS = 4


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


def _money(amount: int | None) -> str:
    return "-" if amount is None else f"{amount:,}"


def change_text(row: Row, base: int | None) -> str:
    """A row's cost against the base plan's, in money and share ("-" without one)."""
    if row.cost_change is None:
        return "-"
    pct = f" ({row.cost_change / base:+.1%})" if base else ""
    return f"{row.cost_change:+,}{pct}"


def status_text(row: Row) -> str:
    """A row's status as the comparison shows it: gap and clock when they matter."""
    if not row.structure:
        return "no plan" if row.status == "infeasible" else row.status
    text = row.status
    if row.status != "optimal" and row.gap is not None:
        text += f", gap {row.gap:.1%}"
    if row.stopped == "clock":
        text += ", stopped by the clock"
    return text


def render_text(c: Comparison, source: str, options: SolveOptions) -> str:
    """The comparison as a table, each scenario's notes and explanation under its row."""
    base = c.rows[0].cost if c.rows else None
    head = ("scenario", "structure", f"cost ({c.currency})", "vs base", "hires", "surplus", "leads moved", "warnings")
    cells = [
        (
            r.id,
            r.structure or "-",
            _money(r.cost),
            change_text(r, base),
            ", ".join(f"{role} {n}" for role, n in r.hires) or "-",
            str(r.surplus) if r.structure else "-",
            "-" if r.leads_changed is None else str(r.leads_changed),
            str(r.warnings) if r.structure else "-",
        )
        for r in c.rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(head)]
    numeric = {2, 3, 5, 6, 7}

    def line(values: tuple[str, ...], status: str) -> str:
        parts = [
            v.rjust(w) if i in numeric else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return ("  ".join(parts) + "  " + status).rstrip()

    out = [
        f"Scenarios of {c.agency} ({source}): {len(c.rows) - 1} scenarios and the base; seed {options.seed}, "
        f"effort {options.effort:g} per structure, {options.workers} worker{'s' if options.workers != 1 else ''} "
        "per solve",
        "",
        line(head, "status"),
    ]
    for r, values in zip(c.rows, cells, strict=True):
        out.append(line(values, status_text(r)))
        for note in (r.name if r.name not in (r.id, "base agency") else "", *r.notes):
            if note:
                out.append(f"    {note}")
        for fact in r.explanation[:FACTS]:
            out.append(f"    no plan: {fact}")
        if len(r.explanation) > FACTS:
            more = len(r.explanation) - FACTS
            out.append(f"    no plan: and {more} more fact{'s' if more != 1 else ''} (--format json lists every one)")
        if r.stopped == "clock":
            out.append("    the clock stopped the search before its effort was spent: a rerun may differ")
    written = [r.plan_file for r in c.rows if r.plan_file]
    if written:
        out += ["", f"plans written: {', '.join(written)}"]
    return "\n".join(out) + "\n"


def render_json(c: Comparison, source: str, options: SolveOptions) -> dict[str, Any]:
    """The comparison as data: the same figures as the text, one object per scenario."""
    return {
        "file": source,
        "agency": c.agency,
        "currency": c.currency,
        "options": {
            "effort": options.effort,
            "time_limit": options.time_limit,
            "seed": options.seed,
            "workers": options.workers,
        },
        "scenarios": [
            {
                "id": r.id,
                "name": r.name,
                "structure": r.structure or None,
                "cost": r.cost,
                "cost_change": r.cost_change,
                "hires": dict(r.hires),
                "surplus": r.surplus if r.structure else None,
                "leads_changed": r.leads_changed,
                "warnings": r.warnings if r.structure else None,
                "status": r.status,
                "gap": r.gap,
                "stopped": r.stopped or None,
                "notes": list(r.notes),
                "explanation": list(r.explanation),
                "plan_file": r.plan_file or None,
            }
            for r in c.rows
        ],
    }


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
