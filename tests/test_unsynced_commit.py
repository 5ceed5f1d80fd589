"""`Store.begin_unsynced`: a lease's commit does not wait for the disk, while every other
transaction (a decision's above all) keeps `synchronous=FULL`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from review import leases
from review.db import Store
from review.importing import import_file
from review.service import open_review
from tests.concurrency import BACKENDS, empty_database, write_ris

FULL, NORMAL = 2, 1


def _synchronous(store: Store) -> int:
    with store.begin() as conn:
        return int(conn.execute(text("PRAGMA synchronous")).scalar_one())


def test_only_the_unsynced_transaction_commits_without_waiting_for_the_disk(
    store: Store,
) -> None:
    assert _synchronous(store) == FULL
    with store.begin_unsynced() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == NORMAL
    for _ in range(3):  # the pooled connection went back with FULL
        assert _synchronous(store) == FULL


def test_a_failed_unsynced_transaction_is_rolled_back_and_leaves_full(store: Store) -> None:
    with pytest.raises(RuntimeError), store.begin_unsynced() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action, target, detail) "
                          "VALUES ('2026-11-30', 't', 'x', 'y', '{}')"))  # fmt: skip
        raise RuntimeError("boom")
    with store.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE actor = 't'")).scalar() == 0
    assert _synchronous(store) == FULL


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_lease_claimed_unsynced_is_seen_by_a_teammate(backend: str, tmp_path: Path) -> None:
    """The lease is visible to another session at once on both backends, and a teammate
    is refused the record while it is held."""
    with empty_database(backend, tmp_path) as url:
        store = open_review(url, name="leases")
        try:
            import_file(store, write_ris(tmp_path / "a.ris", 3))
            assert leases.claim(store, 1, stage="title-abstract", reviewer="ana")
            other = Store(store.url)
            try:
                held = leases.held_by_others(other, stage="title-abstract", reviewer="ben")
                assert held == {1}
                assert not leases.claim(other, 1, stage="title-abstract", reviewer="ben")
            finally:
                other.dispose()
        finally:
            store.dispose()
