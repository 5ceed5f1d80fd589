"""Record exports lose nothing: every field and every RIS type survives RIS, BibTeX, CSV and
JSON (property tests over the writers and readers), ISSN and ISBN stay apart, BibTeX keys are
unique and stable."""

from __future__ import annotations

import hashlib
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.biblio import BIBLIO_FIELDS, RIS_TYPES
from review.exports import RECORD_WRITERS, to_string
from review.fields import normalize_fields
from review.readers.base import ParsedEntry
from review.readers.registry import detect_reader, get_reader
from review.readers.source import SourceFile

READER_OF = {"csv": "tabular", "json": "json", "ris": "ris", "bibtex": "bibtex"}
_BLANK = {"na", "n/a", "nan", "none", "null", "-"}
_PLACEHOLDERS = {"[no abstract available]", "[no author name available]", "[no title available]"}

_letters = st.text(alphabet=string.ascii_letters, min_size=1, max_size=12)
_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cf", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: len(s) > 1 and s.lower() not in _BLANK | _PLACEHOLDERS)
)
_word = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=10)
_author = st.builds(lambda last, first: f"{last}, {first}", _letters, _letters)
_keyword = st.lists(_letters, min_size=1, max_size=3).map(" ".join)
_issn = st.builds(
    lambda a, b, c: f"{a:04d}-{b:03d}{c}",
    st.integers(0, 9999),
    st.integers(0, 999),
    st.sampled_from("0123456789X"),
)
_isbn = st.one_of(
    st.builds(
        lambda n: f"978-{n % 10}-{n // 10 % 10**4:04d}-{n // 10**5:04d}-1",
        st.integers(0, 10**9 - 1),
    ),
    st.builds(lambda n: f"{n:09d}X", st.integers(0, 10**9 - 1)),
)
_pages = st.one_of(
    st.just(""),
    st.builds(lambda a, b: f"{a}-{a + b}", st.integers(1, 9999), st.integers(0, 99)),
    st.builds(lambda a: f"e{a}", st.integers(1, 99999)),
)


@st.composite
def records(draw: Any) -> dict[str, Any]:
    """A record as litsift stores it (already normalised), with any RIS type."""
    maybe = lambda s: draw(st.one_of(st.just(""), s))  # noqa: E731
    return {
        "id": 1,
        "source_key": draw(_word),
        "title": draw(_text),
        "abstract": maybe(_text),
        "authors": draw(st.lists(_author, max_size=4, unique=True)),
        "year": draw(st.one_of(st.none(), st.integers(1800, 2030))),
        "journal": maybe(_text),
        "volume": maybe(_word),
        "issue": maybe(_word),
        "pages": draw(_pages),
        "doi": maybe(
            st.builds(lambda a, b: f"10.{a}/{b.lower()}", st.integers(1000, 99999), _word)
        ),
        "pmid": maybe(st.integers(1, 40_000_000).map(str)),
        "isbn": maybe(_isbn),
        "issn": maybe(_issn),
        "url": maybe(_word.map(lambda w: f"https://example.org/{w}")),
        "keywords": draw(st.lists(_keyword, max_size=3, unique_by=str.lower)),
        "language": maybe(_letters),
        "type": draw(st.sampled_from(sorted(RIS_TYPES))),
        "label": None,
    }


def read_back(fmt: str, text: str, tmp: Path) -> dict[str, Any]:
    path = tmp / f"export.{fmt}"
    path.write_text(text, encoding="utf-8")
    source = SourceFile(path, hashlib.sha256(text.encode()).hexdigest(), len(text), "utf-8")
    assert detect_reader(source).name == READER_OF[fmt]
    (entry,) = list(get_reader(READER_OF[fmt]).read(source))
    assert isinstance(entry, ParsedEntry), entry
    cols, _ = normalize_fields(entry.fields)
    cols["source_key"] = entry.source_key
    return cols


