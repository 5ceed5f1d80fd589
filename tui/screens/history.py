"""Decision history: list and filter earlier decisions and change one (a change is a new
decision; the old one stays in the log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from review import service, settings
from review.blinding import visible_history
from review.db import Store
from review.decision_change import change_decision
from review.decisions import DecisionView
from review.models import LABELS
from tui.keys import screen_bindings
from tui.safe_text import safe_text, visible
from tui.screens.base import LitsiftScreen
from tui.screens.reason_picker import ReasonPicker
from tui.table_fit import fill_fitted
from tui.widgets.filter_input import FilterInput
from tui.worker_errors import reports_failure

COLUMNS = ("#", "when", "decision", "reviewer", "stage", "record", "title")


class HistoryScreen(LitsiftScreen):
    """Browse decisions; `/` filters (a label, `@reviewer` or title words); i/e/m change."""

    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("history")

    @dataclass
    class Rows(Message):
        """A worker fetched the decisions to list."""

        rows: list[service.HistoryRow]
        note: str = ""
        reasons: list[str] | None = None

    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__(store, reviewer, f"history · {reviewer}")
        self.query_text = ""
        self.rows: list[service.HistoryRow] = []
        self.reasons: list[str] = list(settings.DEFAULT_REASONS)

    def compose_body(self) -> ComposeResult:
        yield FilterInput(
            placeholder="filter: include | exclude | maybe | @reviewer | title words", id="filter"
        )
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail")  # the highlighted row's record in full: no room in the table

    def on_mount(self) -> None:
        fill_fitted(self.query_one(DataTable), COLUMNS, [])
        self.query_one(DataTable).focus()
        self._load()

    def _filters(self) -> dict[str, str | None]:
        words, label, reviewer = [], None, None
        for w in self.query_text.split():
            if w in LABELS:
                label = w
            elif w.startswith("@"):
                reviewer = w[1:]
            else:
                words.append(w)
        return {"label": label, "reviewer": reviewer, "search": " ".join(words)}

    def _post_rows(self, note: str = "", reasons: list[str] | None = None) -> None:
        """(In a worker) fetch the filtered decisions and post them."""
        f = self._filters()
        rows = service.decision_history(
            self.store, label=f["label"], reviewer=f["reviewer"], search=f["search"] or ""
        )
        rows = visible_history(self.store, rows, self.reviewer)  # blind in dual screening
        self.post_message(self.Rows(rows, note, reasons))

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _load(self, note: str = "") -> None:
        self._post_rows(note, list(settings.protocol(self.store).exclusion_reasons))

    def on_history_screen_rows(self, message: Rows) -> None:
        self.rows = message.rows
        if message.reasons:
            self.reasons = message.reasons
        cells: list[tuple[str | Text, ...]] = []
        for row in self.rows:
            d = row.decision
            state = d.label + (" (undone)" if d.retracted_at else "")
            title = row.title if len(row.title) <= 60 else row.title[:59] + "…"
            cells.append(
                (
                    str(d.id),
                    d.created_at.strftime("%Y-%m-%d %H:%M"),
                    *(safe_text(v, single_line=True) for v in (state, d.reviewer, d.stage)),
                    safe_text(f"{d.record_id} {d.source_key}", single_line=True),
                    safe_text(title, single_line=True),
                )
            )
        # the title last: a long one is what is cut at 80 columns, not the time
        fill_fitted(self.query_one(DataTable), COLUMNS, cells)
        if not self.rows:
            self.query_one("#detail", Static).update("")
        if message.note:
            self.notify(visible(message.note), markup=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows):
            return
        row = self.rows[event.cursor_row]
        d = row.decision
        parts = [f"#{d.record_id} {d.source_key}: {row.title}"]
        parts += [f"{what}: {v}" for what, v in (("reason", d.reason), ("note", d.note)) if v]
        self.query_one("#detail", Static).update(safe_text(" · ".join(parts)))

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.query_one(DataTable).focus()
        self._load()

    def on_filter_input_cleared(self, _event: FilterInput.Cleared) -> None:
        """Escape in the filter: every decision again, the keys back to the table."""
        self.query_one(DataTable).focus()
        if self.query_text:
            self.query_text = ""
            self._load()

    def action_change(self, label: str) -> None:
        """i/e/m: your new decision on the row's record and stage (a full-text exclusion
        asks for its reason first, as on the screening screen)."""
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return
        d = self.rows[table.cursor_row].decision
        if label == "exclude" and d.stage == "full-text" and d.reviewer == self.reviewer:

            def chosen(reason: str | None) -> None:
                if reason:
                    self._change(d, label, reason)

            self.app.push_screen(ReasonPicker(self.reasons), chosen)
            return
        self._change(d, label)

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _change(self, d: DecisionView, label: str, reason: str = "") -> None:
        new = change_decision(self.store, d, label, reviewer=self.reviewer, reason=reason)
        why = f" ({new.reason})" if new.reason else ""
        self._post_rows(f"#{d.record_id} at {d.stage}: your decision is now {label}{why}")
