"""Refer (%-tagged) and Ovid native readers: the shared exports and inline edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.readers.base import RejectedEntry
from review.readers.ovid import OvidReader, parse_source
from review.readers.refer import ReferReader
from review.readers.source import open_source
from tests.conftest import shared_file
from tests.readers.util import manifest_rows, read_all

REFER = ReferReader()
OVID = OvidReader()


_SHARED = [(rel, n, REFER) for rel, n in manifest_rows("endnote_tagged")] + [
    (rel, n, OVID) for rel, n in manifest_rows("ovid_native")
]


@pytest.mark.parametrize(
    ("rel", "count", "reader"), _SHARED or [pytest.param("", 0, None, marks=pytest.mark.skip)]
)
def test_every_shared_file_adds_up(rel: str, count: int, reader: ReferReader | OvidReader) -> None:
    path = shared_file(f"formats/{rel}")
    source = open_source(path)
    assert reader.sniff(source.head(), source)
    other = OVID if reader is REFER else REFER
    assert not other.sniff(source.head(), source)
    good, bad = read_all(reader, path)
    assert (len(good), len(bad)) == (count, 0)


def test_ais_refer_export() -> None:
    good, _ = read_all(REFER, shared_file("formats/endnote_tagged/colrev/ais_enl.txt"))
    assert [g["line"] for g in good] == [1, 17, 27, 37, 50, 61]
    # only the 1st and 5th records have a %0 line; it comes after %T
    assert [g["type"] for g in good] == ["JOUR", "GEN", "GEN", "GEN", "JOUR", "GEN"]
    first = good[0]
    assert first["title"].startswith("How Trust Leads to Commitment on Microsourcing Platforms")
    assert first["authors"] == ["Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao"]
    assert first["journal"] == "Management Information Systems Quarterly"  # from %B
    assert first["year"] == 2021
    assert (first["volume"], first["issue"], first["pages"]) == ("45", "3", "1309-1348")
    assert first["url"] == "https://aisel.aisnet.org/misq/vol45/iss3/13"
    assert first["abstract"].startswith("IS research has extensively examined the role of trust")
    assert good[3]["authors"][2:4] == ["Osório, Gerardo", "Carvalho, João P. P."]
    assert (
        good[1]["authors"] == [] and good[1]["title"] == "MISQ Volume 45, Issue 3 Table of Contents"
    )


REFER_TEXT = """%0 Journal Article
%T A first title
that goes on
%A Müller, Hans
%A Ng, Li
%D 2019
%J Journal of Tests
%V 12
%N 3
%P 100-110
%R 10.1000/xyz.1
%@ 1234-5678
%K alpha
beta
%K gamma; delta
%G German
%F Mueller2019
%X An abstract
on two lines.
%0 Book
%T Second record without a blank line
%E Editor, Ed
%@ 978-3-16-148410-0
%8 March 2001
"""


def test_refer_records_continuations_and_second_type_line(tmp_path: Path) -> None:
    path = tmp_path / "refs.enw"
    path.write_bytes(REFER_TEXT.encode("cp1252"))
    good, bad = read_all(REFER, path)
    assert not bad
    first, second = good
    assert first["line"] == 1 and second["line"] == 20
    assert first["title"] == "A first title that goes on"
    assert first["authors"] == ["Müller, Hans", "Ng, Li"]  # cp1252 decoded
    assert first["doi"] == "10.1000/xyz.1"
    assert first["issn"] == "1234-5678" and first["isbn"] == ""
    assert first["keywords"] == ["alpha", "beta", "gamma", "delta"]
    assert first["abstract"] == "An abstract on two lines."
    assert first["language"] == "German"
    assert first["source_key"] == "Mueller2019"
    assert first["raw"].startswith("%0 Journal Article") and first["raw"].endswith("on two lines.")
    assert second["type"] == "BOOK"
    assert second["authors"] == ["Editor, Ed"]  # editors when there is no %A
    assert second["isbn"] == "978-3-16-148410-0"
    assert second["year"] == 2001  # from %8 when there is no %D


@pytest.mark.parametrize(("provider", "pmid"), [("NLM", "21553931"), ("Scopus", "")])
def test_refer_accession_number_is_a_pmid_from_pubmed(
    tmp_path: Path, provider: str, pmid: str
) -> None:
    # EndNote's tagged export of a PubMed record: %M accession, %W provider "NLM".
    path = tmp_path / "pubmed.enw"
    path.write_text(f"%0 Journal Article\n%T T\n%M 21553931\n%W {provider}\n", encoding="utf-8")
    (rec,), _ = read_all(REFER, path)
    assert rec["pmid"] == pmid


def test_refer_text_before_the_first_tag_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "header.txt"
    path.write_text("Exported 2024\n\n%T Only\n%A One, A\n", encoding="utf-8")
    source = open_source(path)
    entries = list(REFER.read(source))
    assert len(entries) == 1 and entries[0].line == 3
    assert any("1 line(s) outside" in w for w in source.warnings)


def test_refer_sniff() -> None:
    assert REFER.sniff("%0 Journal Article\n%T x\n%A y\n", None)  # type: ignore[arg-type]
    assert not REFER.sniff("% Encoding: UTF-8\n@article{x,\n", None)  # type: ignore[arg-type]
    assert not REFER.sniff("%% BibDesk\n%% Created\n@article{x,", None)  # type: ignore[arg-type]


def test_ovid_journal_export() -> None:
    (rec,), _ = read_all(OVID, shared_file("formats/ovid_native/jabref/OvidImporterTest4.txt"))
    assert rec["line"] == 1
    assert rec["source_key"] == "01445406-201509000-00006"
    assert rec["authors"] == [
        "Kohler, Lars",
        "Leuschner, Christoph",
        "Hauck, Markus",
        "Hertel, Dietrich",
    ]
    assert rec["title"].startswith("Cloud water interception and element deposition")
    assert rec["title"].endswith("Harz Mountains, Germany.")  # "[Article]" dropped
    assert rec["journal"] == "Ecohydrology"
    assert (rec["volume"], rec["issue"], rec["pages"]) == ("8", "6", "1048-1064")
    assert rec["year"] == 2015
    assert rec["doi"] == "10.1002/eco.1563"
    assert rec["issn"] == "1936-0584"
    assert rec["language"] == "English"
    assert rec["abstract"] == "Lorem ipsum abstract"
    assert rec["keywords"][0] == "alpine treeline" and rec["keywords"][-1] == "throughfall"
    assert rec["type"] == "JOUR"
    assert rec["raw"].startswith("<8>\nScore") and rec["raw"].endswith("10.1002/eco.1563")


OVID_TEXT = """Database: Ovid MEDLINE(R) <1946 to May 2024>
Search Strategy:
--------------------------------------------------------------------------------
1     exp Dogs/ (123)

