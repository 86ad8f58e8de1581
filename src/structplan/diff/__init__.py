"""`structplan diff`: what changes between two plans, as staffing decisions.

By job: `changes` compares (`diff(old, new)`, `diff_today(agency, plan)`, both giving a
`PlanDiff`), `text` renders a `PlanDiff` for a reader as sections of rich text, and `json_doc`
turns it into data for scripts (schema in docs/diff.md). The command on files, with git's
textconv and external-diff driver, is `structplan.commands.diff`.
"""

from typing import TYPE_CHECKING, Any

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
from structplan.diff.json_doc import to_json

if TYPE_CHECKING:
    from structplan.diff.text import WIDTH, Document, Section, document, render_text

#: What `diff.text` gives, imported on first use: it needs rich, which the other commands and
#: the comparison alone do without.
_TEXT = ("WIDTH", "Document", "Section", "document", "render_text")


def __getattr__(name: str) -> Any:
    if name in _TEXT:
        from structplan.diff import text

        return getattr(text, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COST_LINES",
    "SCHEMA",
    "WIDTH",
    "AccountChange",
    "AccountEntry",
    "Change",
    "Document",
    "Figure",
    "PersonChange",
    "PersonEntry",
    "PlanDiff",
    "ProjectChange",
    "Section",
    "Staffing",
    "diff",
    "diff_today",
    "document",
    "mean_utilization",
    "render_text",
    "to_json",
]
