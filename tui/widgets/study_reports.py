"""StudyReports: the reports of a study beside its extraction form: each report's title,
authors, source, abstract, notes and attached full texts (numbered; Ctrl+O opens one)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from extraction.workbench import Report
from tui.safe_text import safe_text


def report_text(reports: Sequence[Report]) -> Text:
    """Every report as one block of text (stored text never read as markup)."""
    out = Text()
    n_file = 0
    for i, rep in enumerate(reports, 1):
        r = rep.record
        if i > 1:
            out.append("\n\n")
        if len(reports) > 1:
            out.append(f"Report {i} of {len(reports)}\n", "dim")
        out.append_text(safe_text(r.title or "(no title)", "bold"))
        authors = "; ".join(r.authors[:4]) + (" …" if len(r.authors) > 4 else "")
        where = ", ".join(x for x in (str(r.year or ""), r.journal, r.doi and f"doi:{r.doi}") if x)
        out.append("\n")
        out.append_text(safe_text(f"{authors}\n{where} · record #{r.id}", "dim"))
        for note in rep.notes:
            out.append("\nnote: ", "bold yellow")
            out.append_text(safe_text(note))
        for f in rep.attachments:
            n_file += 1
            out.append(f"\nfull text {n_file}: ", "bold green")
            out.append_text(safe_text(f, single_line=True))
        out.append("\n\n")
        out.append_text(safe_text(r.abstract or "(no abstract)"))
    if not reports:
        out.append("This study has no reports.", "dim")
    return out


class StudyReports(VerticalScroll):
    """Shows a study's reports (attributes down: `show(reports)`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reports: list[Report] = []

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="reports-text")

    def show(self, reports: Sequence[Report]) -> None:
        """Display the reports."""
        self.reports = list(reports)
        self.query_one("#reports-text", Static).update(report_text(reports))

    @property
    def attachments(self) -> list[str]:
        """Every attached full text, in the order shown."""
        return [f for r in self.reports for f in r.attachments]
