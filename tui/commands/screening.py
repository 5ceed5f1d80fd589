"""`litsift decide`, `undo`, `next`, `screen` and `stopping`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

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
from tui.safe_text import safe_text


def register(app: typer.Typer) -> None:
    app.command("decide")(decide)
    app.command("undo")(undo)
    app.command("next")(next_)
    app.command("screen")(screen)
    app.command("stopping")(stopping)


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
            safe_text(
                f"record {d.record_id} ({d.source_key}): {d.label} at {d.stage} by {d.reviewer}"
            )
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
        out_console.print(safe_text(f"retracted: record {d.record_id} ({d.source_key}) {d.label}"))


@handle_errors
def next_(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    order: Annotated[
        str,
        typer.Option("--order", help="ranked (model, default) or import (faster on big reviews)."),
    ] = "ranked",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The next record to screen: the best-ranked by the model trained on your decisions
    (the random check's next draw once that has started), or `--order import`."""
    from screening import service as screening_service  # numpy and scikit-learn: load lazily

    if order not in ("ranked", "import"):
        raise typer.BadParameter(f"{order!r}: use ranked or import", param_hint="--order")
    store, who = open_store(db), default_reviewer(reviewer)
    ranker = None
    if order == "ranked" and service.first_undecided(store, stage=stage, reviewer=who):
        ranker = screening_service.open_ranker(store, reviewer=who, stage=stage, background=False)
    try:
        rec = screening_service.next_record(store, stage=stage, reviewer=who, ranker=ranker)
    finally:
        if ranker is not None:
            ranker.close()
    if as_json:
        print_json({"record": rec})
        return
    if rec is None:
        out_console.print("nothing left to screen at this stage")
        return
    out_console.print(Text.assemble((str(rec["id"]), "bold"), " ", safe_text(rec["title"])))
    meta = ", ".join(
        x for x in ("; ".join(rec["authors"][:3]), str(rec["year"] or ""), rec["journal"]) if x
    )
    out_console.print(safe_text(meta, "dim"), highlight=False)
    if rec["abstract"]:
        out_console.print(safe_text(rec["abstract"]), highlight=False)


@handle_errors
def stopping(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    start_check: Annotated[
        bool,
        typer.Option(
            "--start-check", help="Begin the random check: `next` then serves a random sample."
        ),
    ] = False,
    cancel_check: Annotated[
        bool, typer.Option("--cancel-check", help="Abandon the random check (decisions stay).")
    ] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the random check's draw order.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The recall estimate and when it is safe to stop screening (see docs/guide.md)."""
    from screening import service as screening_service

    store, who = open_store(db), default_reviewer(reviewer)
    if start_check:
        screening_service.start_check(store, stage=stage, reviewer=who, seed=seed)
    elif cancel_check:
        screening_service.cancel_check(store, stage=stage, reviewer=who)
    advice = screening_service.stopping_advice(store, stage=stage, reviewer=who)
    if as_json:
        print_json(advice.to_dict())
        return
    out_console.print(
        safe_text(
            f"{who} at {stage}: {advice.screened}/{advice.total} screened, "
            f"{advice.found} included or maybe"
        )
    )
    out_console.print(advice.message, highlight=False)
    if advice.phase == "ranking" and advice.ready:
        out_console.print(
            "The run is reached: start the random check with `litsift stopping --start-check`."
        )
