"""The dedup service on a temporary review: runs, re-runs, decisions, undo, PRISMA count."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from review.db import Store
from review.dedup import service
from review.errors import InvalidInputError, NotFoundError
from review.models import DedupCluster, DedupMember, DedupPair, Record
from review.service import import_files, record_decision

COLUMNS = ["record_id", "title", "authors", "year", "journal", "volume", "pages", "doi"]
PAPER = {
    "title": "Intestinal lipoprotein overproduction in insulin-resistant states",
    "authors": "Adeli K.; Lewis G. F.",
    "year": "2008",
    "journal": "Curr Opin Lipidol",
    "volume": "19",
    "pages": "221-8",
    "doi": "10.1097/MOL.0b013e3282ffaf82",
}
OTHER = {
    "title": "Exercise training and glucose control in older adults with diabetes",
    "authors": "Roe J.; Park S.",
    "year": "2015",
    "journal": "Diabetes Care",
    "volume": "38",
    "pages": "100-110",
    "doi": "",
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def _import(store: Store, tmp_path: Path, name: str, rows: list[dict[str, str]]) -> None:
    reports = import_files(store, [write_csv(tmp_path / name, rows)])
    assert reports[0].error is None and reports[0].imported == len(rows)


def _state(store: Store) -> dict[str, Any]:
    """What a person sees: active clusters (canonical first) and every pair decision."""
    with store.begin() as conn:
        from review.dedup.store import active_clusters, load_pairs

        clusters = sorted(active_clusters(conn).values())
        pairs = {k: v["decision"] for k, v in load_pairs(conn).items()}
    return {"clusters": clusters, "pairs": pairs}


@pytest.fixture
def seeded(store: Store, tmp_path: Path) -> Store:
    rows = [
        dict(PAPER, record_id="a1"),
        dict(PAPER, record_id="a2", title=PAPER["title"].upper(), doi=""),
        dict(PAPER, record_id="a3", authors="K. Adeli; G. F. Lewis", pages="221-228"),
        dict(OTHER, record_id="b1"),
        # a possible duplicate of b1 (same title, different journal: queued, not merged)
        dict(OTHER, record_id="b2", journal="Diabetologia", volume="", pages=""),
    ]
    _import(store, tmp_path, "first.csv", rows)
    return store


def _id(store: Store, key: str) -> int:
    from review.dedup.store import resolve_record

    with store.begin() as conn:
        return resolve_record(conn, key)


def test_run_merges_queues_and_never_deletes(seeded: Store) -> None:
    summary = service.run_dedup(seeded)
    assert (summary.clusters, summary.duplicates_removed, summary.queued) == (1, 2, 1)
    assert service.duplicates_removed(seeded) == 2
    with seeded.session() as s:
        assert len(s.exec(select(Record)).all()) == 5
    rows = service.cluster_rows(seeded)
    assert {r["source_key"] for r in rows} == {"a1", "a2", "a3"}
    assert sum(r["canonical"] == "true" for r in rows) == 1
    queue = service.list_queue(seeded)
    assert {queue[0].record_a["source_key"], queue[0].record_b["source_key"]} == {"b1", "b2"}
    assert queue[0].reason


def test_rerun_after_import_only_scores_new_pairs(seeded: Store, tmp_path: Path) -> None:
    service.run_dedup(seeded)
    before = _state(seeded)
    again = service.run_dedup(seeded)
    assert again.new_records == 0 and again.pairs_scored == 0 and _state(seeded) == before
    _import(seeded, tmp_path, "second.csv", [dict(PAPER, record_id="a4", title=PAPER["title"])])
    third = service.run_dedup(seeded)
    assert third.new_records == 1
    clusters = _state(seeded)["clusters"]
    assert len(clusters) == 1 and len(clusters[0]) == 4
    with seeded.session() as s:  # the grown cluster replaced the old one, which is kept
        assert len(s.exec(select(DedupCluster)).all()) == 2


def test_undo_restores_the_exact_previous_state(seeded: Store) -> None:
    service.run_dedup(seeded)
    before = _state(seeded)
    cid = service.decide_pair(seeded, "b1", "b2", "same")
    assert len(_state(seeded)["clusters"]) == 2 and service.list_queue(seeded) == []
    service.undo_cluster(seeded, cid)
    assert _state(seeded) == before


def test_undo_of_a_grown_cluster_brings_back_the_old_one(seeded: Store) -> None:
    service.run_dedup(seeded)
    before = _state(seeded)
    cid = service.decide_pair(seeded, "a1", "b1", "same")
    assert service.undo_cluster(seeded, cid)
    assert _state(seeded) == before
    with pytest.raises(InvalidInputError):
        service.undo_cluster(seeded, cid)
    with pytest.raises(NotFoundError):
        service.undo_cluster(seeded, 999)


def test_undo_of_an_automatic_merge_leaves_the_pairs_for_a_person(seeded: Store) -> None:
    service.run_dedup(seeded)
    (cid,) = {r["cluster_id"] for r in service.cluster_rows(seeded)}
    service.undo_cluster(seeded, cid)
    assert service.cluster_rows(seeded) == [] and service.duplicates_removed(seeded) == 0
    assert len(service.list_queue(seeded)) == 4  # three a-pairs and b1/b2
    service.run_dedup(seeded)
    assert service.cluster_rows(seeded) == []  # not merged again behind the person's back


def test_different_splits_a_cluster_and_blocks_same(seeded: Store) -> None:
    service.run_dedup(seeded)
    service.decide_pair(seeded, "a1", "a3", "different")
    clusters = _state(seeded)["clusters"]
    ids = {_id(seeded, "a1"), _id(seeded, "a3")}
    assert all(not ids <= set(c) for c in clusters)
    with pytest.raises(InvalidInputError):
        service.decide_pair(seeded, "a1", "a3", "bogus")
    a2 = _id(seeded, "a2")
    cluster_with_a2 = next((c for c in clusters if a2 in c), [a2])
    other = "a1" if _id(seeded, "a1") not in cluster_with_a2 else "a3"
    if len(cluster_with_a2) > 1:
        with pytest.raises(InvalidInputError):
            service.decide_pair(seeded, "a2", other, "same")


def test_decisions_carry_over_to_the_canonical_record(seeded: Store) -> None:
    a2 = _id(seeded, "a2")
    record_decision(seeded, a2, "include", reviewer="ann")
    service.run_dedup(seeded)
    carried = service.carried_decisions(seeded)
    (canon,) = carried
    assert carried[canon]["label"] == "include" and not carried[canon]["conflict"]
    assert a2 in carried[canon]["members"]
    record_decision(seeded, _id(seeded, "a3"), "exclude", reviewer="bob")
    assert service.carried_decisions(seeded)[canon]["conflict"]


def test_cluster_view_fills_gaps_from_other_members(seeded: Store) -> None:
    service.run_dedup(seeded)
    (cid,) = {r["cluster_id"] for r in service.cluster_rows(seeded)}
    view = service.get_cluster(seeded, cid)
    assert len(view.members) == 3 and view.merged["doi"]


def test_source_keys_shared_by_two_files_need_an_id(seeded: Store, tmp_path: Path) -> None:
    _import(seeded, tmp_path, "dupkeys.csv", [dict(OTHER, record_id="a1")])
    with pytest.raises(InvalidInputError):
        service.decide_pair(seeded, "a1", "b1", "same")
    service.decide_pair(seeded, f"#{_id(seeded, 'b1')}", "b2", "same")


def test_migration_from_a_version_1_database_file(tmp_path: Path) -> None:
    """Build a real version-1 review file (v1 tables only, records imported), then open it."""
    from sqlmodel import SQLModel

    from review import models
    from review.importing import import_file
    from review.schema import SCHEMA_VERSION
    from review.service import open_review

    path = tmp_path / "v1.db"
    store = Store(f"sqlite:///{path}")
    dedup_tables = {"dedup_run", "dedup_cluster", "dedup_member", "dedup_pair"}
    later = dedup_tables | {"annotation", "text_cache"}  # tables of versions 2 and 3
    v1 = [t for name, t in SQLModel.metadata.tables.items() if name not in later]
    SQLModel.metadata.create_all(store.engine, tables=v1)
    with store.begin() as conn:
        conn.execute(
            models.Review.__table__.insert().values(  # type: ignore[attr-defined]
                name="old", created_at=models.utcnow(), schema_version=1, app_version="0.1.0"
            )
        )
    import_file(
        store,
        write_csv(
            tmp_path / "old.csv", [dict(PAPER, record_id="x1"), dict(PAPER, record_id="x2", doi="")]
        ),
    )
    store.dispose()
    assert not dedup_tables & set(inspect(Store(f"sqlite:///{path}").engine).get_table_names())

    migrated = open_review(str(path))
    with migrated.begin() as conn:
        assert conn.execute(text("SELECT schema_version FROM review")).scalar() == SCHEMA_VERSION
        assert conn.execute(text("SELECT count(*) FROM record")).scalar() == 2
    assert later <= set(inspect(migrated.engine).get_table_names())
    assert service.run_dedup(migrated).duplicates_removed == 1
    with migrated.session() as s:
        assert len(s.exec(select(DedupMember)).all()) == 2
        assert len(s.exec(select(DedupPair)).all()) == 1
    migrated.dispose()


def test_rerun_keeps_a_cluster_a_person_joined_over_queued_pairs(seeded: Store) -> None:
    service.run_dedup(seeded)
    service.decide_pair(seeded, "b1", "b2", "same")
    service.decide_pair(seeded, "a1", "b1", "same")  # joins over pairs left queued
    before = _state(seeded)
    service.run_dedup(seeded)
    assert _state(seeded) == before


def test_undo_of_half_a_split_cluster_is_refused(seeded: Store) -> None:
    service.run_dedup(seeded)
    service.decide_pair(seeded, "a1", "a3", "different")
    with seeded.begin() as conn:
        from review.dedup.store import active_clusters

        split = [cid for cid, ms in active_clusters(conn).items() if len(ms) > 1]
    for cid in split:
        with pytest.raises(InvalidInputError):
            service.undo_cluster(seeded, cid)
