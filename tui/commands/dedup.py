"""`litsift dedup`: find duplicates, list pairs and clusters, decide queued pairs, undo."""

from __future__ import annotations

import csv
from typing import Annotated, Any, TextIO

import typer
from rich.text import Text

from review.dedup import service
from review.dedup.queries import QueueItem
from review.output import database_files, open_output
from review.spreadsheet_cells import guard
from tui.common import ForceOption, count, err_console, out_console, print_json, progress_status
from tui.review_command import ReviewCall, review_command
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


def _write_csv(
    call: ReviewCall,
    out: str | None,
    force: bool,
    columns: list[str],
    listing: dict[str, list[dict[str, Any]]],
) -> None:
    """The rows as JSON with --json and no --out; else CSV to stdout or to a file (see
    review.output for what may be written where)."""
    [rows] = listing.values()
    if call.as_json and out is None:
        print_json(listing)
        return
    with open_output(out, force=force, protect=database_files(call.store.path)) as f:
        _csv(f, columns, rows)
    if out not in (None, "-", "/dev/stdout"):
        err_console.print(Text(f"wrote {len(rows)} rows to ") + safe_text(out))


def _csv(f: TextIO, columns: list[str], rows: list[dict[str, Any]]) -> None:
    w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows({k: guard(v) for k, v in r.items()} for r in rows)  # text, never a formula


AutoThreshold = Annotated[
    float | None,
    typer.Option("--auto-threshold", help="Merge automatically at or above this score."),
]


@app.callback()
@review_command()
def run(call: ReviewCall, ctx: typer.Context, auto_threshold: AutoThreshold = None) -> None:
    """Find duplicates (only pairs touching records new since the last run)."""
    if ctx.invoked_subcommand:
        return
    with progress_status("deduplicating: comparing records…", call.as_json):
        s = service.run_dedup(call.store, auto_threshold=auto_threshold)
    call.answer(
        s.to_json(),
        f"{s.records} records ({s.new_records} new), {s.candidates} candidate pairs\n"
        f"{count(s.clusters, 'cluster')}, {count(s.duplicates_removed, 'duplicate record')} "
        f"merged, {count(s.queued, 'pair')} queued for a person  ({s.seconds:.1f} s)",
    )


@app.command("pairs")
@review_command()
def pairs(
    call: ReviewCall,
    out: OutOption = None,
    decision: Annotated[
        list[str] | None, typer.Option("--decision", help="Only pairs with this decision.")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Scored pairs: source_key_a, source_key_b, score, decision, reason, then each record's
    id (#ID, which `dedup decide` accepts) and the file it came from."""
    rows = [
        dict(r, id_a=f"#{r['record_a']}", id_b=f"#{r['record_b']}")
        for r in service.pair_rows(call.store, decision)
    ]
    _write_csv(call, out, force, PAIR_COLUMNS, {"pairs": rows})


@app.command("clusters")
@review_command()
def clusters(call: ReviewCall, out: OutOption = None, force: ForceOption = False) -> None:
    """Records in clusters: source_key, cluster_id, canonical (true/false), the record's id
    (#ID) and the file it came from."""
    rows = [dict(r, id=f"#{r['record_id']}") for r in service.cluster_rows(call.store)]
    columns = ["source_key", "cluster_id", "canonical", "id", "file"]
    _write_csv(call, out, force, columns, {"clusters": rows})


@app.command("decide")
@review_command(reviewer=True)
def decide(
    call: ReviewCall,
    key_a: Annotated[
        str, typer.Argument(help="#ID of one record (or its source key, when unique).")
    ],
    key_b: Annotated[str, typer.Argument(help="#ID of the other (or its source key).")],
    verdict: Annotated[str, typer.Argument(help="same or different")],
) -> None:
    """Decide a possible duplicate: the two records are the `same` publication or `different`."""
    cid = service.decide_pair(call.store, key_a, key_b, verdict, actor=call.reviewer)
    msg = f"merged into cluster {cid}" if cid else "kept apart"
    call.answer(
        {"a": key_a, "b": key_b, "verdict": verdict, "cluster_id": cid or None},
        f"{key_a} and {key_b}: {verdict}, {msg}",
    )


ClusterArg = Annotated[int, typer.Argument(help="A cluster id from `dedup clusters`.")]


@app.command("undo")
@review_command(reviewer=True)
def undo(call: ReviewCall, cluster_id: ClusterArg) -> None:
    """Undo a merge: the cluster's records stand alone again (or in the clusters it joined)."""
    revived = service.undo_cluster(call.store, cluster_id, actor=call.reviewer)
    back = ", ".join(map(str, revived))
    many = len(revived) != 1
    extra = (
        f"; cluster{'s' if many else ''} {back} {'are' if many else 'is'} back" if revived else ""
    )
    call.answer(
        {"undone": cluster_id, "restored_clusters": revived}, f"cluster {cluster_id} undone{extra}"
    )


def _line(r: dict[str, Any]) -> str:
    where = f" [{r['file']}]" if r.get("file") else ""
    return (
        f"#{r['id']} {r['source_key']}{where}: {r['title'][:70]} "
        f"({r['year'] or '?'}, {r['journal'][:30]})"
    )


Limit = Annotated[int, typer.Option("--limit", help="Show at most this many.")]


@app.command("queue")
@review_command()
def queue(call: ReviewCall, limit: Limit = 20) -> None:
    """Possible duplicates waiting for a person, most likely first."""
    items = service.list_queue(call.store, limit=limit)
    call.answer({"queue": items}, lambda: _queue(items))


def _queue(items: list[QueueItem]) -> None:
    for q in items:
        out_console.print(Text.assemble((f"{q.score:.3f}", "bold"), " ", safe_text(q.reason)))
        a, b = (safe_text(_line(r), single_line=True) for r in (q.record_a, q.record_b))
        out_console.print(Text.assemble("  ", a, "\n  ", b), highlight=False)
    if not items:
        out_console.print("no possible duplicates are waiting")
