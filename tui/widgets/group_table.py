"""GroupTable: a repeating group of an extraction form as an editable table, one row per
entry (e.g. one per outcome and time point). Keyboard: arrows move, Enter edits the cell
under the cursor, `a` adds a row, `x` or Delete removes one. Editing is done by the screen
(messages up); the table only shows the rows it is given (attributes down)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable

from extraction.forms import FieldDef, format_value
from tui.keys import screen_bindings
from tui.safe_text import safe_text
from tui.widgets.field_editor import field_label


class GroupTable(DataTable[Any]):
    """The rows of one repeating group; row keys are the stored row numbers (from 1)."""

    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("group")

    @dataclass
    class EditCell(Message):
        """Edit `column` of `row` (a new row when it is not stored yet)."""

        table: GroupTable
        row: int
        column: FieldDef

    @dataclass
    class RemoveRow(Message):
        """Remove stored row `row`."""

        table: GroupTable
        row: int

    def __init__(self, group: FieldDef) -> None:
        super().__init__(
            id=f"group-{group.name}", cursor_type="cell", zebra_stripes=True, classes="group-table"
        )
        self.group = group
        self.rows_shown: list[int] = []
        self.values: dict[int, dict[str, Any]] = {}
        self.border_title = field_label(group).markup
        self.border_subtitle = "Enter edit · a add · x remove"

    def on_mount(self) -> None:
        self.add_column("#", key="#")
        for c in self.group.fields:
            self.add_column(field_label(c), key=c.name)

    def show_rows(self, rows: dict[int, dict[str, Any]]) -> None:
        """Show the stored rows (row number → column → value)."""
        self.values = {i: dict(r) for i, r in rows.items()}
        self.rows_shown = sorted(self.values)
        where = self.cursor_coordinate
        self.clear()
        for n, i in enumerate(self.rows_shown, 1):
            r = self.values[i]
            cells = [
                safe_text(format_value(r.get(c.name)), single_line=True) for c in self.group.fields
            ]
            self.add_row(str(n), *cells, key=str(i))
        if self.row_count:
            self.cursor_coordinate = self.validate_cursor_coordinate(where)

    def set_cell(self, row: int, column: str, value: Any) -> None:
        """Show a saved value (adding the row if it was new)."""
        self.values.setdefault(row, {})[column] = value
        self.show_rows(self.values)
        if row in self.rows_shown:
            col = 1 + [c.name for c in self.group.fields].index(column)
            self.cursor_coordinate = self.validate_cursor_coordinate(
                self.cursor_coordinate._replace(row=self.rows_shown.index(row), column=col)
            )

    def _column(self) -> FieldDef:
        col = max(1, self.cursor_coordinate.column)
        return self.group.fields[min(col, len(self.group.fields)) - 1]

    def action_edit_cell(self) -> None:
        if not self.rows_shown:
            self.action_add_row()
            return
        row = self.rows_shown[self.cursor_coordinate.row]
        self.post_message(self.EditCell(self, row, self._column()))

    def action_add_row(self) -> None:
        new = max(self.rows_shown, default=0) + 1
        self.post_message(self.EditCell(self, new, self.group.fields[0]))

    def action_remove_row(self) -> None:
        if self.rows_shown:
            self.post_message(self.RemoveRow(self, self.rows_shown[self.cursor_coordinate.row]))
