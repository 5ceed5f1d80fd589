"""Home: the review at a glance (imports, quarantine, decisions per stage and reviewer) and
the keys to every other screen. Importing a file from here shows its import report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from review import service
from review.importing import ImportReport, ProgressFn
from tui.keys import screen_bindings
from tui.safe_text import safe_text, visible
from tui.screens.base import LitsiftScreen
from tui.screens.import_prompt import ask_import_file
from tui.screens.reason_picker import ReasonPicker
from tui.table_fit import fill_fitted
from tui.widgets.agreement_panel import AgreementPanel
from tui.widgets.prisma_box import PrismaBox
from tui.worker_errors import reports_failure

if TYPE_CHECKING:
    from screening.dashboard import Dashboard


SOURCE_QUESTION = "Where is it from? (PRISMA counts databases and registers apart)"
SOURCE_KINDS = {  # review.models.SOURCE_TYPES, in that order, with what each means
    "database": "Scopus, PubMed, Web of Science...",
    "register": "trial or study registers",
    "website": "searched on a website",
    "organisation": "reports from an organisation",
    "citation": "reference lists, citation searching",
}
# the counts first: at 80 columns a long file or source name is what runs off the edge
BATCH_COLUMNS = ("#", "records", "quarantined", "file", "format", "source", "type")


class HomeScreen(LitsiftScreen):
    """The dashboard of a review."""

    CSS_PATH = "home.tcss"
    GO_TO: ClassVar[set[str]] = {
        *("screen", "full_text", "history", "duplicates", "import_file", "conflicts"),
        "extraction",
        "synthesis",
        "export",
    }
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("home")

    @dataclass
    class Summary(Message):
        """A worker gathered the review's counts."""

        dashboard: Dashboard

    @dataclass
    class ImportProgress(Message):
        """A worker's import got this far (shown until the import report replaces it)."""

        text: str

    @dataclass
    class Imported(Message):
        """A worker imported files from the app."""

        reports: list[ImportReport]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="summary")
            yield DataTable(id="batches", cursor_type="none", zebra_stripes=True)
            yield Static(id="stages")
            yield PrismaBox(id="prisma")
            yield AgreementPanel(id="agreement")
            yield Static(id="report")

    def on_mount(self) -> None:
        fill_fitted(self.query_one("#batches", DataTable), BATCH_COLUMNS, [])
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    @work(thread=True, exclusive=True, group="refresh")
    @reports_failure
    def action_refresh(self) -> None:
        from screening.dashboard import dashboard

        self.post_message(self.Summary(dashboard(self.store)))

    def on_home_screen_summary(self, message: Summary) -> None:
        board = message.dashboard
        st = board.status
        self.query_one(PrismaBox).load(self.store)
        self.query_one("#summary", Static).update(
            Text.assemble(safe_text(st.name, "bold"), "\n", board.summary())
        )
        rows: list[tuple[str | Text, ...]] = [
            (
                str(b.id),
                str(b.imported),
                str(b.quarantined),
                *(safe_text(v, single_line=True) for v in (b.file_name, b.format)),
                *(safe_text(v, single_line=True) for v in (b.source_name, b.source_type)),
            )
            for b in st.batches
        ]
        fill_fitted(self.query_one("#batches", DataTable), BATCH_COLUMNS, rows)
        self.query_one("#stages", Static).update(safe_text("\n".join(board.stage_lines())))
        self._agreement(self.query_one(AgreementPanel))

    @work(thread=True, group="agreement")  # not exclusive: every refresh finishes
    @reports_failure
    def _agreement(self, panel: AgreementPanel) -> None:
        from review.agreement import agreement
        from review.conflicts import list_conflicts

        report, conflicts = agreement(self.store), len(list_conflicts(self.store))
        panel.post_message(AgreementPanel.Computed(report, conflicts))

    def action_conflicts(self) -> None:
        from tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.store, self.reviewer))

    def action_extraction(self) -> None:
        from tui.screens.extraction import ExtractionScreen

        self.app.push_screen(ExtractionScreen(self.store, self.reviewer))

    def action_screen(self) -> None:
        from tui.screens.screening import ScreeningScreen

        self.app.push_screen(
            ScreeningScreen(self.store, self.reviewer, rank=getattr(self.app, "rank", True))
        )

    def action_full_text(self) -> None:
        from tui.screens.screening import ScreeningScreen

        rank = getattr(self.app, "rank", True)
        self.app.push_screen(ScreeningScreen(self.store, self.reviewer, "full-text", rank=rank))

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.store, self.reviewer))

    def action_synthesis(self) -> None:
        from tui.screens.synthesis import SynthesisScreen

        self.app.push_screen(SynthesisScreen(self.store))

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.store, self.reviewer))

    def action_duplicates(self) -> None:
        from tui.screens.duplicates import DuplicatesScreen

        self.app.push_screen(DuplicatesScreen(self.store, self.reviewer))

    def action_import_file(self) -> None:
        """`o`: a file to import, then what kind of source it is (PRISMA's two columns)."""

        def chosen(path: str) -> None:
            if path:
                kinds = {f"{t} ({what})": t for t, what in SOURCE_KINDS.items()}

                def kind(label: str | None) -> None:
                    if label:
                        self._import(path, kinds[label])

                self.app.push_screen(ReasonPicker(list(kinds), prompt=SOURCE_QUESTION), kind)

        ask_import_file(self.app, chosen)

    @work(thread=True, group="import")  # not exclusive: a refresh must not cancel an import
    @reports_failure
    def _import(self, path: str, source_type: str = "database") -> None:
        def progress(name: str) -> ProgressFn:
            def read(entries: int, _size: int) -> None:
                self.post_message(self.ImportProgress(f"{label}: {entries} entries read…"))

            label = Path(name).name
            return read

        self.post_message(self.ImportProgress(f"importing {Path(path).name}…"))
        reports = service.import_files(
            self.store, [path], progress=progress, source_type=source_type
        )
        self.post_message(self.Imported(reports))

    def on_home_screen_import_progress(self, message: ImportProgress) -> None:
        self.query_one("#report", Static).update(safe_text(message.text))

    def on_home_screen_imported(self, message: Imported) -> None:
        lines = []
        for r in message.reports:
            if r.error:
                lines.append(Text.assemble(("refused", "red"), " ", safe_text(r.error)))
                self.notify(
                    visible(r.error), title="import refused", severity="error", markup=False
                )
                continue
            lines.append(
                Text.assemble(
                    ("imported", "green"),
                    safe_text(
                        f" {r.file} ({r.format}): {r.imported} records, "
                        f"{len(r.quarantined)} quarantined, {len(r.warnings)} warnings"
                    ),
                )
            )
            lines += [
                safe_text(f"  quarantined line {q.line}: {q.reason}") for q in r.quarantined[:10]
            ]
            lines += [safe_text(f"  warning: {w}") for w in r.warnings[:10]]
        self.query_one("#report", Static).update(Text("\n").join(lines))
        self.action_refresh()
