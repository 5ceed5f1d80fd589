"""Readers of spreadsheets: generic CSV/TSV, Scopus CSV, WoS tab-delimited and XLSX."""

from __future__ import annotations

import csv
import io
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.errors import ImportFormatError
from review.readers.base import ParsedEntry, Reader, RejectedEntry
from review.readers.source import open_source
from review.readers.tabular import (
    ScopusCsvReader,
    TabularReader,
    WosTabReader,
    split_authors,
    type_code,
)
from review.readers.xlsx import XlsxReader
from tests.conftest import shared_file
from tests.readers.util import read_all

# Detection order of the registry, restricted to this module's readers.
READERS: list[Reader] = [XlsxReader(), WosTabReader(), ScopusCsvReader(), TabularReader()]

SHARED_FILES = {
    "formats/tabular/asreview/generic.csv": "tabular",
    "formats/tabular/asreview/generic_semicolon.csv": "tabular",
    "formats/tabular/asreview/generic_tab.tsv": "tabular",
    "formats/tabular/asreview/embase.csv": "tabular",
    "formats/tabular/asreview/duplicate_records.csv": "tabular",
    "formats/tabular/asysd/zotero_export.csv": "tabular",
    "formats/scopus_csv/bibliometrix/scopus_sample.csv": "scopus-csv",
}


def detect(path: Path) -> Reader:
    source = open_source(path)
    head = source.head()
    return next(r for r in READERS if r.sniff(head, source))


