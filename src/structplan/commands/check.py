"""`structplan check PLAN AGENCY`: every rule and figure of a plan file checked against its agency."""

from __future__ import annotations

import argparse
import sys

from structplan import formats
from structplan.checks import foreign, verify
from structplan.exitcode import ExitCode
from structplan.model import Plan

_HEADER_KEYS = ("agency", "structure", "layout", "currency", "reason")


def _header_path(where: str) -> str:
    head = where.split(".", 1)[0].split("[", 1)[0]
    return f"plan.{where}" if head in _HEADER_KEYS else where


def _path(line: str) -> str:
    return line.split(":", 1)[0]


def read_plan(path: str) -> tuple[Plan, list[str], list[str]]:
    """A plan file as written (records in file order), its lists of accountable people and the
    other rules its content breaks.

    Raises LoadError when the file cannot be read as a plan: missing, not TOML, not a plan, or of
    the wrong shape (unknown keys, wrong types). A list where one accountable person belongs, ids
    that repeat or name nobody are broken rules, returned with their key path."""
    from structplan import validation
    from structplan.formats import LoadError, Problem

    data = formats.read_toml(path)
    if not isinstance(data.get("plan"), dict):
        raise LoadError([Problem(str(path), "plan", "is required: this is not a plan file (no [plan] table)")])
    listed: list[str] = []
    accounts = data.get("accounts")
    for i, acc in enumerate(accounts if isinstance(accounts, list) else []):
        rows = acc.get("raci") if isinstance(acc, dict) else None
        for j, row in enumerate(rows if isinstance(rows, list) else []):
            value = row.get("accountable") if isinstance(row, dict) else None
            if isinstance(value, list):
                names = ", ".join(map(str, value))
                listed.append(
                    f"accounts[{i}].raci[{j}].accountable: lists {len(value)} people ({names}); "
                    "exactly one person is accountable"
                )
                row["accountable"] = value[0] if len(value) == 1 and isinstance(value[0], str) else ""
    plan = formats.plan_as_written(data, str(path))
    content = [f"{_header_path(w)}: {m}" for w, m in validation.plan_problems(plan)]
    return plan, listed, content


def run(args: argparse.Namespace) -> int:
    """`structplan check PLAN AGENCY [--layout FILE]`: exit 0, or 1 with one line per violation."""
    from structplan import validation
    from structplan.data import layout_path, layouts_dir

    plan, listed, content = read_plan(args.plan)
    agency = formats.load_agency(args.agency)
    other = foreign(plan, agency)
    if other is not None:
        print(f"{args.plan}: {other}")
        return ExitCode.NO
    if args.layout:
        layout = formats.load_layout(args.layout)
        if layout.id != plan.layout:
            content.append(f"plan.layout: {plan.layout!r}, the layout given is {layout.id!r}")
    else:
        bundled = {p.stem for p in layouts_dir().glob("*.toml")}
        if plan.structure not in bundled and plan.layout not in bundled:
            problems = [p for p in validation.plan_problems(plan) if p[0] == "structure"]
            why = problems[0][1] if problems else f"{plan.structure!r} has no bundled layout"
            print(f"{args.plan}: plan.structure: {why}; pass --layout FILE to check the rest")
            return ExitCode.NO
        if plan.layout not in bundled and plan.layout != plan.structure:
            print(
                f"{args.plan}: plan.layout is {plan.layout!r}, made with a layout of your own; pass --layout FILE",
                file=sys.stderr,
            )
            return ExitCode.BAD
        # the layout the plan names, or (when it names another structure's) the structure's own:
        # whichever the plan agrees with more, so that one wrong header key is one line
        candidates = [
            formats.load_layout(layout_path(x)) for x in dict.fromkeys((plan.layout, plan.structure)) if x in bundled
        ]
        scored = [(len(verify(plan, agency, lay)), n, lay) for n, lay in enumerate(candidates)]
        layout = min(scored, key=lambda t: (t[0], t[1]))[2]
        if layout.id != plan.layout:
            content.append(
                f"plan.layout: {plan.layout!r}, but this {plan.structure} plan was made with the {layout.id!r} layout"
            )
    found = verify(plan, agency, layout)
    # a line of ours says more than the format's own for the same place; a list of accountable
    # people is said once, as read
    ours = {_path(line) for line in found}
    said = {_path(line) for line in listed}
    found = [
        *listed,
        *(line for line in content if _path(line) not in ours | said),
        *(line for line in found if _path(line) not in said),
    ]
    for line in found:
        print(f"{args.plan}: {line}")
    if found:
        print(f"{len(found)} violation{'s' if len(found) != 1 else ''}", file=sys.stderr)
        return ExitCode.NO
    warnings = len(plan.warnings)
    print(
        f"ok: {len(plan.accounts)} accounts, {len(plan.people)} people, {len(plan.hires)} hires hold every rule "
        f"and every figure; {warnings} warning{'s' if warnings != 1 else ''} stated"
    )
    return ExitCode.OK
