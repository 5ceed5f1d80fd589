"""The same review services on a real PostgreSQL server (the engine for teams).

.ci/run starts one and sets LITSIFT_TEST_PG_URL; locally, `source .ci/postgres.sh` does too.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from review import service
from review.db import Store
from review.errors import DuplicateImportError, ImportFormatError
from review.importing import import_file
from screening.service import next_record
from tests.concurrency import empty_database
from tests.conftest import shared_file
from tests.ris import numbered_ris

PG_URL = os.environ.get("LITSIFT_TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set (see .ci/postgres.sh)"),
]


@pytest.fixture
def pg_store(tmp_path: Path) -> Iterator[Store]:
    with empty_database("postgresql", tmp_path) as url:
        store = service.open_review(url, name="team review")
        yield store
        store.dispose()


def test_import_decide_export_on_postgres(pg_store: Store, tmp_path: Path) -> None:
    report = import_file(pg_store, shared_file("formats/ris/asysd/ris_export.txt"))
    assert report.imported == 69
    with pytest.raises(DuplicateImportError):
        import_file(pg_store, shared_file("formats/ris/asysd/ris_export.txt"))
    first = next_record(pg_store, reviewer="ana")
    assert first is not None
    service.record_decision(pg_store, first["id"], "include", reviewer="ana")
    service.record_decision(pg_store, first["id"], "exclude", reviewer="ben")
    st = service.review_status(pg_store)
    assert st.records == 69 and st.stages["title-abstract"]["screened"] == 1
    assert service.undo_decision(pg_store, reviewer="ben").label == "exclude"
    assert service.list_records(pg_store, label="include")[0].id == first["id"]
    out = io.StringIO()
    assert service.export_records(pg_store, "ris", out) == 69


def test_refused_file_writes_nothing_on_postgres(pg_store: Store, tmp_path: Path) -> None:
    ok = tmp_path / "ok.ris"
    ok.write_text("".join(f"TY  - JOUR\nTI  - R{i}\nER  - \n" for i in range(3000)))
    bad = tmp_path / "bad.ris"
    bad.write_bytes(ok.read_bytes() + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n")
    with pytest.raises(ImportFormatError):
        import_file(pg_store, bad, encoding="utf-8")
    assert service.review_status(pg_store).records == 0
    assert service.review_status(pg_store).batches == []
    import_file(pg_store, ok)
    assert service.review_status(pg_store).records == 3000


def test_annotations_search_and_random_check_on_postgres(pg_store: Store, tmp_path: Path) -> None:
    from review import annotation as ann
    from screening import service as screening_service

    record = "TY  - JOUR\nID  - p{n}\nTI  - Impact bond {n}\nAU  - Müller, A\nER  - \n\n"
    import_file(pg_store, numbered_ris(tmp_path / "pg.ris", record, 20))
    ann.toggle_tag(pg_store, 3, "UK")
    ann.add_note(pg_store, 3, "see protocol", reviewer="ana")
    assert [r["id"] for r in ann.search_records(pg_store, "tag:uk BOND müller")] == [3]
    assert [r["id"] for r in ann.search_records(pg_store, "bond 12")] == [12]
    service.record_decision(pg_store, 1, "include", reviewer="ana")
    check = screening_service.start_check(pg_store, reviewer="ana", seed=3)
    assert screening_service.next_record(pg_store, reviewer="ana")["id"] == check.pool[0]
    service.record_decision(pg_store, check.pool[0], "exclude", reviewer="ana")
    advice = screening_service.stopping_advice(pg_store, reviewer="ana")
    assert (advice.phase, advice.sample, advice.pool) == ("check", 1, 19)


def test_text_cache_on_postgres(pg_store: Store) -> None:
    from review.text_cache import get_texts, put_texts

    put_texts(pg_store, {"a": "x y", "b": "z"})
    put_texts(pg_store, {"a": "other", "c": "w"})  # ON CONFLICT DO NOTHING
    assert get_texts(pg_store, ["a", "b", "c", "d"]) == {"a": "x y", "b": "z", "c": "w"}


def test_raw_entries_are_verbatim_text_on_postgres(pg_store: Store) -> None:
    from review.readers.base import ParsedEntry
    from review.readers.registry import detect_reader
    from review.readers.source import open_source

    path = shared_file("formats/ris/asysd/ris_export.txt")
    import_file(pg_store, path)
    source = open_source(path)
    expected = [e.raw for e in detect_reader(source).read(source) if isinstance(e, ParsedEntry)]
    rows = service.list_records(pg_store)
    assert [service.get_record(pg_store, r.id)["raw"] for r in rows] == expected
    with pg_store.begin() as conn:  # PostgreSQL keeps text (and compresses it itself)
        assert (
            conn.exec_driver_sql("SELECT pg_typeof(raw)::text FROM record LIMIT 1").scalar()
            == "text"
        )


async def test_the_app_screens_a_postgres_review_ranked(pg_store: Store) -> None:
    from corpora.service import load_demo
    from tui.app import LitsiftApp
    from tui.screens.screening import ScreeningScreen

    assert all(r.imported for r in load_demo(pg_store))
    app = LitsiftApp(pg_store, "ana")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ScreeningScreen)
        for _ in range(600):  # a key before the first record is shown does nothing
            if screen.current is not None:
                break
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        assert screen.current is not None, "no record shown in 30 s"
        for key in "ieemu":
            await pilot.press(key)
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
        await pilot.press("t", *"team", "enter")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = screen.current
    labels = [d.label for d in service.list_decisions(pg_store, reviewer="ana")]
    assert labels == ["include", "exclude", "exclude", "maybe"]  # the maybe is retracted
    standing = service.list_decisions(pg_store, reviewer="ana", include_retracted=False)
    assert len(standing) == 3
    from review.annotation import list_annotations

    assert shown is not None
    assert [a.value for a in list_annotations(pg_store, shown["id"])] == ["team"]


def test_dual_screening_on_postgres(pg_store: Store) -> None:
    from corpora.service import load_demo
    from review.agreement import agreement
    from review.conflicts import list_conflicts, resolve_conflict
    from review.consensus import final_labels
    from review.owed import owed_ids

    load_demo(pg_store)  # dual mode, two reviewers on 40 records, a few conflicts
    conflicts = list_conflicts(pg_store)
    assert conflicts
    c = conflicts[0]
    resolve_conflict(pg_store, c.record_id, "include", resolved_by="lead")
    assert final_labels(pg_store, "title-abstract")[c.record_id].resolved_by == "lead"
    assert len(list_conflicts(pg_store)) == len(conflicts) - 1
    [pair] = agreement(pg_store, stage="title-abstract")[0].pairs
    assert pair.n == 40
    owed = owed_ids(pg_store, stage="title-abstract", reviewer="ana")
    assert owed is not None and c.record_id not in owed
