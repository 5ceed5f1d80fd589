"""What the extraction screens rely on: an edit reopens a complete extraction, dual
extraction stays blind, a group row is removed without deleting anything, and the study list
with each reviewer's status."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from extraction import workbench as wb
from extraction.service import ExtractionSession
from review import service, settings
from review.db import Store
from review.errors import InvalidInputError
from review.models import AuditEntry
from review.settings import Protocol
from tests.extraction.test_service import ex, fill  # noqa: F401 (fixture)


def audits(store: Store, action: str) -> list[AuditEntry]:
    with store.session() as s:
        q = select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id))
        return list(s.exec(q).all())


def test_an_edit_puts_a_complete_extraction_back_in_progress(
    ex: ExtractionSession,  # noqa: F811
    store: Store,
) -> None:
    fill(ex, 1, "ana")
    assert ex.complete(1, reviewer="ana").status == "complete"
    ex.set(1, "country", "KE", reviewer="ana")  # the same country: nothing changes
    assert ex.extractions(study=1, reviewer="ana")[0].status == "complete"
    ex.set(1, "investors", "4", reviewer="ana")
    (d,) = ex.extractions(study=1, reviewer="ana")
    assert d.status == "in_progress" and d.values["investors"] == 4
    last = audits(store, "extraction-status")[-1]
    assert last.detail == {
        "old": "complete",
        "new": "in_progress",
        "edited": "investors",
        "row": 0,
    }
    assert last.actor == "ana"
    assert ex.complete(1, reviewer="ana").status == "complete"  # and completes again


def test_own_extraction_is_blind_and_a_third_is_refused(
    ex: ExtractionSession,  # noqa: F811
    store: Store,
) -> None:
    settings.save(store, Protocol(extractors=2), actor="lead")
    fv = ex.form("obc")
    fill(ex, 1, "ana")
    fill(ex, 1, "ben", risk_of_bias="high")
    own = wb.own_extraction(store, fv, 1, "ben")
    assert own.values["risk_of_bias"] == "high" and own.others == 1
    fresh = wb.own_extraction(store, fv, 2, "ben")
    assert fresh.status == wb.NOT_STARTED and fresh.values == {} and fresh.others == 0
    with pytest.raises(InvalidInputError, match="already extracted by two reviewers"):
        wb.own_extraction(store, fv, 1, "carl")
    # one of the two sees the other's values only when both are complete
    ex.complete(1, reviewer="ana")
    with pytest.raises(InvalidInputError, match="ben not complete yet"):
        wb.reconciliation(store, fv, 1, "ana")
    assert wb.reconciliation(store, fv, 1, "lead").open  # someone else may look
    ex.complete(1, reviewer="ben")
    r = wb.reconciliation(store, fv, 1, "ana")
    assert [(d.field, d.values) for d in r.open] == [
        ("risk_of_bias", {"ana": "some_concerns", "ben": "high"})
    ]


def test_remove_row_moves_the_rows_below_up(ex: ExtractionSession, store: Store) -> None:  # noqa: F811
    fv = ex.form("obc")
    fill(ex, 1, "ana")
    ex.set(1, "outcomes.metric", "third", reviewer="ana", row=3)
    before = len(audits(store, "extraction-value"))
    assert wb.remove_row(store, fv, 1, "ana", "outcomes", 1) == 2
    (d,) = ex.extractions(study=1, reviewer="ana")
    kept = {i: {k: v for k, v in r.items() if v is not None} for i, r in d.rows["outcomes"].items()}
    assert kept == {
        1: {"metric": "births in facility", "price": 120.75},
        2: {"metric": "third"},
    }
    assert len(audits(store, "extraction-value")) > before  # every move written and audited
    assert ex.complete(1, reviewer="ana").status == "complete"  # no empty row left behind
    long = ex.rows("obc", layout="long")[0]
    assert [r[3] for r in long.rows if r[1] == "outcomes.metric"] == ["births in facility", "third"]
    with pytest.raises(InvalidInputError, match="no row 3"):
        wb.remove_row(store, fv, 1, "ana", "outcomes", 3)


def test_worklist_status_per_reviewer(ex: ExtractionSession, store: Store, tmp_path: Path) -> None:  # noqa: F811
    settings.save(store, Protocol(extractors=2), actor="lead")
    fill(ex, 1, "ana")
    fill(ex, 1, "ben")
    fill(ex, 2, "ana")
    ex.complete(1, reviewer="ana")
    ex.complete(1, reviewer="ben")
    ris = tmp_path / "r.ris"
    ris.write_text("TY  - JOUR\nTI  - Included, in no study\nER  - \n")
    service.import_files(store, [ris])
    for stage in ("title-abstract", "full-text"):
        service.record_decision(store, 1, "include", stage=stage, reviewer="ana")
    w = wb.worklist(store, "ana")
    assert [(s.id, s.status, s.extractors, s.complete) for s in w.studies] == [
        (1, "complete", 2, 2),
        (2, "in_progress", 1, 0),
        (0, "not_started", 0, 0),
    ]
    assert w.studies[2].record == 1 and w.extractors == 2
    assert [s.status for s in wb.worklist(store, "ben").studies] == [
        "complete",
        "not_started",
        "not_started",
    ]
    sid = wb.study_for_record(store, 1, actor="ana")
    assert wb.study_for_record(store, 1, actor="ana") == sid  # made once
    assert audits(store, "study-link")[-1].detail["records"] == [1]
    wb.reconciliation(store, ex.form("obc"), 1, "lead")  # all agree: reconciled at once
    assert wb.worklist(store, "ana").studies[0].status == "reconciled"
