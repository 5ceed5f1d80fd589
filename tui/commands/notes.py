"""`litsift note`, `tag`, `attach`, `annotations` and `search`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from review import annotation as ann
from tui.common import RecordArg, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text


def register(app: typer.Typer) -> None:
    app.command("note")(note)
    app.command("tag")(tag)
    app.command("attach")(attach)
    app.command("annotations")(list_annotations)
    app.command("search")(search)


NoteText = Annotated[str, typer.Argument(help="The note.")]
TagName = Annotated[str, typer.Argument(help="The tag (case-insensitive).")]
Location = Annotated[str, typer.Argument(help="A local file (e.g. the PDF) or a URL.")]


@review_command(reviewer=True)
def note(call: ReviewCall, record_id: RecordArg, text: NoteText) -> None:
    """Add a note to a record."""
    a = ann.add_note(call.store, record_id, text, reviewer=call.reviewer)
    call.answer(a, f"note {a.id} on record {record_id}")


@review_command(reviewer=True)
def tag(call: ReviewCall, record_id: RecordArg, name: TagName) -> None:
    """Tag a record, or untag it if it has the tag already."""
    added, a = ann.toggle_tag(call.store, record_id, name, reviewer=call.reviewer)
    done = "tagged" if added else "untagged"
    call.answer({"tagged": added, "annotation": a}, f"record {record_id} {done} {a.value!r}")


@review_command(reviewer=True)
def attach(call: ReviewCall, record_id: RecordArg, location: Location) -> None:
    """Attach a full text to a record: a local file path or a URL."""
    a = ann.attach(call.store, record_id, location, reviewer=call.reviewer)
    call.answer(a, Text("attached ") + safe_text(a.value) + Text(f" to record {record_id}"))


@review_command()
def list_annotations(
    call: ReviewCall,
    record_id: Annotated[int | None, typer.Argument(help="One record (default: all).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="note, tag or attachment.")] = None,
    removed: Annotated[bool, typer.Option("--removed", help="Include removed ones.")] = False,
) -> None:
    """List notes, tags and attachments."""
    rows = ann.list_annotations(call.store, record_id, kind=kind, include_removed=removed)
    call.answer({"annotations": rows}, lambda: _annotations(rows))


def _annotations(rows: list[ann.AnnotationView]) -> None:
    for a in rows:
        gone = " (removed)" if a.removed_at else ""
        when = f" {a.created_at:%Y-%m-%d %H:%M}{gone}"
        line = Text(f"record {a.record_id} {a.kind}: ") + safe_text(a.value)
        out_console.print(line + Text("  ") + safe_text(f"{a.reviewer}{when}", "dim"))


@review_command()
def search(
    call: ReviewCall,
    query: Annotated[str, typer.Argument(help='Words, "a phrase", #ID, tag:NAME or tag:"a tag".')],
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 50,
) -> None:
    """Find records by words in their title, abstract, authors, journal or DOI."""
    rows = ann.search_records(call.store, query, limit=limit)
    call.answer({"records": rows}, lambda: _records(rows))


def _records(rows: list[ann.RecordView]) -> None:
    for r in rows:
        title = safe_text(f"{r['year'] or ''} {r['title']}")
        out_console.print(Text.assemble((str(r["id"]), "bold"), " ", title), highlight=False)
    if not rows:
        out_console.print("no record matches")
