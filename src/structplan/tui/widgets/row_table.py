"""A table of rows: Home and End go to the first and the last row, the first column stays put."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowTable(DataTable[Any]):
    """A DataTable with a row cursor whose first column (the record's id or name) stays in view
    when the table scrolls sideways; Home / End move the cursor to the first / last row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, fixed_columns: int = 1, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(fixed_columns=fixed_columns, **kwargs)
