"""Notes, tags, attachments and search: durable, never deleted, logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review import annotation as ann
from review import service
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.importing import import_file

RIS = (
    "TY  - JOUR\nID  - a1\nTI  - Social impact bonds in Peterborough\nAU  - Müller, Anna\n"
    "AB  - Recidivism fell under payment_by_results.\nJO  - Policy Studies\nER  - \n\n"
    "TY  - JOUR\nID  - a2\nTI  - Green bonds and investors\nAU  - Smith, Bob\n"
    "AB  - 100% of issues were oversubscribed.\nDO  - 10.1234/XYZ\nER  - \n\n"
    "TY  - JOUR\nID  - a3\nTI  - Impact bonds: a review\nAU  - Doe, Jane\nER  - \n\n"
)


@pytest.fixture
def three(store: Store, tmp_path: Path) -> Store:
    p = tmp_path / "three.ris"
    p.write_text(RIS)
    import_file(store, p)
    return store


def test_notes_are_kept_and_logged(three: Store) -> None:
    n = ann.add_note(three, 1, " check the 2019 follow-up ", reviewer="ana", stage="full-text")
    assert (n.kind, n.value, n.reviewer) == ("note", "check the 2019 follow-up", "ana")
    assert [a.value for a in ann.list_annotations(three, 1)] == ["check the 2019 follow-up"]
    assert any(e["action"] == "add note" for e in service.audit_log(three))
    with pytest.raises(InvalidInputError, match="empty note"):
        ann.add_note(three, 1, "   ")
    with pytest.raises(NotFoundError):
        ann.add_note(three, 99, "x")


def test_tags_toggle_and_removal_is_not_deletion(three: Store) -> None:
    tagged, a = ann.toggle_tag(three, 1, "  SIB   UK ", reviewer="ana")
    assert tagged and a.value == "sib uk"
    ann.toggle_tag(three, 2, "sib uk")
    assert ann.all_tags(three) == [("sib uk", 2)]
    tagged, b = ann.toggle_tag(three, 1, "Sib Uk")
    assert not tagged and b.removed_at is not None
    assert ann.all_tags(three) == [("sib uk", 1)]
    assert len(ann.list_annotations(three, 1, include_removed=True)) == 1
    assert ann.list_annotations(three, 1) == []
    with pytest.raises(InvalidInputError, match="bad tag"):
        ann.toggle_tag(three, 1, "!!")


def test_attach_a_file_or_url(three: Store, tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    a = ann.attach(three, 1, "paper.pdf", base=tmp_path, reviewer="ana")
    assert a.value == str(pdf.resolve()) and a.stage == "full-text"
    u = ann.attach(three, 1, "https://example.org/paper.pdf")
    assert u.value == "https://example.org/paper.pdf"
    with pytest.raises(InvalidInputError, match="no such file"):
        ann.attach(three, 1, str(tmp_path / "missing.pdf"))
    with pytest.raises(InvalidInputError, match="already attached"):
        ann.attach(three, 1, str(pdf))
    assert [x.kind for x in ann.list_annotations(three, 1)] == ["attachment", "attachment"]


def test_search_words_phrases_ids_tags(three: Store) -> None:
    def ids(q: str) -> list[int]:
        return [r["id"] for r in ann.search_records(three, q)]

    assert ids("bonds") == [1, 2, 3]
    assert ids("BONDS impact") == [1, 3]
    assert ids('"impact bonds:"') == [3]
    assert ids("müller") == [1]  # authors
    assert ids("10.1234/xyz") == [2]  # DOI
    assert ids("100%") == [2] and ids("payment_by") == [1]  # LIKE wildcards are literal
    assert ids("#2") == [2]
    ann.toggle_tag(three, 3, "review")
    assert ids("tag:review") == [3] and ids("tag:review green") == []
    assert ids("   ") == []


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_search_never_fails_on_any_text(query: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        store = service.open_review(str(Path(d) / "r.db"))
        try:
            assert isinstance(ann.search_records(store, query.replace("tag:", "")), list)
        finally:
            store.dispose()
