"""Synthesis: studies counted per cell of two fields of the extraction form (the evidence and
gap map as a table). Pick the fields, move over the cells; Enter lists a cell's studies."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from extraction.forms import FormDef
from extraction.synthesis.settled import StudyValues, settled_values
from extraction.synthesis.tables import CountTable, cross_tab
from review.db import Store
from review.errors import LitsiftError
from tui.safe_text import safe_text

SKIP_TYPES = ("long_text",)


class SynthesisScreen(Screen[None]):
    """Counts of studies per rows × columns field; Enter on a cell lists its studies."""

    CSS_PATH = "synthesis.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "pick('rows')", "Rows field", id="synthesis.rows"),
        Binding("c", "pick('cols')", "Columns field", id="synthesis.cols"),
        Binding("w", "swap", "Swap", id="synthesis.swap"),
        Binding("escape,q", "app.pop_screen", "Back", id="synthesis.back"),
        Binding("question_mark", "app.toggle_keys", "Keys", id="synthesis.help"),
    ]

    class Loaded(Message):
        """A worker read the settled extractions."""

        def __init__(self, form: FormDef | None, studies: list[StudyValues], error: str) -> None:
            super().__init__()
            self.form = form
            self.studies = studies
            self.error = error

    def __init__(self, store: Store, form: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.form_name = form
        self.form: FormDef | None = None
        self.studies: list[StudyValues] = []
        self.table: CountTable | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pickers"):
            yield Select[str]([], prompt="rows: pick a field", id="rows")
            yield Select[str]([], prompt="(no columns)", id="cols")
        yield DataTable(id="counts", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="cell-studies")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="db")
    def _load(self) -> None:
        try:
            fv, studies = settled_values(self.store, self.form_name)
        except LitsiftError as e:
            self.post_message(
                self.Loaded(None, [], f"{e.message} ({e.hint})" if e.hint else e.message)
            )
            return
        self.post_message(self.Loaded(fv.form, studies, ""))

    def on_synthesis_screen_loaded(self, message: Loaded) -> None:
        info = self.query_one("#cell-studies", Static)
        if message.form is None:
            info.update(safe_text(message.error))
            return
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
                "Enter on a cell lists its studies."
            )
        )

    def cell_studies(self, row: int, column: int) -> tuple[str, list[int]]:
        """The cell at a table position: its description and its study ids."""
        t = self.table
        if t is None or row >= len(t.row_axis.keys) or column == 0:
            return "", []
        rk, rl = t.row_axis.keys[row], t.row_axis.labels[row]
        cols = t.col_keys
        if column > len(cols):  # the total column: every study of the row
            ids = sorted({i for c in cols for i in t.ids(rk, c)})
            return rl, ids
        ck = cols[column - 1]
        where = rl if t.col_axis is None else f"{rl} × {t.col_axis.labels[column - 1]}"
        return where, list(t.ids(rk, ck))

    @on(DataTable.CellSelected)
    def _cell(self, event: DataTable.CellSelected) -> None:
        where, ids = self.cell_studies(event.coordinate.row, event.coordinate.column)
        if not where or self.table is None:
            return
        names = self.table.names
        titles = {s.study: s.titles for s in self.studies}
        lines = [f"{where}: {len(ids)} studies" if ids else f"{where}: no studies (a gap)"]
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
