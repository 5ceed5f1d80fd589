"""`litsift dedup`: find duplicates, list pairs and clusters, decide queued pairs, undo."""

from __future__ import annotations

import csv
from typing import Annotated, Any, TextIO

import typer
from rich.text import Text

from review.dedup import service
from review.output import database_files, open_output
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    default_reviewer,
    err_console,
    existing_store,
    handle_errors,
    out_console,
    print_json,
    progress_status,
)
from tui.safe_text import safe_text

app = typer.Typer(
    help="Find duplicate records (nothing is deleted; every merge can be undone).",
    invoke_without_command=True,
)
PAIR_COLUMNS = [
    "source_key_a",
    "source_key_b",
    "score",
    "decision",
    "reason",
    "id_a",
    "id_b",
    "file_a",
    "file_b",
]
OutOption = Annotated[
    str | None,
    typer.Option("--out", help="Write CSV to this file, or - for standard output (the default)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the --out file if it exists.")]


def _write_csv(
    out: str | None, force: bool, db: Any, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    """CSV to stdout or to a file (see review.output for what may be written where)."""
    with open_output(out, force=force, protect=database_files(db.path)) as f:
        _csv(f, columns, rows)
    if out not in (None, "-", "/dev/stdout"):
        err_console.print(Text(f"wrote {len(rows)} rows to ") + safe_text(out))


def _csv(f: TextIO, columns: list[str], rows: list[dict[str, Any]]) -> None:
    w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


@app.callback()
@handle_errors
def run(
    ctx: typer.Context,
    auto_threshold: Annotated[
        float | None,
        typer.Option("--auto-threshold", help="Merge automatically at or above this score."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find duplicates (only pairs touching records new since the last run)."""
    if ctx.invoked_subcommand:
        return
    store = existing_store(db)
    with progress_status("deduplicating: comparing records…", as_json):
        s = service.run_dedup(store, auto_threshold=auto_threshold)
    if as_json:
        print_json(s.to_json())
        return
    out_console.print(
        f"{s.records} records ({s.new_records} new), {s.candidates} candidate pairs\n"
        f"{s.clusters} clusters, {s.duplicates_removed} duplicate records merged, "
        f"{s.queued} pairs queued for a person  ({s.seconds:.1f} s)"
    )


@app.command("pairs")
@handle_errors
def pairs(
    out: OutOption = None,
    decision: Annotated[
        list[str] | None, typer.Option("--decision", help="Only pairs with this decision.")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Scored pairs: source_key_a, source_key_b, score, decision, reason, then each record's
    id (#ID, which `dedup decide` accepts) and the file it came from."""
    store = existing_store(db)
    rows = [
        dict(r, id_a=f"#{r['record_a']}", id_b=f"#{r['record_b']}")
        for r in service.pair_rows(store, decision)
    ]
    if as_json and out is None:
        print_json({"pairs": rows})
        return
    _write_csv(out, force, store, PAIR_COLUMNS, rows)


@app.command("clusters")
@handle_errors
def clusters(
    out: OutOption = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Records in clusters: source_key, cluster_id, canonical (true/false), the record's id
    (#ID) and the file it came from."""
    store = existing_store(db)
    rows = [dict(r, id=f"#{r['record_id']}") for r in service.cluster_rows(store)]
    if as_json and out is None:
        print_json({"clusters": rows})
        return
    _write_csv(out, force, store, ["source_key", "cluster_id", "canonical", "id", "file"], rows)


@app.command("decide")
@handle_errors
def decide(
    key_a: Annotated[
        str, typer.Argument(help="#ID of one record (or its source key, when unique).")
    ],
    key_b: Annotated[str, typer.Argument(help="#ID of the other (or its source key).")],
    verdict: Annotated[str, typer.Argument(help="same or different")],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decide a possible duplicate: the two records are the `same` publication or `different`."""
    cid = service.decide_pair(
        existing_store(db), key_a, key_b, verdict, actor=default_reviewer(reviewer)
    )
    if as_json:
        print_json({"a": key_a, "b": key_b, "verdict": verdict, "cluster_id": cid or None})
        return
    msg = f"merged into cluster {cid}" if cid else "kept apart"
    out_console.print(safe_text(f"{key_a} and {key_b}: {verdict}, {msg}"))


@app.command("undo")
@handle_errors
def undo(
    cluster_id: Annotated[int, typer.Argument(help="A cluster id from `dedup clusters`.")],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo a merge: the cluster's records stand alone again (or in the clusters it joined)."""
    store = existing_store(db)
    revived = service.undo_cluster(store, cluster_id, actor=default_reviewer(reviewer))
    if as_json:
        print_json({"undone": cluster_id, "restored_clusters": revived})
        return
    back = ", ".join(map(str, revived))
    many = len(revived) != 1
    extra = (
        f"; cluster{'s' if many else ''} {back} {'are' if many else 'is'} back" if revived else ""
    )
    out_console.print(f"cluster {cluster_id} undone{extra}")


def _line(r: dict[str, Any]) -> str:
    where = f" [{r['file']}]" if r.get("file") else ""
    return (
        f"#{r['id']} {r['source_key']}{where}: {r['title'][:70]} "
        f"({r['year'] or '?'}, {r['journal'][:30]})"
    )


@app.command("queue")
@handle_errors
def queue(
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Possible duplicates waiting for a person, most likely first."""
    items = service.list_queue(existing_store(db), limit=limit)
    if as_json:
        print_json({"queue": items})
        return
    for q in items:
        out_console.print(Text.assemble((f"{q.score:.3f}", "bold"), " ", safe_text(q.reason)))
        a, b = (safe_text(_line(r), single_line=True) for r in (q.record_a, q.record_b))
        out_console.print(Text.assemble("  ", a, "\n  ", b), highlight=False)
    if not items:
        out_console.print("no possible duplicates are waiting")
