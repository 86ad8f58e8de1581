"""`structplan diff OLD NEW`: reading both sides, printing, and git's textconv and external-diff driver."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from structplan import formats, terminal
from structplan.diff.changes import PlanDiff, diff, diff_today
from structplan.diff.json_doc import to_json
from structplan.exitcode import ExitCode
from structplan.model import Agency, Plan
from structplan.words import plural


def _use_color(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _load_side(path: str, side: str) -> tuple[str, Agency | Plan]:
    """Load OLD (a plan or an agency file) or NEW (a plan); a LoadError names the file otherwise."""
    data = formats.read_toml(path)
    kind = formats.detect_kind(data)
    if kind == "layout" or (kind == "agency" and side == "NEW"):
        wanted = "a plan file" if side == "NEW" else "a plan or an agency file"
        raise formats.LoadError(
            [
                formats.Problem(
                    path, "", f"is {'an' if kind == 'agency' else 'a'} {kind} file; diff needs {wanted} as {side}"
                )
            ]
        )
    if kind == "agency":
        return "agency", formats.from_data(data, "agency", path)
    return "plan", formats.from_data(data, "plan", path)


def compare(old_path: str, new_path: str, old_name: str | None = None, new_name: str | None = None) -> PlanDiff:
    """Load two files and diff them: OLD a plan or an agency (today), NEW a plan."""
    _, old = _load_side(old_path, "OLD")
    _, new = _load_side(new_path, "NEW")
    assert isinstance(new, Plan)
    if isinstance(old, Agency):
        return diff_today(old, new, old_name or old_path, new_name or new_path)
    return diff(old, new, old_name or old_path, new_name or new_path)


def _emit(d: PlanDiff, fmt: str, color: bool, detail: bool) -> None:
    if fmt == "json":
        json.dump(to_json(d), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        from structplan.diff.text import document  # rich, only when text is printed

        terminal.console(sys.stdout, color).print(document(d, detail).text())


def run(args: argparse.Namespace) -> int:
    """`structplan diff OLD NEW`: exit 0 when equal, 1 when different, 2 on error."""
    if getattr(args, "git", False):
        return run_git(args)
    if getattr(args, "rest", None):
        print(
            f"structplan diff: expected OLD and NEW, got {2 + len(args.rest)} files (git's 7 arguments need --git)",
            file=sys.stderr,
        )
        return ExitCode.BAD
    d = compare(args.old, args.new)
    _emit(d, args.format, _use_color(args.color, sys.stdout), getattr(args, "detail", False))
    return ExitCode.OK if d.equal else ExitCode.NO


def run_git(args: argparse.Namespace) -> int:
    """`structplan diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`: git's
    external diff driver. Always exits 0 (git stops at a non-zero exit); a side that does not
    load is reported and shown as a plain text diff instead."""
    argv = [args.old, args.new, *(args.rest or [])]
    if len(argv) not in (7, 9):
        print(f"structplan diff --git: expected git's 7 (or 9) arguments, got {len(argv)}", file=sys.stderr)
        return ExitCode.BAD
    path, old_file, _, _, new_file, _, _ = argv[:7]
    new_path = argv[7] if len(argv) == 9 else path
    names = {old_file: f"a/{path}", new_file: f"b/{new_path}"}

    def problems(exc: formats.LoadError) -> str:  # git's temporary files named as the user knows them
        return "".join(f"  {attrs.evolve(p, file=names.get(p.file, p.file))}\n" for p in exc.problems)

    color = _use_color(args.color, sys.stdout) or (
        args.color == "auto" and bool(os.environ.get("GIT_PAGER_IN_USE")) and not os.environ.get("NO_COLOR")
    )
    from structplan.diff.doc import head  # rich, only when the driver runs
    from structplan.diff.text import document

    console = terminal.console(sys.stdout, color)
    console.print(head(f"structplan diff a/{path} b/{new_path}"))
    if old_file == os.devnull or new_file == os.devnull:
        which, file = ("new", new_file) if old_file == os.devnull else ("deleted", old_file)
        try:
            _, obj = _load_side(file, "OLD")
            sys.stdout.write(f"{which} file: {_describe(obj)}\n")
        except formats.LoadError as exc:
            sys.stdout.write(f"{which} file; it does not load:\n" + problems(exc))
        return ExitCode.OK
    try:
        d = compare(old_file, new_file, f"a/{path}", f"b/{new_path}")
    except formats.LoadError as exc:
        sys.stdout.write("cannot compare the plans:\n" + problems(exc) + "the text diff follows\n")
        sys.stdout.writelines(_text_diff(old_file, new_file, f"a/{path}", f"b/{new_path}"))
        return ExitCode.OK
    if args.format == "text":
        console.print(document(d, getattr(args, "detail", False)).text(title=False))
    else:
        sys.stdout.write(json.dumps(to_json(d), indent=2) + "\n")
    return ExitCode.OK


def _describe(obj: Agency | Plan) -> str:
    if isinstance(obj, Plan):
        return (
            f"plan ({obj.structure}), {plural(len(obj.accounts), 'account')}, "
            f"{plural(len(obj.people), 'person', 'people')}, {plural(len(obj.hires), 'hire')}, "
            f"cost {obj.cost.total:,} {obj.currency}"
        )
    return (
        f"agency {obj.agency.name}, {plural(len(obj.accounts), 'account')}, "
        f"{plural(len(obj.people), 'person', 'people')}"
    )


def _text_diff(old_file: str, new_file: str, old_name: str, new_name: str) -> Iterable[str]:
    def lines(path: str) -> list[str]:
        try:
            return Path(path).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        except OSError:
            return []

    for line in difflib.unified_diff(lines(old_file), lines(new_file), old_name, new_name):
        yield line if line.endswith("\n") else line + "\n"
