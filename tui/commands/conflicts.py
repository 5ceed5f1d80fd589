"""`litsift conflicts`: the lead's queue of records the reviewers disagree on, and
`litsift conflicts resolve` to settle one with a final decision."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from review.conflicts import list_conflicts, resolve_conflict
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    StageOption,
    default_reviewer,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)

app = typer.Typer(
    help="Records the reviewers disagree on, for the lead to resolve.",
    invoke_without_command=True,
)


@app.callback()
@handle_errors
def conflicts(
    ctx: typer.Context,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="title-abstract or full-text (default: both)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List unresolved conflicts with each reviewer's decision."""
    if ctx.invoked_subcommand:
        return
    rows = list_conflicts(existing_store(db), stage=stage)
    if as_json:
        print_json({"conflicts": rows})
        return
    if not rows:
        out_console.print("no conflicts to resolve")
        return
    for c in rows:
        votes = " · ".join(
            f"{v.reviewer}: {v.label}" + (f" ({v.reason})" if v.reason else "") for v in c.votes
        )
        out_console.print(Text.assemble((f"#{c.record_id}", "bold"), f" [{c.stage}] {c.title}"))
        out_console.print(Text("    " + votes))
    out_console.print(f"{len(rows)} conflicts · resolve: litsift conflicts resolve ID LABEL")


@app.command("resolve")
@handle_errors
def resolve(
    record_id: Annotated[int, typer.Argument(help="Record id (see `litsift conflicts`).")],
    label: Annotated[str, typer.Argument(help="The final decision: include, exclude or maybe.")],
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why (at full text: the exclusion reason).")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="A free-text note.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Settle a conflict with the lead's final decision (it records who resolved it)."""
    r = resolve_conflict(
        existing_store(db),
        record_id,
        label,
        stage=stage,
        resolved_by=default_reviewer(reviewer),
        reason=reason,
        note=note,
    )
    if as_json:
        print_json(r)
        return
    out_console.print(
        f"record {r.record_id}: {r.label} at {r.stage}, resolved by {escape(r.resolved_by)}"
    )
