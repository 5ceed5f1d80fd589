"""`litsift note`, `tag`, `attach`, `annotations` and `search`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from review import annotation as ann
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    default_reviewer,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)
from tui.safe_text import safe_text

RecordArg = Annotated[int, typer.Argument(help="Record id (see `litsift records`).")]


def register(app: typer.Typer) -> None:
    app.command("note")(note)
    app.command("tag")(tag)
    app.command("attach")(attach)
    app.command("annotations")(list_annotations)
    app.command("search")(search)


@handle_errors
def note(
    record_id: RecordArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a note to a record."""
    a = ann.add_note(existing_store(db), record_id, text, reviewer=default_reviewer(reviewer))
    print_json(a) if as_json else out_console.print(f"note {a.id} on record {record_id}")


@handle_errors
def tag(
    record_id: RecordArg,
    name: Annotated[str, typer.Argument(help="The tag (case-insensitive).")],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tag a record, or untag it if it has the tag already."""
    added, a = ann.toggle_tag(
        existing_store(db), record_id, name, reviewer=default_reviewer(reviewer)
    )
    if as_json:
        print_json({"tagged": added, "annotation": a})
    else:
        done = "tagged" if added else "untagged"
        out_console.print(safe_text(f"record {record_id} {done} {a.value!r}"))


@handle_errors
def attach(
    record_id: RecordArg,
    location: Annotated[str, typer.Argument(help="A local file (e.g. the PDF) or a URL.")],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Attach a full text to a record: a local file path or a URL."""
    a = ann.attach(existing_store(db), record_id, location, reviewer=default_reviewer(reviewer))
    if as_json:
        print_json(a)
        return
    out_console.print(Text("attached ") + safe_text(a.value) + Text(f" to record {record_id}"))


@handle_errors
def list_annotations(
    record_id: Annotated[int | None, typer.Argument(help="One record (default: all).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="note, tag or attachment.")] = None,
    removed: Annotated[bool, typer.Option("--removed", help="Include removed ones.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List notes, tags and attachments."""
    rows = ann.list_annotations(existing_store(db), record_id, kind=kind, include_removed=removed)
    if as_json:
        print_json({"annotations": rows})
        return
    for a in rows:
        gone = " (removed)" if a.removed_at else ""
        when = f" {a.created_at:%Y-%m-%d %H:%M}{gone}"
        line = Text(f"record {a.record_id} {a.kind}: ") + safe_text(a.value)
        out_console.print(line + Text("  ") + safe_text(f"{a.reviewer}{when}", "dim"))


@handle_errors
def search(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", #ID, tag:NAME or tag:"a tag".')],
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find records by words in their title, abstract, authors, journal or DOI."""
    rows = ann.search_records(existing_store(db), query, limit=limit)
    if as_json:
        print_json({"records": rows})
        return
    for r in rows:
        title = safe_text(f"{r['year'] or ''} {r['title']}")
        out_console.print(Text.assemble((str(r["id"]), "bold"), " ", title), highlight=False)
    if not rows:
        out_console.print("no record matches")
