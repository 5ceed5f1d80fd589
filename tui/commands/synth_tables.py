"""`litsift synth table|characteristics|map`: counts of studies, the characteristics of
included studies, and the evidence and gap map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from extraction.synthesis import render as rd
from extraction.synthesis.tables import Characteristics, CountTable, characteristics, count_table
from review.output import check_targets, database_files
from tui.common import ForceOption, FormOption, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text, visible

FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="md, csv, html or xlsx (default: a table in the terminal)."),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file (format from its suffix).")
]


def register(app: typer.Typer) -> None:
    """Add the table, characteristics and map commands to the `synth` group."""
    app.command("table")(table)
    app.command("characteristics")(characteristics_cmd)
    from tui.commands.synth_map import evidence_map_cmd

    app.command("map")(evidence_map_cmd)


def terminal_table(table: CountTable | Characteristics, *, ids: bool = False) -> RichTable:
    """A Rich table of text cells (data never read as markup); empty count cells dimmed."""
    columns, rows = rd.grid(table, ids=ids)
    t = RichTable(show_lines=False)
    for i, c in enumerate(columns):
        t.add_column(
            safe_text(c), justify="right" if i and isinstance(table, CountTable) else "left"
        )
    for r in rows:
        t.add_row(*(safe_text(c, "dim" if c == "0" else "") for c in r))
    return t


def emit(
    table: CountTable | Characteristics, fmt: str | None, out: Path | None, *, ids: bool = False
) -> None:
    """Print or write a table in the format asked for."""
    kind = rd.format_for(fmt, out)
    if kind == "text" and out is None:
        out_console.print(terminal_table(table, ids=ids))
        return
    columns, rows = rd.grid(table, ids=ids)
    if out is None:
        if kind == "xlsx":
            rd.render(columns, rows, kind)  # raises: xlsx needs a file
        text = rd.render(columns, rows, kind)
        # verbatim into a pipe or file; a terminal gets control characters as symbols
        typer.echo(visible(text) if sys.stdout.isatty() else text, nl=False)
        return
    rd.write(columns, rows, kind, out)
    out_console.print(safe_text(f"wrote {out}"))


def check_out(call: ReviewCall, out: Path | None, *, force: bool) -> None:
    """Refuse --out before any work when it exists (unless --force) or is the review's own
    file, as every other --out does."""
    if out is not None:
        check_targets([out], force=force, protect=database_files(call.store.path))


def answer_table(
    call: ReviewCall,
    table: CountTable | Characteristics,
    fmt: str | None,
    out: Path | None,
    *,
    ids: bool = False,
) -> None:
    """The table as JSON with --json (and, when --out names a file, the file too: nothing but
    JSON on stdout); else printed or written in the format asked for."""
    if call.as_json and out is not None:
        rd.write(*rd.grid(table, ids=ids), rd.format_for(fmt, out), out)
    call.answer(table.to_json(), lambda: emit(table, fmt, out, ids=ids))


def _note(t: CountTable) -> None:
    if t.unsettled:
        ids = ", ".join(str(s) for s in t.unsettled)
        out_console.print(
            safe_text(
                f"not reconciled yet (counted under '(unsettled)'): study {ids}; "
                "`litsift extract reconcile STUDY`",
                "dim",
            )
        )


@review_command()
def table(
    call: ReviewCall,
    rows: Annotated[str, typer.Option("--rows", help="Field whose values make the rows.")],
    cols: Annotated[
        str | None, typer.Option("--cols", help="Field whose values make the columns.")
    ] = None,
    form: FormOption = None,
    fmt: FormatOption = None,
    ids: Annotated[bool, typer.Option("--ids", help="List the study ids in each cell.")] = False,
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """Count the included studies (not reports) per value of a field, or per cell of two."""
    check_out(call, out, force=force)
    t = count_table(call.store, rows=rows, cols=cols, form=form)
    answer_table(call, t, fmt, out, ids=ids)
    if not call.as_json and fmt is None and out is None:
        _note(t)


@review_command()
def characteristics_cmd(
    call: ReviewCall,
    fields: Annotated[
        str, typer.Option("--fields", help="Comma-separated fields, e.g. country,policy_area.")
    ],
    form: FormOption = None,
    fmt: FormatOption = None,
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """The characteristics of included studies: one row per study, the fields you name."""
    check_out(call, out, force=force)
    names = [f.strip() for f in fields.split(",") if f.strip()]
    answer_table(call, characteristics(call.store, fields=names, form=form), fmt, out)
