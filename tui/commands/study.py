"""`litsift study link|unlink|list`: several records (reports) of one study."""

from __future__ import annotations

from typing import Annotated

import typer

from review import studies
from tui.common import RecordIdsArg, out_console
from tui.review_command import ReviewCall, review_command

app = typer.Typer(
    help="Studies and their reports: PRISMA counts included reports and studies apart.",
    no_args_is_help=True,
)


@app.command("link")
@review_command(reviewer=True)
def link(
    call: ReviewCall,
    records: RecordIdsArg,
    name: Annotated[str, typer.Option("--name", help="A name for the study.")] = "",
) -> None:
    """Make these records reports of one study (joining studies they already belong to); one
    record alone becomes a study of its own, ready for `litsift extract`."""
    v = studies.link_reports(call.store, records, name=name, actor=call.reviewer)
    call.answer(v, f"study {v.id}: reports {', '.join(f'#{r}' for r in v.reports)}")


@app.command("unlink")
@review_command(reviewer=True)
def unlink(call: ReviewCall, records: RecordIdsArg) -> None:
    """Take these records out of their studies."""
    n = studies.unlink_reports(call.store, records, actor=call.reviewer)
    call.answer({"unlinked": n}, f"{n} reports unlinked")


@app.command("list")
@review_command()
def list_(call: ReviewCall) -> None:
    """Studies with their reports."""
    rows = studies.list_studies(call.store)
    call.answer({"studies": rows}, lambda: _show(rows))


def _show(rows: list[studies.StudyView]) -> None:
    for v in rows:
        out_console.print(f"study {v.id} {v.name}".rstrip(), markup=False, highlight=False)
        for rid, title in zip(v.reports, v.titles, strict=True):
            out_console.print(f"  #{rid} {title}", markup=False, highlight=False)
    if not rows:
        out_console.print(
            "no studies yet: `litsift study link REC` makes an included report a study "
            "(`study link REC REC ...`: one study of several reports)"
        )
