"""Batches still loading are invisible to every query, and a killed import's batch is
removed when the review is next opened."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import update

from review import annotation, batches, service
from review.dedup.queries import dedup_status
from review.dedup.service import run_dedup
from review.importing import import_file
from review.models import ImportBatch
from screening.service import next_record
from tests.concurrency import write_ris


def _make_loading(store: service.Store, batch_id: int, loader: str) -> None:
    table = ImportBatch.__table__  # type: ignore[attr-defined]
    with store.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == batch_id)
            .values(state="loading", loading_slot=1, loader=loader)
        )


def test_records_of_a_loading_batch_are_invisible_everywhere(
    store: service.Store, tmp_path: Path
) -> None:
    import_file(store, write_ris(tmp_path / "a.ris", 3, tag="seen"))
    hidden = import_file(store, write_ris(tmp_path / "b.ris", 4, tag="hidden"))
    assert hidden.batch_id is not None
    _make_loading(store, hidden.batch_id, batches.loader_id())  # this process: alive
    st = service.review_status(store)
    assert st.records == 3 and len(st.batches) == 1
    assert st.stages["title-abstract"]["unscreened"] == 3
    assert [r.id for r in service.list_records(store)] == [1, 2, 3]
    assert service.undecided_ids(store) == [1, 2, 3]
    assert service.screening_progress(store).total == 3
    out = io.StringIO()
    assert service.export_records(store, "csv", out) == 3
    assert annotation.search_records(store, "hidden") == []
    assert dedup_status(store).records == 3
    run_dedup(store)
    seen = []
    while (r := next_record(store, reviewer="ana")) is not None:
        seen.append(r["id"])
        service.record_decision(store, r["id"], "exclude", reviewer="ana")
    assert seen == [1, 2, 3]
    # reopening does not remove the batch of an import that is still running...
    service.open_review(str(store.path))
    assert service.review_status(store).records == 3
    with store.begin() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM record").scalar() == 7


def test_a_killed_imports_batch_is_removed_on_open(store: service.Store, tmp_path: Path) -> None:
    import_file(store, write_ris(tmp_path / "a.ris", 3, tag="seen"))
    dead = import_file(store, write_ris(tmp_path / "b.ris", 4, tag="dead"))
    assert dead.batch_id is not None
    _make_loading(store, dead.batch_id, f"{batches.loader_id().rpartition(':')[0]}:999999999")
    service.open_review(str(store.path))  # ...but one whose process is gone is removed
    with store.begin() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM record").scalar() == 3
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM import_batch").scalar() == 1
    assert service.audit_log(store, 1)[0]["action"] == "import-abandoned"
    # and the same file imports again (its key was freed with the batch)
    assert import_file(store, tmp_path / "b.ris").imported == 4