@pytest.mark.parametrize("fmt", sorted(RECORD_WRITERS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(record=records())
def test_every_field_and_type_round_trips(fmt: str, record: dict[str, Any], tmp_path: Path) -> None:
    text = to_string(RECORD_WRITERS[fmt], [record])
    back = read_back(fmt, text, tmp_path)
    expected, _ = normalize_fields({k: record[k] for k in BIBLIO_FIELDS})
    for name in BIBLIO_FIELDS:
        assert back[name] == expected[name], (name, text)
    if fmt != "bibtex":  # a BibTeX key is a citation key unique in the review
        assert back["source_key"] == record["source_key"]


@pytest.mark.parametrize("ris_type", sorted(RIS_TYPES))
def test_every_ris_type_is_written_as_itself(ris_type: str) -> None:
    record = {k: "" for k in BIBLIO_FIELDS} | {
        "id": 1, "source_key": "k", "title": "T", "authors": [], "keywords": [], "year": None,
        "type": ris_type,
    }  # fmt: skip
    assert f"TY  - {ris_type}\n" in to_string(RECORD_WRITERS["ris"], [record])


def test_issn_and_isbn_stay_apart_through_ris(tmp_path: Path) -> None:
    for type_, isbn, issn in (
        ("JOUR", "978-0-306-40615-7", "0309-2402"),
        ("CHAP", "9780306406157; 0306406152", "1365-2648"),
        ("CASE", "030640615X", "2049-3630"),
    ):
        record = {k: "" for k in BIBLIO_FIELDS} | {
            "id": 1, "source_key": "k", "title": "T", "authors": [], "keywords": [],
            "year": 2020, "type": type_, "isbn": isbn, "issn": issn,
        }  # fmt: skip
        back = read_back("ris", to_string(RECORD_WRITERS["ris"], [record]), tmp_path)
        assert (back["isbn"], back["issn"], back["type"]) == (isbn, issn, type_)


def test_bibtex_keys_are_unique_within_a_file_without_review_keys() -> None:
    import bibtexparser

    rows = [
        {k: "" for k in BIBLIO_FIELDS}
        | {
            "id": i,
            "source_key": "1",
            "title": f"T{i}",
            "authors": [],
            "keywords": [],
            "year": None,
            "type": "JOUR",
        }
        for i in range(30)
    ]
    text = to_string(RECORD_WRITERS["bibtex"], rows)
    keys = [e.key for e in bibtexparser.parse_string(text).entries]
    assert len(keys) == 30 == len(set(keys))
    assert keys[:3] == ["1", "1a", "1b"] and keys[27] == "1aa"


_URL_CHARS = string.ascii_letters + string.digits + "_~%&#-./?=:;()<>+!*'@$,"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.text(alphabet=_URL_CHARS, min_size=1, max_size=30),
    suffix=st.text(alphabet=_URL_CHARS, min_size=1, max_size=20),
)
def test_bibtex_writes_urls_and_dois_verbatim(path: str, suffix: str, tmp_path: Path) -> None:
    # url and doi are verbatim fields (biblatex, the url/doi/hyperref packages, Zotero and
    # JabRef read them as they are): "a\_b" or "\textasciitilde{}" there breaks the link.
    url, doi = f"https://example.org/{path}", f"10.1002/{suffix}"
    record = {k: "" for k in BIBLIO_FIELDS} | {
        "id": 1, "source_key": "k", "title": "T", "authors": [], "keywords": [], "year": None,
        "type": "JOUR", "url": url, "doi": doi,
    }  # fmt: skip
    text = to_string(RECORD_WRITERS["bibtex"], [record])
    lines = text.splitlines()
    for name, value in (("url", url), ("doi", doi)):
        assert {f"  {name} = {{{value}}}", f"  {name} = {{{value}}},"} & set(lines), text
    back = read_back("bibtex", text, tmp_path)
    expected, _ = normalize_fields(record)
    assert (back["url"], back["doi"]) == (expected["url"], expected["doi"])


def test_bibtex_escapes_a_url_that_cannot_be_written_verbatim(tmp_path: Path) -> None:
    record = {k: "" for k in BIBLIO_FIELDS} | {
        "id": 1, "source_key": "k", "title": "T", "authors": [], "keywords": [], "year": None,
        "type": "JOUR", "url": "https://example.org/a}b\\c{",
    }  # fmt: skip
    text = to_string(RECORD_WRITERS["bibtex"], [record])
    assert read_back("bibtex", text, tmp_path)["url"] == "https://example.org/a}b\\c{"
