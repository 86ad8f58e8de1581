"""A table of rows: Home and End go to the first and the last row, the first column stays put,
and one wide column (a name, a meaning) gives way so that the others fit the screen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class RowTable(DataTable[Any]):
    """A DataTable with a row cursor whose first column (the record's id or name) stays in view
    when the table scrolls sideways; Home / End move the cursor to the first / last row.

    `squeeze` names a column that is cut (with an ellipsis) when the table is wider than its
    room, down to `squeeze_min` cells, so the columns after it stay on screen at 80 columns.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(
        self, *, fixed_columns: int = 1, squeeze: str | None = None, squeeze_min: int = 8, **kwargs: Any
    ) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(fixed_columns=fixed_columns, **kwargs)
        self.squeeze = squeeze
        self.squeeze_min = squeeze_min

    def add_row(self, *cells: Any, **kwargs: Any) -> RowKey:
        """Add a row; text cells keep to one line, cut with an ellipsis when their column is."""
        for value in cells:
            if isinstance(value, Text):
                value.no_wrap, value.overflow = True, "ellipsis"
        return super().add_row(*cells, **kwargs)

    def on_resize(self, event: events.Resize) -> None:
        if self.squeeze is not None and self._fit_squeezed():
            self._resized_columns()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        if self.squeeze is not None and self._fit_squeezed():
            self._resized_columns()

    def _fit_squeezed(self) -> bool:
        """Give the squeezed column what the others leave; whether its width changed."""
        column = next((c for c in self.columns.values() if c.key.value == self.squeeze), None)
        room = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:  # keep room for it: rows come and go
            room -= self.styles.scrollbar_size_vertical
        if column is None or room <= 0:
            return False
        others = sum(c.get_render_width(self) for c in self.columns.values() if c is not column)
        left = room - others - 2 * self.cell_padding
        if column.content_width <= left:
            changed = not column.auto_width
            column.auto_width = True
            return changed
        width = max(self.squeeze_min, left)
        changed = column.auto_width or column.width != width
        column.auto_width, column.width = False, width
        return changed

    def _resized_columns(self) -> None:
        self._clear_caches()
        width = sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self.virtual_size.height)
        self.refresh()
