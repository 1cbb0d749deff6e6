"""What the console's live tables share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.coordinate import Coordinate
from textual.widgets import DataTable


def refill(table: DataTable, rows: Iterable[tuple[Sequence[Any], str]]) -> None:
    """Replace a table's rows (cells, key), keeping its cursor and scroll where they were:
    clear() puts them back at the top, and a table refilled every second would never let its
    reader move down."""
    cursor, scroll = table.cursor_coordinate, table.scroll_y
    table.clear()
    for cells, key in rows:
        table.add_row(*cells, key=key)
    if table.row_count:
        row = min(cursor.row, table.row_count - 1)
        table.cursor_coordinate = Coordinate(row, cursor.column)
        table.scroll_to(y=scroll, animate=False, immediate=True)
