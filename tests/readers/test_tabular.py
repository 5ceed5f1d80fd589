"""Delimited exports (generic CSV/TSV, Scopus CSV): the shared files, header variants, value
splitting and a csv.writer round trip. XLSX, WoS tab-delimited and damaged files have their own
modules."""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.readers.base import ParsedEntry, RejectedEntry
from review.readers.source import open_source
from review.readers.tabular import ScopusCsvReader, TabularReader, split_authors, type_code
from tests.conftest import shared_file
from tests.readers.util import detect, entries, read_all, write

SHARED_FILES = {
    "formats/tabular/asreview/generic.csv": "tabular",
    "formats/tabular/asreview/generic_semicolon.csv": "tabular",
    "formats/tabular/asreview/generic_tab.tsv": "tabular",
    "formats/tabular/asreview/embase.csv": "tabular",
    "formats/tabular/asreview/duplicate_records.csv": "tabular",
    "formats/tabular/asysd/zotero_export.csv": "tabular",
    "formats/scopus_csv/bibliometrix/scopus_sample.csv": "scopus-csv",
}


def manifest_counts() -> dict[str, int]:
    with open(shared_file("formats/MANIFEST.csv"), newline="", encoding="utf-8") as f:
        return {row["file"]: int(row["record_count"]) for row in csv.DictReader(f)}


def assert_rows_cover_file(path: Path, found: list[ParsedEntry | RejectedEntry]) -> None:
    """Header plus every entry's raw text is the whole file, and each entry starts on the line
    after the previous one: nothing is lost, duplicated or misnumbered."""
    text = open_source(path).read_text().rstrip("\n")
    header = text.split("\n", 1)[0]
    assert "\n".join([header] + [e.raw for e in found]) == text
    line = 2
    for e in found:
        assert e.line == line
        line += e.raw.count("\n") + 1


# --- the shared export files ---------------------------------------------------------------


def test_every_tabular_and_scopus_file_of_the_manifest_is_covered() -> None:
    listed = {f for f in manifest_counts() if f.startswith(("tabular/", "scopus_csv/"))}
    assert listed == {f.removeprefix("formats/") for f in SHARED_FILES}


@pytest.mark.parametrize("rel", sorted(SHARED_FILES))
def test_shared_file_is_detected_and_counts_match_manifest(rel: str) -> None:
    path = shared_file(rel)
    reader = detect(path)
    assert reader.name == SHARED_FILES[rel]
    found = entries(reader, path)
    good = [e for e in found if isinstance(e, ParsedEntry)]
    assert len(found) == manifest_counts()[rel.removeprefix("formats/")]
    assert len(good) == len(found)  # none of these files is malformed
    assert_rows_cover_file(path, found)


@pytest.mark.parametrize(
    "rel",
    [
        "formats/tabular/asreview/generic.csv",
        "formats/tabular/asreview/generic_semicolon.csv",
        "formats/tabular/asreview/generic_tab.tsv",
    ],
)
def test_asreview_generic_files_in_three_delimiters(rel: str) -> None:
    good, bad = read_all(TabularReader(), shared_file(rel))
    assert not bad
    first = good[0]
    assert first["title"] == "Title of reference"
    assert first["authors"] == ["Marx, Karl", "Lindgren, Astrid"]  # list-valued cell
    assert first["keywords"] == ["Pippi", "Nordwind", "Piraten"]
    assert first["year"] == 2014  # written "2014//"
    assert first["abstract"].startswith("BACKGROUND: Lorem ipsum dolor sit amet, consectetuer")
    assert first["issn"] == "1932-6208"
    assert (first["volume"], first["issue"], first["pages"]) == ("9", "3", "e0815")
    assert first["type"] == "JOUR"
    assert first["source_key"] == "12345"
    assert first["url"] == "http://example_url.com"
    assert good[1]["abstract"].startswith("BACKGROUND: Lorem dammed ipsum")


def test_embase_csv() -> None:
    good, _ = read_all(TabularReader(), shared_file("formats/tabular/asreview/embase.csv"))
    second = good[1]
    assert second["title"].startswith("Endoscopic ultrasound-guided fine-needle aspiration")
    assert second["authors"] == [
        "Eloubeidi M.A.",
        "Cohn M.",
        "Cerfolio R.J.",
        "Chhieng D.C.",
        "Jhala N.",
        "Jhala D.",
        "Eltoum I.A.",
    ]
    # "Source" holds "Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004"
    assert second["journal"] == "Cancer"
    assert (second["year"], second["volume"], second["issue"]) == (2004, "102", "4")
    assert second["pages"] == "253-258"
    assert second["abstract"].startswith("BACKGROUND. The management of foregut duplication")
    assert "bronchogenic duplication cyst (diagnosis, surgery)" in good[0]["keywords"]


