"""What reaches the terminal: names from files written out rather than obeyed, and the rich
`Console` that prints the commands' coloured text and their progress lines.

rich is imported only when a console is made, so the commands that print plain text start
without it.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["PlainOutput", "console", "live_line", "neutralize"]


#: What a terminal would obey rather than show: C0 controls but tab and newline, DEL, C1
#: controls, and the bidirectional overrides that reorder what is shown; with colours allowed,
#: SGR sequences (ESC [ ... m) are kept whole.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_BUT_COLOR = re.compile(r"\x1b\[[0-9;]*m|" + _UNSAFE.pattern)


def neutralize(text: str, colors: bool = False) -> str:
    """Text for a terminal: every control character written out (ESC as \\x1b), so a name in a
    file cannot clear the screen, set the window title or forge a hyperlink."""

    def visible(m: re.Match[str]) -> str:
        found = m.group()
        return found if len(found) > 1 else f"\\x{ord(found):02x}" if ord(found) < 0x100 else f"\\u{ord(found):04x}"

    return (_UNSAFE_BUT_COLOR if colors else _UNSAFE).sub(visible, text)


class PlainOutput(io.TextIOBase):
    """Standard output of the commands: every text written goes through `neutralize`, the one
    place where names from files reach the terminal."""

    def __init__(self, stream: TextIO, colors: bool = False) -> None:
        self._stream = stream
        self._colors = colors

    def write(self, text: str) -> int:
        self._stream.write(neutralize(text, self._colors))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)


def console(file: TextIO, color: bool, live: bool = False) -> Console:
    """The rich console of a command writing to `file`: ANSI colour exactly when `color` (the
    command decides that from --color, NO_COLOR and the terminal), lines never wrapped or padded,
    and nothing in the text taken for markup, emoji or a value to highlight. A `live` console
    draws on a terminal in place and folds lines at its width."""
    from rich.console import Console

    return Console(
        file=file,
        force_terminal=color or live,
        color_system="standard" if color else None,
        soft_wrap=not live,
        markup=False,
        emoji=False,
        highlight=False,
    )


@contextlib.contextmanager
def live_line(file: TextIO, line: Callable[[], str]) -> Iterator[None]:
    """While the block runs, `line()` redrawn in place on the terminal `file` ten times a second
    (rich's `Live`), folded onto a second line on a narrow terminal, and erased at the end. The
    last column stays free: the terminal's echo of a Ctrl-C there would start a line that the
    erasing misses."""
    from rich.live import Live
    from rich.text import Text

    terminal = console(file, color=False, live=True)
    terminal.width = max(terminal.width - 1, 20)

    def shown() -> Text:
        return Text(neutralize(line()), overflow="fold")

    with Live(
        get_renderable=shown,
        console=terminal,
        transient=True,
        refresh_per_second=10,
        redirect_stdout=False,
        redirect_stderr=False,
    ):
        yield
