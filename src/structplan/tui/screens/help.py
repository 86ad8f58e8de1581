"""The help screen: every key of the editor."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from structplan.tui.keys import KEYS

_INTRO = (
    "structplan plans how an agency staffs Account Management and Project Management. Edit the "
    "agency on tabs 1-4, solve on tab 5, read the plan on tab 6, ask what-if on tab 7. Every edit can "
    "be undone; unsaved "
    "edits survive a crash in a recovery file offered the next time the file is opened."
)


def keys_table() -> Table:
    """The KEYS table as a Rich table."""
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("Where", style="dim")
    table.add_column("Keys", style="bold")
    table.add_column("What they do")
    last = ""
    for section, keys, what in KEYS:
        table.add_row(section if section != last else "", keys, what)
        last = section
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, by where it works. Esc, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Label("structplan: keys  [dim](Esc closes)[/]", id="dialog-title")
            with VerticalScroll():
                yield Static(Text(_INTRO), id="help-intro")
                yield Static(keys_table(), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
