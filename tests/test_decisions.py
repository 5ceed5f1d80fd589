"""Decisions are durable at once, append-only, undoable, and counted per stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import service
from review.db import Store, resolve_url
from review.errors import InvalidInputError, NotFoundError
from review.importing import import_file
from screening.service import next_record
from tests.ris import numbered_ris

GOOD = "TY  - JOUR\nID  - k{n}\nTI  - Record {n}\nER  - \n\n"


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    import_file(store, numbered_ris(tmp_path / "five.ris", GOOD, 5))
    return store


def test_decision_is_visible_to_another_connection_at_once(loaded: Store, tmp_path: Path) -> None:
    service.record_decision(loaded, 1, "include", reviewer="ana")
    other = Store(resolve_url(str(tmp_path / "review.db")))
    assert [r.label for r in service.list_records(other)][:2] == ["include", None]
    other.dispose()


def test_next_skips_decided_and_undo_brings_back(loaded: Store) -> None:
    assert next_record(loaded, reviewer="ana")["source_key"] == "k1"
    service.record_decision(loaded, 1, "exclude", reviewer="ana")
    service.record_decision(loaded, 2, "include", reviewer="ana")
    assert next_record(loaded, reviewer="ana")["source_key"] == "k3"
    # another reviewer screens independently (blinded dual screening)
    assert next_record(loaded, reviewer="ben")["source_key"] == "k1"
    undone = service.undo_decision(loaded, reviewer="ana")
    assert undone.record_id == 2 and undone.retracted_at is not None
    assert next_record(loaded, reviewer="ana")["source_key"] == "k2"
    history = service.list_decisions(loaded)
    assert [(d.record_id, d.label, d.retracted_at is not None) for d in history] == [
        (1, "exclude", False),
        (2, "include", True),
    ]


def test_changed_decision_keeps_the_old_one(loaded: Store) -> None:
    service.record_decision(loaded, 3, "maybe", reviewer="ana")
    service.record_decision(loaded, 3, "include", reviewer="ana", note="read again")
    assert service.list_records(loaded, label="include")[0].id == 3
    assert len(service.list_decisions(loaded)) == 2
    st = service.review_status(loaded)
    assert st.stages["title-abstract"] == {
        "screened": 1,
        "include": 1,
        "exclude": 0,
        "maybe": 0,
        "conflicts": 0,
        "unscreened": 4,
    }
    assert st.stages["full-text"]["unscreened"] == 1


def test_full_text_stage_with_reason(loaded: Store) -> None:
    service.record_decision(loaded, 4, "include")
    assert next_record(loaded, stage="full-text")["id"] == 4
    service.record_decision(loaded, 4, "exclude", stage="full-text", reason="wrong design")
    assert next_record(loaded, stage="full-text") is None
    (d,) = service.list_decisions(loaded, stage="full-text")
    assert d.reason == "wrong design"


def test_bad_decisions_are_refused(loaded: Store) -> None:
    with pytest.raises(InvalidInputError, match="unknown label"):
        service.record_decision(loaded, 1, "yes")
    with pytest.raises(NotFoundError):
        service.record_decision(loaded, 999, "include")
    with pytest.raises(InvalidInputError, match="unknown stage"):
        service.record_decision(loaded, 1, "include", stage="abstract")
    with pytest.raises(NotFoundError, match="nothing to undo"):
        service.undo_decision(loaded, reviewer="nobody")
    assert service.list_decisions(loaded) == []


def test_reviewer_counts_use_standing_decisions(loaded: Store) -> None:
    service.record_decision(loaded, 1, "include", reviewer="ana")
    service.record_decision(loaded, 1, "exclude", reviewer="ana")  # changed her mind
    service.record_decision(loaded, 2, "maybe", reviewer="ana")
    service.record_decision(loaded, 1, "include", reviewer="ben")
    service.record_decision(loaded, 3, "exclude", reviewer="ben")
    service.undo_decision(loaded, reviewer="ben")
    assert service.reviewer_counts(loaded) == {
        "ana": {"include": 0, "exclude": 1, "maybe": 1},
        "ben": {"include": 1, "exclude": 0, "maybe": 0},
    }


def test_duplicates_are_screened_once_and_decisions_carry_over(
    store: Store, tmp_path: Path
) -> None:
    from review.dedup.service import run_dedup

    rec = "TY  - JOUR\nID  - {key}\nTI  - {title}\nAU  - Smith, John\nAU  - Doe, Ann\nPY  - 2019\n"
    rec += "T2  - Public Money & Management\nVL  - 39\nSP  - 12\nEP  - 20\n"
    rec += "DO  - 10.5555/pmm.{n}\nER  - \n\n"
    first = tmp_path / "scopus.ris"
    first.write_text(
        rec.format(key="s1", title="Social impact bonds in the UK: a review", n=1)
        + rec.format(key="s2", title="Payment by results in probation services", n=2)
    )
    second = tmp_path / "econlit.ris"
    second.write_text(rec.format(key="e1", title="SOCIAL IMPACT BONDS IN THE UK - A REVIEW", n=1))
    import_file(store, first)
    import_file(store, second)
    run_dedup(store)
    st = service.review_status(store)
    assert st.duplicates_removed == 1
    assert st.stages["title-abstract"]["unscreened"] == 2
    assert service.screening_progress(store, reviewer="ana").total == 2
    seen = []
    while (rec_ := next_record(store, reviewer="ana")) is not None:
        seen.append(rec_["source_key"])
        service.record_decision(store, rec_["id"], "exclude", reviewer="ana")
    assert sorted(seen) == ["s1", "s2"]  # the EconLit copy is never shown
    # a decision made on the copy (before deduplication, say) covers the original too
    assert next_record(store, reviewer="ben") is not None
    service.record_decision(store, 3, "include", reviewer="ben")
    assert next_record(store, reviewer="ben")["source_key"] == "s2"
