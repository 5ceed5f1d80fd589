"""`litsift quarantine`: list, show and fix entries that could not be imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from review import service
from review.errors import NotFoundError
from tui.common import (
    DbOption,
    JsonOption,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)
from tui.safe_text import safe_text, visible

app = typer.Typer(
    help="Entries that could not be imported, kept verbatim.", invoke_without_command=True
)


@app.callback()
@handle_errors
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include resolved entries.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List quarantined entries (file, line, reason)."""
    if ctx.invoked_subcommand:
        return
    rows = service.list_quarantine(existing_store(db), include_resolved=all_)
    if as_json:
        print_json({"quarantine": rows})
        return
    if not rows:
        out_console.print("the quarantine is empty")
        return
    t = Table("id", "file", "line", "reason", box=None)
    for r in rows:
        t.add_row(
            str(r.id),
            safe_text(r.file_name, single_line=True),
            str(r.line),
            safe_text(r.reason + (" (resolved)" if r.resolved else ""), single_line=True),
        )
    out_console.print(t)
    out_console.print(
        "`litsift quarantine show ID` prints an entry; fix it in a file and "
        "`litsift quarantine resolve ID FILE` imports it."
    )


@app.command("show")
@handle_errors
def show(
    entry_id: Annotated[int, typer.Argument(help="The entry's id (see `litsift quarantine`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print a quarantined entry exactly as it was in its file."""
    for r in service.list_quarantine(existing_store(db), include_resolved=True):
        if r.id == entry_id:
            if as_json:
                print_json(r)
                return
            typer.echo(visible(r.raw))  # control characters shown, not sent to the terminal
            return
    raise NotFoundError(f"no quarantined entry {entry_id}", hint="see `litsift quarantine`")


@app.command("resolve")
@handle_errors
def resolve(
    entry_id: Annotated[int, typer.Argument(help="The entry's id (see `litsift quarantine`).")],
    fixed: Annotated[Path, typer.Argument(help="A file holding the corrected entry.")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="The file's format (default: that of the entry's import)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a corrected entry and mark the quarantined one resolved."""
    r = service.resolve_quarantine(existing_store(db), entry_id, fixed, fmt=fmt)
    if as_json:
        print_json({"entry": entry_id, "resolved": True, "import": r})
        return
    out_console.print(
        safe_text(f"imported {r.imported} record(s) from {fixed}; entry {entry_id} resolved")
    )
