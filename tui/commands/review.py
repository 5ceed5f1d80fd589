"""`litsift init` and `litsift status`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from review import service
from tui.common import open_store, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text

if TYPE_CHECKING:
    from screening.dashboard import Dashboard


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("status")(status)


NameOption = Annotated[str | None, typer.Option("--name", help="The review's name.")]


@review_command()
def init(call: ReviewCall, name: NameOption = None) -> None:
    """Create a review database (`import` and `screen` also create one on first use)."""
    store = open_store(call.db)
    if name:
        service.rename_review(store, name)
    info = service.review_info(store)
    title, where = safe_text(info["name"], "bold"), safe_text(info["database"])
    call.answer(info, Text.assemble("review ", title, " in ", where))


@review_command()
def status(call: ReviewCall) -> None:
    """The review at a glance (as on the app's home screen): imports, quarantine, duplicates,
    decisions per stage and reviewer, and the stopping advice."""
    from screening.dashboard import dashboard

    board = dashboard(call.store)
    call.answer(board.to_json(), lambda: _show(board))


def _show(board: Dashboard) -> None:
    st = board.status
    out_console.print(Text.assemble(safe_text(st.name, "bold"), "\n", board.summary()))
    if st.batches:
        t = Table(box=None, pad_edge=False)
        t.add_column("#", justify="right")
        wide = max(12, (out_console.width - 48) // 2)  # split what the numbers leave
        t.add_column("file", no_wrap=True, overflow="ellipsis", max_width=wide)
        t.add_column("format", no_wrap=True, min_width=6)
        t.add_column("source", no_wrap=True, overflow="ellipsis", max_width=wide)
        t.add_column("records", justify="right", no_wrap=True, min_width=7)
        t.add_column("quarantined", justify="right", no_wrap=True, min_width=11)
        t.add_column("warnings", justify="right", no_wrap=True, min_width=8)
        for b in st.batches:
            t.add_row(
                str(b.id),
                safe_text(b.file_name, single_line=True),
                safe_text(b.format, single_line=True),
                safe_text(f"{b.source_name} ({b.source_type})", single_line=True),
                str(b.imported),
                str(b.quarantined),
                str(b.warnings),
            )
        out_console.print(t)
    for line in board.stage_lines():
        out_console.print(safe_text(line))
    if st.quarantined:
        n = st.quarantined
        out_console.print(
            f"{n} {'entry' if n == 1 else 'entries'} in quarantine: see `litsift quarantine`"
        )
