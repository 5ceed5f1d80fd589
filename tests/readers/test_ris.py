"""RIS reader: every dialect in ../shared/formats/ris, broken records, and a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.exports import to_string, write_records_ris
from review.readers.ris import RisReader, split_tag
from review.readers.source import open_source
from tests.conftest import shared_file
from tests.readers.util import manifest_params, read_all, read_text

READER = RisReader()


@pytest.mark.parametrize(("rel", "count"), manifest_params("ris"))
def test_every_shared_ris_file_adds_up(rel: str, count: int) -> None:
    good, bad = read_all(READER, shared_file(f"formats/{rel}"))
    assert len(good) + len(bad) == count
    expected_bad = 1 if "Corrupted" in rel else 0
    assert len(bad) == expected_bad


def test_scopus_dialect_fields() -> None:
    good, _ = read_all(READER, shared_file("formats/ris/asysd/scopus.ris"))
    first = good[0]
    assert first["title"].startswith("Development and Validation of a Robust")
    assert first["authors"][:2] == ["Furlanello, T.", "Masti, R."]
    assert first["year"] == 2025
    assert first["journal"] == "Animals"
    assert first["doi"] == "10.3390/ani15010003"
    assert first["abstract"].startswith("Several studies have highlighted")
    assert first["type"] == "JOUR"


@pytest.mark.parametrize(
    ("rel", "article_numbers"),
    [
        ("ris/asysd/scopus.ris", ["3", "e70655", "6406", "101129", "3703", "1162", "106241"]),
        ("ris/asysd/wos_test.ris", ["14", "319"]),
        ("ris/asysd/ris_export.txt", ["120", "18"]),
        ("ris/asreview/web_of_science.txt", ["1175856"]),
    ],
)
def test_article_number_in_c7_stands_for_the_pages(rel: str, article_numbers: list[str]) -> None:
    # The RIS specification's C7 is a journal article's Article Number; Scopus, WoS and
    # EndNote write it (and no SP/EP) for articles without page numbers, as the CSV
    # exports put it in "Art. No." / AR, which litsift reads as the pages.
    good, _ = read_all(READER, shared_file(f"formats/{rel}"))
    assert [g["pages"] for g in good if "\nC7  - " in g["raw"]] == article_numbers


def test_c7_does_not_replace_page_numbers_or_mean_article_number_elsewhere(
    tmp_path: Path,
) -> None:
    text = (
        "TY  - JOUR\nTI  - Has pages\nSP  - 45\nEP  - 67\nC7  - e12\nER  - \n\n"
        "TY  - BOOK\nTI  - A book\nC7  - 2nd printing\nER  - \n"
    )
    good = read_text(READER, tmp_path / "c7.ris", text)
    assert [g["pages"] for g in good] == ["45-67", ""]


def test_endnote_dialect_with_bom_and_crlf() -> None:
    good, bad = read_all(READER, shared_file("formats/ris/asysd/ris_export.txt"))
    assert len(good) == 69 and not bad
    # the BOM is glued to the first TY: record 1 must not be lost
    assert good[0]["line"] == 1
    assert all("\r" not in g["raw"] for g in good)
    last = good[-1]
    assert last["authors"][:2] == ["Zheng, Hui", "Koo, Edward H."]
    assert last["doi"] == "10.1186/1750-1326-1-5"
    assert last["journal"] == "Molecular Neurodegeneration"


def test_ovid_dialect_numbers_and_links_are_skipped() -> None:
    path = shared_file("formats/ris/asreview/ovid_psycinfo.ris")
    source = open_source(path)
    entries = list(READER.read(source))
    assert len(entries) == 6
    first = entries[0]
    assert first.source_key == "2019-65183-001"
    assert "Link to the Ovid" not in first.raw
    assert any("outside any RIS record" in w for w in source.warnings)
    good, _ = read_all(READER, path)
    assert good[0]["doi"] == "10.1002/cpp.2398"  # from an http://dx.doi.org/ URL
    assert good[0]["year"] == 2019  # "2019//"
    assert good[0]["journal"] == "Clinical Psychology & Psychotherapy"
    assert good[0]["pages"] == ""  # Ovid's "SP - No / EP - Specified"
    assert good[0]["abstract"].startswith("Considering that self-criticism")


def test_wos_ris_with_bare_cr_lines() -> None:
    good, bad = read_all(READER, shared_file("formats/ris/asysd/wos_test.ris"))
    assert len(good) == 50 and not bad
    assert all(g["title"] for g in good)
    assert all(g["source_key"].startswith("WOS:") for g in good)


def test_untagged_keyword_lines_are_separate_keywords() -> None:
    good, _ = read_all(READER, shared_file("formats/ris/asreview/ris_issue_992.txt"))
    kws = good[-1]["keywords"]
    assert "alcoholism" in kws and "article" in kws
    assert all(len(k) < 120 for k in kws)


def test_zotero_pubmed_dialect() -> None:
    good, _ = read_all(READER, shared_file("formats/ris/asreview/pubmed_zotero.ris"))
    assert len(good) == 6
    assert all(g["doi"].startswith("10.") for g in good)
    assert good[-1]["journal"] == "Medicine"


def test_endnote_export_of_pubmed_records_keeps_the_pmid() -> None:
    # EndNote's RIS of records from PubMed gives the PMID as the accession number with the
    # database provider "NLM" (the National Library of Medicine runs PubMed).
    good, _ = read_all(READER, shared_file("formats/ris/asreview/pubmed_endnote.txt"))
    assert good[0]["pmid"] == "21553931"
    assert all(g["pmid"] for g in good)
    good, _ = read_all(READER, shared_file("formats/ris/asysd/ris_export.txt"))
    nlm = [g for g in good if "\nDP  - NLM" in g["raw"]]
    assert len(nlm) == 13 and all(g["pmid"] and g["pmid"] in g["raw"] for g in nlm)
    scopus = [g for g in good if "\nDB  - Scopus" in g["raw"]]
    # a Scopus record's accession number is no PMID; its PubMed ID, if any, is its C2
    assert scopus and all(not g["pmid"] or f"\nC2  - {g['pmid']}\n" in g["raw"] for g in scopus)


def test_scopus_pubmed_id_in_c2_is_the_pmid() -> None:
    # Scopus RIS writes the PubMed ID as C2 (EndNote's C2 is a PMCID, "PMC4095696").
    good, _ = read_all(READER, shared_file("formats/ris/asysd/scopus.ris"))
    with_c2 = [g for g in good if "\nC2  - " in g["raw"]]
    assert len(with_c2) >= 3
    assert with_c2[0]["pmid"] == "39549413"
    assert all(g["pmid"] and f"\nC2  - {g['pmid']}\n" in g["raw"] for g in with_c2)
    assert not any(g["pmid"] for g in good if g not in with_c2)
    good, _ = read_all(READER, shared_file("formats/ris/asysd/ris_export.txt"))
    assert not any(g["pmid"].startswith("PMC") for g in good)


def test_cyrillic_abstract_continued_on_untagged_line() -> None:
    good, _ = read_all(READER, shared_file("formats/ris/rispy/example_utf_chars.ris"))
    (rec,) = good
    assert rec["abstract"].startswith("Состояние рецепторного")
    assert rec["abstract"].endswith("late reproductive period")
    assert rec["volume"] == "8"  # VO, not VL
    assert rec["type"] == "JOUR"  # "Journal Article"


def test_faulty_year_is_a_warning_not_an_error(tmp_path: Path) -> None:
    from review.fields import normalize_fields

    source = open_source(shared_file("formats/ris/asreview/faulty_year.ris"))
    (entry,) = list(READER.read(source))
    cols, warnings = normalize_fields(entry.fields)
    assert cols["year"] is None
    assert any("not a year" in w for w in warnings)


def _write(tmp_path: Path, text: str, name: str = "x.ris") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = "TY  - JOUR\nTI  - A good record {n}\nAU  - Smith, J\nPY  - 2020\nER  - \n\n"


def test_record_without_er_is_rejected_and_kept_verbatim(tmp_path: Path) -> None:
    broken = "TY  - JOUR\nTI  - Broken record\nAU  - Doe, A\n\n"
    text = GOOD.format(n=1) + broken + GOOD.format(n=2)
    good, bad = read_all(READER, _write(tmp_path, text))
    assert [g["title"] for g in good] == ["A good record 1", "A good record 2"]
    (b,) = bad
    assert b.line == 7
    assert "no ER end tag" in b.reason and "line 11" in b.reason
    assert b.raw == broken.strip()


def test_record_without_ty_is_rejected(tmp_path: Path) -> None:
    broken = "TI  - No type here\nAU  - Doe, A\nER  - \n"
    good, bad = read_all(READER, _write(tmp_path, GOOD.format(n=1) + broken))
    assert len(good) == 1
    (b,) = bad
    assert b.line == 7 and "no TY start tag" in b.reason
    assert b.raw == broken.strip("\n")


def test_truncated_file_rejects_the_cut_record(tmp_path: Path) -> None:
    text = GOOD.format(n=1) + "TY  - JOUR\nTI  - Cut off in the mid"
    good, bad = read_all(READER, _write(tmp_path, text))
    assert len(good) == 1
    assert len(bad) == 1 and "truncated" in bad[0].reason
    assert bad[0].raw.endswith("Cut off in the mid")


def test_split_tag() -> None:
    assert split_tag("AU  - Smith, J") == ("AU", "Smith, J")
    assert split_tag("ER  -") == ("ER", "")
    assert split_tag("ER  - ") == ("ER", "")
    assert split_tag("ER then second line") is None
    assert split_tag("Record #1 of 2") is None
    assert split_tag("1.") is None


_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s.lower() not in {"na", "n/a", "nan", "none", "null", "-"})
)  # "NA" etc. mean missing


@settings(max_examples=60, deadline=None)
@given(
    title=_text,
    authors=st.lists(_text.filter(lambda a: ";" not in a), min_size=1, max_size=4, unique=True),
    abstract=_text,
    year=st.integers(1900, 2030),
)
def test_ris_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    authors: list[str],
    abstract: str,
    year: int,
) -> None:
    rec = {
        "source_key": "k1",
        "title": title,
        "authors": authors,
        "year": year,
        "journal": "J",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "isbn": "",
        "issn": "",
        "url": "",
        "keywords": [],
        "language": "",
        "type": "JOUR",
        "abstract": abstract,
    }
    p = tmp_path_factory.mktemp("rt") / "r.ris"
    p.write_text(to_string(write_records_ris, [rec]), encoding="utf-8")
    good, bad = read_all(READER, p)
    assert not bad
    from review.normalize import clean_text

    (g,) = good
    assert g["title"] == clean_text(title)
    assert g["authors"] == [clean_text(a) for a in authors if clean_text(a)]
    assert g["abstract"] == clean_text(abstract)
    assert g["year"] == year


# citationchaser's RIS (nealhaddaway/citationchaser issue #28, and its vignettes/references.ris)
# puts every author on one AU line, separated by semicolons; a comma stays inside a name.
CITATIONCHASER = """TY  - JOUR
AU  - Dawson, L. E. R.; O'Kiely, Padraig; Moloney, A.P.
TI  - Grassland systems of red meat production
PY  - 2011
ER  -

