"""What changed from the saved plan to the plan on screen: the Diff view's content and the
overview's summary of it, from `structplan diff`'s sections, computed again only when one of
the plans changed."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from structplan.diff.doc import Document
from structplan.model import Plan
from structplan.tui.document import PlanDocument
from structplan.tui.state import Changes


class DiffCache:
    """The changes of the last plan document asked about, kept while its plans stay the same."""

    def __init__(self) -> None:
        self._cached: tuple[tuple[Any, ...], Changes] | None = None

    def changes(self, doc: PlanDocument) -> Changes:
        key = (doc.plan, doc.saved, doc.replaced, doc.path)
        cached = self._cached
        if cached is not None and all(a is b for a, b in zip(cached[0], key, strict=True)):
            return cached[1]
        changes = make_changes(doc)
        self._cached = (key, changes)
        return changes


def make_changes(doc: PlanDocument) -> Changes:
    if doc.plan is None:
        return Changes(Text(""))
    saved_name = doc.path.name if doc.path else "the plan file"
    if doc.saved is None:
        return Changes(
            Text(
                f"No saved plan to compare with yet. Ctrl+S saves this plan to {saved_name}; "
                "the next solve is then compared with it, as `structplan diff` would."
            )
        )
    if doc.same_as_saved():
        if doc.plan is not doc.saved and doc.plan != doc.saved:
            return Changes(
                Text(
                    f"The plan on screen makes the same staffing decisions, figures and warnings as the "
                    f"saved plan ({saved_name}): no changes, as `structplan diff` compares plans."
                )
            )
        if doc.replaced is None:
            return Changes(
                Text(
                    f"The plan on screen is the saved plan ({saved_name}): no changes. "
                    "Edit the agency and solve again (F5) to see what would change."
                )
            )
        diff = _diff(doc.replaced, doc.saved, f"{saved_name} (before)", saved_name)
        return Changes(
            Group(
                Text(f"Saved to {saved_name}. What the save changed, from the plan it replaced:\n", style="bold"),
                _shown(diff),
            )
        )
    diff = _diff(doc.saved, doc.plan, saved_name, "on screen")
    head = Text(
        f"From the saved plan ({saved_name}) to the plan on screen, as `structplan diff` shows it:\n", style="bold"
    )
    return Changes(Group(head, _shown(diff)), _summary(diff), saved_name)


def _diff(old: Plan, new: Plan, old_name: str, new_name: str) -> Document | Text:
    """What `structplan diff OLD NEW` prints for two plans, as its sections."""
    from structplan import diff as plan_diff

    try:
        return plan_diff.document(plan_diff.diff(old, new, old_name, new_name))
    except Exception as exc:  # the diff is a report: never let it take the editor down
        return Text(f"The diff failed: {type(exc).__name__}: {exc}", style="red")


def _shown(diff: Document | Text) -> Text:
    return diff.text() if isinstance(diff, Document) else diff


def _summary(diff: Document | Text) -> Text | None:
    """The Summary section of a diff (None when the plans do not differ or the diff failed)."""
    section = diff.section("summary") if isinstance(diff, Document) else None
    if section is None:
        return None
    return Text("\n".join(line.plain.strip() for line in section.lines))
