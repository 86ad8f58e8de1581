"""`structplan show PLAN`: the plan for a reader (text, markdown) or for a script (json)."""

from __future__ import annotations

import argparse
import json
import sys

from structplan import formats
from structplan.exitcode import ExitCode
from structplan.report import render_markdown, render_text, to_json


def _can_print(text: str) -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def run(args: argparse.Namespace) -> int:
    """`structplan show PLAN [--format text|markdown|json]`: print the plan, exit 0. With
    `--textconv` (git's textconv), a plan that cannot be read is one line of text, still exit 0."""
    if getattr(args, "textconv", False):
        try:
            plan = formats.load_plan(args.plan)
        except formats.LoadError as exc:
            first = exc.problems[0] if exc.problems else "it does not load"
            more = len(exc.problems) - 1
            sys.stdout.write(f"structplan: not a plan that loads: {first}{f' (and {more} more)' if more > 0 else ''}\n")
            return ExitCode.OK
        except OSError as exc:
            sys.stdout.write(f"structplan: cannot read the plan: {exc.filename or args.plan}: {exc.strerror or exc}\n")
            return ExitCode.OK
    else:
        plan = formats.load_plan(args.plan)
    fmt = getattr(args, "format", None) or "text"
    if fmt == "json":
        text = json.dumps(to_json(plan), indent=2) + "\n"
    elif fmt == "markdown":
        text = render_markdown(plan)
    else:
        text = render_text(plan, unicode=_can_print("█░"))
    if not _can_print(text):  # names the terminal's encoding cannot show
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        text = text.encode(encoding, errors="replace").decode(encoding, errors="replace")
    sys.stdout.write(text)
    return ExitCode.OK
