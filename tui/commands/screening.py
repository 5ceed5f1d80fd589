"""`litsift decide`, `undo`, `next`, `screen` and `stopping`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from tui.common import (
    DbOption,
    NoteOption,
    RecordArg,
    ReviewerOption,
    StageOption,
    default_reviewer,
    err_console,
    handle_errors,
    open_store,
    out_console,
    progress_status,
)
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text

if TYPE_CHECKING:
    from screening.recall import StoppingAdvice
    from screening.session import Card, ScreeningSession


def register(app: typer.Typer) -> None:
    app.command("decide")(decide)
    app.command("undo")(undo)
    app.command("next")(next_)
    app.command("screen")(screen)
    app.command("stopping")(stopping)


def open_app(db: str | None, reviewer: str | None, stage: str, start: str = "screening") -> None:
    """Run the Textual app on a review (imported lazily: only this command needs Textual),
    showing `start` first ("screening" on top of home, or "home")."""
    with progress_status("opening the review in the app…"):  # loading takes seconds
        from tui.app import LitsiftApp

        app = LitsiftApp(open_store(db), default_reviewer(reviewer), stage, start=start)
    app.run()


@handle_errors
def screen(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Screen records in the terminal app: i include, e exclude, m maybe, s skip, u undo."""
    from review.decisions import check_stage

    open_app(db, reviewer, check_stage(stage))


def _session(call: ReviewCall) -> ScreeningSession:
    from screening.session import ScreeningSession  # numpy and scikit-learn: load lazily

    return ScreeningSession(call.store, call.reviewer, call.stage)


def _warn(card: Card) -> None:
    for w in card.warnings:
        err_console.print(Text.assemble(("warning:", "yellow"), " ", w), highlight=False)


@review_command(stage=True)
def decide(
    call: ReviewCall,
    record_id: RecordArg,
    label: Annotated[str, typer.Argument(help="include, exclude or maybe.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. an exclusion reason).")] = "",
    note: NoteOption = "",
) -> None:
    """Record a screening decision (committed at once)."""
    session = _session(call)
    card = session.decide(label, record_id=record_id, reason=reason, note=note)
    d = card.decision
    assert d is not None
    _warn(card)
    call.answer(d, f"record {d.record_id} ({d.source_key}): {d.label} at {d.stage} by {d.reviewer}")


@review_command(stage=True)
def undo(call: ReviewCall) -> None:
    """Retract your latest decision at a stage (it stays in the log, marked retracted)."""
    d = _session(call).undo().decision
    assert d is not None
    call.answer(d, f"retracted: record {d.record_id} ({d.source_key}) {d.label}")


OrderOption = Annotated[
    str, typer.Option("--order", help="ranked (model, default) or import (faster on big reviews).")
]


@review_command(stage=True)
def next_(call: ReviewCall, order: OrderOption = "ranked") -> None:
    """The next record to screen: the best-ranked by the model trained on your decisions
    (the random check's next draw once that has started), or `--order import`."""
    if order not in ("ranked", "import"):
        raise typer.BadParameter(f"{order!r}: use ranked or import", param_hint="--order")
    session = _session(call)
    try:
        if order == "ranked" and session.needs_ranker():
            with progress_status(
                "ranking: building the features (kept for next time) and the model…", call.as_json
            ):
                session.use_ranker(session.build_ranker(background=False))
        card = session.next()
    finally:
        session.close()
    call.answer(card.to_json(), lambda: _show(card))


def _show(card: Card) -> None:
    rec = card.record
    if rec is None:
        out_console.print("nothing left to screen at this stage")
        return
    out_console.print(Text.assemble((str(rec.id), "bold"), " ", safe_text(rec.title)))
    meta = ", ".join(x for x in ("; ".join(rec.authors[:3]), str(rec.year or ""), rec.journal) if x)
    out_console.print(safe_text(meta, "dim"), highlight=False)
    if rec.abstract:
        out_console.print(safe_text(rec.abstract), highlight=False)
    p = card.progress
    err_console.print(Text(f"{p.screened}/{p.total} screened · {card.order}", style="dim"))


@review_command(stage=True)
def stopping(
    call: ReviewCall,
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
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule",
            help="hypergeom (the default), decay[:target] (bound + random check), switch[:target]"
            " (decay's bound, then a second model, then the check) or rate[:target].",
        ),
    ] = None,
) -> None:
    """The recall estimate and when it is safe to stop screening (see docs/guide.md)."""
    from screening import service as screening_service

    store, who, stage = call.store, call.reviewer, call.stage
    if start_check:
        screening_service.start_check(
            store, stage=stage, reviewer=who, seed=seed, **({"rule": rule} if rule else {})
        )
    elif cancel_check:
        screening_service.cancel_check(store, stage=stage, reviewer=who)
    advice = screening_service.stopping_advice(store, stage=stage, reviewer=who, rule=rule)
    call.answer(advice.to_dict(), lambda: _advice(who, stage, advice))


def _advice(who: str, stage: str, advice: StoppingAdvice) -> None:
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
