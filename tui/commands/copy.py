"""`litsift copy`, `backup` and `restore`: moving a review between databases, verified."""

from __future__ import annotations

from typing import Annotated

import typer

from review import copying
from tui.common import DbOption, JsonOption, existing_store, handle_errors, out_console, print_json


def register(app: typer.Typer) -> None:
    app.command("copy")(copy)
    app.command("backup")(backup)
    app.command("restore")(restore)


def _show(report: copying.CopyReport, as_json: bool, verb: str) -> None:
    if as_json:
        print_json(report.to_json())
        return
    for t in report.tables:
        out_console.print(f"  {t.table:<16} {t.rows:>9} rows  checksum {t.checksum[:12]}  ok")
    out_console.print(
        f"{verb} {report.rows} rows in {len(report.tables)} tables to {report.target}, verified",
        markup=False,
        highlight=False,
    )


@handle_errors
def copy(
    to: Annotated[
        str,
        typer.Option("--to", help="An empty database: a new file or a postgresql+psycopg:// URL."),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy the whole review to another database (SQLite ↔ PostgreSQL) and verify it."""
    _show(copying.copy_review(existing_store(db), to), as_json, "copied")


@handle_errors
def backup(
    file: Annotated[str, typer.Argument(help="The backup file to write (must not exist).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Back the review up into a new SQLite file (online: teammates may keep working)."""
    _show(copying.backup(existing_store(db), file), as_json, "backed up")


@handle_errors
def restore(
    file: Annotated[str, typer.Argument(help="A file made by `litsift backup`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into --db (a new file or an empty PostgreSQL database)."""
    from review.db import resolve_url

    _show(copying.restore(file, resolve_url(db)), as_json, "restored")
