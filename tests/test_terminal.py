"""What reaches the terminal: controls written out, colour exactly when asked."""

from __future__ import annotations

import io

from rich.text import Text

from structplan import terminal


def test_neutralize_writes_controls_out() -> None:
    assert terminal.neutralize("a\x1b[2Jb\tc\nd\re\x9bf\u202eg") == "a\\x1b[2Jb\tc\nd\\x0de\\x9bf\\u202eg"
    assert terminal.neutralize("\x1b[31mred\x1b[0m \x1b]0;t\x07") == "\\x1b[31mred\\x1b[0m \\x1b]0;t\\x07"
    assert terminal.neutralize("\x1b[31mred\x1b[0m \x1b]0;t\x07", colors=True) == "\x1b[31mred\x1b[0m \\x1b]0;t\\x07"


def test_the_console_colours_only_when_asked_and_never_wraps_or_reads_markup() -> None:
    line = Text.assemble("[bold]not markup[/] :smile: ", ("gone", "red"), " " + "x" * 300)
    for color in (False, True):
        out = io.StringIO()
        terminal.console(out, color).print(line)
        text = out.getvalue()
        assert ("\x1b[31mgone\x1b[0m" in text) is color
        assert ("\x1b[" in text) is color
        plain = text.replace("\x1b[31m", "").replace("\x1b[0m", "")
        assert plain == "[bold]not markup[/] :smile: gone " + "x" * 300 + "\n"