def entries(reader: Reader, path: Path) -> list[ParsedEntry | RejectedEntry]:
    return list(reader.read(open_source(path)))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


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


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.append([])  # the header is the first non-empty row
    sheet.append(["Title", "Authors", "Publication Year", "DOI", "Abstract", "label_included"])
    sheet.append(
        ["Über Ärzte in 東京: eine Studie", "Müller, J; Øster, K", 2019, "NA", "Résumé", 1]
    )
    sheet.append([])
    sheet.append(["Second", "Doe, A", 2020.0, "https://doi.org/10.1000/XYZ", None, 0])
    for i in range(200):  # enough rows that half the file is not a whole archive
        sheet.append([f"Filler title {i}", "Roe, B", 2000 + i % 20, "", "text " * 20, 0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx_bytes())
    source = open_source(path)
    assert source.is_zip
    assert XlsxReader().sniff(source.head(), source)
    assert not TabularReader().sniff(source.head(), source)
    found = entries(XlsxReader(), path)
    assert len(found) == 202
    first, second = found[0], found[1]
    assert isinstance(first, ParsedEntry) and isinstance(second, ParsedEntry)
    assert first.line == 3 and second.line == 5  # spreadsheet rows; the empty row is skipped
    assert first.fields["title"] == "Über Ärzte in 東京: eine Studie"
    assert first.fields["authors"] == ["Müller, J", "Øster, K"]
    assert first.fields["year"] == "2019"
    assert first.fields["label_included"] == "1"
    assert first.raw == "Über Ärzte in 東京: eine Studie\tMüller, J; Øster, K\t2019\tNA\tRésumé\t1"
    good, _ = read_all(XlsxReader(), path)
    assert good[0]["doi"] == ""  # "NA"
    assert good[1]["doi"] == "10.1000/xyz"
    assert good[1]["year"] == 2020  # written as 2020.0


def test_xlsx_with_another_extension(tmp_path: Path) -> None:
    path = tmp_path / "references.download"
    path.write_bytes(xlsx_bytes())
    assert len(entries(XlsxReader(), path)) == 202


def test_truncated_xlsx_is_refused_naming_the_file(tmp_path: Path) -> None:
    data = xlsx_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    source = open_source(path)
    assert XlsxReader().sniff(source.head(), source)  # claimed, so the error says why
    with pytest.raises(ImportFormatError) as err:
        list(XlsxReader().read(source))
    assert str(path) in str(err.value)
    assert "truncated" in str(err.value)
    assert err.value.__cause__ is not None


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "refs.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("refs.ris", "TY  - JOUR\nER  - \n")
    source = open_source(path)
    assert not XlsxReader().sniff(source.head(), source)
    with pytest.raises(ImportFormatError) as err:
        list(XlsxReader().read(source))
    assert str(path) in str(err.value)
    assert "xl/workbook.xml" in str(err.value)


# --- Web of Science tab-delimited ----------------------------------------------------------

WOS_HEADER = (
    "PT AU BA BE GP AF BF CA TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 C3 RP EM RI OI FU FP "
    "FX CR NR TC Z9 U1 U2 PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI DL D2 EA "
    "PG WC WE SC GA PM OA HC HP DA UT"
)
WOS_TAGS = WOS_HEADER.split()
WOS_RECORDS = [
    {
        "PT": "J",
        "AU": "Wang, X; Li, Y",
        "AF": "Wang, Xiaoming; Li, Yan",
        "TI": 'A "real-world" cohort of SGLT2 inhibitor users',
        "SO": "DIABETES RESEARCH AND CLINICAL PRACTICE",
        "LA": "English",
        "DT": "Article",
        "DE": "SGLT2 inhibitors; cohort; real-world evidence",
        "ID": "TYPE-2 DIABETES; RISK",
        "AB": "Background: we followed 1,024 adults; results were consistent.",
        "SN": "0168-8227",
        "EI": "1872-8227",
        "PD": "MAY",
        "PY": "2021",
        "VL": "175",
        "AR": "108801",
        "DI": "10.1016/j.diabres.2021.108801",
        "PM": "33845051",
        "UT": "WOS:000652589900010",
    },
    {
        "PT": "B",
        "AU": "Müller, K",
        "TI": "Screening at scale",
        "SO": "PROCEEDINGS OF THE WORKSHOP ON EVIDENCE SYNTHESIS",
        "LA": "German",
        "DT": "Proceedings Paper",
        "BN": "978-3-030-12345-6",
        "PY": "2019",
        "BP": "12",
        "EP": "19",
        "UT": "WOS:000470000000002",
    },
]


def wos_text() -> str:
    lines = ["\t".join(WOS_TAGS)]
    for record in WOS_RECORDS:
        lines.append("\t".join(record.get(t, "") for t in WOS_TAGS) + "\t")  # WoS ends with a tab
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])  # utf-16 writes a BOM
def test_wos_tab_delimited(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "savedrecs.txt", wos_text(), encoding)
    assert detect(path).name == "wos-tab"
    found = entries(WosTabReader(), path)
    assert all(isinstance(e, ParsedEntry) and not e.warnings for e in found)
    assert [e.line for e in found] == [2, 3]
    good, _ = read_all(WosTabReader(), path)
    first, second = good
    assert first["title"] == 'A "real-world" cohort of SGLT2 inhibitor users'  # quotes kept
    assert first["authors"] == ["Wang, Xiaoming", "Li, Yan"]  # AF before AU
    assert first["journal"] == "DIABETES RESEARCH AND CLINICAL PRACTICE"
    assert first["keywords"] == [
        "SGLT2 inhibitors",
        "cohort",
        "real-world evidence",
        "TYPE-2 DIABETES",
        "RISK",
    ]
    assert first["source_key"] == "WOS:000652589900010"
    assert (first["year"], first["volume"], first["pages"]) == (2021, "175", "108801")
    assert (first["doi"], first["pmid"], first["issn"]) == (
        "10.1016/j.diabres.2021.108801",
        "33845051",
        "0168-8227",
    )
    assert first["type"] == "JOUR"
    assert first["abstract"] == "Background: we followed 1,024 adults; results were consistent."
    assert second["authors"] == ["Müller, K"]  # no AF: AU
    assert (second["pages"], second["type"]) == ("12-19", "CPAPER")
    assert second["isbn"] == "978-3-030-12345-6"
    assert second["language"] == "German"


def test_wos_sniff_needs_tags(tmp_path: Path) -> None:
    wos = open_source(write(tmp_path / "w.txt", wos_text()))
    csv_file = open_source(write(tmp_path / "c.csv", "title,abstract\nA,B\n"))
    assert WosTabReader().sniff(wos.head(), wos)
    assert not WosTabReader().sniff(csv_file.head(), csv_file)
    assert not ScopusCsvReader().sniff(wos.head(), wos)


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


def test_generic_sniff() -> None:
    reader = TabularReader()
    source = open_source(shared_file("formats/tabular/asreview/generic_tab.tsv"))
    assert reader.sniff(source.head(), source)
    ris = "TY  - JOUR\nTI  - A title, with a comma\nER  - \n"
    assert not reader.sniff(ris, source)
    assert not reader.sniff("study,dataset,n_records\n1,2,3\n", source)  # no title column
    assert reader.sniff("\ufeffArticle Title;Authors\nA;B\n", source)


