"""`litsift source list|set`: each import batch as a PRISMA source (name and type)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from review.sources import list_sources, set_source
from tui.common import out_console
from tui.review_command import ReviewCall, review_command

app = typer.Typer(
    help="Sources: each import batch is a database, register, website, organisation or "
    "citation search; files with the same name and type count as one source.",
    no_args_is_help=True,
)


@app.command("list")
@review_command()
def list_(call: ReviewCall) -> None:
    """Every import batch with its source name, type and records."""
    rows = list_sources(call.store)
    t = Table("batch", "file", "source", "type", "records", box=None, pad_edge=False)
    for r in rows:
        t.add_row(str(r.batch_id), r.file_name, r.name, r.type, str(r.records))
    call.answer({"sources": rows}, lambda: out_console.print(t))


@app.command("set")
@review_command(reviewer=True)
def set_(
    call: ReviewCall,
    batch: Annotated[int, typer.Argument(help="Import batch id (see `litsift source list`).")],
    name: Annotated[str | None, typer.Option("--name", help="Database or site name.")] = None,
    source_type: Annotated[
        str | None,
        typer.Option("--type", help="database, register, website, organisation or citation."),
    ] = None,
) -> None:
    """Rename a batch's source or change its type."""
    v = set_source(call.store, batch, name=name, source_type=source_type, actor=call.reviewer)
    call.answer(v, f"batch {v.batch_id} ({v.file_name}): {v.name} ({v.type})")
