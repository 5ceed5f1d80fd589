"""`litsift copy`, `backup` and `restore`: moving a review between databases, verified."""

from __future__ import annotations

from typing import Annotated

import typer

from review import copying
from tui.common import out_console
from tui.review_command import ReviewCall, review_command


def register(app: typer.Typer) -> None:
    app.command("copy")(copy)
    app.command("backup")(backup)
    app.command("restore")(restore)


def _show(call: ReviewCall, report: copying.CopyReport, verb: str) -> None:
    def text() -> None:
        for t in report.tables:
            out_console.print(f"  {t.table:<16} {t.rows:>9} rows  checksum {t.checksum[:12]}  ok")
        out_console.print(
            f"{verb} {report.rows} rows in {len(report.tables)} tables to {report.target}, "
            "verified",
            markup=False,
            highlight=False,
        )

    call.answer(report.to_json(), text)


@review_command()
def copy(
    call: ReviewCall,
    to: Annotated[
        str,
        typer.Option("--to", help="An empty database: a new file or a postgresql+psycopg:// URL."),
    ],
) -> None:
    """Copy the whole review to another database (SQLite ↔ PostgreSQL) and verify it."""
    _show(call, copying.copy_review(call.store, to), "copied")


BackupFile = Annotated[str, typer.Argument(help="The backup file to write (must not exist).")]
RestoreFile = Annotated[str, typer.Argument(help="A file made by `litsift backup`.")]


@review_command()
def backup(call: ReviewCall, file: BackupFile) -> None:
    """Back the review up into a new SQLite file (online: teammates may keep working)."""
    _show(call, copying.backup(call.store, file), "backed up")


@review_command()
def restore(call: ReviewCall, file: RestoreFile) -> None:
    """Restore a backup into --db (a new file or an empty PostgreSQL database)."""
    from review.db import resolve_url

    _show(call, copying.restore(file, resolve_url(call.db)), "restored")
