"""`litsift records` and `litsift show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from review import service
from review.annotation import AnnotationView
from review.blinding import record_decisions, screened_rows
from review.decisions import DecisionView
from review.queue import ClusterMembership
from review.records import RecordView
from tui.common import StageOption, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text


def register(app: typer.Typer) -> None:
    app.command("records")(records)
    app.command("show")(show)


@review_command(reviewer=True)
def records(
    call: ReviewCall,
    stage: StageOption = "title-abstract",
    label: Annotated[
        str | None, typer.Option("--label", help="include, exclude, maybe, conflict or none.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
) -> None:
    """List records with their settled decision (in dual screening: your own until the
    second reviewer has decided; never another's before you decide)."""
    rows = screened_rows(call.store, stage=stage, viewer=call.reviewer, label=label, limit=limit)
    t = Table(box=None, pad_edge=False)
    t.add_column("id", justify="right", no_wrap=True, min_width=3)
    t.add_column("source key", no_wrap=True, overflow="ellipsis", max_width=16)
    t.add_column("year", no_wrap=True, min_width=4)
    t.add_column("decision", no_wrap=True, min_width=8)
    used = 3 + 16 + 4 + 8 + 10  # the other columns and the padding between columns
    t.add_column(
        "title", no_wrap=True, overflow="ellipsis", max_width=max(20, out_console.width - used)
    )
    for r in rows:
        shown = (r.label or "") + ("?" if r.status == "awaiting" else "")
        cells = (r.source_key, r.year or "", shown, r.title)
        t.add_row(str(r.id), *(safe_text(v, single_line=True) for v in cells))
    call.answer({"records": rows}, lambda: out_console.print(t))


RawOption = Annotated[bool, typer.Option("--raw", help="Also print the entry as in its file.")]


@review_command(reviewer=True)
def show(
    call: ReviewCall,
    record_id: Annotated[int, typer.Argument(help="Record id.")],
    raw: RawOption = False,
) -> None:
    """Show one record's fields and the decisions on it you may see (in dual screening
    another reviewer's only once you have decided too)."""
    from review.annotation import list_annotations

    store = call.store
    rec = service.get_record(store, record_id)
    notes = list_annotations(store, record_id)
    decisions = record_decisions(store, record_id, viewer=call.reviewer)
    cluster = service.cluster_of(store, record_id)
    call.answer(
        {**rec.to_dict(), "annotations": notes, "decisions": decisions, "cluster": cluster},
        lambda: _show(rec, raw, notes, decisions, cluster),
    )


def _show(
    rec: RecordView,
    raw: bool,
    notes: list[AnnotationView],
    decisions: list[DecisionView],
    cluster: ClusterMembership | None,
) -> None:
    record_id = rec.id
    for k, v in rec.items():
        if k == "raw" and not raw:
            continue
        if isinstance(v, list):
            v = "; ".join(v)
        if v not in ("", None):
            out_console.print(Text.assemble((k, "bold"), ": ", safe_text(v)), highlight=False)
    for a in notes:
        who = safe_text(f"({a.reviewer})", "dim")
        line = Text.assemble((a.kind, "bold"), ": ", safe_text(a.value), " ", who)
        out_console.print(line, highlight=False)
    for d in decisions:
        why = safe_text(f" ({d.reason})") if d.reason else ""
        line = Text.assemble(
            ("decision", "bold"), f": {d.label}", why, f" at {d.stage} by ", safe_text(d.reviewer)
        )
        out_console.print(line, highlight=False)
    if cluster is not None:
        where = (
            f"merged into #{cluster.canonical_record_id}, which is screened"
            if cluster.merged(record_id)
            else "the copy that is screened"
        )
        out_console.print(
            Text.assemble(
                ("duplicates", "bold"),
                f": cluster {cluster.cluster_id} of {cluster.size} records; {where}",
            )
        )