def test_zotero_csv_with_bom() -> None:
    good, _ = read_all(TabularReader(), shared_file("formats/tabular/asysd/zotero_export.csv"))
    second = good[1]
    assert second["source_key"] == "RUEH8DBA"
    assert second["title"] == "Primary secretory otitis media in Cavalier King Charles spaniels."
    assert second["authors"] == ["Cole, Lynette K."]
    assert second["year"] == 2012
    assert second["journal"] == "The Veterinary clinics of North America. Small animal practice"
    assert second["doi"] == "10.1016/j.cvsm.2012.08.002"
    assert (second["volume"], second["issue"], second["pages"]) == ("42", "6", "1137-1142")
    assert second["abstract"].startswith("Primary secretory otitis media (PSOM) is a disease")
    assert good[0]["authors"] == ["Rotter, Carina", "Whittaker, Danielle", "Rusbridge, Clare"]
    assert good[0]["language"] == "eng"
    assert {g["type"] for g in good} == {"JOUR"}  # "journalArticle"


def test_asreview_duplicate_records_keeps_rows_without_title() -> None:
    path = shared_file("formats/tabular/asreview/duplicate_records.csv")
    good, bad = read_all(TabularReader(), path)
    assert not bad
    assert [g["title"] for g in good[:3]] == ["a", "a", "b"]
    assert [g["title"] for g in good[-4:]] == ["", "", "", ""]  # blank and whitespace-only
    assert good[-1]["raw"] == "   ;   ;10.7;lorem"
    assert good[-1]["line"] == 15


def test_scopus_csv() -> None:
    path = shared_file("formats/scopus_csv/bibliometrix/scopus_sample.csv")
    good, _ = read_all(ScopusCsvReader(), path)
    second = good[1]
    assert second["authors"][:3] == ["Owusu P.", "Amoako P.T.", "Asiamah R."]
    assert second["title"].startswith("Bibliometric mapping of the contribution of African")
    assert second["year"] == 2026
    assert second["journal"] == "Clinical and Experimental Optometry"
    assert (second["volume"], second["issue"], second["pages"]) == ("109", "2", "307-319")
    assert second["doi"] == "10.1080/08164622.2025.2601299"
    assert second["pmid"] == "41494690"
    assert second["source_key"] == "2-s2.0-105026875241"
    assert second["abstract"].startswith("Clinical relevance: The theoretical basis")
    assert second["keywords"][:2] == ["African optometry", "bibliometrics"]
    assert "Journal Impact Factor" in second["keywords"]  # from Index Keywords
    assert second["type"] == "JOUR"
    assert good[2]["pages"] == "e46688"
    assert good[2]["journal"] == "Medicine (United States)"


