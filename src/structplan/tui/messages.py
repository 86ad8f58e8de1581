"""Messages the solve worker posts to the app. The worker thread never touches a widget: it
posts one of these and the app updates the screen from its own thread."""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message

from structplan.model import Agency
from structplan.solver.api import Outcome, Progress


class SolveProgress(Message):
    """The running search reported its best objective and bound."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class SolveFinished(Message):
    """The search ended: a plan, no plan with its explanation, or cancelled."""

    def __init__(self, outcome: Outcome, agency: Agency, structures: Sequence[str], elapsed: float) -> None:
        super().__init__()
        self.outcome = outcome
        self.agency = agency
        """The agency that was solved (edits made during the solve are not in the plan)."""
        self.structures = tuple(structures)
        self.elapsed = elapsed


class SolveFailed(Message):
    """The solver raised: a bug, reported in words instead of a traceback."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