<1>
Unique Identifier
  35319117
Authors
  Rotter C
  Whittaker D
Title
  Myoclonus in older Cavalier King Charles Spaniels.
Source
  Journal of Veterinary Internal Medicine. 36(3):1032-1038, 2022 May.
Publication Type
  Journal Article.
Year of Publication
  2022

<2>

<3>
Title
  Un titre
Source
  Some book. Publisher, 2001.
Language
  French
"""


def test_ovid_medline_header_and_empty_record(tmp_path: Path) -> None:
    path = tmp_path / "ovid.txt"
    path.write_text(OVID_TEXT, encoding="utf-8")
    source = open_source(path)
    assert OVID.sniff(source.head(), source)
    good, bad = read_all(OVID, path)
    first, third = good
    assert first["line"] == 6
    assert first["pmid"] == "35319117" and first["source_key"] == "35319117"
    assert first["authors"] == ["Rotter C", "Whittaker D"]
    assert first["journal"] == "Journal of Veterinary Internal Medicine"
    assert first["pages"] == "1032-1038" and first["year"] == 2022
    assert third["journal"] == "Some book. Publisher, 2001"  # no usual shape: kept whole
    assert third["language"] == "French"
    (empty,) = bad
    assert isinstance(empty, RejectedEntry) and empty.line == 21 and empty.raw == "<2>"
    entries = list(OVID.read(source))
    assert len(entries) == 3
    assert any("before the first Ovid record" in w for w in source.warnings)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Ecohydrology.   8(6):1048-1064, September 2015.",
            ("Ecohydrology", "8", "6", "1048-1064", "2015"),
        ),
        (
            "The Veterinary clinics of North America. Small animal practice. 42(6):1137-42, 2012.",
            (
                "The Veterinary clinics of North America. Small animal practice",
                "42",
                "6",
                "1137-42",
                "2012",
            ),
        ),
        (
            "Clinical Psychology & Psychotherapy. Vol 26(6) Nov-Dec 2019, 686-695.",
            ("Clinical Psychology & Psychotherapy", "26", "6", "686-695", "2019"),
        ),
        (
            "Journal of X. 45 (3) (pp 123-130), 2010.",
            ("Journal of X", "45", "3", "123-130", "2010"),
        ),
    ],
)
def test_parse_source(source: str, expected: tuple[str, ...]) -> None:
    got = parse_source(source)
    assert (got["journal"], got["volume"], got["issue"], got["pages"], got["year"]) == expected