def test_synergy_csv_passes_labels_through() -> None:
    path = shared_file("corpora/synergy/Donners_2021.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    found = entries(detect(path), path)
    assert all(isinstance(e, ParsedEntry) for e in found)
    good = [e for e in found if isinstance(e, ParsedEntry)]
    assert len(good) == len(rows)
    assert [e.fields["label_included"] for e in good] == [r["label_included"] for r in rows]
    assert Counter(e.fields["label_included"] for e in good)["1"] > 0
    assert good[0].fields["title"] == rows[0]["title"]
    assert good[0].fields["authors"] == [a.strip() for a in rows[0]["authors"].split(";")]
    assert good[0].source_key.startswith("https://openalex.org/W")  # openalex_id is the key
    assert_rows_cover_file(path, found)


def test_asysd_dedup_set_na_means_missing() -> None:
    path = shared_file("dedup/asysd_diabetes.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    good, bad = read_all(detect(path), path)
    assert not bad
    assert len(good) == len(rows) == 1845
    na = [g for g, r in zip(good, rows, strict=True) if r["doi"] == "NA"]
    assert len(na) == 492
    assert all(g["doi"] == "" for g in na)
    assert good[0]["doi"] == "10.1097/mol.0b013e3282ffaf82"
    assert good[0]["source_key"] == "1"
    assert good[0]["authors"] == ["Adeli K.", "Lewis G. F."]  # glued in the source
    assert good[0]["journal"] == "Curr Opin Lipidol"


# --- Scopus variants -----------------------------------------------------------------------


def test_scopus_header_with_bom_and_no_break_space_and_old_author_style(tmp_path: Path) -> None:
    text = (
        "\ufeffAuthors,Title,Year,Source\xa0title,Volume,Issue,Art. No.,Page start,Page end,"
        "DOI,Link,Abstract,Author Keywords,Index Keywords,Document Type,EID\n"
        '"Smith J., Doe A.B.","An old export",2009,"J Test",4,1,"e123",,,'
        '10.1/abc,"https://www.scopus.com/x","[No abstract available]",,"Humans; Adult",'
        '"Conference Paper","2-s2.0-1"\n'
    )
    path = write(tmp_path / "scopus.csv", text, "utf-8-sig")
    assert detect(path).name == "scopus-csv"
    good, bad = read_all(ScopusCsvReader(), path)
    assert not bad
    (row,) = good
    assert row["authors"] == ["Smith J.", "Doe A.B."]
    assert row["journal"] == "J Test"
    assert row["pages"] == "e123"  # Art. No. when there are no page numbers
    assert row["abstract"] == ""
    assert row["keywords"] == ["Humans", "Adult"]
    assert row["type"] == "CPAPER"
    assert row["source_key"] == "2-s2.0-1"


def test_scopus_author_full_names_without_author_ids(tmp_path: Path) -> None:
    # Scopus writes each full name with its Scopus Author ID: "Hart, Amelia (57190000001)";
    # the id is not part of the name (it would show in exports and in the dedup's name words).
    text = (
        "Author full names,Title,Year,Source title,DOI,Link,EID\n"
        '"Hart, Amelia (57190000001); de la Cruz, José M. (57190000002)",A title,2019,'
        'J Test,10.1000/abc,"https://www.scopus.com/x","2-s2.0-1"\n'
    )
    path = write(tmp_path / "scopus.csv", text)
    assert detect(path).name == "scopus-csv"
    (row,), bad = read_all(ScopusCsvReader(), path)
    assert not bad
    assert row["authors"] == ["Hart, Amelia", "de la Cruz, José M."]


def test_zotero_extra_holds_the_pmid() -> None:
    # Zotero keeps the PubMed id in "Extra" ("PMID: 35319117  PMCID: PMC9151451"); every
    # record of the shared Zotero export has one, and the dedup matches on it.
    good, _ = read_all(TabularReader(), shared_file("formats/tabular/asysd/zotero_export.csv"))
    assert good[0]["pmid"] == "35319117"
    assert good[1]["pmid"] == "23122173"
    assert all(g["pmid"] for g in good)


@pytest.mark.parametrize(
    ("extra", "pmid", "doi"),
    [
        ("PMID: 30412345", "30412345", "10.1111/jan.13901"),
        ("Place: England\nPMID: 516334\nPMCID: PMC1", "516334", "10.1111/jan.13901"),
        ("tex.pmid: 123\nDOI: 10.2000/other", "", "10.1111/jan.13901"),  # the column wins
        ("Cited by 4; not an id: PMID 12", "", "10.1111/jan.13901"),
        ("", "", "10.1111/jan.13901"),
    ],
)
def test_zotero_extra_lines(tmp_path: Path, extra: str, pmid: str, doi: str) -> None:
    text = (
        '"Key","Item Type","Title","DOI","Extra"\n'
        f'"K1","journalArticle","A title","10.1111/jan.13901","{extra}"\n'
    )
    (row,), bad = read_all(TabularReader(), write(tmp_path / "zotero.csv", text))
    assert not bad
    assert (row["pmid"], row["doi"]) == (pmid, doi)


def test_zotero_extra_gives_the_doi_when_the_item_type_has_no_doi_field(tmp_path: Path) -> None:
    # Zotero has no DOI field for some item types (book sections, reports...) and keeps
    # it in Extra instead.
    text = (
        '"Key","Item Type","Title","DOI","Extra"\n'
        '"K1","bookSection","A chapter","","DOI: 10.5555/ch.1"\n'
    )
    (row,), _ = read_all(TabularReader(), write(tmp_path / "zotero.csv", text))
    assert row["doi"] == "10.5555/ch.1"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_web_of_science_field_tags_as_header_in_any_table(tmp_path: Path, delimiter: str) -> None:
    # WoS's tab-delimited export opened in a spreadsheet and saved as CSV: a header of field
    # tags (PT AU ... UT) is read by the WoS columns, not only TI/AB/AU/PY.
    header = ["PT", "AU", "AF", "TI", "SO", "DE", "ID", "AB", "PY", "VL", "IS", "BP", "EP", "AR"]
    header += ["DI", "PM", "SN", "UT"]
    row = ["J", "Hart, A; Mensah, K", "Hart, Amelia; Mensah, Kwame", "A title", "J ADV NURS"]
    row += ["mindfulness; burnout", "NURSES", "An abstract", "2019", "75", "3", "512", "524", ""]
    row += ["10.1111/jan.13901", "30412345", "0309-2402", "WOS:000458000000001"]
    path = tmp_path / "wos.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows([header, row])
    source = open_source(path)
    reader = detect(path)
    (g,), bad = read_all(reader, path)
    assert not bad
    assert len(list(reader.read(source))) == 1
    assert not [w for w in source.warnings if "not mapped" in w]
    assert g["source_key"] == "WOS:000458000000001"
    assert g["authors"] == ["Hart, Amelia", "Mensah, Kwame"]
    assert (g["title"], g["journal"], g["year"]) == ("A title", "J ADV NURS", 2019)
    assert (g["volume"], g["issue"], g["pages"]) == ("75", "3", "512-524")
    assert (g["doi"], g["pmid"], g["issn"]) == ("10.1111/jan.13901", "30412345", "0309-2402")
    assert g["keywords"] == ["mindfulness", "burnout", "NURSES"]


def test_embase_csv_identifiers_pages_and_language(tmp_path: Path) -> None:
    # Embase's CSV: "Medline PMID", "PUI" (Embase's id), "First Page"/"Last Page",
    # "Language of Article".
    text = (
        "Title,Author Names,Source title,Publication Year,Volume,Issue,First Page,Last Page,"
        "ISSN,DOI,PUI,Medline PMID,Language of Article\n"
        '"An Embase title","Hart A., Mensah K.","Journal of Advanced Nursing",2019,75,3,512,'
        "524,03092402,10.1111/jan.13901,2001234567,30412345,English\n"
    )
    (row,), bad = read_all(TabularReader(), write(tmp_path / "embase.csv", text))
    assert not bad
    assert (row["pmid"], row["source_key"], row["pages"]) == ("30412345", "2001234567", "512-524")
    assert row["language"] == "English"


def test_generic_sniff() -> None:
    reader = TabularReader()
    source = open_source(shared_file("formats/tabular/asreview/generic_tab.tsv"))
    assert reader.sniff(source.head(), source)
    ris = "TY  - JOUR\nTI  - A title, with a comma\nER  - \n"
    assert not reader.sniff(ris, source)
    assert not reader.sniff("study,dataset,n_records\n1,2,3\n", source)  # no title column
    assert reader.sniff("\ufeffArticle Title;Authors\nA;B\n", source)


# --- value splitting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "authors"),
    [
        ("Smith, J; Doe, A", ["Smith, J", "Doe, A"]),
        ("['Marx, Karl', 'Engels, F']", ["Marx, Karl", "Engels, F"]),
        ("Liu R., Adler D.G.", ["Liu R.", "Adler D.G."]),
        ("Zuna, R E and Wang, S S", ["Zuna, R E", "Wang, S S"]),
        ("Adeli K.Lewis G. F.", ["Adeli K.", "Lewis G. F."]),
        ("Marx, Karl", ["Marx, Karl"]),
        ("World Health Organization", ["World Health Organization"]),
        ("Hart, Amelia (57190000001); Doe, J (57190000002)", ["Hart, Amelia", "Doe, J"]),
        ("[No author name available]", []),
        ("", []),
    ],
)
def test_split_authors(cell: str, authors: list[str]) -> None:
    assert split_authors(cell) == authors


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("journalArticle", "JOUR"),
        ("journal-article", "JOUR"),
        ("Article; Early Access", "JOUR"),
        ("Article; Proceedings Paper", "CPAPER"),
        ("Book Chapter", "CHAP"),
        ("book-chapter", "CHAP"),
        ("Conference Paper", "CPAPER"),
        ("JOUR", "JOUR"),
        ("report", "RPRT"),
        ("dissertation", "THES"),
        ("Something else", "GEN"),
        ("", ""),
    ],
)
def test_type_code(value: str, code: str) -> None:
    assert type_code(value) == code


# --- property: anything csv.writer writes comes back -----------------------------------------

# No control characters, surrogates or U+FFFD: open_source takes those for binary content.
printable = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd")
cell_text = st.text(printable | st.sampled_from(list(",;\"'\n\t []")), max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_writer_round_trip(rows: list[tuple[str, str]], delimiter: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, delimiter=delimiter)
            out.writerow(["record_id", "title", "abstract"])
            out.writerows([i, title, abstract] for i, (title, abstract) in enumerate(rows))
        found = [e for e in entries(TabularReader(), path) if isinstance(e, ParsedEntry)]
    assert len(found) == len(rows) and not any(e.warnings for e in found)
    blank_is_empty = [tuple(v if v.strip() else "" for v in row) for row in rows]
    assert [(e.fields["title"], e.fields["abstract"]) for e in found] == blank_is_empty
    assert [e.source_key for e in found] == [str(i) for i in range(len(rows))]
