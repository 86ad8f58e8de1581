"""Words the reports share: counts with their noun, and the two modes as a reader says them."""

from __future__ import annotations

from structplan.model import E2E, SPLIT

#: The modes in words.
MODE_WORDS = {SPLIT: "split", E2E: "end to end"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 account', '2 accounts'; `many` where the plural is not `word` + s ('people')."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def mode_words(mode: str | None) -> str:
    """A mode as the reports write it; '?' for none."""
    return MODE_WORDS.get(mode, mode) if mode else "?"
