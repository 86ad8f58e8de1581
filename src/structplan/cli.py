"""The `structplan` command: parse, call, print, exit code.

Exit codes: 0 success, 1 "answered no" (diff differs, check fails, no plan exists),
2 bad input or usage (an output that cannot be written included), 130 interrupted, 143
terminated (SIGTERM). A user's mistake never shows a traceback.

This module imports little at the top, so that a Ctrl-C at any moment after the command
starts is answered in one line, not with a traceback from inside an import.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Never

from structplan import __version__
from structplan.exitcode import ExitCode
from structplan.model.terms import FILE_KINDS, STRUCTURES
from structplan.terminal import PlainOutput

#: The kinds of file (formats.KINDS).
KINDS = FILE_KINDS
#: CP-SAT takes a 32-bit seed.
SEED_MIN, SEED_MAX = -(2**31), 2**31 - 1
#: Most search workers --workers takes.
WORKERS_MAX = 64
#: Most parallel solves --jobs takes.
JOBS_MAX = 256


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The `run(args)` of `structplan.commands.<name>`, imported when the command runs."""

    def run(args: argparse.Namespace) -> int:
        module = importlib.import_module(f"structplan.commands.{name}")
        return int(module.run(args))

    run.__name__ = f"cmd_{name}"
    return run


cmd_validate = _command("validate")
cmd_solve = _command("solve")
cmd_check = _command("check")
cmd_show = _command("show")
cmd_diff = _command("diff")
cmd_scenarios = _command("scenarios")
cmd_edit = _command("edit")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Never:  # one line, exit 2
        self.exit(ExitCode.BAD, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file: Any = None) -> None:
        # argparse drops a failed write of --help or --version; a full disk or a closed
        # standard output must be an error of the command, as for every other output
        if message:
            out = file or sys.stderr
            out.write(message)
            out.flush()


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An option's whole number in low..high."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value

    return parse


def _seconds(text: str) -> float:
    """An option's finite number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number of seconds, 0 or more")
    return value


def _path(text: str) -> str:
    """An option's file name: never empty."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the file name is empty")
    return text


#: A Dask scheduler's address: tcp://HOST:PORT (or tls://), HOST a name, an IPv4 or an [IPv6] address.
_SCHEDULER = re.compile(r"(?:tcp|tls)://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.\-]+):[0-9]{1,5}")


