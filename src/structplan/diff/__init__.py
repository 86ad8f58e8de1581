"""`structplan diff`: what changes between two plans, as staffing decisions.

By job: `changes` compares (`diff(old, new)`, `diff_today(agency, plan)`, both giving a
`PlanDiff`), `text` renders a `PlanDiff` for a reader, `json_doc` turns it into data for
scripts (schema in docs/diff.md), and `command` is the command on files, with git's textconv
and external-diff driver. The names below are what the rest of structplan uses.
"""

from structplan.diff.changes import (
    COST_LINES,
    SCHEMA,
    AccountChange,
    AccountEntry,
    Change,
    Figure,
    PersonChange,
    PersonEntry,
    PlanDiff,
    ProjectChange,
    Staffing,
    diff,
    diff_today,
    mean_utilization,
)
from structplan.diff.command import compare, run, run_git
from structplan.diff.json_doc import to_json
from structplan.diff.text import WIDTH, render_text

__all__ = [
    "COST_LINES",
    "SCHEMA",
    "WIDTH",
    "AccountChange",
    "AccountEntry",
    "Change",
    "Figure",
    "PersonChange",
    "PersonEntry",
    "PlanDiff",
    "ProjectChange",
    "Staffing",
    "compare",
    "diff",
    "diff_today",
    "mean_utilization",
    "render_text",
    "run",
    "run_git",
    "to_json",
]
