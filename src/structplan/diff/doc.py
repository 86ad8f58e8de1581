"""The diff as a document: sections of lines of `rich.text.Text`, the styles of what comes
(green), what goes (red) and headings (bold), and the one way the document is printed (a rich
console into a string). Names from files are written out (`terminal.neutralize`) before they
become text, so what a terminal would obey is shown, in the editor as on the command line."""

from __future__ import annotations

import io
from collections.abc import Iterable

import attrs
from rich.text import Text

from structplan import terminal

ADD, RM, HEAD = "green", "red", "bold"

Part = str | Text


def text(part: Part) -> Text:
    """A piece of a line; a string is written out first (`terminal.neutralize`)."""
    return part if isinstance(part, Text) else Text(terminal.neutralize(part))


def add(words: str) -> Text:
    return _styled(words, ADD)


def rm(words: str) -> Text:
    return _styled(words, RM)


def head(words: str) -> Text:
    return _styled(words, HEAD)


def _styled(words: str, style: str) -> Text:
    """`words` with `style` as a span, so text appended to it stays plain."""
    out = Text()
    out.append(terminal.neutralize(words), style=style if words else None)
    return out


def join(sep: str, parts: Iterable[Part]) -> Text:
    """The pieces with `sep` between them, each keeping its style."""
    return Text(sep).join(text(p) for p in parts)


def cat(*parts: Part) -> Text:
    """One line of pieces, each keeping its style."""
    return join("", parts)


@attrs.frozen
class Section:
    """A part of the diff: an optional bold title over its lines. `spaced` puts a blank line
    before it; `key` names it for a reader of the data (the TUI's summary line)."""

    key: str
    title: Text | None
    lines: tuple[Text, ...]
    spaced: bool = True


@attrs.frozen
class Document:
    """The whole diff: its first line and its sections, in the order they are read."""

    title: Text
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def lines(self, title: bool = True) -> list[Text]:
        out = [self.title] if title else []
        for s in self.sections:
            if s.spaced:
                out.append(Text())
            if s.title is not None:
                out.append(s.title)
            out.extend(s.lines)
        return out

    def text(self, title: bool = True) -> Text:
        """The document as one `Text`, a line per line."""
        return Text("\n").join(self.lines(title))


def to_string(doc: Document, color: bool) -> str:
    """`doc` printed through a rich console into a string, with a newline after every line."""
    out = io.StringIO()
    terminal.console(out, color).print(doc.text())
    return out.getvalue()
