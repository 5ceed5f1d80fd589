"""Field cleaning: DOIs, years, markup and whitespace."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from review.fields import normalize_fields
from review.normalize import clean_text, collapse, normalize_doi, parse_year


def test_doi_forms() -> None:
    for raw in (
        "https://doi.org/10.1016/J.JPUBECO.2019.104100",
        "http://dx.doi.org/10.1016/j.jpubeco.2019.104100.",
        "doi:10.1016/j.jpubeco.2019.104100",
        "10.1016/j.jpubeco.2019.104100 [doi]",
        "https://doi.org/10.1016%2Fj.jpubeco.2019.104100",
    ):
        assert normalize_doi(raw) == "10.1016/j.jpubeco.2019.104100"
    assert normalize_doi("not a doi") == ""


def test_years() -> None:
    assert parse_year("2019//") == 2019
    assert parse_year("Spring 2004") == 2004
    assert parse_year("in press") is None
    assert parse_year("10 15") is None


def test_jats_and_html_are_stripped() -> None:
    raw = "<jats:p>Social impact <i>bonds</i> &amp; outcomes&nbsp;funds</jats:p>\n  in  <b>UK</b>"
    assert clean_text(raw) == "Social impact bonds & outcomes funds in UK"


def test_na_and_blank_values_mean_missing() -> None:
    cols, warnings = normalize_fields({"title": "A", "doi": "NA", "journal": " n/a ", "year": "NA"})
    assert (cols["doi"], cols["journal"], cols["year"]) == ("", "", None)
    assert warnings == []


@given(st.text(alphabet=st.characters(blacklist_characters="<&"), max_size=200))
def test_cleaning_is_idempotent(text: str) -> None:
    # (markup and entities are decoded once: "&amp;lt;" is meant to become "&lt;")
    once = clean_text(text)
    assert clean_text(once) == once
    assert collapse(once) == once


@given(st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9._;()/-]{1,30}", fullmatch=True))
@example("10.0000/.")  # only punctuation after the prefix: not a DOI
def test_doi_normalisation_is_idempotent_and_lower_case(doi: str) -> None:
    once = normalize_doi("https://doi.org/" + doi)
    assert once == normalize_doi(once) and once == once.lower()


@given(st.text(max_size=60))
@example("a\x1cb")  # str.split() whitespace that is not a space
@example("a\u00a0b\u2028c\u3000")
@example(" lead and trail ")
@example("a  b")
def test_collapse_is_split_and_join(text: str) -> None:
    assert collapse(text) == " ".join(text.split())
