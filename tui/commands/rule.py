"""Records removed before screening: `litsift rule add|list|run|delete` (automation rules),
`litsift remove`/`restore` (other reasons) and `litsift stop-screening`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from review import automation
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
    help="Automation rules: filters (years, languages, publication types) that mark records "
    "ineligible before screening; stored with the review and re-run at will.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="rule")
    root.command("remove")(remove)
    root.command("restore")(restore)
    root.command("stop-screening")(stop_screening)


@app.command("add")
@handle_errors
def add(
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
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add (or replace) a rule; records with unknown year or language are never matched."""
    store, who = existing_store(db), default_reviewer(reviewer)
    rule = automation.add_rule(
        store,
        {
            "name": name,
            "year_min": year_min,
            "year_max": year_max,
            "languages": language or [],
            "exclude_types": exclude_type or [],
        },
        actor=who,
    )
    runs = automation.run_rules(store, actor=who) if run else []
    if as_json:
        print_json({"rule": rule.model_dump(), "runs": runs})
        return
    out_console.print(f"rule {rule.name}: {rule.describe()}", markup=False, highlight=False)
    _print_runs(runs)


def _print_runs(runs: list[automation.RuleRun]) -> None:
    for r in runs:
        out_console.print(
            f"{r.rule}: {r.total} records marked ineligible (+{r.added}, -{r.undone})",
            markup=False,
            highlight=False,
        )


@app.command("list")
@handle_errors
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The review's automation rules."""
    rules = automation.list_rules(existing_store(db))
    if as_json:
        print_json({"rules": [r.model_dump() for r in rules]})
        return
    t = Table("rule", "filter", box=None, pad_edge=False)
    for r in rules:
        t.add_row(r.name, r.describe())
    out_console.print(t)


@app.command("run")
@handle_errors
def run_(reviewer: ReviewerOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Re-run every rule (new records are checked; records no longer matching come back)."""
    runs = automation.run_rules(existing_store(db), actor=default_reviewer(reviewer))
    if as_json:
        print_json({"runs": runs})
        return
    _print_runs(runs)


@app.command("delete")
@handle_errors
def delete(
    name: Annotated[str, typer.Argument(help="The rule's name.")],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Drop a rule; the records it marked come back for screening."""
    n = automation.delete_rule(existing_store(db), name, actor=default_reviewer(reviewer))
    if as_json:
        print_json({"rule": name, "restored": n})
        return
    out_console.print(f"rule {name} deleted; {n} records back for screening", markup=False)


Ids = Annotated[list[int], typer.Argument(help="Record ids.", show_default=False)]


@handle_errors
def remove(
    records: Ids,
    reason: Annotated[str, typer.Option("--reason", help="Why (shown in PRISMA).")] = "",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove records before screening for another reason (PRISMA "removed for other
    reasons"); `litsift restore` takes it back."""
    n = automation.remove_records(
        existing_store(db), records, reason, actor=default_reviewer(reviewer)
    )
    if as_json:
        print_json({"removed": n})
        return
    out_console.print(f"{n} records removed before screening")


@handle_errors
def restore(
    records: Ids, reviewer: ReviewerOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Bring back records removed for another reason."""
    n = automation.restore_records(existing_store(db), records, actor=default_reviewer(reviewer))
    if as_json:
        print_json({"restored": n})
        return
    out_console.print(f"{n} records back for screening")


@handle_errors
def stop_screening(
    stage: StageOption = "title-abstract",
    reviewer: ReviewerOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Stop although the rule does not say it is safe.")
    ] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Take back the stop.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stop screening under the stopping rule: the records still unscreened are reported in
    PRISMA as never screened, with the recall estimate it stopped at."""
    from screening.stop import resume_screening
    from screening.stop import stop_screening as stop

    store, who = existing_store(db), default_reviewer(reviewer)
    if resume:
        resume_screening(store, stage=stage, actor=who)
        info = None
    else:
        info = stop(store, stage=stage, reviewer=who, force=force)
    if as_json:
        print_json({"stopped": info})
        return
    if info is None:
        out_console.print(f"screening at {stage} resumed")
    else:
        out_console.print(
            f"screening at {stage} stopped: {info['message']}", markup=False, highlight=False
        )
