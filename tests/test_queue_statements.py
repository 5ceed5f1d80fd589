"""The screening queue's per-key statements are built once and reused (review/queue.py,
review/leases.py): they must answer for each reviewer and stage, and see data changed after
they were built (new decisions, duplicates merged, records removed, records imported)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from review import automation, queue, service
from review.db import Store
from review.models import DedupCluster, DedupMember

REVIEWERS = ("ana", "bob")


def _import(store: Store, path: Path, n: int, tag: str) -> None:
    path.write_text("".join(f"TY  - JOUR\nTI  - Paper {tag}{i}\nER  - \n\n" for i in range(n)))
    service.import_files(store, [path])


def _check(store: Store) -> None:
    """Each cached answer agrees with a statement built afresh (`undecided_ids`) and with
    the counts taken apart."""
    every = [r["id"] for r in service.iter_records(store)]
    dups = set(automation.duplicate_ids(store))
    for stage in ("title-abstract", "full-text"):
        for who in REVIEWERS:
            open_ids = set(queue.undecided_ids(store, stage=stage, reviewer=who))
            for rid in every:
                got = queue.undecided_record(store, rid, stage=stage, reviewer=who)
                assert (got is not None) == (rid in open_ids), (stage, who, rid)
                assert got is None or got.id == rid
            p = queue.screening_progress(store, stage=stage, reviewer=who)
            standing = service.list_decisions(
                store, stage=stage, reviewer=who, include_retracted=False
            )
            assert p.screened == len({d.record_id for d in standing})
    with store.session() as s:
        removed = {int(r) for r in s.exec(automation.removed_before_screening()).all()}
    p = queue.screening_progress(store, stage="title-abstract", reviewer="ana")
    assert p.total == len(every) - len(dups) - len(removed - set(dups))


@pytest.mark.parametrize("seed", range(2))
def test_cached_statements_answer_after_the_data_changes(
    store: Store, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    _import(store, tmp_path / "a.ris", 24, "a")
    _check(store)  # statements built on a review with no decisions
    for _ in range(30):
        who = rng.choice(REVIEWERS)
        rid = rng.randint(1, 24)
        stage = rng.choice(("title-abstract", "title-abstract", "full-text"))
        service.record_decision(store, rid, rng.choice(("include", "exclude")), stage=stage,
                                reviewer=who)  # fmt: skip
    _check(store)
    with store.session() as s:  # a duplicate cluster: record 3 screened for 3 and 4
        cluster = DedupCluster(canonical_record_id=3)
        s.add(cluster)
        s.flush()
        s.add_all([DedupMember(cluster_id=cluster.id or 0, record_id=r) for r in (3, 4)])
    automation.remove_records(store, [5, 6], "retracted", actor="lead")
    _import(store, tmp_path / "b.ris", 5, "b")
    _check(store)
