"""`litsift source list|set`: each import batch as a PRISMA source (name and type)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from review.sources import list_sources, set_source
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

app = typer.Typer(
    help="Sources: each import batch is a database, register, website, organisation or "
    "citation search; files with the same name and type count as one source.",
    no_args_is_help=True,
)


@app.command("list")
@handle_errors
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every import batch with its source name, type and records."""
    rows = list_sources(existing_store(db))
    if as_json:
        print_json({"sources": rows})
        return
    t = Table("batch", "file", "source", "type", "records", box=None, pad_edge=False)
    for r in rows:
        t.add_row(str(r.batch_id), r.file_name, r.name, r.type, str(r.records))
    out_console.print(t)


@app.command("set")
@handle_errors
def set_(
    batch: Annotated[int, typer.Argument(help="Import batch id (see `litsift source list`).")],
    name: Annotated[str | None, typer.Option("--name", help="Database or site name.")] = None,
    source_type: Annotated[
        str | None,
        typer.Option("--type", help="database, register, website, organisation or citation."),
    ] = None,
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rename a batch's source or change its type."""
    v = set_source(
        existing_store(db),
        batch,
        name=name,
        source_type=source_type,
        actor=default_reviewer(reviewer),
    )
    if as_json:
        print_json(v)
        return
    out_console.print(f"batch {v.batch_id} ({v.file_name}): {v.name} ({v.type})", markup=False)
