"""Records removed before screening: `litsift rule add|list|run|delete` (automation rules),
`litsift remove` (other reasons; `--undo` brings records back) and `litsift stop-screening`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from review import automation
from tui.common import RecordIdsArg, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text

app = typer.Typer(
    help="Automation rules: filters (years, languages, publication types) that mark records "
    "ineligible before screening; stored with the review and re-run at will.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="rule")
    root.command("remove")(remove)
    root.command("stop-screening")(stop_screening)


@app.command("add")
@review_command(reviewer=True)
def add(
    call: ReviewCall,
    name: Annotated[str, typer.Argument(help="The rule's name (shown in PRISMA's notes).")],
    year_min: Annotated[int | None, typer.Option("--year-min", help="Earliest year.")] = None,
    year_max: Annotated[int | None, typer.Option("--year-max", help="Latest year.")] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="A language to keep (repeatable).")
    ] = None,
    exclude_type: Annotated[
        list[str] | None,
        typer.Option("--exclude-type", help="A publication type to exclude (repeatable)."),
    ] = None,
    run: Annotated[bool, typer.Option("--run/--no-run", help="Run the rules now.")] = True,
) -> None:
    """Add (or replace) a rule; records with unknown year or language are never matched."""
    filters = {
        "name": name,
        "year_min": year_min,
        "year_max": year_max,
        "languages": language or [],
        "exclude_types": exclude_type or [],
    }
    rule = automation.add_rule(call.store, filters, actor=call.reviewer)
    runs = automation.run_rules(call.store, actor=call.reviewer) if run else []

    def show() -> None:
        out_console.print(safe_text(f"rule {rule.name}: {rule.describe()}"))
        _print_runs(runs)

    call.answer({"rule": rule.model_dump(), "runs": runs}, show)


def _print_runs(runs: list[automation.RuleRun]) -> None:
    for r in runs:
        line = f"{r.rule}: {r.total} records marked ineligible (+{r.added}, -{r.undone})"
        out_console.print(safe_text(line))


@app.command("list")
@review_command()
def list_(call: ReviewCall) -> None:
    """The review's automation rules."""
    rules = automation.list_rules(call.store)
    t = Table("rule", "filter", box=None, pad_edge=False)
    for r in rules:
        t.add_row(r.name, r.describe())
    call.answer({"rules": [r.model_dump() for r in rules]}, lambda: out_console.print(t))


@app.command("run")
@review_command(reviewer=True)
def run_(call: ReviewCall) -> None:
    """Re-run every rule (new records are checked; records no longer matching come back)."""
    runs = automation.run_rules(call.store, actor=call.reviewer)
    call.answer({"runs": runs}, lambda: _print_runs(runs))


@app.command("delete")
@review_command(reviewer=True)
def delete(call: ReviewCall, name: Annotated[str, typer.Argument(help="The rule's name.")]) -> None:
    """Drop a rule; the records it marked come back for screening."""
    n = automation.delete_rule(call.store, name, actor=call.reviewer)
    call.answer(
        {"rule": name, "restored": n}, f"rule {name} deleted; {n} records back for screening"
    )


@review_command(reviewer=True)
def remove(
    call: ReviewCall,
    records: RecordIdsArg,
    reason: Annotated[str, typer.Option("--reason", help="Why (shown in PRISMA).")] = "",
    undo: Annotated[
        bool, typer.Option("--undo", help="Bring these records back for screening instead.")
    ] = False,
) -> None:
    """Remove records before screening for another reason (PRISMA "removed for other
    reasons"); `--undo` brings them back."""
    # (`litsift restore` is the backup's: a second command of that name was never reachable)
    if undo:
        n = automation.restore_records(call.store, records, actor=call.reviewer)
        call.answer({"restored": n}, f"{n} records back for screening")
        return
    n = automation.remove_records(call.store, records, reason, actor=call.reviewer)
    call.answer({"removed": n}, f"{n} records removed before screening")


@review_command(stage=True)
def stop_screening(
    call: ReviewCall,
    force: Annotated[
        bool, typer.Option("--force", help="Stop although the rule does not say it is safe.")
    ] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Take back the stop.")] = False,
) -> None:
    """Stop screening under the stopping rule: the records still unscreened are reported in
    PRISMA as never screened, with the recall estimate it stopped at."""
    from screening.stop import resume_screening
    from screening.stop import stop_screening as stop

    stage, who = call.stage, call.reviewer
    if resume:
        resume_screening(call.store, stage=stage, actor=who)
        info = None
    else:
        info = stop(call.store, stage=stage, reviewer=who, force=force)
    if info is None:
        said = f"screening at {stage} resumed"
    else:
        said = f"screening at {stage} stopped: {info['message']}"
    call.answer({"stopped": info}, said)
