"""Table access shared by the dedup service: records as dicts, pairs, active clusters.

Core SQL on a connection inside the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from review.batches import visible_record
from review.errors import InvalidInputError, NotFoundError
from review.models import (
    BIBLIO_FIELDS,
    AuditEntry,
    DedupCluster,
    DedupMember,
    DedupPair,
    ImportBatch,
    Record,
    utcnow,
)

RECORD_COLUMNS = ("id", "batch_id", "source_key", *BIBLIO_FIELDS)

_rec = Record.__table__  # type: ignore[attr-defined]
_cluster = DedupCluster.__table__  # type: ignore[attr-defined]
_member = DedupMember.__table__  # type: ignore[attr-defined]
_pair = DedupPair.__table__  # type: ignore[attr-defined]
_audit = AuditEntry.__table__  # type: ignore[attr-defined]
_batch = ImportBatch.__table__  # type: ignore[attr-defined]


def load_records(conn: Connection, ids: Collection[int] | None = None) -> list[dict[str, Any]]:
    """Records (import order) as dicts of the fields matching uses."""
    q = select(*[_rec.c[c] for c in RECORD_COLUMNS]).order_by(_rec.c.id)
    q = q.where(visible_record(_rec))  # not the records of an import still loading
    if ids is not None:
        q = q.where(_rec.c.id.in_(list(ids)))
    return [dict(row._mapping) for row in conn.execute(q)]


def load_pairs(
    conn: Connection, among: Collection[int] | None = None
) -> dict[tuple[int, int], dict[str, Any]]:
    """Stored pairs by (record_a, record_b); with `among`, only pairs inside that set."""
    q = select(_pair.c.id, _pair.c.record_a, _pair.c.record_b, _pair.c.score, _pair.c.decision)
    if among is not None:
        ids = list(among)
        q = q.where(_pair.c.record_a.in_(ids), _pair.c.record_b.in_(ids))
    return {
        (r.record_a, r.record_b): {"id": r.id, "score": r.score, "decision": r.decision}
        for r in conn.execute(q)
    }


def active_clusters(conn: Connection) -> dict[int, list[int]]:
    """Active clusters: id → record ids, canonical first, then the others in id order."""
    q = (
        select(_cluster.c.id, _cluster.c.canonical_record_id, _member.c.record_id)
        .join(_member, _member.c.cluster_id == _cluster.c.id)
        .where(_cluster.c.dissolved_at.is_(None))
        .order_by(_cluster.c.id, _member.c.record_id)
    )
    out: dict[int, list[int]] = {}
    for cid, canon, rid in conn.execute(q):
        members = out.setdefault(cid, [canon])
        if rid != canon:
            members.append(rid)
    return out


def create_cluster(
    conn: Connection,
    canonical: int,
    members: Collection[int],
    *,
    origin: str,
    actor: str = "",
    run_id: int | None = None,
    replaces: list[int] | None = None,
    pair_changes: list[list[Any]] | None = None,
) -> int:
    """Insert a cluster and its members; returns its id."""
    cid = conn.execute(
        insert(_cluster).values(
            canonical_record_id=canonical,
            origin=origin,
            run_id=run_id,
            actor=actor,
            created_at=utcnow(),
            replaces=list(replaces or []),
            pair_changes=list(pair_changes or []),
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    conn.execute(insert(_member), [{"cluster_id": cid, "record_id": r} for r in members])
    if origin != "auto":  # runs log one entry for all their clusters
        audit(conn, actor, "dedup-merge", f"dedup_cluster:{cid}", {"members": sorted(members)})
    return int(cid)


def dissolve(conn: Connection, cluster_id: int, why: str) -> None:
    """Mark a cluster no longer active (its rows stay)."""
    conn.execute(
        update(_cluster)
        .where(_cluster.c.id == cluster_id)
        .values(dissolved_at=utcnow(), dissolved_by=why)
    )


def audit(conn: Connection, actor: str, action: str, target: str, detail: dict[str, Any]) -> None:
    """Append an audit-log entry."""
    conn.execute(
        insert(_audit).values(at=utcnow(), actor=actor, action=action, target=target, detail=detail)
    )


def resolve_record(conn: Connection, key: str) -> int:
    """A record id from a source key, or from `#ID` / `id:ID` for the record id itself."""
    text = key.strip()
    if text.startswith(("#", "id:")):
        digits = text.lstrip("#").removeprefix("id:").strip()
        if not digits.isdigit():
            raise InvalidInputError(f"{text!r} is not a record id", hint="write it as #311")
        rid = int(digits)
        if (
            conn.execute(select(_rec.c.id).where(_rec.c.id == rid, visible_record(_rec))).first()
            is None
        ):
            raise NotFoundError(f"no record with id {rid}", hint="see `litsift records`")
        return rid
    rows = conn.execute(
        select(_rec.c.id, _batch.c.file_name)
        .join(_batch, _batch.c.id == _rec.c.batch_id, isouter=True)
        .where(_rec.c.source_key == text, visible_record(_rec))
        .order_by(_rec.c.id)
    ).all()
    if not rows:
        raise NotFoundError(
            f"no record with source key {text!r}",
            hint="use a key or #ID from `litsift dedup pairs`, or #ID for any record id",
        )
    if len(rows) > 1:
        shown = ", ".join(f"#{rid} ({name or '?'})" for rid, name in rows[:8])
        more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
        raise InvalidInputError(
            f"source key {text!r} names {len(rows)} records from several files: {shown}{more}",
            hint="name the record by its id instead, e.g. #" + str(rows[0][0]),
        )
    return int(rows[0][0])


def pairs_touching(conn: Connection, record_ids: Collection[int]) -> list[dict[str, Any]]:
    """Stored pairs with either record in `record_ids`."""
    ids = list(record_ids)
    q = select(_pair).where(or_(_pair.c.record_a.in_(ids), _pair.c.record_b.in_(ids)))
    return [dict(r._mapping) for r in conn.execute(q)]