TY  - JOUR
AU  - Skinner, R. Howard
A1  - Burger, Martin; Jackson, Louise E.;
TI  - One author per line
ER  -
"""


def test_semicolon_separated_authors_on_one_line(tmp_path: Path) -> None:
    first, second = read_text(READER, tmp_path / "citationchaser.ris", CITATIONCHASER)
    assert first["authors"] == ["Dawson, L. E. R.", "O'Kiely, Padraig", "Moloney, A.P."]
    assert second["authors"] == ["Skinner, R. Howard", "Burger, Martin", "Jackson, Louise E."]


def test_endnote_urls_on_continuation_lines_are_separate_urls() -> None:
    # EndNote writes a record's URLs under one UR tag, one per line (or joined by ", "): the
    # first is the url, not every URL joined together (which no browser opens).
    good, _ = read_all(READER, shared_file("formats/ris/asysd/ris_export.txt"))
    (games,) = [g for g in good if g["title"].startswith("Alzheimer-type neuropathology")]
    assert games["url"] == "https://www.ncbi.nlm.nih.gov/pubmed/7845465"
    assert all(g["url"].count("://") <= 1 for g in good)
    (buchanan,) = [g for g in good if g["line"] == 74]  # "UR  - https://..., internal-pdf://..."
    assert buchanan["url"] == "https://onlinelibrary.wiley.com/doi/abs/10.1002/ebm2.15"


def test_ebscohost_doi_in_l3() -> None:
    # EBSCOhost's RIS (Academic Search Premier) has no DO; the DOI is in L3.
    good, _ = read_all(READER, shared_file("formats/ris/synthesisr/ASP_ris_example.ris"))
    assert [g["doi"] for g in good] == [
        "10.1016/j.agee.2016.06.041",
        "",
        "",
        "10.11975/j.issn.1002-6819.2016.21.005",
    ]
