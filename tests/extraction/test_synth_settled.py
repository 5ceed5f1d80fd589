"""Which value is the study's: reconciled consensus, else the single extraction, else what
both reviewers agree on (the rest unsettled) — on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from extraction.reconcile import decide, reconcile
from extraction.synthesis.settled import settled_values
from extraction.synthesis.tables import UNSETTLED, count_table
from review import settings
from review.db import Store
from review.settings import Protocol
from tests.extraction.test_service import fill, session_with_form
from tests.test_postgres import PG_URL, pg_store

__all__ = ["pg_store"]  # the fixture


def check_rule(store: Store) -> None:
    ex = session_with_form(store, 4)
    settings.save(store, Protocol(extractors=2))
    fill(ex, 1, "ana")  # 1: one reviewer so far
    fill(ex, 2, "ana")  # 2: two who agree (Kenya written two ways, choices in two orders)
    fill(ex, 2, "ben", country="KE", bias_domains="randomisation; missing_data")
    fill(ex, 3, "ana")  # 3: two who differ on the policy area and the risk of bias
    fill(ex, 3, "ben", policy_area="education", risk_of_bias="high")
    fill(ex, 4, "ana", country="Ghana")  # 4: differ on the country, then reconciled
    fill(ex, 4, "ben", country="Togo")
    fv = ex.form("obc")
    decide(store, fv, 4, "country", "Ghana", decided_by="lead")
    assert reconcile(store, fv, 4, decided_by="lead").status == "reconciled"
    _, studies = settled_values(store)
    by = {s.study: s for s in studies}
    assert [by[i].basis for i in (1, 2, 3, 4)] == ["single", "agreed", "partly", "reconciled"]
    assert by[3].unsettled == ("policy_area", "risk_of_bias")
    assert "policy_area" not in by[3].values and by[3].values["country"] == "KEN"
    assert by[4].values["country"] == "GHA" and by[2].values["investors"] == 3
    assert [r["metric"] for r in by[2].rows["outcomes"]] == ["clinic visits", "births in facility"]
    t = count_table(store, rows="policy_area", cols="country")
    assert t.ids("health", "KEN") == (1, 2) and t.ids(UNSETTLED, "KEN") == (3,)
    assert t.ids("health", "GHA") == (4,) and t.unsettled == {3: ("policy_area",)}


def test_settled_rule(store: Store) -> None:
    check_rule(store)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set (see .ci/postgres.sh)")
def test_settled_rule_on_postgres(pg_store: Store) -> None:
    check_rule(pg_store)
