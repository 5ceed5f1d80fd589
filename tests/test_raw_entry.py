"""A record's raw entry is stored without its abstract on SQLite and read back verbatim."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review import service
from review.db import Store
from review.errors import LitsiftError
from review.importing import import_file
from review.raw_entry import MIN_ELIDED, RawEntryError, pack_raw, record_raw
from review.readers.base import ParsedEntry
from review.readers.registry import detect_reader
from review.readers.source import open_source

ABSTRACT = "Über Ärzte in 東京 — a study 🙂 of “care”, ß and more, long enough to be cut out."
LONG = "x" * MIN_ELIDED
ENTRY = f"TY  - JOUR\nTI  - Café studies\nAU  - Müller, J\nAB  - {ABSTRACT}\nER  - "


@pytest.mark.parametrize(
    ("raw", "abstract"),
    [
        (ENTRY, ABSTRACT),
        (ENTRY, ENTRY),  # the whole entry
        (ABSTRACT + "\nER  - ", ABSTRACT),  # at the start
        (f"AB  - {LONG}\nTI  - {LONG}\nER  - ", LONG),  # twice: one is cut out, order kept
        (f"TY  - JOUR\nAB  - café {LONG}\r\n\tER  - ", f"café {LONG}"),
        (f"TY  - JOUR\nAB  - lone \udcff surrogate {LONG}", f"lone \udcff surrogate {LONG}"),
    ],
)
def test_raw_entry_round_trips(raw: str, abstract: str) -> None:
    stored = pack_raw(raw, abstract)
    assert isinstance(stored, bytes)
    assert len(stored) < len(raw.encode("utf-8", "surrogatepass"))
    assert record_raw(stored, abstract) == raw


@pytest.mark.parametrize(
    ("raw", "abstract"),
    [(ENTRY, ""), (ENTRY, LONG), ("", ""), (ENTRY, ABSTRACT[: MIN_ELIDED - 1])],
)
def test_raw_entry_without_its_abstract_is_stored_as_text(raw: str, abstract: str) -> None:
    assert pack_raw(raw, abstract) == raw
    assert record_raw(raw, abstract) == raw


@given(st.text(), st.text(), st.text())
def test_any_entry_round_trips(before: str, abstract: str, after: str) -> None:
    raw = before + abstract + after
    assert record_raw(pack_raw(raw, abstract), abstract) == raw


def test_a_changed_abstract_is_an_error_not_a_different_entry() -> None:
    stored = pack_raw(ENTRY, ABSTRACT)
    with pytest.raises(RawEntryError, match="cannot be rebuilt"):
        record_raw(stored, ABSTRACT + " (edited)")
    with pytest.raises(RawEntryError, match="unknown format"):
        record_raw(b"Z1,0\nx", ABSTRACT)


def test_sqlite_stores_the_entry_without_its_abstract(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "one.ris"
    # the third abstract is not in its entry as written once normalised (NFC, whitespace)
    odd = f"TY  - JOUR\nAB  - e\u0301 {LONG}\n  continued\nER  - "
    path.write_text(
        f"{ENTRY}\n\nTY  - JOUR\nTI  - No abstract\nER  - \n\n{odd}\n", encoding="utf-8"
    )
    import_file(store, path)
    assert store.path is not None
    with sqlite3.connect(store.path) as conn:
        rows = conn.execute(
            "SELECT id, typeof(raw), length(raw) FROM record ORDER BY id"
        ).fetchall()
    assert [r[1] for r in rows] == ["blob", "text", "text"]
    assert rows[0][2] < len(ENTRY.encode()) - len(ABSTRACT.encode()) + 40
    first, second, third = (service.get_record(store, r[0]) for r in rows)
    assert first["abstract"] == ABSTRACT and first["raw"] == ENTRY
    assert second["raw"] == "TY  - JOUR\nTI  - No abstract\nER  - "
    assert third["abstract"] == f"é {LONG} continued" and third["raw"] == odd


def test_raw_entries_stored_as_text_before_are_still_read(store: Store, tmp_path: Path) -> None:
    # a review imported by an earlier litsift keeps its raw entries as text
    path = tmp_path / "one.ris"
    path.write_text(ENTRY + "\n", encoding="utf-8")
    import_file(store, path)
    assert store.path is not None
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE record SET raw = ?", (ENTRY,))
        (kind,) = conn.execute("SELECT typeof(raw) FROM record").fetchone()
    assert kind == "text"
    (row,) = service.list_records(store)
    assert service.get_record(store, row.id)["raw"] == ENTRY


def test_every_shared_file_keeps_its_entries_verbatim(formats_dir: Path, tmp_path: Path) -> None:
    """For each export in ../shared/formats, every record's raw entry is exactly what the
    reader read from the file (with or without its abstract cut out in storage)."""
    files = sorted(p for p in formats_dir.rglob("*") if p.is_file() and p.suffix != ".md")
    files = [p for p in files if p.name != "MANIFEST.csv"]
    checked = elided = 0
    for i, path in enumerate(files):
        store = service.open_review(str(tmp_path / f"r{i}.db"))
        try:
            report = import_file(store, path)
        except LitsiftError:  # files refused as a whole are tested elsewhere
            store.dispose()
            continue
        source = open_source(path)
        expected = [e.raw for e in detect_reader(source).read(source) if isinstance(e, ParsedEntry)]
        rows = service.list_records(store)
        assert len(rows) == len(expected) == report.imported, path
        for row, raw in zip(rows, expected, strict=True):
            rec = service.get_record(store, row.id)
            assert rec["raw"] == raw, (path, row.id)
            checked += 1
            elided += bool(rec["abstract"]) and rec["abstract"] in raw
        store.dispose()
    assert checked > 100 and elided > 50
