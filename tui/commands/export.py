"""`litsift export records|decisions`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TextIO

import typer
from rich.text import Text

from review import service
from review.db import Store
from review.export_view import ExportFilter
from review.output import database_files, open_output
from tui.common import DbOption, err_console, existing_store, handle_errors
from tui.safe_text import safe_text

app = typer.Typer(help="Export records or decisions.", no_args_is_help=True)

OutOption = Annotated[
    str | None,
    typer.Option("--out", help="Write to this file, or - for standard output (the default)."),
]


ForceOption = Annotated[bool, typer.Option("--force", help="Replace the --out file if it exists.")]


def _run(
    db: str | None,
    out: str | None,
    force: bool,
    call: Callable[[Store, TextIO], int],
    what: str,
) -> None:
    store = existing_store(db)
    with open_output(out, force=force, protect=database_files(store.path)) as f:
        n = call(store, f)
    if out not in (None, "-", "/dev/stdout"):
        err_console.print(Text(f"wrote {n} {what} to ") + safe_text(out, single_line=True))


@app.command("records")
@handle_errors
def records(
    fmt: Annotated[str, typer.Option("--format", help="csv, json, ris or bibtex.")] = "csv",
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            help="Only records decided at this stage (with --label: the "
            "stage the label is read at; default title-abstract).",
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label", help="Only records whose decision is include, exclude, maybe or undecided."
        ),
    ] = None,
    canonical_only: Annotated[
        bool,
        typer.Option("--canonical-only", help="Leave out records merged as duplicates."),
    ] = False,
    out: OutOption = None,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Records with their fields (re-importable), the decision at each stage with its
    reviewers, notes, tags, duplicate cluster, source database and file."""
    flt = ExportFilter(stage=stage, label=label, canonical_only=canonical_only)
    _run(db, out, force, lambda s, f: service.export_records(s, fmt, f, flt), "records")


@app.command("decisions")
@handle_errors
def decisions(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    out: OutOption = None,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """One row per decision (record, source key, stage, reviewer, label, reason, note, time)."""
    _run(db, out, force, lambda s, f: service.export_decisions(s, fmt, f), "decisions")
