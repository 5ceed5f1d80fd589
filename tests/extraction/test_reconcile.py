"""Dual extraction: disagreements field by field (numbers with a tolerance, choice sets as
sets), the consensus value and who decided it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from extraction.reconcile import decide, reconcile, same
from extraction.service import ExtractionSession
from review import settings
from review.db import Store
from review.errors import InvalidInputError
from review.models import AuditEntry
from review.settings import Protocol
from tests.extraction.test_service import ex, fill  # noqa: F401 (fixture)


def test_same() -> None:
    assert same(0.21, 0.2100000001) and not same(0.21, 0.22)
    assert same(0.21, 0.22, tolerance=0.05)
    assert same(["a", "b"], ["b", "a"]) and not same(["a"], ["a", "b"])
    assert not same(True, 1) and same(" x ", "x")


def test_disagreements_and_consensus(ex: ExtractionSession, store: Store) -> None:  # noqa: F811
    fv = ex.form("obc")
    with pytest.raises(InvalidInputError, match="one extractor per study"):
        reconcile(store, fv, 1, decided_by="lead")
    settings.save(store, Protocol(extractors=2), actor="lead")
    fill(ex, 1, "ana")
    fill(
        ex,
        1,
        "ben",
        effect_estimate="0.2100000001",
        bias_domains="randomisation; missing_data",
        risk_of_bias="high",
    )
    ex.set(1, "outcomes.price", "45", reviewer="ben", row=1)
    with pytest.raises(Exception, match="reconciling needs two"):
        reconcile(store, fv, 2, decided_by="lead")
    r = reconcile(store, fv, 1, decided_by="lead")
    assert r.reviewers == ("ana", "ben")
    assert [(d.field, d.row, d.values) for d in r.open] == [
        ("outcomes.price", 1, {"ana": 40.0, "ben": 45.0}),
        ("risk_of_bias", 0, {"ana": "some_concerns", "ben": "high"}),
    ]
    assert r.status == "in_progress"
    decide(store, fv, 1, "risk_of_bias", "high", decided_by="lead")
    assert len(reconcile(store, fv, 1, decided_by="lead").open) == 1
    decide(store, fv, 1, "outcomes.price", "45", row=1, decided_by="carol")
    done = reconcile(store, fv, 1, decided_by="lead")
    assert done.open == () and done.status == "reconciled"
    assert {(d.field, d.decided, d.decided_by) for d in done.disagreements} == {
        ("risk_of_bias", "high", "lead"),
        ("outcomes.price", 45.0, "carol"),
    }
    (cons,) = ex.extractions(study=1, reviewer="consensus")
    assert cons.values["effect_estimate"] == 0.21 and cons.status == "reconciled"
    with store.session() as s:
        who = s.exec(select(AuditEntry.actor).where(AuditEntry.action == "extraction-consensus"))
        assert sorted(who.all()) == ["carol", "lead"]
