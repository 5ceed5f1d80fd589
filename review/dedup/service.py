"""Deduplication on a review: run the matcher, keep clusters and pair decisions, undo.

The CLI (`litsift dedup ...`), the TUI's side-by-side screen and scripts call these
functions. Each is one unit of work. Records are never deleted or edited: a cluster links
records, a pair row keeps score, reason and decision, undo dissolves a cluster and brings
back the clusters it replaced. Every change writes an audit entry.

Re-runs score only pairs touching records imported since the last run; decisions already
taken (by the machine or a person) are kept, and a pair left for a person is never merged
automatically later.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from review.db import Store
from review.dedup.clustering import QUEUE_LIMIT_NOTE
from review.dedup.engine import DedupResult, Settings, choose_canonical, find_duplicates
from review.dedup.normalize import prepare
from review.dedup.queries import (
    ClusterView,
    DedupSummary,
    QueueItem,
    carried_decisions,
    cluster_rows,
    dedup_status,
    dedup_tables,
    duplicates_removed,
    get_cluster,
    list_queue,
    pair_rows,
)
from review.dedup.scoring import score_pair
from review.dedup.store import (
    RECORD_COLUMNS,
    active_clusters,
    audit,
    create_cluster,
    dissolve,
    load_pairs,
    load_records,
    resolve_record,
)
from review.errors import InvalidInputError, NotFoundError
from review.models import utcnow

log = logging.getLogger(__name__)

PERSON_DECISIONS = ("same", "different")
# Pairs kept in the pair table: every queued/merged pair, and distinct ones above this score
# (so `dedup pairs` shows the near misses without storing every hopeless candidate); pairs
# left out of a flooded queue are not stored either.
KEEP_DISTINCT_ABOVE = 0.05


def run_dedup(
    store: Store,
    *,
    auto_threshold: float | None = None,
    queue_threshold: float | None = None,
    actor: str = "",
) -> DedupSummary:
    """Find duplicates among the review's records (only pairs touching new records when an
    earlier run exists) and store clusters and pair decisions."""
    settings = Settings()
    if auto_threshold is not None:
        if not 0.5 < auto_threshold <= 1.0:
            raise InvalidInputError(
                f"--auto-threshold {auto_threshold} is out of range",
                hint="use a score between 0.5 and 1.0 (default 0.995)",
            )
        settings.auto_threshold = auto_threshold
    if queue_threshold is not None:
        settings.queue_threshold = queue_threshold
    settings.queue_threshold = min(settings.queue_threshold, settings.auto_threshold)
    run_t, _, _, pair_t = dedup_tables()
    t0 = time.perf_counter()
    with store.begin() as conn:
        records = load_records(conn)
        ids = [r["id"] for r in records]
        idx = {rid: i for i, rid in enumerate(ids)}
        last = conn.execute(select(run_t.c.max_record_id).order_by(run_t.c.id.desc())).first()
        new = None if last is None else {i for i, rid in enumerate(ids) if rid > last[0]}
        pairs = load_pairs(conn)
        clusters = active_clusters(conn)
        same = [(idx[a], idx[b]) for (a, b), p in pairs.items() if p["decision"] == "same"]
        cluster_of = {r: cid for cid, members in clusters.items() for r in members}
        different = [  # a pair left for a person is never merged behind their back
            (idx[a], idx[b])
            for (a, b), p in pairs.items()
            if p["decision"] in ("different", "queued", "distinct")
            and (cluster_of.get(a) is None or cluster_of.get(a) != cluster_of.get(b))
        ]
        fixed = {(idx[m[0]], idx[x]) for m in clusters.values() for x in m[1:]}
        if new is not None and not new:  # nothing imported since the last run
            result = DedupResult(clusters=[], pairs=[], timings={"candidates": 0.0})
        else:
            result = find_duplicates(
                records, settings=settings, new=new, same=[*same, *fixed], different=different
            )
        run_id = conn.execute(
            insert(run_t).values(
                started_at=utcnow(),
                actor=actor,
                settings=settings.get_params(),
                max_record_id=max(ids, default=0),
                n_records=len(ids),
                n_new_records=len(ids) if new is None else len(new),
                n_candidates=int(result.timings.get("candidates", 0)),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        rows = []
        for p in result.pairs:
            a, b = ids[p.i], ids[p.j]
            if (a, b) in pairs or (p.i, p.j) in fixed:
                continue
            if p.decision == "distinct" and (
                p.score < KEEP_DISTINCT_ABOVE or p.reason.endswith(QUEUE_LIMIT_NOTE)
            ):
                continue
            rows.append(
                {
                    "record_a": a,
                    "record_b": b,
                    "score": p.score,
                    "decision": p.decision,
                    "auto_decision": p.decision,
                    "reason": p.reason,
                    "run_id": run_id,
                }
            )
        for start in range(0, len(rows), 5000):
            conn.execute(insert(pair_t), rows[start : start + 5000])
        _apply_clusters(conn, records, result.clusters, clusters, run_id, actor)
        seconds = time.perf_counter() - t0
        conn.execute(
            update(run_t)
            .where(run_t.c.id == run_id)
            .values(n_pairs=len(rows), seconds=round(seconds, 3))
        )
        audit(conn, actor, "dedup-run", f"dedup_run:{run_id}", {"pairs": len(rows)})
    summary = dedup_status(store)
    summary.run_id = run_id
    summary.new_records = len(ids) if new is None else len(new)
    summary.candidates = int(result.timings.get("candidates", 0))
    summary.pairs_scored = len(rows)
    summary.seconds = round(seconds, 3)
    return summary


def _apply_clusters(
    conn: Connection,
    records: list[dict[str, Any]],
    found: list[list[int]],
    existing: dict[int, list[int]],
    run_id: int,
    actor: str,
) -> None:
    """Store the clusters a run found: new ones, and grown ones replacing the old."""
    cluster_of = {rid: cid for cid, members in existing.items() for rid in members}
    for members in found:
        rids = [records[i]["id"] for i in members]
        olds = sorted({cluster_of[r] for r in rids if r in cluster_of})
        if len(olds) == 1 and set(existing[olds[0]]) == set(rids):
            continue
        for old in olds:
            dissolve(conn, old, "absorbed")
        create_cluster(
            conn, rids[0], rids, origin="auto", run_id=run_id, actor=actor, replaces=olds
        )


def decide_pair(store: Store, key_a: str, key_b: str, verdict: str, *, actor: str = "") -> int:
    """A person's verdict on two records (`same` merges their clusters, `different` keeps
    them apart, splitting a cluster if need be). Returns the cluster now holding both
    records (`same`), else 0."""
    if verdict not in PERSON_DECISIONS:
        raise InvalidInputError(f"unknown verdict {verdict!r}", hint="use `same` or `different`")
    _, _, _, pair_t = dedup_tables()
    with store.begin() as conn:
        a, b = sorted((resolve_record(conn, key_a), resolve_record(conn, key_b)))
        if a == b:
            raise InvalidInputError(
                f"{key_a} and {key_b} are the same record",
                hint="name two records, as `litsift dedup queue` lists them (#ID)",
            )
        row = conn.execute(
            select(pair_t).where(pair_t.c.record_a == a, pair_t.c.record_b == b)
        ).first()
        old: str | None
        if row is None:
            recs = {r["id"]: r for r in load_records(conn, {a, b})}
            s = score_pair(prepare(recs[a]), prepare(recs[b]))
            pair_id = conn.execute(
                insert(pair_t).values(
                    record_a=a, record_b=b, score=s.score, decision="queued", reason=s.reason
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            old = None  # undo removes the pair row again
        else:
            pair_id, old = row.id, row.decision
        conn.execute(
            update(pair_t)
            .where(pair_t.c.id == pair_id)
            .values(decision=verdict, decided_by=actor, decided_at=utcnow())
        )
        audit(conn, actor, f"dedup-{verdict}", f"dedup_pair:{pair_id}", {"a": a, "b": b})
        clusters = active_clusters(conn)
        cluster_of = {r: cid for cid, members in clusters.items() for r in members}
        ca, cb = cluster_of.get(a), cluster_of.get(b)
        if verdict == "same":
            if ca is not None and ca == cb:
                return ca
            members = sorted(
                {
                    *(clusters[ca] if ca is not None else [a]),
                    *(clusters[cb] if cb is not None else [b]),
                }
            )
            _check_not_different(conn, members)
            olds = [c for c in (ca, cb) if c is not None]
            for c in olds:
                dissolve(conn, c, "absorbed")
            member_recs = load_records(conn, set(members))
            canon = member_recs[choose_canonical(member_recs, range(len(member_recs)))]["id"]
            return create_cluster(
                conn,
                canon,
                members,
                origin="person",
                actor=actor,
                replaces=olds,
                pair_changes=[[pair_id, old]],
            )
        if ca is not None and ca == cb:
            _split(conn, ca, (a, b), actor, [[pair_id, old]])
        return 0


def reopen_pair(store: Store, key_a: str, key_b: str, *, actor: str = "") -> None:
    """Put a pair a person marked `different` back in the queue (the undo of `different`;
    the undo of `same` is `undo_cluster`). Records split apart stay apart until a person
    says `same`."""
    _, _, _, pair_t = dedup_tables()
    with store.begin() as conn:
        a, b = sorted((resolve_record(conn, key_a), resolve_record(conn, key_b)))
        row = conn.execute(
            select(pair_t).where(pair_t.c.record_a == a, pair_t.c.record_b == b)
        ).first()
        if row is None or row.decision != "different":
            raise InvalidInputError(
                f"records {a} and {b} are not marked different", hint="nothing to reopen"
            )
        conn.execute(
            update(pair_t)
            .where(pair_t.c.id == row.id)
            .values(decision="queued", decided_by="", decided_at=None)
        )
        audit(conn, actor, "dedup-reopen", f"dedup_pair:{row.id}", {"a": a, "b": b})


def _check_not_different(conn: Connection, members: list[int]) -> None:
    _, _, _, pair_t = dedup_tables()
    bad = conn.execute(
        select(pair_t.c.record_a, pair_t.c.record_b).where(
            pair_t.c.decision == "different",
            pair_t.c.record_a.in_(members),
            pair_t.c.record_b.in_(members),
        )
    ).first()
    if bad is not None:
        raise InvalidInputError(
            f"records {bad[0]} and {bad[1]} were marked different; they cannot share a cluster",
            hint="mark that pair `same` first if it was a mistake",
        )


def _split(
    conn: Connection, cluster_id: int, apart: tuple[int, int], actor: str, changes: list
) -> None:
    """Dissolve a cluster and rebuild it from its merged/same pairs, keeping `apart` apart."""
    members = active_clusters(conn)[cluster_id]
    pairs = load_pairs(conn, set(members))
    root = {m: m for m in members}

    def find(x: int) -> int:
        while root[x] != x:
            x = root[x]
        return x

    groups: dict[int, set[int]] = {m: {m} for m in members}
    for (x, y), p in sorted(pairs.items(), key=lambda kv: -kv[1]["score"]):
        if p["decision"] not in ("merged", "same"):
            continue
        rx, ry = find(x), find(y)
        if rx == ry:
            continue
        if {apart[0], apart[1]} <= groups[rx] | groups[ry]:
            continue
        root[ry] = rx
        groups[rx] |= groups.pop(ry)
    dissolve(conn, cluster_id, "split")
    recs = {r["id"]: r for r in load_records(conn, set(members))}
    for g in groups.values():
        if len(g) > 1:
            ordered = sorted(g)
            canon = ordered[choose_canonical([recs[x] for x in ordered], range(len(ordered)))]
            create_cluster(
                conn,
                canon,
                ordered,
                origin="split",
                actor=actor,
                replaces=[cluster_id],
                pair_changes=changes,
            )


def undo_cluster(store: Store, cluster_id: int, *, actor: str = "") -> list[int]:
    """Undo a merge: dissolve the cluster, bring back the clusters it replaced and restore
    the pair decisions it changed. Pairs merged automatically become `queued` (a person
    decides; a later run will not merge them again). Returns the clusters brought back."""
    _, cluster_t, _, pair_t = dedup_tables()
    with store.begin() as conn:
        row = conn.execute(select(cluster_t).where(cluster_t.c.id == cluster_id)).first()
        if row is None:
            raise NotFoundError(
                f"no dedup cluster {cluster_id}", hint="see `litsift dedup clusters`"
            )
        if row.dissolved_at is not None:
            raise InvalidInputError(
                f"dedup cluster {cluster_id} was already undone or replaced ({row.dissolved_by})",
                hint="undo the cluster that replaced it, listed by `litsift dedup clusters`",
            )
        active = active_clusters(conn)
        members = active[cluster_id]
        revived = list(row.replaces or [])
        _check_revivable(conn, cluster_id, revived, active)
        dissolve(conn, cluster_id, "undo")
        for old in revived:
            conn.execute(
                update(cluster_t)
                .where(cluster_t.c.id == old)
                .values(dissolved_at=None, dissolved_by="")
            )
        for pair_id, old_decision in row.pair_changes or []:
            if old_decision is None:  # the pair was first compared by the undone decision
                conn.execute(delete(pair_t).where(pair_t.c.id == pair_id))
            else:
                conn.execute(
                    update(pair_t).where(pair_t.c.id == pair_id).values(decision=old_decision)
                )
        if row.origin != "person":
            still = {r: cid for cid, ms in active_clusters(conn).items() for r in ms}
            for (a, b), p in load_pairs(conn, set(members)).items():
                if p["decision"] == "merged" and (
                    still.get(a) is None or still.get(a) != still.get(b)
                ):
                    conn.execute(
                        update(pair_t).where(pair_t.c.id == p["id"]).values(decision="queued")
                    )
        audit(conn, actor, "dedup-undo", f"dedup_cluster:{cluster_id}", {"revived": revived})
    return revived


def _check_revivable(
    conn: Connection, cluster_id: int, revived: list[int], active: dict[int, list[int]]
) -> None:
    """Refuse an undo that would bring back a cluster split by a `different` decision (it
    would hold two records kept apart, or share records with the other part)."""
    if not revived:
        return
    _, _, member_t, _ = dedup_tables()
    old_members = {
        r
        for (r,) in conn.execute(
            select(member_t.c.record_id).where(member_t.c.cluster_id.in_(revived))
        )
    }
    elsewhere = {r for cid, ms in active.items() if cid != cluster_id for r in ms}
    pair_t = dedup_tables()[3]
    kept_apart = conn.execute(
        select(pair_t.c.id).where(
            pair_t.c.decision == "different",
            pair_t.c.record_a.in_(old_members),
            pair_t.c.record_b.in_(old_members),
        )
    ).first()
    if old_members & elsewhere or kept_apart is not None:
        raise InvalidInputError(
            f"cluster {cluster_id} came from splitting cluster(s) "
            f"{', '.join(map(str, revived))} by a `different` decision",
            hint="to join the records again, use `litsift dedup decide KEY_A KEY_B same`",
        )


__all__ = [
    "RECORD_COLUMNS",
    "ClusterView",
    "DedupSummary",
    "QueueItem",
    "carried_decisions",
    "cluster_rows",
    "decide_pair",
    "dedup_status",
    "duplicates_removed",
    "get_cluster",
    "list_queue",
    "pair_rows",
    "run_dedup",
    "undo_cluster",
]
