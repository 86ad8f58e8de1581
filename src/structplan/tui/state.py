"""What the main screen shows, as values: the widgets hold these as reactives and draw
themselves when they change (MainScreen binds them; the app only sets them)."""

from __future__ import annotations

from pathlib import Path

import attrs
from rich.console import RenderableType
from rich.text import Text

from structplan.model import Agency
from structplan.tui.document import PlanDocument


@attrs.frozen
class Changes:
    """What changed from the saved plan to the plan on screen."""

    full: RenderableType
    """The Diff view: `structplan diff`'s text, or a note."""
    summary: Text | None = None
    """Its Summary section, for the overview (None when there is nothing to compare)."""
    saved_name: str = ""
    """The saved plan's file name."""


@attrs.frozen
class AgencyShown:
    """The agency as edited, the file its scenarios live next to, and the record to put the
    cursor on (kind and id; none when empty)."""

    agency: Agency
    path: Path | None
    read_only: bool = False
    select: tuple[str, str] = ("", "")

    def selected(self, kind: str) -> str | None:
        """The id to put the cursor on in a table of `kind` records (None: keep the cursor)."""
        return self.select[1] if self.select[0] == kind else None


@attrs.frozen(eq=False)
class PlanShown:
    """The plan document, the agency it is read against and what changed since the last plan."""

    doc: PlanDocument
    agency: Agency
    changes: Changes
