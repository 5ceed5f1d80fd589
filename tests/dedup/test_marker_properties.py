"""Property tests of the explicit-evidence rules: a number, part, notice or protocol added to a
title never lets two records merge; DOIs and spellings are normalised whatever the writing."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from review.dedup.engine import AUTO_THRESHOLD, find_duplicates
from review.dedup.normalize import clean_doi, normalize_title, prepare
from review.dedup.scoring import score_pair
from tests.dedup.strategies import perturbed, records

DOI_SUFFIX = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_;()/",
    min_size=1,
    max_size=30,
).filter(lambda s: s[-1] not in ".,;)" and s[0] != "/")
DOI_PREFIXES = ("", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/", " ")


@given(st.integers(1000, 999999999), DOI_SUFFIX, st.sampled_from(DOI_PREFIXES), st.booleans())
def test_a_doi_is_one_doi_however_written(reg: int, suffix: str, prefix: str, up: bool) -> None:
    doi = f"10.{reg}/{suffix}"
    written = prefix + (doi.upper() if up else doi) + (".", "")[up]
    assert clean_doi(written) == clean_doi(doi) == doi.lower()


@given(st.text(max_size=60))
def test_a_normalised_doi_is_idempotent(text: str) -> None:
    once = clean_doi(text)
    assert clean_doi(once) == once


def _copy(draw: Any, rec: dict[str, Any]) -> dict[str, Any]:
    """Another database's copy of `rec` (without its DOI: the title must decide)."""
    out = draw(perturbed(rec, truncate=False))
    out["doi"] = ""
    rec["doi"] = ""
    return out


NUMBERS = [str(k) for k in (1, 2, 3, 4, 5, 12, 13, 2019, 2020, 2021)]
SERIES_MARKS = st.sampled_from(
    [
        ("{} {}", NUMBERS),  # "Annual report 2019", "... 2"
        ("{}. Working paper No. {}", NUMBERS),
        ("{}: part {}", NUMBERS),
        ("{}. Part {}", ["I", "II", "III", "IV", "V", "VI"]),
        ("Part {1}: {0}", ["one", "two", "three", "four", "five", "six"]),
        ("{}, part {}", ["A", "B", "C", "D"]),
    ]
)


@st.composite
def numbered_pair(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two items of a series: one title with two different numbers or parts."""
    rec = draw(records())
    template, marks = draw(SERIES_MARKS)
    j, k = draw(st.lists(st.sampled_from(marks), min_size=2, max_size=2, unique=True))
    base = rec["title"]
    rec["title"] = template.format(base, j)
    other = _copy(draw, rec)
    other["title"] = template.format(base, k)
    return rec, other


@settings(max_examples=150, deadline=None)
@given(numbered_pair())
def test_a_different_number_or_part_never_merges(pair: tuple[dict, dict]) -> None:
    result = find_duplicates(list(pair))
    assert result.clusters == [], [p.reason for p in result.pairs]


@st.composite
def marked_and_plain(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record and its copy with a notice, part, sequel number or protocol added."""
    rec = draw(records())
    other = _copy(draw, rec)
    mark = draw(
        st.sampled_from(
            [
                "Erratum: {}", "Correction to: {}", "Corrigendum to '{}'", "Retraction: {}",
                "Expression of concern: {}", "Reply to: {}", "Re: {}", "Comment on: {}",
                "In response to: {}", "{}: study protocol for a randomised controlled trial",
                "{}: rationale and design", "{} II", "{}: part 2", "{}. Part II",
                "WITHDRAWN: {}", "Executive summary: {}", "{}: an update",
            ]
        )
    )  # fmt: skip
    other["title"] = mark.format(other["title"])
    return rec, other


@settings(max_examples=150, deadline=None)
@given(marked_and_plain())
def test_a_notice_part_or_protocol_added_never_merges(pair: tuple[dict, dict]) -> None:
    a, b = pair
    assert not score_pair(prepare(a), prepare(b)).mergeable(AUTO_THRESHOLD)
    assert find_duplicates([a, b]).clusters == []


SPELLINGS = (
    ("randomised", "randomized"), ("paediatric", "pediatric"), ("haemorrhage", "hemorrhage"),
    ("tumour", "tumor"), ("oesophageal", "esophageal"), ("anaemia", "anemia"),
    ("behaviour", "behavior"), ("centre", "center"), ("oedema", "edema"),
    ("signalling", "signaling"), ("analysed", "analyzed"), ("TNF-α", "TNF-alpha"),
    ("β-blockers", "beta-blockers"), ("NF-κB", "NF-kappaB"), ("organisation", "organization"),
    ("leukaemia", "leukemia"), ("diarrhoea", "diarrhea"), ("labelled", "labeled"),
    ("programme", "program"), ("ageing", "aging"), ("foetal", "fetal"),
)  # fmt: skip


@st.composite
def two_spellings(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record with British spellings (or Greek letters) and its copy with American ones."""
    rec = draw(records())
    words = rec["title"].split()
    pairs = draw(st.lists(st.sampled_from(SPELLINGS), min_size=1, max_size=3))
    for british, _ in pairs:
        words.insert(draw(st.integers(0, len(words))), british)
    rec["title"] = " ".join(words)
    other = _copy(draw, rec)
    title = other["title"]
    for british, us in pairs:
        for form in (british, british.lower(), british.upper(), british.title()):
            title = title.replace(form, us)
    other["title"] = title
    return rec, other


@settings(max_examples=150, deadline=None)
@given(two_spellings())
def test_british_and_american_spellings_are_one_title(pair: tuple[dict, dict]) -> None:
    a, b = pair
    assert normalize_title(a["title"]) == normalize_title(b["title"])
    s = score_pair(prepare(a), prepare(b))
    assert s.mergeable(AUTO_THRESHOLD), s.reason
