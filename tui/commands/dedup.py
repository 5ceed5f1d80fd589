"""`litsift dedup`: find duplicates, list pairs and clusters, decide queued pairs, undo."""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.text import Text

from review.dedup import service
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

app = typer.Typer(
    help="Find duplicate records (nothing is deleted; every merge can be undone).",
    invoke_without_command=True,
)
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write CSV to this file (default: standard output).")
]


def _write_csv(out: Path | None, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """CSV to stdout, or to a temporary file moved into place when complete."""

    def write(f: TextIO) -> None:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    if out is None:
        write(sys.stdout)
        return
    out = out.resolve()
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(f)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    err_console.print(f"wrote {len(rows)} rows to {out}")


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
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Scored pairs: source_key_a, source_key_b, score, decision, reason."""
    rows = service.pair_rows(existing_store(db), decision)
    if as_json and out is None:
        print_json({"pairs": rows})
        return
    _write_csv(out, ["source_key_a", "source_key_b", "score", "decision", "reason"], rows)


@app.command("clusters")
@handle_errors
def clusters(out: OutOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Records in clusters: source_key, cluster_id, canonical (true/false)."""
    rows = service.cluster_rows(existing_store(db))
    if as_json and out is None:
        print_json({"clusters": rows})
        return
    _write_csv(out, ["source_key", "cluster_id", "canonical"], rows)


@app.command("decide")
@handle_errors
def decide(
    key_a: Annotated[str, typer.Argument(help="Source key (or #ID) of one record.")],
    key_b: Annotated[str, typer.Argument(help="Source key (or #ID) of the other.")],
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
    out_console.print(Text(f"{key_a} and {key_b}: {verdict}, {msg}"))


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
    return f"{r['source_key']}: {r['title'][:70]} ({r['year'] or '?'}, {r['journal'][:30]})"


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
        out_console.print(f"[bold]{q.score:.3f}[/] {q.reason}", highlight=False)
        out_console.print(f"  {_line(q.record_a)}\n  {_line(q.record_b)}", highlight=False)
    if not items:
        out_console.print("no possible duplicates are waiting")
