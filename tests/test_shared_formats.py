"""Every export in ../shared/formats imports, by content detection, with the right count."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from review import service
from review.importing import import_file
from tests.conftest import FORMATS

EXPECTED_READER = {
    "ris": "ris",
    "bibtex": "bibtex",
    "medline_nbib": "medline",
    "wos_plaintext": "wos",
    "scopus_csv": "scopus-csv",
    "endnote_xml": "endnote-xml",
    "endnote_tagged": "refer",
    "ovid_native": "ovid",
    "tabular": "tabular",
}


def _manifest() -> list[dict[str, str]]:
    path = FORMATS / "MANIFEST.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


ROWS = _manifest()


@pytest.mark.skipif(not ROWS, reason="../shared/formats not available")
@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_shared_file_imports_with_the_right_count(row: dict[str, str], tmp_path: Path) -> None:
    store = service.open_review(str(tmp_path / "r.db"))
    report = import_file(store, FORMATS / row["file"])
    assert report.format == EXPECTED_READER[row["format"]]
    assert report.imported + len(report.quarantined) == int(row["record_count"])
    st = service.review_status(store)
    assert st.records == report.imported
    assert st.batches[0].entries == int(row["record_count"])
    assert len(service.list_quarantine(store)) == len(report.quarantined)
    # every imported record has a title or a warning saying it has none
    warned = {w.split(")")[0] for w in report.warnings if w.endswith("no title")}
    untitled = [r for r in service.list_records(store) if not r.title]
    assert len(untitled) <= len(warned) or len(report.warnings) >= 200
    store.dispose()
