"""A table of agency records (accounts, projects, people, hiring options, pins)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from structplan.tui.editing import RecordKind
from structplan.tui.widgets.row_table import RowTable

#: Columns shown right-aligned as amounts.
_MONEY = frozenset({"fee", "cost"})
_NUMBERS = frozenset({"tier", "level", "fte", "complexity", "effort_hours", "max", "projects", "top_complexity"})


def cell(name: str, value: Any) -> Text:
    """A record value as a table cell: plain text, never read as markup (names come from files)."""
    if value is None or value == "" or value == ():
        return Text("-", style="dim", justify="right" if name in _NUMBERS | _MONEY else "left")
    if isinstance(value, (list, tuple)):
        return _line(", ".join(str(v) for v in value))
    if name in _MONEY and isinstance(value, int):
        return Text(f"{value:,}", justify="right")
    if name in _NUMBERS:
        return Text(str(value), justify="right")
    return _line(str(value))


def _line(text: str) -> Text:
    """One line of text, cut with an ellipsis when its column is narrower."""
    return Text(text, no_wrap=True, overflow="ellipsis")


class RecordTable(RowTable):
    """Records of one kind, one row each; asks the app to add, edit or delete them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_record", "Add"),
        Binding("e", "edit_record", "Edit"),
        Binding("d,delete", "delete_record", "Delete"),
    ]

    class AddRequested(Message):
        """The user wants a new record of this table's kind."""

        def __init__(self, table: RecordTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> RecordTable:
            return self.table

    class RecordRequested(Message):
        """The user wants something done to the record under the cursor."""

        def __init__(self, table: RecordTable, record_id: str) -> None:
            super().__init__()
            self.table = table
            self.record_id = record_id

        @property
        def control(self) -> RecordTable:
            return self.table

    class EditRequested(RecordRequested):
        """The user wants to edit the record under the cursor."""

    class DeleteRequested(RecordRequested):
        """The user wants to delete the record under the cursor."""

    def __init__(
        self,
        kind: RecordKind,
        columns: Sequence[tuple[str, str]],
        *,
        extra: Callable[[Any, str], Any] | None = None,
        squeeze: str | None = "name",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, squeeze=squeeze if any(key == squeeze for key, _ in columns) else None)
        self.kind = kind
        self.columns_spec = tuple(columns)
        """(key, label) of each column."""
        self.extra = extra
        """Value of a column that is not a field of the record (e.g. an account's project count)."""
        self.parent_id: str | None = None
        """Id of the account whose projects this table shows (projects only)."""
        self._rows: list[tuple[str, tuple[Any, ...]]] = []

    def on_mount(self) -> None:
        for key, label in self.columns_spec:
            self.add_column(label, key=key)

    # ------------------------------------------------------------------ content

    @property
    def current_id(self) -> str | None:
        """Id of the record under the cursor."""
        if not self.row_count:
            return None
        row = min(max(self.cursor_row, 0), self.row_count - 1)
        return self._rows[row][0] if row < len(self._rows) else None

    def show(self, records: Sequence[Any], select: str | None = None) -> None:
        """Show these records, keeping the cursor on the same record when it is still there.

        Only what changed is redrawn: a large agency has hundreds of rows, and measuring them
        all again after every edit would make typing lag.
        """
        keep = select or self.current_id
        index = self.cursor_row
        rows = [(str(getattr(r, self.kind.key)), self._cells(r)) for r in records]
        old_ids = [r[0] for r in self._rows]
        new_ids = [r[0] for r in rows]
        if new_ids != old_ids:
            kept = [i for i in old_ids if i in set(new_ids)]
            removed = len(old_ids) - len(kept)
            if kept and removed <= 5 and new_ids[: len(kept)] == kept and len(set(new_ids)) == len(new_ids):
                # Records removed anywhere and/or added at the end: no full rebuild.
                for row_id in set(old_ids) - set(new_ids):
                    self.remove_row(row_id)
                old_cells = {row_id: cells for row_id, cells in self._rows}
                self._rows = [(row_id, old_cells[row_id]) for row_id in kept]
                for row_id, cells in rows[len(kept) :]:
                    self.add_row(*cells, key=row_id)
                self._rows.extend(rows[len(kept) :])
            else:
                self.clear()
                for row_id, cells in rows:
                    self.add_row(*cells, key=row_id)
                self._rows = list(rows)
        for (row_id, cells), (_, before) in zip(rows, self._rows, strict=True):
            if cells != before:
                for (key, _), value, old in zip(self.columns_spec, cells, before, strict=True):
                    if value != old:
                        self.update_cell(row_id, key, value, update_width=True)
        self._rows = rows
        if not rows:
            return
        target = new_ids.index(keep) if keep in new_ids else min(max(index, 0), len(new_ids) - 1)
        if target != self.cursor_row:
            self.move_cursor(row=target, animate=False)

    def _cells(self, record: Any) -> tuple[Any, ...]:
        out = []
        for key, _ in self.columns_spec:
            value = self.extra(record, key) if self.extra else NotImplemented
            if value is NotImplemented:
                value = getattr(record, key, None)
            out.append(cell(key, value))
        return tuple(out)

    # ------------------------------------------------------------------ actions

    def action_add_record(self) -> None:
        self.post_message(self.AddRequested(self))

    def action_edit_record(self) -> None:
        if self.current_id is not None:
            self.post_message(self.EditRequested(self, self.current_id))

    def action_delete_record(self) -> None:
        if self.current_id is not None:
            self.post_message(self.DeleteRequested(self, self.current_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_record()
