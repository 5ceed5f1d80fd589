"""Read-only views of a review's deduplication: status, the queue, clusters, pairs, and
decisions carried over to canonical records. Used by the service, the CLI and the TUI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, select

from review.batches import visible_record
from review.db import Store
from review.dedup.store import active_clusters, load_records
from review.errors import NotFoundError
from review.models import DedupCluster, DedupMember, DedupPair, DedupRun, ImportBatch, Record


@dataclass
class DedupSummary:
    """What a run did and where the review stands."""

    run_id: int
    records: int
    new_records: int
    candidates: int
    pairs_scored: int
    clusters: int
    records_in_clusters: int
    duplicates_removed: int
    queued: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def dedup_tables() -> tuple[Any, Any, Any, Any]:
    return (
        DedupRun.__table__,  # type: ignore[attr-defined]
        DedupCluster.__table__,  # type: ignore[attr-defined]
        DedupMember.__table__,  # type: ignore[attr-defined]
        DedupPair.__table__,  # type: ignore[attr-defined]
    )


def record_labels(conn: Connection) -> dict[int, tuple[str, str]]:
    """Record id → (source key, name of the file it was imported from): source keys repeat
    across files, so a person needs both (and the id) to name a record."""
    rec = Record.__table__  # type: ignore[attr-defined]
    batch = ImportBatch.__table__  # type: ignore[attr-defined]
    q = select(rec.c.id, rec.c.source_key, batch.c.file_name).join(
        batch, batch.c.id == rec.c.batch_id, isouter=True
    )
    return {rid: (key or "", name or "") for rid, key, name in conn.execute(q)}


def effective_decision(decision: str, a: int, b: int, cluster_of: dict[int, int]) -> str:
    """A pair's decision as it stands: a pair left `queued` (or `distinct`) whose records
    have since ended in one cluster (a person merged them through other pairs) is
    `merged` — the one truth that `dedup pairs`, `dedup queue` and the status share."""
    if decision in ("queued", "distinct") and cluster_of.get(a, -a) == cluster_of.get(b, -b):
        return "merged"
    return decision


def dedup_status(store: Store) -> DedupSummary:
    """Counts of the review's deduplication as it stands."""
    with store.begin() as conn:
        clusters = active_clusters(conn)
        run_t = dedup_tables()[0]
        rec = Record.__table__  # type: ignore[attr-defined]
        n_records = len(conn.execute(select(rec.c.id).where(visible_record(rec))).all())
        last = conn.execute(select(run_t.c.id).order_by(run_t.c.id.desc())).first()
    in_clusters = sum(len(m) for m in clusters.values())
    return DedupSummary(
        run_id=last[0] if last else 0,
        records=n_records,
        new_records=0,
        candidates=0,
        pairs_scored=0,
        clusters=len(clusters),
        records_in_clusters=in_clusters,
        duplicates_removed=in_clusters - len(clusters),
        queued=len(list_queue(store, limit=None)),
        seconds=0.0,
    )


def duplicates_removed(store: Store) -> int:
    """PRISMA's "duplicate records removed": records that are not the canonical member of
    their cluster."""
    with store.begin() as conn:
        return sum(len(m) - 1 for m in active_clusters(conn).values())


@dataclass
class QueueItem:
    """A possible duplicate waiting for a person: both records side by side."""

    pair_id: int
    score: float
    reason: str
    record_a: dict[str, Any]
    record_b: dict[str, Any]


def list_queue(store: Store, *, limit: int | None = 100) -> list[QueueItem]:
    """Queued pairs, most likely duplicates first; pairs whose records have since ended in
    one cluster are left out."""
    _, _, _, pair_t = dedup_tables()
    with store.begin() as conn:
        cluster_of = {r: cid for cid, members in active_clusters(conn).items() for r in members}
        rows = conn.execute(
            select(pair_t).where(pair_t.c.decision == "queued").order_by(pair_t.c.score.desc())
        ).all()
        rows = [
            r
            for r in rows
            if effective_decision(r.decision, r.record_a, r.record_b, cluster_of) == "queued"
        ][:limit]
        needed = {r.record_a for r in rows} | {r.record_b for r in rows}
        recs = {r["id"]: r for r in load_records(conn, needed)} if needed else {}
        labels = record_labels(conn) if needed else {}
    for r in recs.values():
        r["file"] = labels.get(r["id"], ("", ""))[1]
    return [QueueItem(r.id, r.score, r.reason, recs[r.record_a], recs[r.record_b]) for r in rows]


