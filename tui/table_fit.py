"""Filling a DataTable whose columns are as wide as their widest cell.

Textual's auto-sized columns are measured when the table next lays out, which can fall before
or after rows added from a worker's message: a snapshot (or a person) then sees columns cut
short by chance. Measuring the cells here, in the same call that adds them, makes the widths a
function of the data alone."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text


def _width(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


def fill_fitted(
    table: DataTable[Cell], labels: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> None:
    """Replace the table's columns and rows: one column per label, as wide as its widest cell
    (or its label), then the rows."""
    table.clear(columns=True)
    for i, label in enumerate(labels):
        table.add_column(label, width=max([cell_len(label), *(_width(r[i]) for r in rows)]))
    for r in rows:
        table.add_row(*r)
