"""`structplan solve`: headless solving for people and scripts."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from structplan import formats, terminal
from structplan.exitcode import ExitCode
from structplan.solver.api import Outcome, Progress, SolveOptions, solve


class ProgressBar:
    """The live line on a terminal: the best plan so far and the time since the solve started,
    drawn again by `terminal.live_line` between reports so the clock keeps moving while the
    search looks."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start = clock()
        self._last: Progress | None = None
        self._together: dict[str, Progress] = {}

    def __call__(self, p: Progress) -> None:
        """A report from the search (a solver's thread)."""
        self._last = p
        if p.together:
            self._together[p.structure] = p

    def line(self) -> str:
        """The line with the time elapsed now: the last report, or of structures searched side by
        side, whose reports interleave, the one with the cheapest plan so far."""
        p = self._last
        if p is not None and p.together:
            p = min(self._together.values(), key=lambda q: (q.objective is None, q.objective or 0, q.structure))
        elapsed = self._clock() - self._start
        if p is None:
            return f"solving{'':<45}{elapsed:6.1f} s elapsed "
        gap = f"{p.gap:6.1%}" if p.gap is not None else "     -"
        bound = f"{p.bound:>12,}" if p.bound is not None else f"{'-':>12}"
        objective = f"{p.objective:>12,}" if p.objective is not None else f"{'-':>12}"
        return f"{p.structure:<9} objective {objective}  bound {bound}  gap {gap}  {elapsed:6.1f} s elapsed "


def _progress_lines(stream: TextIO) -> Callable[[Progress], None]:
    """One plain line per report, for logs and for programs that watch the search."""

    def show(p: Progress) -> None:
        def num(value: int | None) -> str:
            return "-" if value is None else str(value)

        gap = "-" if p.gap is None else f"{p.gap:.4f}"
        stream.write(
            f"progress: {p.structure} objective={num(p.objective)} bound={num(p.bound)} "
            f"gap={gap} elapsed={p.elapsed:.1f}\n"
        )
        stream.flush()

    return show


def _no_plan(outcome: Outcome) -> dict[str, object]:
    """What `--format json` prints when there is no plan: why, per structure and line by line."""
    return {
        "plan": None,
        "interrupted": outcome.cancelled,
        "structures": [{"structure": st, "status": status} for st, status in outcome.statuses],
        "explanation": list(outcome.explanation),
    }


def run(args: argparse.Namespace) -> int:
    """Solve, print or write the plan; exit 0 with a plan, 1 when none exists, 2 on bad input."""
    began = time.monotonic()
    warnings: list[formats.Problem] = []
    agency = formats.load_agency(args.agency, warnings)
    if not agency.accounts:
        print(f"{args.agency}: has no accounts: there is nothing to plan", file=sys.stderr)
        return ExitCode.BAD
    layouts = {}
    structures = None if args.structure == "auto" else [args.structure]
    if args.layout:
        layout = formats.load_layout(args.layout)
        layouts[layout.structure] = layout
        if structures is None:
            structures = [layout.structure]
        elif structures != [layout.structure]:
            print(
                f"structplan: --structure {args.structure} does not match the layout's structure "
                f"({layout.structure}) in {args.layout}",
                file=sys.stderr,
            )
            return ExitCode.BAD
    if args.time_limit == 0 and args.effort == 0:
        print("structplan: --time-limit 0 and --effort 0 together leave nothing to end the search", file=sys.stderr)
        return ExitCode.BAD
    if args.output is not None:
        problem = formats.output_problem(args.output, [p for p in (args.agency, args.layout) if p])
        if problem:
            print(problem, file=sys.stderr)
            return ExitCode.BAD
    for warning in warnings:
        print(warning, file=sys.stderr)
    # `--time-limit` is the whole command's: what reading the input took is spent, and three
    # times as long is kept for making and writing the plan (ten copies of the large sample,
    # merged, under two busy loops: read in 3.3 s, the plan made and written in 9 s; the command
    # ran 65.8 s at a 60 s limit when only the search was timed, 62.4 s with twice the read kept,
    # 55.3 s with three times and the plan's text made in 0.9 s instead of 2.2)
    spent = 4 * (time.monotonic() - began)
    options = SolveOptions(args.time_limit, args.effort, args.seed, args.workers, spent=spent)
    stop = threading.Event()
    mode = args.progress
    if mode == "auto":
        mode = "bar" if sys.stderr.isatty() else "none"
    tty = mode == "bar"
    bar = ProgressBar() if tty else None
    progress = bar if bar is not None else _progress_lines(sys.stderr) if mode == "lines" else None

    def interrupt(signum, frame) -> None:  # first Ctrl-C: stop the search and keep the best plan
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    # a command started with Ctrl-C ignored (`structplan solve ... &` in a script, nohup) keeps
    # ignoring it, as every POSIX tool does
    previous = (
        signal.signal(signal.SIGINT, interrupt)
        if threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        else None
    )
    result: list = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(solve(agency, structures, layouts or None, options, progress, stop))
        except BaseException as exc:  # re-raised in the main thread
            failure.append(exc)

    # the search runs in a thread so the main thread stays free to take Ctrl-C at once
    worker = threading.Thread(target=work, name="structplan-solve", daemon=True)
    worker.start()
    try:
        with terminal.live_line(sys.stderr, bar.line) if bar is not None else contextlib.nullcontext():
            while worker.is_alive():
                worker.join(0.1)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if failure:
        raise failure[0]
    outcome = result[0]
    untried = [st for st, status in outcome.statuses if status == "not_tried"]
    if outcome.cancelled:
        print(
            "structplan: interrupted; "
            + ("keeping the best plan found so far" if outcome.plan else "no plan")
            + (f"; not tried: {', '.join(untried)}" if untried else ""),
            file=sys.stderr,
        )
    elif untried:
        print(f"structplan: the clock ran out before {', '.join(untried)} could be tried", file=sys.stderr)
    if outcome.plan is None:
        if args.format == "json":
            json.dump(_no_plan(outcome), sys.stdout, indent=2)
            sys.stdout.write("\n")
        if outcome.cancelled:
            return ExitCode.INTERRUPTED
        print("no plan exists:", file=sys.stderr)
        for line in outcome.explanation:
            print(line, file=sys.stderr)
        return ExitCode.NO
    plan = outcome.plan
    if args.output is not None:
        try:
            formats.save(plan, args.output)
        except OSError as exc:
            print(f"{args.output}: cannot write the plan: {exc.strerror or exc}", file=sys.stderr)
            return ExitCode.BAD
        print(
            f"wrote {args.output}: {plan.structure}, cost {plan.cost.total:,} {plan.currency}, "
            f"{len(plan.hires)} hire{'s' if len(plan.hires) != 1 else ''}, {len(plan.warnings)} "
            f"warning{'s' if len(plan.warnings) != 1 else ''} ({plan.solver.status})",
            file=sys.stderr,
        )
    fmt = args.format or ("text" if not args.output else None)
    if fmt == "toml":
        sys.stdout.write(formats.dumps(plan))
    elif fmt == "json":
        json.dump(formats.to_data(plan), sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    elif fmt == "text":
        from structplan.report import render_text

        sys.stdout.write(render_text(plan))
    return ExitCode.INTERRUPTED if outcome.cancelled else ExitCode.OK
