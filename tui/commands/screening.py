"""`litsift decide`, `litsift undo` and `litsift next`."""

from __future__ import annotations

from typing import Annotated

import typer

from review import service
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    StageOption,
    default_reviewer,
    handle_errors,
    open_store,
    out_console,
    print_json,
)


def register(app: typer.Typer) -> None:
    app.command("decide")(decide)
    app.command("undo")(undo)
    app.command("next")(next_)
    app.command("screen")(screen)


def open_app(db: str | None, reviewer: str | None, stage: str) -> None:
    """Run the Textual app on a review (imported lazily: only this command needs Textual)."""
    from tui.app import LitsiftApp

    LitsiftApp(open_store(db), default_reviewer(reviewer), stage).run()


@handle_errors
def screen(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Screen records in the terminal app: i include, e exclude, m maybe, s skip, u undo."""
    from review.decisions import check_stage

    open_app(db, reviewer, check_stage(stage))


@handle_errors
def decide(
    record_id: Annotated[int, typer.Argument(help="Record id (see `litsift records`).")],
    label: Annotated[str, typer.Argument(help="include, exclude or maybe.")],
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. an exclusion reason).")] = "",
    note: Annotated[str, typer.Option("--note", help="A free-text note.")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a screening decision (committed at once)."""
    d = service.record_decision(
        open_store(db),
        record_id,
        label,
        stage=stage,
        reviewer=default_reviewer(reviewer),
        reason=reason,
        note=note,
    )
    if as_json:
        print_json(d)
    else:
        out_console.print(
            f"record {d.record_id} ({d.source_key}): {d.label} at {d.stage} by {d.reviewer}"
        )


@handle_errors
def undo(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Retract your latest decision at a stage (it stays in the log, marked retracted)."""
    d = service.undo_decision(open_store(db), stage=stage, reviewer=default_reviewer(reviewer))
    if as_json:
        print_json(d)
    else:
        out_console.print(f"retracted: record {d.record_id} ({d.source_key}) {d.label}")


@handle_errors
def next_(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The next record to screen."""
    from screening import service as screening_service  # numpy and scikit-learn: load lazily

    rec = screening_service.next_record(
        open_store(db), stage=stage, reviewer=default_reviewer(reviewer)
    )
    if as_json:
        print_json({"record": rec})
        return
    if rec is None:
        out_console.print("nothing left to screen at this stage")
        return
    out_console.print(f"[bold]{rec['id']}[/] {rec['title']}", highlight=False)
    meta = ", ".join(
        x for x in ("; ".join(rec["authors"][:3]), str(rec["year"] or ""), rec["journal"]) if x
    )
    out_console.print(f"[dim]{meta}[/]", highlight=False)
    if rec["abstract"]:
        out_console.print(rec["abstract"], highlight=False)
