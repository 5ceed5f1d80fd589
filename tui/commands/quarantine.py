"""`litsift quarantine`: list, show and fix entries that could not be imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from review import service
from review.errors import NotFoundError
from review.quarantine import QuarantineView
from tui.common import out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text, visible

app = typer.Typer(
    help="Entries that could not be imported, kept verbatim.", invoke_without_command=True
)


AllOption = Annotated[bool, typer.Option("--all", help="Include resolved entries.")]
EntryArg = Annotated[int, typer.Argument(help="The entry's id (see `litsift quarantine`).")]


@app.callback()
@review_command()
def list_(call: ReviewCall, ctx: typer.Context, all_: AllOption = False) -> None:
    """List quarantined entries (file, line, reason)."""
    if ctx.invoked_subcommand:
        return
    rows = service.list_quarantine(call.store, include_resolved=all_)
    call.answer({"quarantine": rows}, lambda: _show(rows))


def _show(rows: list[QuarantineView]) -> None:
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
@review_command()
def show(call: ReviewCall, entry_id: EntryArg) -> None:
    """Print a quarantined entry exactly as it was in its file."""
    entries = service.list_quarantine(call.store, include_resolved=True)
    entry = next((r for r in entries if r.id == entry_id), None)
    if entry is None:
        raise NotFoundError(f"no quarantined entry {entry_id}", hint="see `litsift quarantine`")
    # control characters shown, not sent to the terminal
    call.answer(entry, lambda: typer.echo(visible(entry.raw)))


@app.command("resolve")
@review_command()
def resolve(
    call: ReviewCall,
    entry_id: EntryArg,
    fixed: Annotated[Path, typer.Argument(help="A file holding the corrected entry.")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="The file's format (default: that of the entry's import)."),
    ] = None,
) -> None:
    """Import a corrected entry and mark the quarantined one resolved."""
    r = service.resolve_quarantine(call.store, entry_id, fixed, fmt=fmt)
    call.answer(
        {"entry": entry_id, "resolved": True, "import": r},
        f"imported {r.imported} record(s) from {fixed}; entry {entry_id} resolved",
    )
