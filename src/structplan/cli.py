"""The `structplan` command: parse, call, print, exit code.

Exit codes: 0 success, 1 "answered no" (diff differs, check fails, no plan exists),
2 bad input or usage, 130 interrupted. A user's mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Never

from structplan import __version__
from structplan.formats import KINDS, LoadError, load

OK, NO, BAD, INTERRUPTED = 0, 1, 2, 130


def _summary(kind: str, obj: object) -> str:
    from structplan.model import Agency, Layout, Plan

    if isinstance(obj, Agency):
        projects = sum(len(a.projects) for a in obj.accounts)
        return (
            f"{len(obj.accounts)} accounts, {projects} projects, {len(obj.people)} people, "
            f"{len(obj.hiring)} hiring option{'s' if len(obj.hiring) != 1 else ''}"
        )
    if isinstance(obj, Layout):
        return f"layout {obj.id!r} ({obj.structure}): {len(obj.roles)} roles, {len(obj.duties)} duties"
    assert isinstance(obj, Plan)
    return f"plan ({obj.structure}): {len(obj.accounts)} accounts, {len(obj.people)} people, {len(obj.hires)} hires"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check files and say what is wrong, one line per problem."""
    worst = OK
    for path in args.files:
        try:
            kind, obj = load(path, args.kind)
        except LoadError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            worst = BAD
            continue
        print(f"ok: {_summary(kind, obj)} ({path})")
    return worst


def cmd_solve(args: argparse.Namespace) -> int:
    from structplan.solver.command import run

    return run(args)


def cmd_check(args: argparse.Namespace) -> int:
    from structplan.checks import run

    return run(args)


def cmd_show(args: argparse.Namespace) -> int:
    from structplan.report import run

    return run(args)


def cmd_diff(args: argparse.Namespace) -> int:
    from structplan.diff import run

    return run(args)


def cmd_edit(args: argparse.Namespace) -> int:
    from structplan.tui.app import run

    return run(args)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Never:  # one line, exit 2
        self.exit(BAD, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = _Parser(
        prog="structplan",
        description="Plan how an agency staffs Account Management and Project Management. "
        "With no command, opens the editor on the bundled sample agency.",
    )
    parser.add_argument("--version", action="version", version=f"structplan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("validate", help="check agency, layout and plan files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=KINDS, help="what the files are (default: from their content)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("solve", help="propose a staffing plan for an agency")
    p.add_argument("agency", metavar="AGENCY")
    p.add_argument("--layout", metavar="FILE", help="solve with this layout file (its structure only)")
    p.add_argument(
        "--structure",
        default="auto",
        choices=("separate", "hybrid", "merged", "auto"),
        help="structure to solve; auto (default) solves each the policy allows and keeps the best",
    )
    p.add_argument("-o", "--output", metavar="PLAN", help="write the plan to this file (atomically)")
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="S",
        help="wall-clock seconds for the whole solve, all structures together (default 60; 0: none); a safety "
        "cap: a search the clock stops may differ on a rerun, and the plan says so",
    )
    p.add_argument(
        "--effort",
        type=float,
        default=8.0,
        metavar="D",
        help="search budget per structure in CP-SAT's deterministic seconds (default 8; 0: only the clock): "
        "the same plan on an idle or a busy machine",
    )
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="search workers (default 2); they interleave deterministically, so the plan repeats for a given N",
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
    p.add_argument("--layout", metavar="FILE", help="layout the plan was made with (default: the bundled one)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("show", help="print a plan as a readable report")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
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

    p = sub.add_parser("edit", help="open the editor (TUI) on an agency file")
    p.add_argument("agency", metavar="AGENCY", nargs="?", help="agency file (default: the bundled sample)")
    p.set_defaults(func=cmd_edit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `structplan` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", None) or cmd_edit
    if args.command is None:
        args.agency = None
    try:
        return func(args)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return BAD
    except KeyboardInterrupt:
        print("structplan: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()
        return OK