# --- damaged text files --------------------------------------------------------------------


def test_ragged_rows(tmp_path: Path) -> None:
    text = (
        "id,title,abstract,year\n"
        "1,Too many,abs,2020,extra\n"
        "2,Too few\n"
        ",,\n"
        "3\n"
        "4,Trailing empties,abs,2021,,\n"
        "5,Fine,abs,2022\n"
    )
    path = write(tmp_path / "ragged.csv", text)
    found = entries(TabularReader(), path)
    assert [type(e).__name__ for e in found] == [
        "ParsedEntry",
        "ParsedEntry",
        "RejectedEntry",
        "ParsedEntry",
        "ParsedEntry",
    ]
    many, few, rejected, trailing, fine = found
    assert isinstance(many, ParsedEntry) and "5 cells but the header has 4" in many.warnings[0]
    assert isinstance(few, ParsedEntry) and "2 cells" in few.warnings[0]
    assert few.fields["title"] == "Too few" and few.fields["abstract"] == ""
    assert isinstance(rejected, RejectedEntry) and "no title" in rejected.reason
    assert (rejected.line, rejected.raw) == (5, "3")
    assert isinstance(trailing, ParsedEntry) and not trailing.warnings
    assert isinstance(fine, ParsedEntry) and fine.line == 7 and not fine.warnings


def test_unterminated_quote_rejects_the_rest_verbatim(tmp_path: Path) -> None:
    lines = [
        "title,abstract,year",
        'First,"multi-line,\nabstract",2020',
        "Second,plain,2021",
        "",
        '"Broken title,abstract,2022',
        "Fourth,plain,2023",
        "Fifth,plain,2024",
    ]
    path = write(tmp_path / "broken.csv", "\n".join(lines) + "\n")
    found = entries(TabularReader(), path)
    assert [type(e).__name__ for e in found] == ["ParsedEntry", "ParsedEntry", "RejectedEntry"]
    first, second, rejected = found
    assert isinstance(first, ParsedEntry) and isinstance(second, ParsedEntry)
    assert isinstance(rejected, RejectedEntry)
    assert first.line == 2 and first.fields["abstract"] == "multi-line,\nabstract"
    assert second.line == 4 and second.fields["title"] == "Second"
    assert rejected.line == 6
    assert rejected.raw == "\n".join(lines[4:])
    assert "unterminated quote" in rejected.reason and "line 6" in rejected.reason


def test_stray_quote_rejects_only_its_row(tmp_path: Path) -> None:
    text = 'title,year\nGood,2020\n"Bad" title,2021\nAfter,2022\n'
    path = write(tmp_path / "stray.csv", text)
    found = entries(TabularReader(), path)
    assert [type(e).__name__ for e in found] == ["ParsedEntry", "RejectedEntry", "ParsedEntry"]
    assert found[1].line == 3 and found[1].raw == '"Bad" title,2021'
    assert isinstance(found[2], ParsedEntry) and found[2].fields["title"] == "After"


def test_header_without_title_column_warns_once(tmp_path: Path) -> None:
    source = open_source(write(tmp_path / "notitle.csv", "name,year\nA,2020\nB,2021\n"))
    found = list(TabularReader().read(source))
    assert len(found) == 2
    assert [w for w in source.warnings if "no title column" in w] == source.warnings[:1]
    assert "not mapped" in source.warnings[1] and source.warnings[1].endswith(": name")


def test_blank_lines_before_header_and_between_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.csv", "\n\ntitle;year\n\nA;2020\n  \nB;2021\n")
    found = entries(TabularReader(), path)
    assert [(e.line, e.raw) for e in found] == [(5, "A;2020"), (7, "B;2021")]


def test_large_file_is_streamed(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["record_id", "title", "abstract", "year"])
        for i in range(20000):
            out.writerow([i, f"Title {i}", f'An "abstract", over\ntwo lines {i}', 2000 + i % 20])
    source = open_source(path)
    tracemalloc.start()
    try:
        count = 0
        last = None
        for e in TabularReader().read(source):
            count += 1
            last = e
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20000
    assert isinstance(last, ParsedEntry) and last.line == 2 * 19999 + 2
    assert peak < path.stat().st_size / 4  # the file is never held whole


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
