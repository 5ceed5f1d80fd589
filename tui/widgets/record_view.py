"""RecordView: one record's title, authors, source, keywords and abstract, keywords highlighted."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from review.annotation import AnnotationView
from review.records import RecordView as Record
from screening.highlight import keyword_spans, language_of
from tui.safe_text import safe_text, visible

STYLES = {"include": "bold green", "exclude": "bold red"}


def highlighted(
    text: str, include: list[str], exclude: list[str], base: str = "", lang: str = "en"
) -> Text:
    """`text` as Rich Text with include keywords in green and exclude keywords in red
    (control characters made visible: data is never sent raw to the terminal)."""
    text = visible(text)
    out = Text(text, style=base)
    for span in keyword_spans(text, include, exclude, lang):
        out.stylize(STYLES[span.kind], span.start, span.end)
    return out


class RecordView(VerticalScroll):
    """Shows a record (`review.records.RecordView`). Attributes down: `show(record)`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.include: list[str] = []
        self.exclude: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="record-title")
        yield Static(id="record-meta")
        yield Static(id="record-keywords")
        yield Static(id="record-notes")
        yield Static(id="record-abstract")

    def show(
        self,
        record: Record | None,
        annotations: Sequence[AnnotationView] = (),
        empty: str = "Nothing left to screen at this stage.",
    ) -> None:
        """Display `record`, or the message `empty` when there is nothing (left) to show."""
        title = self.query_one("#record-title", Static)
        meta = self.query_one("#record-meta", Static)
        keywords = self.query_one("#record-keywords", Static)
        abstract = self.query_one("#record-abstract", Static)
        notes = self.query_one("#record-notes", Static)
        if record is None:
            title.update(Text(empty, style="bold"))
            for w in (meta, keywords, notes, abstract):
                w.update("")
            notes.display = False
            return
        self.show_annotations(annotations)
        lang = language_of(
            record.get("language", ""), f"{record['title']}. {record['abstract'] or ''}"
        )
        inc, exc = self.include, self.exclude
        title.update(highlighted(record["title"] or "(no title)", inc, exc, "bold", lang))
        authors = record["authors"]
        who = "; ".join(authors[:6]) + (f" … (+{len(authors) - 6})" if len(authors) > 6 else "")
        where = ", ".join(
            x
            for x in (
                str(record["year"] or ""),
                record["journal"],
                f"doi:{record['doi']}" if record["doi"] else "",
                f"#{record['id']} {record['source_key']}",
            )
            if x
        )
        meta.update(safe_text(f"{who}\n{where}", "dim"))
        kws = "; ".join(record["keywords"])
        keywords.update(highlighted(kws, inc, exc, "italic", lang) if kws else "")
        abstract.update(highlighted(record["abstract"] or "(no abstract)", inc, exc, "", lang))
        self.scroll_home(animate=False)

    def show_annotations(self, annotations: Sequence[AnnotationView]) -> None:
        """Tags, notes and attached full texts of the record on show (AnnotationViews)."""
        out = Text()
        tags = [a.value for a in annotations if a.kind == "tag"]
        if tags:
            out.append("tags: ", style="dim").append(safe_text(", ".join(tags), "bold magenta"))
        for a in annotations:
            if a.kind == "tag":
                continue
            label = "note" if a.kind == "note" else "full text"
            if out:
                out.append("\n")
            out.append(f"{label}: ", style="dim").append(safe_text(a.value))
            if a.reviewer:
                out.append(safe_text(f" ({a.reviewer})", "dim"))
        notes = self.query_one("#record-notes", Static)
        notes.update(out)
        notes.display = bool(out)
