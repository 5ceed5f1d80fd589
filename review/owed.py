"""What each reviewer still owes in dual screening.

With `Protocol.screening_mode = "dual"` every record needs two reviewers' independent
decisions at a stage. A reviewer owes a record when fewer than two reviewers have a standing
decision on it and they are not one of them. Duplicates count once: a decision on any copy
of a publication counts for its cluster, and records merged into another are not served.
At the full-text stage only records settled as included at title/abstract are served.

Single screening keeps the screening service's own queue (`owed_ids` returns None).
"""

from __future__ import annotations

from sqlmodel import col, select

from review import settings
from review.consensus import final_labels, standing_votes
from review.db import Store
from review.models import DedupCluster, DedupMember, Record


def _canonical_of(store: Store) -> dict[int, int]:
    """Record id → the canonical record of its active duplicate cluster."""
    with store.session() as s:
        rows = s.exec(
            select(DedupMember.record_id, DedupCluster.canonical_record_id)
            .join(DedupCluster, col(DedupCluster.id) == DedupMember.cluster_id)
            .where(col(DedupCluster.dissolved_at).is_(None))
        ).all()
    return {int(m): int(c) for m, c in rows}


def voters(store: Store, stage: str) -> dict[int, set[str]]:
    """Record id (canonical copy) → the reviewers with a standing decision on it at `stage`."""
    canonical = _canonical_of(store)
    out: dict[int, set[str]] = {}
    for rid, votes in standing_votes(store, stage).items():
        out.setdefault(canonical.get(rid, rid), set()).update(v.reviewer for v in votes)
    return out


def candidates(store: Store, stage: str) -> set[int]:
    """Records to screen at `stage` by anyone: not merged into another record, and at full
    text settled as included at title/abstract."""
    canonical = _canonical_of(store)
    if stage == "full-text":
        settled = final_labels(store, "title-abstract")
        ids = {rid for rid, fl in settled.items() if fl.label == "include"}
    else:
        with store.session() as s:
            ids = {int(i or 0) for i in s.exec(select(Record.id)).all()}
    return {rid for rid in ids if canonical.get(rid, rid) == rid}


def owed_by(store: Store, *, stage: str, reviewer: str, needed: int = 2) -> set[int]:
    """The records `reviewer` still owes at `stage` when each needs `needed` reviewers."""
    who = voters(store, stage)
    return {
        rid
        for rid in candidates(store, stage)
        if reviewer not in who.get(rid, ()) and len(who.get(rid, ())) < needed
    }


def owed_ids(store: Store, *, stage: str, reviewer: str) -> set[int] | None:
    """In dual screening the records this reviewer still owes at `stage`; None in single
    screening (the screening service's own queue applies there)."""
    needed = settings.protocol(store).decisions_per_record
    if needed < 2:
        return None
    return owed_by(store, stage=stage, reviewer=reviewer, needed=needed)
