"""Conflicts: the lead's queue of records the reviewers disagree on. The table lists each
conflict with every reviewer's decision; the record under the cursor is shown below; i/e/m
settle it with the lead's final decision (recorded with the lead's name); u takes the last
one made here back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from review import service, settings
from review.conflict_reopen import reopen_conflict
from review.conflicts import Conflict, list_conflicts, resolve_conflict
from review.db import Store
from review.records import RecordView
from tui.keys import screen_bindings
from tui.safe_text import safe_text, visible
from tui.screens.base import LitsiftScreen
from tui.screens.reason_picker import ReasonPicker
from tui.table_fit import fill_fitted
from tui.widgets.record_view import RecordView as RecordPanel
from tui.worker_errors import reports_failure

COLUMNS = ("#", "stage", "decisions", "title")


class ConflictsScreen(LitsiftScreen):
    """Resolve conflicts as the lead (the app's reviewer)."""

    CSS_PATH = "conflicts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("conflicts")

    @dataclass
    class Listed(Message):
        """A worker fetched the open conflicts (and the protocol's reasons, when read)."""

        conflicts: list[Conflict]
        note: str = ""
        reasons: list[str] | None = None
        resolved: Conflict | None = None  # resolved by this screen just now
        reopened: Conflict | None = None  # ... or taken back

    @dataclass
    class RecordFetched(Message):
        """A worker fetched the record under the cursor."""

        record: RecordView

    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__(store, reviewer, f"conflicts · resolving as {reviewer}")
        self.conflicts: list[Conflict] = []
        self.resolved: list[Conflict] = []  # resolved on this screen, last last (u undoes)
        self.reasons: list[str] = list(settings.DEFAULT_REASONS)

    def compose_body(self) -> ComposeResult:
        yield Static(id="conflicts-summary")
        yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
        yield RecordPanel(id="conflict-record")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        fill_fitted(table, COLUMNS, [])  # widths from the rows: a decision is never cut
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _load(self, note: str = "") -> None:
        reasons = list(settings.protocol(self.store).exclusion_reasons)
        self.post_message(self.Listed(list_conflicts(self.store), note, reasons))

    @work(thread=True, exclusive=True, group="record")
    @reports_failure
    def _fetch(self, record_id: int) -> None:
        self.post_message(self.RecordFetched(service.get_record(self.store, record_id)))

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _resolve(self, c: Conflict, label: str, reason: str) -> None:
        resolve_conflict(
            self.store, c.record_id, label, stage=c.stage, resolved_by=self.reviewer, reason=reason
        )  # a refusal is a WorkerFailed, shown by the app like every other
        note = f"#{c.record_id}: {label}, resolved by {self.reviewer} (u takes it back)"
        self.post_message(self.Listed(list_conflicts(self.store), note, resolved=c))

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _reopen(self, c: Conflict) -> None:
        reopen_conflict(self.store, c.record_id, stage=c.stage, by=self.reviewer)
        note = f"#{c.record_id}: resolution taken back, the conflict is open again"
        self.post_message(self.Listed(list_conflicts(self.store), note, reopened=c))

    def on_conflicts_screen_listed(self, message: Listed) -> None:
        self.conflicts = message.conflicts
        if message.resolved is not None:
            self.resolved.append(message.resolved)
        if message.reopened in self.resolved:
            self.resolved.remove(message.reopened)
        if message.reasons is not None:
            self.reasons = message.reasons
        rows: list[tuple[str | Text, ...]] = []
        for c in self.conflicts:
            votes = " · ".join(
                f"{v.reviewer}: {v.label}" + (f" ({v.reason})" if v.reason else "") for v in c.votes
            )
            title = c.title if len(c.title) <= 60 else c.title[:59] + "…"
            rows.append(
                (
                    str(c.record_id),
                    c.stage,
                    *(safe_text(v, single_line=True) for v in (votes, title)),
                )
            )
        fill_fitted(self.query_one(DataTable), COLUMNS, rows)
        n = len(self.conflicts)
        self.query_one("#conflicts-summary", Static).update(
            f"{n} conflict{'' if n == 1 else 's'} to resolve" if n else "No conflicts to resolve."
        )
        if not n:
            self.query_one(RecordPanel).display = False
        if message.note:
            self.notify(visible(message.note), timeout=3, markup=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.conflicts):
            self._fetch(self.conflicts[event.cursor_row].record_id)

    def on_conflicts_screen_record_fetched(self, message: RecordFetched) -> None:
        view = self.query_one(RecordPanel)
        view.display = True
        view.show(message.record)

    def selected(self) -> Conflict | None:
        """The conflict under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def action_undo(self) -> None:
        """Take back the last resolution made on this screen (the conflict opens again)."""
        if not self.resolved:
            self.notify("Nothing resolved here to take back.", timeout=3)
            return
        self._reopen(self.resolved[-1])

    def action_resolve(self, label: str) -> None:
        c = self.selected()
        if c is None:
            return
        if label == "exclude" and c.stage == "full-text":

            def chosen(reason: str | None) -> None:
                if reason:
                    self._resolve(c, "exclude", reason)

            self.app.push_screen(ReasonPicker(self.reasons), chosen)
            return
        self._resolve(c, label, "")
