"""Small modal dialogs: a question with buttons, and a file path."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, DirectoryTree, Input, Label, Static
from textual.widgets.button import ButtonVariant


class ChoiceScreen(ModalScreen[str]):
    """A question and a row of buttons; dismisses with the chosen button's id (Esc: cancel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('cancel')", "Cancel"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, title: str, message: str | Text, choices: Sequence[tuple[str, str, ButtonVariant]]) -> None:
        """`choices` are (id, label, variant); the first one has the focus."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = tuple(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text), id="dialog-title")
            yield Static(self.message if isinstance(self.message, Text) else Text(self.message), id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                for choice_id, label, variant in self.choices:
                    yield Button(label, id=choice_id, variant=variant, compact=True)

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class PathSuggester(Suggester):
    """Completes a file path from what exists on disk."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        path = Path(value).expanduser()
        folder, stem = (path, "") if value.endswith("/") else (path.parent, path.name)
        try:
            names = sorted(
                p.name + ("/" if p.is_dir() else "")
                for p in folder.iterdir()
                if p.name.startswith(stem) and not p.name.startswith(".")
            )
        except OSError:
            return None
        if not names:
            return None
        head = value[: len(value) - len(stem)] if stem else value
        return head + names[0]


class TomlTree(DirectoryTree):
    """Folders and TOML files."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".toml")]


class PathScreen(ModalScreen[Path | None]):
    """Ask for a file path: type it (Tab completes) or pick it in the tree."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, initial: str = "", note: str = "", must_exist: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.initial = initial
        self.note = note
        self.must_exist = must_exist

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Label(Text(self.title_text), id="dialog-title")
            if self.note:
                yield Static(Text(self.note), id="path-note")
            yield Input(self.initial, id="path-input", suggester=PathSuggester(), placeholder="path/to/file.toml")
            yield Static("", id="path-error")
            yield TomlTree(Path.cwd(), id="path-tree")
            with Horizontal(id="dialog-buttons"):
                yield Button("OK  Enter", id="path-ok", variant="primary", compact=True)
                yield Button("Cancel  Esc", id="path-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        path = event.path
        with contextlib.suppress(ValueError):
            path = path.relative_to(Path.cwd())
        field = self.query_one("#path-input", Input)
        field.value = str(path)
        field.focus()

    @on(Input.Submitted, "#path-input")
    @on(Button.Pressed, "#path-ok")
    def _ok(self) -> None:
        text = self.query_one("#path-input", Input).value.strip()
        error = self.query_one("#path-error", Static)
        if not text:
            error.update(Text("Type a file name.", style="red"))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            error.update(Text(f"{text} is a folder; name a file in it.", style="red"))
            return
        if self.must_exist and not path.exists():
            error.update(Text(f"{text}: no such file.", style="red"))
            return
        if not self.must_exist and not path.parent.is_dir():
            error.update(Text(f"{path.parent}: no such folder.", style="red"))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
