"""A modal form that edits one record; an invalid value is refused with the loader's message."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from structplan.tui.editing import EditRefused, Field, parse_value

#: What the form calls when the user saves: None when the edit is taken, else why not.
Submit = Callable[[dict[str, Any]], EditRefused | None]


class RecordForm(ModalScreen[bool]):
    """Inputs for the fields of a record; Enter saves, Esc closes without a change."""

    AUTO_FOCUS = "Input, Select"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        Binding("ctrl+s", "save", "Save", show=False),
    ]

    def __init__(self, title: str, fields: Sequence[Field], values: Mapping[str, str], submit: Submit) -> None:
        super().__init__()
        self.form_title = title
        self.fields = tuple(fields)
        self.values = dict(values)
        self.submit = submit

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form", can_focus=False):
            yield Label(Text(self.form_title), id="form-title")
            for field in self.fields:
                with Horizontal(classes="form-row -text" if field.kind == "toml" else "form-row"):
                    yield Label(field.label, classes="form-label")
                    value = self.values.get(field.name, "")
                    if field.kind == "choice":
                        options = [(c, c) for c in field.choices]
                        yield Select(
                            options,
                            value=value if value in field.choices else Select.NULL,
                            allow_blank=field.optional or value not in field.choices,
                            prompt="(none)" if field.optional else "choose",
                            id=f"field-{field.name}",
                            compact=True,
                        )
                    elif field.kind == "toml":  # several lines: Enter is a new line, Ctrl+S saves
                        yield TextArea(value, id=f"field-{field.name}", compact=True, classes="form-text")
                    else:
                        yield Input(value, id=f"field-{field.name}", compact=True)
                yield Static(Text(field.help), id=f"note-{field.name}", classes="form-note")
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save  Enter", id="form-save", variant="primary", compact=True)
                yield Button("Cancel  Esc", id="form-cancel", compact=True)

    def raw_values(self) -> dict[str, str]:
        """The text of every input, by field name."""
        out: dict[str, str] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                out[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, TextArea):
                out[field.name] = widget.text
            else:
                assert isinstance(widget, Input)
                out[field.name] = widget.value
        return out

    def parsed_values(self) -> dict[str, Any]:
        """The values the inputs stand for, by field name."""
        raw = self.raw_values()
        return {f.name: parse_value(f, raw[f.name]) for f in self.fields}

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        refused = self.submit(self.parsed_values())
        if refused is None:
            self.dismiss(True)
            return
        self.show_problems(refused)

    def show_problems(self, refused: EditRefused) -> None:
        """Put each problem under its field and all of them at the bottom."""
        by_field = refused.field_problems()
        rest = next((f.name for f in self.fields if f.kind == "toml"), None)
        if rest is not None:  # keys without an input of their own are written in the text field
            names = {f.name for f in self.fields}
            for key, text in list(by_field.items()):
                if key not in names:
                    by_field.setdefault(rest, text)
        first: str | None = None
        for field in self.fields:
            note = self.query_one(f"#note-{field.name}", Static)
            message = by_field.get(field.name)
            note.set_class(message is not None, "-error")
            note.update(Text(message) if message else Text(field.help))
            self.query_one(f"#field-{field.name}").set_class(message is not None, "-invalid")
            if message and first is None:
                first = field.name
        error = self.query_one("#form-error", Static)
        error.update(Text("Refused: " + "\n".join(refused.lines())))
        error.add_class("-error")
        if first is not None:
            self.query_one(f"#field-{first}").focus()

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
