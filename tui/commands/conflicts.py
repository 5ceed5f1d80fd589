"""`litsift conflicts`: the lead's queue of records the reviewers disagree on,
`litsift conflicts resolve` to settle one with a final decision, and `litsift conflicts
reopen` to take a resolution back (as `u` does on the app's conflicts screen)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from review.conflict_reopen import reopen_conflict
from review.conflicts import Conflict, list_conflicts, resolve_conflict
from tui.common import (
    NoteOption,
    ReviewerOption,
    StageFilterOption,
    StageOption,
    default_reviewer,
    out_console,
)
from tui.review_command import ReviewCall, review_command

app = typer.Typer(
    help="Records the reviewers disagree on, for the lead to resolve.",
    invoke_without_command=True,
)


@app.callback()
@review_command()
def conflicts(call: ReviewCall, ctx: typer.Context, stage: StageFilterOption = None) -> None:
    """List unresolved conflicts with each reviewer's decision."""
    if ctx.invoked_subcommand:
        return
    rows = list_conflicts(call.store, stage=stage)
    call.answer({"conflicts": rows}, lambda: _show(rows))


def _show(rows: list[Conflict]) -> None:
    if not rows:
        out_console.print("no conflicts to resolve")
        return
    for c in rows:
        votes = " · ".join(
            f"{v.reviewer}: {v.label}" + (f" ({v.reason})" if v.reason else "") for v in c.votes
        )
        out_console.print(Text.assemble((f"#{c.record_id}", "bold"), f" [{c.stage}] {c.title}"))
        out_console.print(Text("    " + votes))
    n = len(rows)
    out_console.print(
        f"{n} conflict{'' if n == 1 else 's'} · resolve: litsift conflicts resolve ID LABEL"
    )


@app.command("resolve")
@review_command()
def resolve(
    call: ReviewCall,
    record_id: Annotated[int, typer.Argument(help="Record id (see `litsift conflicts`).")],
    label: Annotated[str, typer.Argument(help="The final decision: include, exclude or maybe.")],
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why (at full text: the exclusion reason).")
    ] = "",
    note: NoteOption = "",
) -> None:
    """Settle a conflict with the lead's final decision (it records who resolved it)."""
    r = resolve_conflict(
        call.store,
        record_id,
        label,
        stage=stage,
        resolved_by=default_reviewer(reviewer),
        reason=reason,
        note=note,
    )
    call.answer(r, f"record {r.record_id}: {r.label} at {r.stage}, resolved by {r.resolved_by}")


@app.command("reopen")
@review_command()
def reopen(
    call: ReviewCall,
    record_id: Annotated[int, typer.Argument(help="Record id of a resolved conflict.")],
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
) -> None:
    """Take back the standing resolution of a conflict: it is open again (the resolution stays
    in the log)."""
    by = default_reviewer(reviewer)
    reopen_conflict(call.store, record_id, stage=stage, by=by)
    call.answer(
        {"record_id": record_id, "stage": stage, "reopened_by": by},
        f"record {record_id}: conflict at {stage} open again (litsift conflicts)",
    )