def _scheduler(text: str) -> str:
    """An option's Dask scheduler address."""
    if not _SCHEDULER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"expected tcp://HOST:PORT, got {text!r}")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = _Parser(
        prog="structplan",
        description="Plan how an agency staffs Account Management and Project Management. "
        "With no command, opens the editor on the bundled sample agency.",
    )
    parser.add_argument("--version", action="version", version=f"structplan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("validate", help="check agency, layout, plan and scenario files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=(*KINDS, "scenarios"), help="what the files are (default: from their content)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("solve", help="propose a staffing plan for an agency")
    p.add_argument("agency", metavar="AGENCY")
    p.add_argument("--layout", type=_path, metavar="FILE", help="solve with this layout file (its structure only)")
    p.add_argument(
        "--structure",
        default="auto",
        choices=(*STRUCTURES, "auto"),
        help="structure to solve; auto (default) solves each the policy allows and keeps the best",
    )
    p.add_argument(
        "-o",
        "--output",
        type=_path,
        metavar="PLAN",
        help="write the plan to this file (atomically; through a symlink, the file it points to)",
    )
    p.add_argument(
        "--time-limit",
        type=_seconds,
        default=60.0,
        metavar="S",
        help="wall-clock seconds for the whole solve, all structures together (default 60; 0: none); a safety "
        "cap: a search the clock stops may differ on a rerun, and the plan says so",
    )
    p.add_argument(
        "--effort",
        type=_seconds,
        default=8.0,
        metavar="D",
        help="search budget per structure in CP-SAT's deterministic seconds (default 8; 0: only the clock): "
        "the same plan on an idle or a busy machine",
    )
    p.add_argument(
        "--seed",
        type=_whole(SEED_MIN, SEED_MAX),
        default=0,
        metavar="N",
        help="random seed, -2**31..2**31-1 (default 0)",
    )
    p.add_argument(
        "--workers",
        type=_whole(1, WORKERS_MAX),
        default=2,
        metavar="N",
        help=f"search workers, 1..{WORKERS_MAX} (default 2); they interleave deterministically, so the plan repeats "
        "for a given N",
    )
    p.add_argument(
        "--format",
        choices=("text", "toml", "json"),
        default=None,
        help="what to print (default: text, or nothing extra with -o)",
    )
    p.add_argument(
        "--progress",
        choices=("auto", "bar", "lines", "none"),
        default="auto",
        help="progress on stderr: a live line (bar), one line per report (lines) or none; "
        "auto (default): bar on a terminal, none otherwise",
    )
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("check", help="verify every rule and pitfall of a plan against its agency")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("agency", metavar="AGENCY")
    p.add_argument(
        "--layout", type=_path, metavar="FILE", help="layout the plan was made with (default: the bundled one)"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("show", help="print a plan as a readable report")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument(
        "--textconv",
        action="store_true",
        help="act as git's textconv (docs/diff.md): a plan that does not load is one line of text and exit 0; "
        "PLAN, the last argument, may start with '-'",
    )
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("diff", help="what changed between two plans (or between today and a plan)")
    p.add_argument("old", metavar="OLD", help="a plan, or an agency file for today's staffing")
    p.add_argument("new", metavar="NEW", help="a plan")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument(
        "--detail",
        action="store_true",
        help="list PM coverage project by project, client contacts and every warning message",
    )
    p.add_argument(
        "--git",
        action="store_true",
        help="act as git's external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX "
        "NEW-MODE (docs/diff.md)",
    )
    p.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("scenarios", help="solve what-if scenarios of an agency side by side (docs/scenarios.md)")
    p.add_argument("file", metavar="FILE", help="a scenario file: a base agency and named scenarios")
    p.add_argument(
        "-o",
        "--output",
        type=_path,
        metavar="DIR",
        help="write each plan to DIR/base.plan.toml and DIR/<scenario-id>.plan.toml (atomically; DIR is created "
        "when its parent exists)",
    )
    p.add_argument(
        "--jobs",
        type=_whole(1, JOBS_MAX),
        default=None,
        metavar="N",
        help="solves run at once in local processes (default: the cores divided by --workers)",
    )
    p.add_argument(
        "--scheduler",
        type=_scheduler,
        metavar="ADDRESS",
        help="run the solves on the Dask cluster of this scheduler, tcp://HOST:PORT (needs structplan[cluster])",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--time-limit",
        type=_seconds,
        default=300.0,
        metavar="S",
        help="wall-clock seconds of each scenario's solve (default 300; 0: none); a safety cap: a search the clock "
        "stops may differ on a rerun, and its row says so",
    )
    p.add_argument(
        "--effort",
        type=_seconds,
        default=8.0,
        metavar="D",
        help="search budget per structure in CP-SAT's deterministic seconds (default 8; 0: only the clock)",
    )
    p.add_argument("--seed", type=_whole(SEED_MIN, SEED_MAX), default=0, metavar="N", help="random seed (default 0)")
    p.add_argument(
        "--workers",
        type=_whole(1, WORKERS_MAX),
        default=1,
        metavar="N",
        help=f"search workers of each solve, 1..{WORKERS_MAX} (default 1); part of what decides the plans, "
        "unlike --jobs",
    )
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("edit", help="open the editor (TUI) on an agency file")
    p.add_argument("agency", metavar="AGENCY", nargs="?", help="agency file (default: the bundled sample)")
    p.set_defaults(func=cmd_edit)
    return parser


class Terminated(BaseException):
    """SIGTERM arrived: unwind (removing half-written files) and exit 143."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `structplan` console script."""
    _standard_streams()
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
    except KeyboardInterrupt:
        _say("structplan: interrupted")
        return ExitCode.INTERRUPTED
    except Terminated:
        _say("structplan: terminated")
        return ExitCode.TERMINATED
    except OSError as exc:
        if exc.filename is not None:  # a file the command read or wrote
            _say(f"{exc.filename}: {exc.strerror or exc}")
        else:  # standard output: a full disk, a closed pipe or descriptor
            _silence_stdout()
            _say(f"structplan: cannot write the output: {exc.strerror or exc}")
        return ExitCode.BAD


_HEX = re.compile(r"[0-9a-f]{7,64}|\.")
_MODE = re.compile(r"[0-7]{6}|\.")


def _git_paths(argv: list[str]) -> list[str]:
    """Arguments git passes to a driver (`diff --git`'s 7 or 9 at the end, `show --textconv`'s
    last) are paths even when they start with '-': a `--` goes before them."""
    if len(argv) >= 2 and argv[0] == "show" and "--textconv" in argv[1:-1] and "--" not in argv:
        return [*argv[:-1], "--", argv[-1]]
    if not argv or argv[0] != "diff" or "--" in argv:
        return argv
    for n in (9, 7):
        tail = argv[-n:]
        head = argv[:-n]
        if (
            len(argv) > n
            and "--git" in head
            and all(pattern.fullmatch(tail[i]) for i, pattern in ((2, _HEX), (3, _MODE), (5, _HEX), (6, _MODE)))
        ):
            return [*head, "--", *tail]
    return argv


def _run(argv: Sequence[str] | None) -> int:
    from structplan.formats import LoadError

    parser = build_parser()
    args = parser.parse_args(_git_paths(list(sys.argv[1:] if argv is None else argv)))
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", None) or cmd_edit
    if args.command is None:
        args.agency = None
    headless = func is not cmd_edit and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if headless else None
    stdout = sys.stdout
    if func is not cmd_edit:  # the editor draws the screen itself
        sys.stdout = PlainOutput(stdout, colors=func is cmd_diff)
    try:
        return func(args)
    except LoadError as exc:
        for problem in exc.problems:
            _say(str(problem))
        return ExitCode.BAD
    finally:
        if sys.stdout is not stdout:
            try:
                sys.stdout.flush()  # a full disk or a closed pipe is an error of the command
            finally:
                sys.stdout = stdout
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _say(line: str) -> None:
    """One line on stderr, if stderr can take it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr, flush=True)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command was started with it closed: any write is an error."""

    def write(self, text: str) -> int:
        raise OSError(9, "standard output is closed")


def _standard_streams() -> None:
    """Started with stdout or stderr closed: keep descriptors 1 and 2 taken (so no file opened
    later lands on them) and make writing to a closed stdout an error rather than a silence."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        setattr(sys, name, _ClosedOutput() if name == "stdout" else open(os.devnull, "w"))  # noqa: SIM115


def _silence_stdout() -> None:
    """After a failed write, drop what is buffered so the interpreter's exit does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
