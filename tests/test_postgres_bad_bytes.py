"""Issue 11 on PostgreSQL (whose text cannot hold a NUL): an entry with a NUL byte is
quarantined, shown with ␀ where the byte was, and the rest of the file is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import service
from review.db import Store
from review.importing import import_file
from tests.conftest import shared_file
from tests.test_postgres import PG_URL, pg_store  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set (see .ci/postgres.sh)"),
]


def test_a_nul_byte_quarantines_its_entry_on_postgres(
    pg_store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = shared_file("formats/medline_nbib/revtools/restoration_pubmed.nbib").read_bytes()
    at = data.index(b"\nTI  - ", 5000) + 10
    p = tmp_path / "nul.nbib"
    p.write_bytes(data[:at] + b"\x00" + data[at:])
    report = import_file(pg_store, p)
    assert (report.entries, report.imported, len(report.quarantined)) == (104, 103, 1)
    (q,) = service.list_quarantine(pg_store)
    assert "\u2400" in q.raw and "\x00" not in q.raw
