"""`litsift study link|unlink|list`: several records (reports) of one study."""

from __future__ import annotations

from typing import Annotated

import typer

from review import studies
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    default_reviewer,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)

app = typer.Typer(
    help="Studies and their reports: PRISMA counts included reports and studies apart.",
    no_args_is_help=True,
)
Records = Annotated[list[int], typer.Argument(help="Record ids.", show_default=False)]


@app.command("link")
@handle_errors
def link(
    records: Records,
    name: Annotated[str, typer.Option("--name", help="A name for the study.")] = "",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make these records reports of one study (joining studies they already belong to)."""
    v = studies.link_reports(
        existing_store(db), records, name=name, actor=default_reviewer(reviewer)
    )
    if as_json:
        print_json(v)
        return
    out_console.print(f"study {v.id}: reports {', '.join(f'#{r}' for r in v.reports)}")


@app.command("unlink")
@handle_errors
def unlink(
    records: Records,
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take these records out of their studies."""
    n = studies.unlink_reports(existing_store(db), records, actor=default_reviewer(reviewer))
    if as_json:
        print_json({"unlinked": n})
        return
    out_console.print(f"{n} reports unlinked")


@app.command("list")
@handle_errors
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Studies with their reports."""
    rows = studies.list_studies(existing_store(db))
    if as_json:
        print_json({"studies": rows})
        return
    for v in rows:
        out_console.print(f"study {v.id} {v.name}".rstrip(), markup=False, highlight=False)
        for rid, title in zip(v.reports, v.titles, strict=True):
            out_console.print(f"  #{rid} {title}", markup=False, highlight=False)
    if not rows:
        out_console.print("no studies linked yet: `litsift study link REC REC`")
