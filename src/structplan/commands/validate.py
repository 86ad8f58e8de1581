"""`structplan validate FILE...`: each file read as its kind, one line per problem."""

from __future__ import annotations

import argparse
import sys

from structplan.exitcode import ExitCode


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


def run(args: argparse.Namespace) -> int:
    """Check files and say what is wrong, one line per problem."""
    from structplan.formats import LoadError, Problem, load

    worst = ExitCode.OK
    for path in args.files:
        warnings: list[Problem] = []
        try:
            if args.kind == "scenarios" or (args.kind is None and _is_scenarios(path)):
                from structplan import scenario

                loaded = scenario.load(path)
                n = len(loaded.scenarios)
                print(f"ok: {n} scenario{'s' if n != 1 else ''} of {loaded.base_path} ({path})")
                continue
            kind, obj = load(path, args.kind, warnings)
        except LoadError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            worst = ExitCode.BAD
            continue
        for warning in warnings:
            print(warning, file=sys.stderr)
        print(f"ok: {_summary(kind, obj)} ({path})")
    return worst


def _is_scenarios(path: str) -> bool:
    from structplan import scenario
    from structplan.formats import read_toml

    return scenario.looks_like(read_toml(path))
