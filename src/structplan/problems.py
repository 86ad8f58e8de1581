"""What is wrong with a file: one `Problem` per mistake, raised together as a `LoadError`."""

from __future__ import annotations

import attrs


@attrs.frozen
class Problem:
    """One mistake in one file."""

    file: str
    """The file, as the user named it."""
    where: str
    """"line 3, column 7" for syntax, a key path such as accounts[3].fee for content, or ""."""
    message: str
    """What is wrong."""
    records: str = ""
    """The records the key path goes through, by id: "account 'acme', project 'site'" (see
    `named`); shown after the path."""

    def __str__(self) -> str:
        where = f"{self.where} ({self.records})" if self.records else self.where
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


class LoadError(Exception):
    """A file could not be loaded; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------- reading text
