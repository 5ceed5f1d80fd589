"""Precision first and recall through the queue: the cases of issue 10, each in a file built
for it or as record pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from review.db import Store
from review.dedup import service
from review.dedup.engine import AUTO_THRESHOLD, QUEUE_THRESHOLD, find_duplicates
from review.dedup.normalize import prepare
from review.dedup.scoring import score_pair
from review.dedup.vetoes import ERRATUM_OF, SAME_CITATION, first_authors_differ
from review.service import import_files
from tests.conftest import shared_file

# Three editorials of one journal issue that differ only in their author.
EDITORIALS_RIS = "\n".join(
    f"TY  - JOUR\nTI  - Editorial\nAU  - {author}\nPY  - 2019\n"
    "JO  - Journal of Information Systems\nVL  - 28\nER  -\n"
    for author in ("Smith, John", "Brown, John", "Brown, Alice")
)


def test_three_editorials_in_one_volume_are_never_merged(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "editorials.ris"
    path.write_text(EDITORIALS_RIS, encoding="utf-8")
    assert import_files(store, [path])[0].imported == 3
    summary = service.run_dedup(store)
    assert summary.clusters == 0 and summary.duplicates_removed == 0
    queued = service.pair_rows(store, ["queued"])
    # Smith/Brown: different first authors, not even worth a person's time; the two Browns
    # share a surname, but a generic title needs a DOI or citation: a person decides
    assert [sorted((p["source_key_a"], p["source_key_b"])) for p in queued] == [["2", "3"]]
    assert "generic title" in queued[0]["reason"]


def test_bibtex_entries_with_one_generic_title_stay_apart(store: Store) -> None:
    path = shared_file("formats/bibtex/bibtexparser/article_missing_coma.bib")
    assert import_files(store, [path])[0].imported == 4
    assert service.run_dedup(store).clusters == 0


BASE: dict[str, Any] = {
    "title": "Complement factor H and the risk of age-related macular degeneration",
    "authors": ["Goicoechea de, Jorge E.", "Harris, C. L.", "Morgan, B. P."],
    "year": 2009,
    "journal": "Journal of Immunology",
    "volume": "182",
    "issue": "3",
    "pages": "1203-1211",
    "doi": "",
}


def _verdict(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
    """What the pipeline decides for two records: merged, queued or distinct, and why."""
    result = find_duplicates([a, b])
    if result.clusters:
        return "merged", ""
    pairs = [p for p in result.pairs if (p.i, p.j) == (0, 1)]
    return (pairs[0].decision, pairs[0].reason) if pairs else ("unscored", "")


@pytest.mark.parametrize(
    "change",
    [
        {"doi": "10.1000/b"},  # against 10.1000/a
        {"issue": "4", "pages": ""},
        {"pages": "1300-1310"},
        {"authors": ["Whitfield, Peter", "Harris, C. L."]},
    ],
    ids=["doi", "issue", "pages", "first-author"],
)
def test_a_disagreeing_identifier_vetoes_the_merge(change: dict[str, Any]) -> None:
    a = dict(BASE, doi="10.1000/a") if "doi" in change else dict(BASE)
    b = dict(a, **change)
    s = score_pair(prepare(a), prepare(b))
    assert s.conflict and "no automatic merge" in s.reason
    assert _verdict(a, b)[0] != "merged"


def test_author_particles_and_swapped_names_are_one_person() -> None:
    a = prepare({"title": "x", "authors": ["Goicoechea de, Jorge E."]})
    b = prepare({"title": "x", "authors": ["de Jorge, E. G."]})
    assert not first_authors_differ(a, b)
    swapped = prepare({"title": "x", "authors": ["Amber, C. F."]})
    assert not first_authors_differ(swapped, prepare({"title": "x", "authors": ["Cicek, F. A."]}))
    assert not first_authors_differ(
        prepare({"title": "x", "authors": ["Müller, Jörg"]}),
        prepare({"title": "x", "authors": ["Mueller, J."]}),
    )
    other = prepare({"title": "x", "authors": ["Smith, John"]})
    assert first_authors_differ(other, prepare({"title": "x", "authors": ["Brown, John"]}))
    copy = dict(BASE, authors=["de Jorge, E. G.", "Harris C L", "Morgan B P"])
    assert _verdict(BASE, copy)[0] == "merged"


def test_an_erratum_is_queued_as_erratum_of_its_article() -> None:
    erratum = dict(BASE, title="Erratum: " + BASE["title"], pages="2345", issue="5")
    decision, reason = _verdict(BASE, erratum)
    assert decision == "queued" and ERRATUM_OF in reason


def test_a_translated_title_with_the_same_citation_is_queued() -> None:
    translated = dict(
        BASE,
        title="Komplementfaktor H und das Risiko der altersbedingten Makuladegeneration",
        journal="J Immunol",
    )
    decision, reason = _verdict(BASE, translated)
    assert decision == "queued" and SAME_CITATION in reason


@pytest.mark.parametrize(
    "change",
    [
        {"title": BASE["title"] + ": a cohort study in three countries"},  # subtitle
        {"pages": "1203"},  # first page alone
        {"journal": "Proceedings of the Immunology Conference", "year": 2008, "volume": ""},
    ],
    ids=["subtitle", "first-page", "conference-version"],
)
def test_near_copies_reach_at_least_the_queue(change: dict[str, Any]) -> None:
    decision, reason = _verdict(BASE, dict(BASE, **change))
    assert decision in ("merged", "queued"), reason


def test_thresholds_keep_their_order() -> None:
    assert QUEUE_THRESHOLD < AUTO_THRESHOLD
