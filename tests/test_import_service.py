"""Importing into a real SQLite review: transactions, quarantine, refusals, counts."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from review import service
from review.db import Store
from review.errors import DuplicateImportError, ImportFormatError, SchemaTooNewError
from review.importing import import_file
from review.models import AuditEntry, ImportBatch, QuarantinedEntry, Record
from tests.conftest import shared_file

GOOD = "TY  - JOUR\nTI  - Good record {n}\nAU  - Smith, J\nPY  - 2020\nDO  - 10.1/X{n}\nER  - \n\n"


def counts(store: Store) -> tuple[int, int, int]:
    """(batches, records, quarantined)"""
    with store.session() as s:
        return tuple(  # type: ignore[return-value]
            s.exec(select(func.count()).select_from(t)).one()  # type: ignore[call-overload]
            for t in (ImportBatch, Record, QuarantinedEntry)
        )


def test_import_stores_fields_raw_and_audit(store: Store) -> None:
    path = shared_file("formats/ris/asysd/scopus.ris")
    report = import_file(store, path, source_name="Scopus")
    assert (report.format, report.entries, report.imported) == ("ris", 10, 10)
    assert report.encoding == "utf-8-sig"
    assert counts(store) == (1, 10, 0)
    rows = service.list_records(store)
    rec = service.get_record(store, rows[0].id)
    assert rec["doi"] == "10.3390/ani15010003"
    assert rec["raw"].startswith("TY  - JOUR\nAU  - Furlanello, T.")
    assert rec["source_key"] == "1"  # no ID/AN in Scopus RIS: the position
    st = service.review_status(store)
    (b,) = st.batches
    assert (b.entries, b.imported, b.quarantined, b.source_name) == (10, 10, 0, "Scopus")
    with store.session() as s:
        (audit,) = s.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert audit.detail["imported"] == 10 and audit.target == f"batch:{b.id}"


def test_same_file_twice_is_refused_unless_again(store: Store) -> None:
    path = shared_file("formats/ris/asreview/embase.ris")
    import_file(store, path)
    with pytest.raises(DuplicateImportError, match="already imported"):
        import_file(store, path)
    assert counts(store) == (1, 6, 0)
    import_file(store, path, again=True)
    assert counts(store) == (2, 12, 0)


def test_partly_broken_file_imports_good_and_quarantines_bad(store: Store, tmp_path: Path) -> None:
    broken = "TY  - JOUR\nTI  - Lost its end\n\n"
    p = tmp_path / "mixed.ris"
    p.write_text(GOOD.format(n=1) + broken + GOOD.format(n=2) + "TI  - no type\nER  - \n")
    report = import_file(store, p)
    assert report.entries == 4 and report.imported == 2 and len(report.quarantined) == 2
    assert counts(store) == (1, 2, 2)
    q = service.list_quarantine(store)
    assert [x.line for x in q] == [8, 18]
    assert q[0].raw == broken.strip() and q[0].file_name == "mixed.ris"
    assert "no ER end tag" in q[0].reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 40, "not a text file"),
        (b"\x00\x01\x02PNG\x00" * 500, "not a text file"),
        (b"", "empty"),
        (
            b"Dear colleague,\nplease find the references attached.\nBest wishes\n",
            "no known format",
        ),
    ],
    ids=["binary", "nul-bytes", "empty", "prose"],
)
def test_unusable_files_are_refused_and_write_nothing(
    store: Store, tmp_path: Path, content: bytes, message: str
) -> None:
    import_file(store, shared_file("formats/ris/asreview/embase.ris"))
    before = counts(store)
    p = tmp_path / "junk.ris"
    p.write_bytes(content)
    with pytest.raises(ImportFormatError, match=message) as err:
        import_file(store, p)
    assert str(p) in str(err.value)
    assert counts(store) == before


def test_truncated_archive_is_refused(store: Store, tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    with zipfile.ZipFile(whole, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>" * 200)
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>" * 2000)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ImportFormatError) as err:
        import_file(store, cut)
    assert "cut.xlsx" in str(err.value)
    assert counts(store) == (0, 0, 0)


def test_decoding_failure_midway_leaves_no_trace(store: Store, tmp_path: Path) -> None:
    # 300 good records, then a byte that is not UTF-8: forced --encoding utf-8 cannot repair it
    text = (
        "".join(GOOD.format(n=i) for i in range(3000)).encode()
        + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n"
    )
    p = tmp_path / "bad-encoding.ris"
    p.write_bytes(text)
    with pytest.raises(ImportFormatError, match="cannot be decoded as utf-8") as err:
        import_file(store, p, encoding="utf-8")
    assert "--encoding" in str(err.value)
    assert counts(store) == (0, 0, 0)


def test_legacy_encodings_are_detected(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "cp1252.ris"
    p.write_bytes(
        "TY  - JOUR\nTI  - Évaluation des contrats à impact social\n"
        "AU  - Müller, Zoë\nER  - \n".encode("cp1252")
    )
    r = import_file(store, p)
    assert r.imported == 1 and r.encoding == "cp1252"
    assert any("not UTF-8" in w for w in r.warnings)
    u = tmp_path / "utf16.ris"
    u.write_bytes("TY  - JOUR\r\nTI  - Ünïcödé title\r\nER  - \r\n".encode("utf-16"))
    r = import_file(store, u)
    rows = service.list_records(store)
    assert [x.title for x in rows] == ["Évaluation des contrats à impact social", "Ünïcödé title"]


def test_unknown_format_flag_and_wrong_format(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "x.ris"
    p.write_text(GOOD.format(n=1))
    with pytest.raises(ImportFormatError, match="unknown format"):
        import_file(store, p, fmt="docx")
    with pytest.raises(ImportFormatError, match="no entries were found"):
        import_file(store, p, fmt="bibtex")
    assert counts(store) == (0, 0, 0)


def test_import_files_reports_refusals_and_continues(store: Store, tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00" * 100)
    good = tmp_path / "good.ris"
    good.write_text(GOOD.format(n=1))
    reports = service.import_files(store, [junk, good])
    assert reports[0].error and "junk.bin" in reports[0].error
    assert reports[1].imported == 1 and reports[1].error is None


def test_database_from_a_newer_litsift_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    service.open_review(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE review SET schema_version = 99")
    with pytest.raises(SchemaTooNewError, match="newer litsift"):
        service.open_review(str(path))


def test_sqlite_is_in_wal_mode(store: Store) -> None:
    with store.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_quarantined_entry_can_be_fixed_and_resolved(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "mixed.ris"
    p.write_text(GOOD.format(n=1) + "TI  - Lost its type\nAU  - Roe, B\nER  - \n")
    import_file(store, p, source_name="Scopus")
    (entry,) = service.list_quarantine(store)
    fixed = tmp_path / "fixed.ris"
    fixed.write_text("TY  - JOUR\n" + entry.raw + "\n")
    report = service.resolve_quarantine(store, entry.id, fixed)
    assert report.imported == 1
    assert service.list_quarantine(store) == []
    (resolved,) = service.list_quarantine(store, include_resolved=True)
    assert resolved.resolved
    titles = [r.title for r in service.list_records(store)]
    assert titles == ["Good record 1", "Lost its type"]
    assert service.review_status(store).batches[1].source_name == "Scopus"
    still_broken = tmp_path / "still.ris"
    still_broken.write_text(entry.raw + "\n")
    before = counts(store)
    with pytest.raises(ImportFormatError, match="no entry in it could be read"):
        service.resolve_quarantine(store, entry.id, still_broken)
    assert counts(store) == before


def test_labels_become_decisions_only_when_asked(store: Store, tmp_path: Path) -> None:
    csv_file = tmp_path / "labelled.csv"
    csv_file.write_text(
        "title,abstract,label_included\nA,x,1\nB,x,0\nC,x,\nD,x,maybe?\nE,x,included\n",
        encoding="utf-8",
    )
    plain = service.import_files(store, [csv_file])[0]
    assert plain.decisions == 0 and service.list_decisions(store) == []
    labelled = service.import_files(store, [csv_file], again=True, labels_as="asreview")[0]
    assert labelled.imported == 5 and labelled.decisions == 3
    assert any("neither 1/0" in w for w in labelled.warnings)
    got = {
        (service.get_record(store, d.record_id)["title"], d.label, d.reviewer)
        for d in service.list_decisions(store)
    }
    assert got == {("A", "include", "asreview"), ("B", "exclude", "asreview"),
                   ("E", "include", "asreview")}  # fmt: skip
    assert all(d.record_id > plain.imported for d in service.list_decisions(store))
    # each label-made decision has its audit row, like a decision made by hand
    audited = {
        (e["detail"]["decision"], e["detail"]["label"], e["actor"])
        for e in service.audit_log(store, limit=1000)
        if e["action"] == "decide"
    }
    assert audited == {(d.id, d.label, "asreview") for d in service.list_decisions(store)}


def test_label_round_trip_through_a_csv_export(store: Store, tmp_path: Path) -> None:
    import io

    csv_file = tmp_path / "labelled.csv"
    csv_file.write_text("title,label_included\nA,1\nB,0\nC,\n", encoding="utf-8")
    service.import_files(store, [csv_file], labels_as="ana")
    out = io.StringIO()
    service.export_records(store, "csv", out)
    again = tmp_path / "export.csv"
    again.write_text(out.getvalue(), encoding="utf-8")
    other = service.open_review(str(tmp_path / "other.db"))
    service.import_files(other, [again], labels_as="ana")
    labels = sorted((d.record_id, d.label) for d in service.list_decisions(other))
    assert labels == [(1, "include"), (2, "exclude")]
    other.dispose()
