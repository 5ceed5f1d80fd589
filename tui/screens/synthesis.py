"""Synthesis: studies counted per cell of two fields of the extraction form (the evidence and
gap map as a table). Pick the fields, move over the cells; Enter lists a cell's studies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Select, Static

from extraction.forms import FormDef
from extraction.synthesis.settled import StudyValues, settled_values
from extraction.synthesis.tables import CountTable, cross_tab
from review.db import Store
from tui.keys import screen_bindings
from tui.safe_text import safe_text
from tui.screens.base import LitsiftScreen
from tui.worker_errors import reports_failure

SKIP_TYPES = ("long_text",)


class SynthesisScreen(LitsiftScreen):
    """Counts of studies per rows × columns field; Enter (or `l`, wherever the focus is) on a
    cell lists its studies."""

    CSS_PATH = "synthesis.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("synthesis")
    FAILED_IN = "cell-studies"

    @dataclass
    class Loaded(Message):
        """A worker read the settled extractions."""

        form: FormDef
        studies: list[StudyValues]

    def __init__(self, store: Store, form: str | None = None) -> None:
        super().__init__(store, sub_title="synthesis")
        self.form_name = form
        self.form: FormDef | None = None
        self.studies: list[StudyValues] = []
        self.table: CountTable | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="pickers"):
            yield Select[str]([], prompt="rows: pick a field", id="rows")
            yield Select[str]([], prompt="(no columns)", id="cols")
        yield DataTable(id="counts", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="cell-studies")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _load(self) -> None:
        fv, studies = settled_values(self.store, self.form_name)
        self.post_message(self.Loaded(fv.form, studies))

    def loaded(self) -> bool:
        return self.form is not None

    def on_synthesis_screen_loaded(self, message: Loaded) -> None:
        self.form, self.studies = message.form, message.studies
        fields = [f for f in message.form.leaves() if f.type not in SKIP_TYPES]
        options = [(f.label or f.path, f.path) for f in fields]
        preferred = [f.path for f in fields if f.type in ("country", "choice", "multi_choice")]
        rows = preferred[0] if preferred else fields[0].path
        cols = preferred[1] if len(preferred) > 1 else None
        rs, cs = self.query_one("#rows", Select), self.query_one("#cols", Select)
        with self.prevent(Select.Changed):
            rs.set_options(options)
            cs.set_options(options)
            rs.value = rows
            if cols:
                cs.value = cols
        self._show()
        self.query_one(DataTable).focus()

    @on(Select.Changed)
    def _changed(self) -> None:
        self._show()
        self.query_one(DataTable).focus()  # back to the cells: Enter lists one again

    def _fields(self) -> tuple[str | None, str | None]:
        r = self.query_one("#rows", Select).value
        c = self.query_one("#cols", Select).value
        return (r if isinstance(r, str) else None, c if isinstance(c, str) else None)

    def _show(self) -> None:
        rows, cols = self._fields()
        if self.form is None or rows is None:
            return
        t = cross_tab(self.form, self.studies, rows, cols if cols != rows else None)
        self.table = t
        dt = self.query_one(DataTable)
        dt.clear(columns=True)
        for label in t.columns:
            dt.add_column(safe_text(label, single_line=True))
        for r in t.rows():
            label, *counts = r
            dt.add_row(
                safe_text(label, single_line=True),
                *(safe_text(str(n), "dim" if n == 0 else "bold") for n in counts),
            )
        gaps = len(t.empty_cells())
        cells = len(t.row_axis.keys) * len(t.col_keys)
        self.query_one("#cell-studies", Static).update(
            safe_text(
                f"{len(t.studies)} studies; {gaps} of {cells} cells empty. "
                "Enter (or l) on a cell lists its studies."
            )
        )

    def cell_studies(self, row: int, column: int) -> tuple[str, list[int]]:
        """The cell at a table position: its description and its study ids (the row's label
        and its total: every study of the row)."""
        t = self.table
        if t is None or row >= len(t.row_axis.keys):
            return "", []
        rk, rl = t.row_axis.keys[row], t.row_axis.labels[row]
        cols = t.col_keys
        if column == 0 or column > len(cols):
            ids = sorted({i for c in cols for i in t.ids(rk, c)})
            return rl, ids
        ck = cols[column - 1]
        where = rl if t.col_axis is None else f"{rl} × {t.col_axis.labels[column - 1]}"
        return where, list(t.ids(rk, ck))

    @on(DataTable.CellSelected)
    def _cell(self, event: DataTable.CellSelected) -> None:
        self.action_list_cell()

    def action_list_cell(self) -> None:
        """List the studies of the cell under the table's cursor (Enter on the table, or
        `l` wherever the focus is: Enter on a field picker opens the picker)."""
        at = self.query_one(DataTable).cursor_coordinate
        where, ids = self.cell_studies(at.row, at.column)
        if not where or self.table is None:
            return
        names = self.table.names
        titles = {s.study: s.titles for s in self.studies}
        n = f"{len(ids)} stud{'y' if len(ids) == 1 else 'ies'}"
        lines = [f"{where}: {n}" if ids else f"{where}: no studies (a gap)"]
        for i in ids:
            reports = titles.get(i) or (names.get(i, ""),)
            lines.append(f"  #{i} {reports[0]}")
            lines += [f"       also: {t}" for t in reports[1:]]
        self.query_one("#cell-studies", Static).update(safe_text("\n".join(lines)))

    def action_pick(self, which: str) -> None:
        self.query_one(f"#{which}", Select).focus()

    def action_swap(self) -> None:
        rows, cols = self._fields()
        if rows is None or cols is None:
            return
        rs, cs = self.query_one("#rows", Select), self.query_one("#cols", Select)
        with self.prevent(Select.Changed):
            rs.value, cs.value = cols, rows
        self._show()

    def selected(self) -> tuple[Any, Any]:
        """The fields on the rows and columns now (for tests and the footer)."""
        return self._fields()
