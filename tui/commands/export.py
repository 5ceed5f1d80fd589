"""`litsift export records|decisions`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TextIO

import typer

from review import service
from review.db import Store
from tui.common import DbOption, err_console, existing_store, handle_errors

app = typer.Typer(help="Export records or decisions.", no_args_is_help=True)

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
    store = existing_store(db)
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
