"""`litsift export records|decisions|extraction`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from extraction.export_files import export_extraction
from extraction.service import ExtractionSession
from review import export_files
from review.errors import InvalidInputError
from review.export_files import Exported
from review.export_view import ExportFilter
from review.output import open_output
from tui.common import ForceOption, err_console, print_json
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text

app = typer.Typer(help="Export records, decisions or extracted data.", no_args_is_help=True)

OutOption = Annotated[
    str | None,
    typer.Option("--out", help="Write to this file, or - for standard output (the default)."),
]


def _run(call: ReviewCall, out: str | None, write: Callable[[str | None], Exported]) -> None:
    to_stdout = out in (None, "-", "/dev/stdout")
    if call.as_json and to_stdout:  # stdout carries the export itself
        raise InvalidInputError(
            "--json reports on a file written with --out; here the export goes to stdout",
            hint="add --out FILE, or use --format json for the export itself as JSON",
        )
    done = write(out)
    if call.as_json:
        print_json({"what": done.what, "count": done.count, "path": out})
    elif not to_stdout:
        err_console.print(
            Text(f"wrote {done.count} {done.what} to ") + safe_text(out, single_line=True)
        )


@app.command("records")
@review_command()
def records(
    call: ReviewCall,
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
) -> None:
    """Records with their fields (re-importable), the decision at each stage with its
    reviewers, notes, tags, duplicate cluster, source database and file."""
    flt = ExportFilter(stage=stage, label=label, canonical_only=canonical_only)
    _run(call, out, lambda o: export_files.export_records(call.store, fmt, o, flt, force=force))


@app.command("decisions")
@review_command()
def decisions(
    call: ReviewCall,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """One row per decision (record, source key, stage, reviewer, label, reason, note, time)."""
    _run(call, out, lambda o: export_files.export_decisions(call.store, fmt, o, force=force))


@app.command("extraction")
@review_command()
def extraction(
    call: ReviewCall,
    form: Annotated[str | None, typer.Option("--form", help="Form name.")] = None,
    layout: Annotated[str, typer.Option("--layout", help="wide or long.")] = "wide",
    fmt: Annotated[
        str,
        typer.Option("--format", help="csv, json, xlsx, or datapackage (--out names a folder)."),
    ] = "csv",
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """Extracted values (wide: a row per study and reviewer, a table per repeating group;
    long: a row per value) and, with --out, a codebook beside them."""
    if layout not in ("wide", "long"):
        raise InvalidInputError(f"layout {layout!r}: use wide or long")
    store = call.store
    ex = ExtractionSession(store)
    if fmt == "datapackage":
        _datapackage(call, ex, form, out, force)
        return
    if out is None or out == "-":
        with open_output(None) as f:
            ex.write(form, layout, fmt, f)  # type: ignore[arg-type]
        return
    r = export_extraction(store, form, layout, fmt, Path(out), force=force)
    call.answer(
        {"rows": r.count, "files": list(r.paths)},
        lambda: err_console.print(r.summary(), markup=False),
    )


def _datapackage(
    call: ReviewCall, ex: ExtractionSession, form: str | None, out: str | None, force: bool
) -> None:
    """A Frictionless Data Package in the folder --out (extraction/datapackage.py)."""
    from extraction.datapackage import write_datapackage

    if out is None or out == "-":
        raise InvalidInputError(
            "a data package is a folder of files: name it with --out DIR",
            hint="e.g. --format datapackage --out obc-data",
        )
    r = write_datapackage(ex, form, Path(out), force=force)
    rows = ", ".join(f"{n} ({k} rows)" for n, k in r.resources)
    wrote = f"wrote a data package to {r.folder}: {rows}"
    call.answer(
        {
            "folder": str(r.folder),
            "descriptor": str(r.descriptor),
            "resources": [{"name": n, "rows": k} for n, k in r.resources],
        },
        lambda: err_console.print(wrote, markup=False),
    )
