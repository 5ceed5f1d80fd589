"""The pinned CSV format holds on PostgreSQL too (values come back from its JSON column already
decoded, on SQLite as JSON text or numbers: both must give the same bytes).

JSON exports differ between the backends, as they did before: SQLite's JSON column has numeric
affinity and gives a number field's 40.0 back as the integer 40, PostgreSQL keeps 40.0."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from review.db import Store
from tests.extraction.test_export_format import build, check, fix_value
from tests.test_postgres import PG_URL, pg_store

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set (see .ci/postgres.sh)"),
]
__all__ = ["pg_store"]  # the fixture


def test_postgres_exports_match_the_pinned_format(
    pg_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_value(monkeypatch)
    ex = build(pg_store)
    for layout in ("wide", "long"):
        for fmt in ("csv",):
            res = ex.export("obc", layout, fmt, tmp_path / f"{layout}.{fmt}")  # type: ignore[arg-type]
            for p in res.paths:
                check(f"{fmt}-{p.name}", p.read_bytes())
    buf = io.StringIO()
    ex.write("obc", "long", "csv", buf)
    check("stdout-long.csv", buf.getvalue().encode())
