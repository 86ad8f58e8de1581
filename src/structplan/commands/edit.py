"""`structplan` and `structplan edit [AGENCY]`: the editor, after the checks that need no screen."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from structplan import formats
from structplan.exitcode import ExitCode


def run(args: argparse.Namespace) -> int:
    """`structplan` / `structplan edit [AGENCY]`: run the editor; the exit code."""
    agency = getattr(args, "agency", None)
    if agency is not None:
        problem = _not_an_agency(Path(agency))
        if problem:
            print(problem, file=sys.stderr)
            return ExitCode.BAD
    from structplan.tui.app import create_app  # textual, only for the editor

    try:
        app = create_app(agency)
    except formats.LoadError as exc:
        for load_problem in exc.problems:
            print(load_problem, file=sys.stderr)
        print("structplan: fix the file (see `structplan validate`) and open it again", file=sys.stderr)
        return ExitCode.BAD
    result = app.run()
    return result if isinstance(result, int) else ExitCode.OK


def _not_an_agency(path: Path) -> str:
    """Why `structplan edit PATH` cannot start, in one line ('' when it can)."""
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        return "" if parent.is_dir() else f"{parent}: no such folder to create {path.name} in"
    if path.is_dir():
        return f"{path}: is a folder: name an agency file"
    try:
        kind = formats.detect_kind(formats.read_toml(path))
    except formats.LoadError:
        return ""  # the loader says what is wrong, line by line
    if kind == "plan":
        return (
            f"{path}: is a plan: open the agency it was made for (structplan edit AGENCY, then Ctrl+O "
            f"to compare with this plan), or read it with `structplan show {path}`"
        )
    if kind == "layout":
        return f"{path}: is a layout: structplan edit opens an agency file"
    return ""
