"""The dual-screening queue's per-record (indexed) query serves the same records as the
aggregate one (`owed_ids`) on random reviews: votes, undos, duplicate clusters (some
dissolved), a third reviewer, a record decided twice by one reviewer."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from review import service, settings
from review.db import Store
from review.models import DedupCluster, DedupMember
from review.owed import first_owed, owed_among, owed_ids

REVIEWERS = ("ana", "bob", "carl")


def _random_review(store: Store, tmp_path: Path, seed: int) -> int:
    rng = random.Random(seed)
    n = 40
    ris = tmp_path / "r.ris"
    ris.write_text("".join(f"TY  - JOUR\nTI  - Paper {i}\nER  - \n\n" for i in range(n)))
    service.import_files(store, [ris])
    settings.set_protocol_value(store, "screening_mode", "dual", actor="lead")
    with store.session() as s:
        for c in range(6):  # disjoint clusters of 2-3 records; every third dissolved
            members = list(range(2 + 5 * c, 2 + 5 * c + rng.choice((2, 3))))
            cluster = DedupCluster(canonical_record_id=rng.choice(members))
            if c % 3 == 2:
                cluster.dissolved_at = datetime.now(UTC)
            s.add(cluster)
            s.flush()
            s.add_all([DedupMember(cluster_id=cluster.id or 0, record_id=r) for r in members])
    for _ in range(70):
        rid, who = rng.randint(1, n), rng.choice(REVIEWERS)
        label = rng.choice(("include", "exclude", "maybe"))
        service.record_decision(store, rid, label, reviewer=who)
        if rng.random() < 0.15:
            service.undo_decision(store, reviewer=who)
    return n


@pytest.mark.parametrize("seed", range(4))
def test_the_indexed_queue_serves_what_the_aggregate_query_owes(
    store: Store, tmp_path: Path, seed: int
) -> None:
    n = _random_review(store, tmp_path, seed)
    everything = list(range(1, n + 1))
    for who in (*REVIEWERS, "dee"):
        expected = owed_ids(store, stage="title-abstract", reviewer=who)
        assert expected is not None
        got = owed_among(store, everything, stage="title-abstract", reviewer=who, needed=2)
        assert got == expected
        skip = sorted(expected)[:2]
        first = first_owed(store, stage="title-abstract", reviewer=who, needed=2, skip=skip)
        rest = sorted(expected - set(skip))
        assert first == (rest[0] if rest else None)
