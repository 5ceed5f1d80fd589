"""Extraction on a real PostgreSQL server: typed JSON values, versions, dual extraction."""

from __future__ import annotations

import pytest

from extraction.reconcile import decide, reconcile
from review import settings
from review.db import Store
from review.settings import Protocol
from tests.extraction.test_forms import DEMO_FORM
from tests.extraction.test_service import fill, session_with_form
from tests.test_postgres import PG_URL, pg_store

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set (see .ci/postgres.sh)"),
]
__all__ = ["pg_store"]  # the fixture


def test_extraction_on_postgres(pg_store: Store) -> None:
    ex = session_with_form(pg_store, 2)
    settings.save(pg_store, Protocol(extractors=2))
    fill(ex, 1, "ana")
    fill(ex, 1, "ben", risk_of_bias="high", bias_domains="randomisation; missing_data")
    ex.complete(1, reviewer="ana")
    fv = ex.form("obc")
    r = reconcile(pg_store, fv, 1, decided_by="lead")
    assert [d.field for d in r.open] == ["risk_of_bias"]
    decide(pg_store, fv, 1, "risk_of_bias", "high", decided_by="lead")
    assert reconcile(pg_store, fv, 1, decided_by="lead").status == "reconciled"
    added = ex.add_form(
        DEMO_FORM.read_text(encoding="utf-8").replace("title: Outcomes", "title: O")
    )
    assert added.form.version == 2 and added.carried_extractions == 3 and not added.uncarried
    (long,) = ex.rows("obc", layout="long")
    assert {r[3] for r in long.rows if r[1] == "country"} == {"KEN"}
