"""Teammates at the same time (issue 11, F5-F8 and leases): real processes on one review, on
SQLite and on PostgreSQL. Each worker reports what it saw; the test checks the review agrees."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from review import service
from review.decisions import add_decision
from review.schema import SCHEMA_VERSION
from screening.service import next_record  # loaded once here, not in every forked child
from tests.concurrency import BACKENDS, CTX, empty_database, run_all, write_ris


def _outcome(fn: Any) -> tuple[str, str]:
    try:
        return ("ok", str(fn()))
    except Exception as e:  # reported to the parent, which asserts on it
        return (type(e).__name__, str(e))


# --- F8: creating a review at once ---------------------------------------------------------


def _open(url: str, barrier: Any, queue: Any) -> None:
    barrier.wait()
    queue.put(_outcome(lambda: service.review_status(service.open_review(url)).records))


@pytest.mark.parametrize("backend", BACKENDS)
def test_f8_eight_processes_create_the_same_review(backend: str, tmp_path: Path) -> None:
    with empty_database(backend, tmp_path) as url:
        barrier = CTX.Barrier(8)
        results = run_all(_open, [(url, barrier)] * 8)
        assert results == [("ok", "0")] * 8
        store = service.open_review(url)
        assert service.review_info(store)["schema_version"] == SCHEMA_VERSION
        with store.begin() as conn:
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM review").scalar() == 1
        store.dispose()


# --- F6: the same file imported three times at once ----------------------------------------


def _import(url: str, path: str, barrier: Any, queue: Any) -> None:
    from review.importing import import_file

    store = service.open_review(url)
    barrier.wait()
    queue.put(_outcome(lambda: import_file(store, path).imported))


@pytest.mark.parametrize("backend", BACKENDS)
def test_f6_same_file_imported_at_once_is_imported_once(backend: str, tmp_path: Path) -> None:
    ris = write_ris(tmp_path / "same.ris", 3000)
    with empty_database(backend, tmp_path) as url:
        service.open_review(url).dispose()
        barrier = CTX.Barrier(3)
        results = run_all(_import, [(url, str(ris), barrier)] * 3)
        assert sorted(r[0] for r in results) == ["DuplicateImportError"] * 2 + ["ok"]
        store = service.open_review(url)
        st = service.review_status(store)
        assert st.records == 3000 and len(st.batches) == 1
        # --again still imports the same file once more
        from review.importing import import_file

        assert import_file(store, ris, again=True).imported == 3000
        assert service.review_status(store).records == 6000
        store.dispose()


# --- F7: one reviewer undoing from four processes at once ----------------------------------


def _undo(url: str, n: int, barrier: Any, queue: Any) -> None:
    from review.errors import NotFoundError

    store = service.open_review(url)
    barrier.wait()
    ok = 0
    for _ in range(n):
        try:
            service.undo_decision(store, reviewer="ana")
            ok += 1
        except NotFoundError:
            pass
    queue.put(ok)


@pytest.mark.parametrize("backend", BACKENDS)
def test_f7_every_confirmed_undo_retracted_one_decision(backend: str, tmp_path: Path) -> None:
    from review.importing import import_file

    with empty_database(backend, tmp_path) as url:
        store = service.open_review(url)
        import_file(store, write_ris(tmp_path / "a.ris", 170))
        with store.session() as s:
            for rid in range(1, 171):
                add_decision(s, rid, "exclude", reviewer="ana")
        store.dispose()
        barrier = CTX.Barrier(4)
        confirmed = sum(run_all(_undo, [(url, 40, barrier)] * 4))
        retracted = [d for d in service.list_decisions(service.open_review(url)) if d.retracted_at]
        assert confirmed == 160 == len(retracted)


# --- F5: deciding while a big import runs ---------------------------------------------------


def _paused_import(url: str, path: str, paused: Any, go: Any, queue: Any) -> None:
    from review.importing import import_file

    store = service.open_review(url)
    state = {"paused": False}

    def progress(entries: int, _size: int) -> None:
        if entries >= 2000 and not state["paused"]:  # after the first chunk was written
            state["paused"] = True
            paused.set()
            go.wait(60)

    queue.put(_outcome(lambda: import_file(store, path, progress=progress).imported))


def _decide(url: str, queue: Any) -> None:
    store = service.open_review(url)
    queue.put(
        _outcome(
            lambda: (
                service.record_decision(store, 1, "include", reviewer="ben").id,
                service.review_status(store).records,
            )
        )
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_f5_deciding_during_an_import_never_waits_for_the_whole_file(
    backend: str, tmp_path: Path
) -> None:
    """The importer stops half-way (after a chunk); a reviewer decides meanwhile, without
    waiting for the import, and sees none of its records yet; then the import completes."""
    from review.importing import import_file

    with empty_database(backend, tmp_path) as url:
        store = service.open_review(url)
        import_file(store, write_ris(tmp_path / "first.ris", 10, tag="f"))
        store.dispose()
        big = write_ris(tmp_path / "big.ris", 5000, tag="b")
        paused, go = CTX.Event(), CTX.Event()
        importer_q = CTX.Queue()
        importer = CTX.Process(target=_paused_import, args=(url, str(big), paused, go, importer_q))
        importer.start()
        try:
            assert paused.wait(60)
            (decided,) = run_all(_decide, [(url,)], timeout=60)
        finally:
            go.set()
        assert decided[0] == "ok", decided
        assert decided[1].endswith(", 10)")  # the loading batch was invisible
        assert importer_q.get(timeout=60) == ("ok", "5000")
        importer.join(60)
        store = service.open_review(url)
        assert service.review_status(store).records == 5010
        assert len(service.list_decisions(store)) == 1
        store.dispose()


# --- single screening: two reviewers asking for the next record at once ---------------------


def _next(url: str, reviewer: str, barrier: Any, queue: Any) -> None:
    store = service.open_review(url)
    barrier.wait()
    rec = next_record(store, reviewer=reviewer)
    queue.put(None if rec is None else rec["id"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_reviewers_asking_at_once_get_different_records(backend: str, tmp_path: Path) -> None:
    from review.importing import import_file

    with empty_database(backend, tmp_path) as url:
        store = service.open_review(url)
        import_file(store, write_ris(tmp_path / "a.ris", 50))
        store.dispose()
        handed: list[int] = []
        for round_ in range(3):  # earlier rounds' leases are still held
            barrier = CTX.Barrier(4)
            handed += run_all(_next, [(url, f"r{round_}-{i}", barrier) for i in range(4)])
        assert None not in handed and len(set(handed)) == 12


def test_a_lease_ends_when_its_holder_decides(store: Any, tmp_path: Path) -> None:
    """In-process: the record a reviewer holds goes to a teammate once it is decided (or
    when the holder moves on), and dual screening takes no leases."""
    from review import leases
    from review.importing import import_file

    import_file(store, write_ris(tmp_path / "a.ris", 3))
    first = next_record(store, reviewer="ana")
    assert first is not None and next_record(store, reviewer="ben")["id"] != first["id"]  # type: ignore[index]
    service.record_decision(store, first["id"], "include", reviewer="ana")
    assert first["id"] not in leases.held_by_others(store, stage="title-abstract", reviewer="ben")
    assert threading.current_thread() is threading.main_thread()
