"""`litsift export records|decisions|extraction`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TextIO

import typer

from extraction.service import ExtractionSession
from review import service
from review.db import Store
from review.errors import InvalidInputError
from tui.common import DbOption, JsonOption, err_console, handle_errors, open_store, print_json

app = typer.Typer(help="Export records, decisions or extracted data.", no_args_is_help=True)

OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file (default: standard output).")
]


def _write(out: Path | None, fn: Callable[[TextIO], int]) -> int:
    """Write to stdout, or to a temporary file moved into place when complete."""
    if out is None:
        return fn(sys.stdout)
    out = out.resolve()
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = fn(f)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def _run(db: str | None, out: Path | None, call: Callable[[Store, TextIO], int], what: str) -> None:
    store = open_store(db)
    n = _write(out, lambda f: call(store, f))
    if out is not None:
        err_console.print(f"wrote {n} {what} to {out}")


@app.command("records")
@handle_errors
def records(
    fmt: Annotated[str, typer.Option("--format", help="csv, json, ris or bibtex.")] = "csv",
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Every record with its normalised fields (re-importable)."""
    _run(db, out, lambda s, f: service.export_records(s, fmt, f), "records")


@app.command("decisions")
@handle_errors
def decisions(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """One row per decision (record, source key, stage, reviewer, label, reason, note, time)."""
    _run(db, out, lambda s, f: service.export_decisions(s, fmt, f), "decisions")


@app.command("extraction")
@handle_errors
def extraction(
    form: Annotated[str | None, typer.Option("--form", help="Form name.")] = None,
    layout: Annotated[str, typer.Option("--layout", help="wide or long.")] = "wide",
    fmt: Annotated[str, typer.Option("--format", help="csv, json or xlsx.")] = "csv",
    out: OutOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Extracted values (wide: a row per study and reviewer, a table per repeating group;
    long: a row per value) and, with --out, a codebook beside them."""
    if layout not in ("wide", "long"):
        raise InvalidInputError(f"layout {layout!r}: use wide or long")
    ex = ExtractionSession(open_store(db))
    if out is None:
        _write(None, lambda f: ex.write(form, layout, fmt, f))  # type: ignore[arg-type]
        return
    r = ex.export(form, layout, fmt, out)  # type: ignore[arg-type]
    if as_json:
        print_json({"rows": r.rows, "files": [str(p) for p in r.paths]})
        return
    err_console.print(f"wrote {r.rows} rows to {', '.join(map(str, r.paths))}", markup=False)
