"""`litsift records` and `litsift show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from review import service
from tui.common import (
    DbOption,
    JsonOption,
    StageOption,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)


def register(app: typer.Typer) -> None:
    app.command("records")(records)
    app.command("show")(show)


@handle_errors
def records(
    stage: StageOption = "title-abstract",
    label: Annotated[
        str | None, typer.Option("--label", help="include, exclude, maybe or none.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List records with their current decision."""
    rows = service.list_records(existing_store(db), stage=stage, label=label, limit=limit)
    if as_json:
        print_json({"records": rows})
        return
    t = Table(box=None, pad_edge=False)
    t.add_column("id", justify="right", no_wrap=True, min_width=3)
    t.add_column("source key", no_wrap=True, overflow="ellipsis", max_width=16)
    t.add_column("year", no_wrap=True, min_width=4)
    t.add_column("decision", no_wrap=True, min_width=8)
    used = 3 + 16 + 4 + 8 + 10  # the other columns and the padding between columns
    t.add_column(
        "title", no_wrap=True, overflow="ellipsis", max_width=max(20, out_console.width - used)
    )
    for r in rows:
        t.add_row(str(r.id), r.source_key, str(r.year or ""), r.label or "", r.title)
    out_console.print(t)


@handle_errors
def show(
    record_id: Annotated[int, typer.Argument(help="Record id.")],
    raw: Annotated[
        bool, typer.Option("--raw", help="Also print the entry as in its file.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one record's fields."""
    from review.annotation import list_annotations

    store = existing_store(db)
    rec = service.get_record(store, record_id)
    notes = list_annotations(store, record_id)
    cluster = service.cluster_of(store, record_id)
    if as_json:
        print_json({**rec.to_dict(), "annotations": notes, "cluster": cluster})
        return
    for k, v in rec.items():
        if k == "raw" and not raw:
            continue
        if isinstance(v, list):
            v = "; ".join(v)
        if v not in ("", None):
            out_console.print(f"[bold]{k}[/]: {v}", highlight=False)
    for a in notes:
        out_console.print(f"[bold]{a.kind}[/]: {a.value} [dim]({a.reviewer})[/]", highlight=False)
    if cluster is not None:
        where = (
            f"merged into #{cluster.canonical_record_id}, which is screened"
            if cluster.merged(record_id)
            else "the copy that is screened"
        )
        out_console.print(
            f"[bold]duplicates[/]: cluster {cluster.cluster_id} of {cluster.size} records; {where}"
        )
