"""StudyExtractionScreen: one study's extraction form beside its reports.

Tab / Shift+Tab move through the fields. A field is checked when you leave it (the reason
shown under it when it does not fit) and, when valid and changed, written at once through
`ExtractionSession.set` (one transaction, one audit row). Writes run in order, one at a
time, in a worker; Ctrl+S marks the extraction complete after the writes before it.
Dual extraction is blind: only the reviewer's own values are ever loaded here."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from extraction.forms import FieldValueError
from extraction.service import ExtractionSession
from extraction.storage import FormVersion
from extraction.workbench import (
    OwnExtraction,
    Report,
    own_extraction,
    remove_row,
    study_for_record,
    study_reports,
)
from review.db import Store
from review.errors import LitsiftError
from tui.keys import screen_bindings
from tui.safe_text import safe_text, visible
from tui.screens.base import LitsiftScreen
from tui.screens.cell_editor import CANCELLED, CellEditor
from tui.widgets.field_editor import FieldEditor
from tui.widgets.group_table import GroupTable
from tui.worker_errors import describe, reports_failure

STATUS = {
    "not_started": "not started",
    "in_progress": "in progress",
    "complete": "complete",
    "reconciled": "reconciled",
}

Job = Callable[[], Message]


class StudyExtractionScreen(LitsiftScreen):
    """Extract one study as the app's reviewer."""

    CSS_PATH = "extraction.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("extract_form")

    @dataclass
    class Opened(Message):
        """A worker loaded the reviewer's own extraction."""

        own: OwnExtraction

    @dataclass
    class ReportsLoaded(Message):
        """A worker loaded the study's reports."""

        reports: list[Report]

    @dataclass
    class Refused(Message):
        """The reviewer may not extract this study."""

        error: str

    @dataclass
    class Saved(Message):
        """A value was written."""

        path: str
        row: int
        value: Any

    @dataclass
    class Done(Message):
        """A job finished (`status`: the extraction's status after it, when known)."""

        note: str = ""
        status: str = ""
        then: str = ""

    @dataclass
    class JobFailed(Message):
        """A write was refused or failed."""

        error: str
        exc: BaseException
        path: str = ""
        row: int = 0

    @dataclass
    class RowsLoaded(Message):
        """A group's rows after a change made in a worker."""

        table: GroupTable
        rows: dict[int, dict[str, Any]]

    def __init__(
        self, store: Store, reviewer: str, form: FormVersion, study: int, name: str, record: int = 0
    ) -> None:
        """`study` 0 with a `record`: an included report in no study yet (made on opening)."""
        super().__init__(store, reviewer, f"extraction · {reviewer}")
        self.record = record
        self.fv = form
        self.study = study
        self.study_name = name
        self.status = "not_started"
        self.others = 0
        self.refused = ""
        self.pending = 0  # jobs queued and not yet answered (tests wait for 0)
        self._jobs: deque[tuple[Job, str, int]] = deque()
        self._lock = threading.Lock()
        self._writing = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="extract-head")
        with Horizontal(id="extract-body"):
            with VerticalScroll(id="extract-form"):
                for section in self.fv.form.sections:
                    yield Static(safe_text(section.label, "bold reverse"), classes="section-title")
                    for f in section.fields:
                        yield GroupTable(f) if f.is_group else FieldEditor(f)
            from tui.widgets.study_reports import StudyReports

            yield StudyReports(id="extract-reports")

    def on_mount(self) -> None:
        self._head()
        self._conditions()
        self._open()

    @work(thread=True, exclusive=True, group="open")
    @reports_failure
    def _open(self) -> None:
        if not self.study:
            self.study = study_for_record(self.store, self.record, actor=self.reviewer)
        self.post_message(self.ReportsLoaded(study_reports(self.store, self.study)))
        try:
            own = own_extraction(self.store, self.fv, self.study, self.reviewer)
        except LitsiftError as e:
            self.post_message(self.Refused(str(e)))
            return
        self.post_message(self.Opened(own))

    def on_study_extraction_screen_reports_loaded(self, message: ReportsLoaded) -> None:
        from tui.widgets.study_reports import StudyReports

        self.query_one(StudyReports).show(message.reports)

    def on_study_extraction_screen_refused(self, message: Refused) -> None:
        """The reviewer may not extract this study (e.g. two others did): a read-only view."""
        self.refused = message.error
        self.query_one("#extract-form").display = False
        self._head()

    def on_study_extraction_screen_opened(self, message: Opened) -> None:
        own = message.own
        self.status, self.others = own.status, own.others
        for ed in self.query(FieldEditor):
            ed.load(own.values.get(ed.field.name))
        for t in self.query(GroupTable):
            t.show_rows(own.rows.get(t.group.name, {}))
        self._head()
        self._conditions()
        first = next(iter(self.query(FieldEditor)), None)
        busy = any(ed.has_focus_within for ed in self.query(FieldEditor))
        if first is not None and not busy and not isinstance(self.focused, GroupTable):
            first.input.focus()

    def _head(self) -> None:
        head = Text.assemble(
            (f"Study {self.study or ''} ", "bold"),
            safe_text(self.study_name, "bold", single_line=True),
            f"\nform {self.fv.name} v{self.fv.version} · {self.reviewer}: ",
            (STATUS.get(self.status, self.status), "bold"),
        )
        if self.others:
            head.append(f" · {self.others} other extraction(s), hidden while you extract")
        if self.refused:
            head = Text.assemble(head, "\n", safe_text(self.refused, "bold red"))
        self.query_one("#extract-head", Static).update(head)

    # conditions ------------------------------------------------------------------------------

    def _conditions(self) -> None:
        """Show a conditional field when its condition holds, or while it still holds a value."""
        values = {ed.field.name: ed.current() for ed in self.query(FieldEditor)}
        for ed in self.query(FieldEditor):
            when = ed.field.when
            if when is None:
                continue
            shown = when.holds(values.get(when.field))
            ed.display = shown or values.get(ed.field.name) is not None
            ed.set_class(not shown and ed.display, "-not-applicable")
            if not shown and ed.display:
                needs = " or ".join(when.values) or "filled"
                ed.show_error(f"not applicable unless {when.field} is {needs}: clear it")
        for t in self.query(GroupTable):
            if t.group.when is not None:
                t.display = t.group.when.holds(values.get(t.group.when.field)) or bool(t.rows_shown)

    def on_field_editor_changed(self, message: FieldEditor.Changed) -> None:
        self._conditions()

    # writes ----------------------------------------------------------------------------------

    def _enqueue(self, job: Job, path: str = "", row: int = 0) -> None:
        """Run `job` after every job queued before it, in a worker."""
        self.pending += 1
        with self._lock:
            self._jobs.append((job, path, row))
            start, self._writing = not self._writing, True
        if start:
            self._write()

    @work(thread=True, group="write")
    @reports_failure
    def _write(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._writing = False
                    return
                job, path, row = self._jobs.popleft()
            try:
                msg = job()
            except Exception as e:  # shown beside the field (or as a notification), never lost
                msg = self.JobFailed(describe(e), e, path, row)
            self.post_message(msg)

    def _save(self, path: str, value: Any, row: int = 0) -> None:
        ex = ExtractionSession(self.store)

        def job() -> Message:
            v = ex.set(self.study, path, value, reviewer=self.reviewer, row=row, form=self.fv.name)
            return self.Saved(path, row, v)

        self._enqueue(job, path, row)

    def on_field_editor_left(self, message: FieldEditor.Left) -> None:
        self._save(message.editor.field.path, message.value)
        self._conditions()

    def on_study_extraction_screen_saved(self, message: Saved) -> None:
        self.pending -= 1
        if message.row:
            group, column = message.path.split(".", 1)
            self.query_one(f"#group-{group}", GroupTable).set_cell(
                message.row, column, message.value
            )
        else:
            ed = self.query_one(f"#field-{message.path}", FieldEditor)
            if not ed.has_focus_within:
                ed.load(message.value)
            else:
                ed.stored = message.value
        if self.status != "in_progress":
            self.status = "in_progress"  # the service's rule: an edit reopens the extraction
            self._head()
        self._conditions()

    def on_study_extraction_screen_job_failed(self, message: JobFailed) -> None:
        self.pending -= 1
        e = message.exc
        if isinstance(e, FieldValueError):
            for issue in e.errors:
                self._field_error(
                    issue.field, f"{issue.reason}" + (f" (row {issue.row})" if issue.row else "")
                )
            if message.path == "":
                missing = "; ".join(str(i) for i in e.errors)
                self.notify(
                    visible(f"Not complete: {missing}"), severity="error", markup=False, timeout=10
                )
                return
        if message.path and "." not in message.path:
            self.query_one(f"#field-{message.path}", FieldEditor).write_failed()
            if not isinstance(e, FieldValueError):
                self._field_error(message.path, message.error)
        self.notify(visible(message.error), severity="error", markup=False, timeout=8)

    def _field_error(self, path: str, reason: str) -> None:
        head = path.split(".", 1)[0]
        for ed in self.query(FieldEditor):
            if ed.field.name == head:
                ed.show_error(reason)
        for t in self.query(GroupTable):
            if t.group.name == head:
                t.border_subtitle = visible(f"✗ {reason}", single_line=True)

    def on_study_extraction_screen_done(self, message: Done) -> None:
        self.pending -= 1
        if message.status:
            self.status = message.status
            self._head()
        if message.note:
            self.notify(message.note, timeout=4, markup=False)
        if message.then == "back":
            self.app.pop_screen()

    def _commit_focused(self) -> None:
        """Leave the field that has focus (Ctrl+S and Escape do not wait for Tab)."""
        for ed in self.query(FieldEditor):
            if ed.has_focus_within:
                changed, value = ed.leave()
                if changed:
                    self._save(ed.field.path, value)

    # groups ----------------------------------------------------------------------------------

    def on_group_table_edit_cell(self, message: GroupTable.EditCell) -> None:
        t, row, col = message.table, message.row, message.column
        current = t.values.get(row, {}).get(col.name)
        n = t.rows_shown.index(row) + 1 if row in t.rows_shown else len(t.rows_shown) + 1

        def chosen(value: Any) -> None:
            if value is not CANCELLED and value != current:
                self._save(col.path, value, row)
            t.focus()

        self.app.push_screen(CellEditor(f"{t.group.label} row {n}", col, current), chosen)

    def on_group_table_remove_row(self, message: GroupTable.RemoveRow) -> None:
        t, row = message.table, message.row
        args = (self.store, self.fv, self.study, self.reviewer, t.group.name, row)

        def job() -> Message:
            left = remove_row(*args)
            own = own_extraction(self.store, self.fv, self.study, self.reviewer)
            self.post_message(self.RowsLoaded(t, own.rows.get(t.group.name, {})))
            return self.Done(f"row removed; {left} left", own.status)

        self._enqueue(job)

    def on_study_extraction_screen_rows_loaded(self, message: RowsLoaded) -> None:
        message.table.show_rows(message.rows)

    # actions ---------------------------------------------------------------------------------

    def action_complete(self) -> None:
        self._commit_focused()
        ex = ExtractionSession(self.store)

        def job() -> Message:
            d = ex.complete(self.study, reviewer=self.reviewer, form=self.fv.name)
            return self.Done(f"study {self.study}: complete", d.status)

        self._enqueue(job)

    def action_back(self) -> None:
        self._commit_focused()
        self._enqueue(lambda: self.Done(then="back"))

    def action_open_full_text(self) -> None:
        from tui.screens.full_text_opener import open_full_text
        from tui.widgets.study_reports import StudyReports

        files = self.query_one(StudyReports).attachments
        open_full_text(self, files, none="No full text attached to this study's reports.")

    def action_reconcile(self) -> None:
        from tui.screens.reconcile import ReconcileScreen

        self._commit_focused()
        self.app.push_screen(ReconcileScreen(self.store, self.reviewer, self.fv, self.study))
