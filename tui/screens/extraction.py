"""ExtractionScreen: the studies to extract (those with an included report, or already
extracted) with the app reviewer's status for each; Enter opens a study's form beside its
reports, `r` reconciles a study's two extractions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from extraction.workbench import StudyRow, Worklist, worklist
from review.db import Store
from tui.common import count
from tui.keys import screen_bindings
from tui.safe_text import safe_text
from tui.screens.base import LitsiftScreen
from tui.screens.extraction_form import STATUS
from tui.worker_errors import reports_failure

STYLES = {
    "not_started": "dim",
    "in_progress": "yellow",
    "complete": "green",
    "reconciled": "bold green",
}


def _extractions(s: StudyRow, wanted: int) -> Text:
    """How far the study's extractions are: n of the protocol's extractors complete, and
    whether the two are reconciled (or ready to be)."""
    if not s.extractors:
        return Text("none", "dim")
    out = Text(f"{s.complete}/{max(wanted, s.extractors)} complete")
    if s.reconciled:
        out.append(" · reconciled", "green")
    elif wanted == 2 and s.complete >= 2:
        out.append(" · to reconcile (r)", "yellow")
    return out


class ExtractionScreen(LitsiftScreen):
    """The extraction list of the app's reviewer."""

    CSS_PATH = "extraction.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("extraction")
    FAILED_IN = "extraction-summary"
    FAILED_SAYS = "No extraction here:"

    @dataclass
    class Listed(Message):
        """A worker gathered the studies and their status."""

        work: Worklist

    def __init__(self, store: Store, reviewer: str, form: str | None = None) -> None:
        super().__init__(store, reviewer, f"extraction · {reviewer}")
        self.form_name = form
        self.work: Worklist | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Loading the studies…", id="extraction-summary")
        yield DataTable(id="studies", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "your status", "extractions", "study")
        table.focus()

    def on_screen_resume(self) -> None:
        self._load()  # again after a study's form or reconciliation closes

    @work(thread=True, exclusive=True, group="list")
    @reports_failure
    def _load(self) -> None:
        self.post_message(self.Listed(worklist(self.store, self.reviewer, self.form_name)))

    def loaded(self) -> bool:
        return self.work is not None

    def on_extraction_screen_listed(self, message: Listed) -> None:
        self.work = w = message.work
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for s in w.studies:
            table.add_row(
                str(s.id) if s.id else f"r{s.record}",
                Text(STATUS[s.status], STYLES[s.status]),
                _extractions(s, w.extractors),
                safe_text(s.name, single_line=True),
            )
        if w.studies:
            table.move_cursor(row=min(row, len(w.studies) - 1))
        mine = sum(s.status in ("complete", "reconciled") for s in w.studies)
        text = Text.assemble(
            (f"Form {w.form.name} v{w.form.version}", "bold"),
            " · ",
            safe_text(w.form.form.title, single_line=True),
            f"\n{count(len(w.studies), 'study', 'studies')}, {mine} done by you · "
            + ("two extractors, blind" if w.extractors == 2 else "one extractor")
            + " · Enter opens a study",
        )
        if not w.studies:
            text.append("\nNothing to extract yet: include reports at full text first.", "dim")
        self.query_one("#extraction-summary", Static).update(text)

    def selected(self) -> StudyRow | None:
        """The study under the cursor."""
        if self.work is None:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.work.studies[row] if 0 <= row < len(self.work.studies) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.extraction_form import StudyExtractionScreen

        s = self.selected()
        if s is not None and self.work is not None:
            self.app.push_screen(
                StudyExtractionScreen(
                    self.store, self.reviewer, self.work.form, s.id, s.name, record=s.record
                )
            )

    def action_reconcile(self) -> None:
        from tui.screens.reconcile import ReconcileScreen

        s = self.selected()
        if s is not None and not s.id:
            self.notify("Nobody has extracted this report yet.", markup=False)
        elif s is not None and self.work is not None:
            self.app.push_screen(ReconcileScreen(self.store, self.reviewer, self.work.form, s.id))