@dataclass
class ClusterView:
    """An active cluster: its canonical record (gaps filled from the others) and members."""

    id: int
    canonical_id: int
    origin: str
    members: list[dict[str, Any]]
    merged: dict[str, Any]


def get_cluster(store: Store, cluster_id: int) -> ClusterView:
    """One active cluster with its members and the canonical record's filled fields."""
    from review.dedup.engine import fill_fields

    with store.begin() as conn:
        clusters = active_clusters(conn)
        if cluster_id not in clusters:
            raise NotFoundError(f"no active dedup cluster {cluster_id}")
        row = conn.execute(
            select(DedupCluster.__table__).where(  # type: ignore[attr-defined]
                DedupCluster.__table__.c.id == cluster_id  # type: ignore[attr-defined]
            )
        ).one()
        recs = load_records(conn, set(clusters[cluster_id]))
    canon = next(r for r in recs if r["id"] == row.canonical_record_id)
    others = [r for r in recs if r["id"] != row.canonical_record_id]
    return ClusterView(cluster_id, canon["id"], row.origin, recs, fill_fields(canon, others))


def cluster_rows(store: Store) -> list[dict[str, Any]]:
    """One row per record in an active cluster: source_key, cluster_id, canonical, and the
    record's id and file."""
    with store.begin() as conn:
        clusters = active_clusters(conn)
        labels = record_labels(conn)
    return [
        {
            "source_key": labels[r][0],
            "cluster_id": cid,
            "canonical": "true" if i == 0 else "false",
            "record_id": r,
            "file": labels[r][1],
        }
        for cid, members in sorted(clusters.items())
        for i, r in enumerate(members)
    ]


def pair_rows(store: Store, decisions: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Stored pairs: source_key_a, source_key_b, score, decision (as it stands: see
    `effective_decision`), reason, and both records' ids and files."""
    _, _, _, pair_t = dedup_tables()
    wanted = set(decisions or ())
    with store.begin() as conn:
        labels = record_labels(conn)
        cluster_of = {r: cid for cid, members in active_clusters(conn).items() for r in members}
        q = select(pair_t).order_by(pair_t.c.score.desc(), pair_t.c.id)
        rows = conn.execute(q).all()
    out = []
    for r in rows:
        decision = effective_decision(r.decision, r.record_a, r.record_b, cluster_of)
        if wanted and decision not in wanted:
            continue
        out.append(
            {
                "source_key_a": labels[r.record_a][0],
                "source_key_b": labels[r.record_b][0],
                "score": round(r.score, 6),
                "decision": decision,
                "reason": r.reason,
                "record_a": r.record_a,
                "record_b": r.record_b,
                "file_a": labels[r.record_a][1],
                "file_b": labels[r.record_b][1],
            }
        )
    return out


def carried_decisions(store: Store, *, stage: str = "title-abstract") -> dict[int, dict[str, Any]]:
    """Screening decisions carried over to each cluster's canonical record: for every active
    cluster with a standing decision on any member, the canonical record id maps to the
    label (the canonical's own if it has one, else the latest on a member), the record it
    came from, and whether members disagree."""
    from review.decisions import current_decisions_subquery
    from review.models import Decision

    with store.session() as s:
        sub = current_decisions_subquery(stage)
        rows = s.exec(
            select(Decision.record_id, Decision.label, Decision.id).join(  # type: ignore[call-overload]
                sub, sub.c.decision_id == Decision.id
            )
        ).all()
    by_record = {rid: (label, did) for rid, label, did in rows}
    with store.begin() as conn:
        clusters = active_clusters(conn)
    out: dict[int, dict[str, Any]] = {}
    for members in clusters.values():
        decided = [(by_record[m][1], m, by_record[m][0]) for m in members if m in by_record]
        if not decided:
            continue
        canon = members[0]
        own = by_record.get(canon)
        _, source, label = max(decided) if own is None else (0, canon, own[0])
        out[canon] = {
            "label": label,
            "from_record": source,
            "conflict": len({d[2] for d in decided}) > 1,
            "members": members,
        }
    return out
