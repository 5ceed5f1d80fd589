"""Dialects nobody sent us, each in a file built for it (tests/data/dialects) from the
database's published export description: ERIC's .nbib, Ovid's tagged "EndNote" export, and
the CSVs of Lens, Scopus, WoS, Dimensions, OpenAlex, PubMed, EBSCO, ProQuest and Zotero."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import service
from review.db import Store
from review.errors import ImportFormatError
from review.importing import import_file
from review.readers.registry import detect_reader, get_reader
from review.readers.source import open_source
from tests.readers.util import read_all

DIALECTS = Path(__file__).resolve().parents[1] / "data" / "dialects"
TITLE = "Mindfulness training for nurses: a randomised trial"


def detected(path: Path) -> str:
    return detect_reader(open_source(path)).name


def test_eric_nbib_is_detected_and_read() -> None:
    path = DIALECTS / "eric.nbib"
    assert path.read_text().startswith("\nOWN - ERIC")  # the blank first line of ERIC's files
    assert detected(path) == "medline"
    good, bad = read_all(get_reader("eric"), path)
    assert bad == []
    assert [g["source_key"] for g in good] == ["EJ1298765", "ED612345", "EJ1345678"]
    article, report, second = good
    assert article["doi"] == "10.1111/1467-9817.12345"  # from AID as a URL
    assert second["doi"] == "10.1080/03043797.2022.2031234"  # http://dx.doi.org/ form
    assert (article["volume"], article["issue"], article["pages"]) == ("44", "2", "301-322")
    assert article["issn"] == "0141-0423" and second["issn"] == "0304-3797"
    assert article["type"] == "JOUR" and report["type"] == "RPRT"
    assert article["authors"] == ["Okafor, Ngozi A.", "Lindqvist, Per"]
    assert article["abstract"].endswith("Forty schools were randomised.")
    assert report["journal"] == "" and report["year"] == 2020
    assert "Rural Schools" in article["keywords"]


def test_eric_records_without_blank_lines_between_them(tmp_path: Path) -> None:
    text = (DIALECTS / "eric.nbib").read_text().replace("\n\nOWN", "\nOWN")
    path = tmp_path / "packed.nbib"
    path.write_text(text)
    good, bad = read_all(get_reader("medline"), path)
    assert len(good) == 3 and not bad


def test_ovid_endnote_export_is_detected_and_read() -> None:
    path = DIALECTS / "ovid_embase_endnote.txt"
    assert detected(path) == "ovid"
    good, bad = read_all(get_reader("ovid"), path)
    assert bad == []
    assert [g["source_key"] for g in good] == ["2014456789", "629876543", "2015123456"]
    trial, abstract, chapter = good
    assert trial["title"].startswith("Effect of early mobilisation")
    assert trial["authors"] == ["Lindgren M.", "Okoro C.U.", "van der Berg H."]
    assert (trial["journal"], trial["volume"], trial["issue"], trial["pages"]) == (
        "Journal of Bone and Joint Surgery - Series B",
        "96",
        "4",
        "512-519",
    )
    assert trial["year"] == 2014 and trial["issn"] == "0301-620X"
    assert trial["doi"] == "10.1302/0301-620x.96b4.32145"
    assert trial["pmid"] == "24692621"  # from PM; Embase's UI is not a PMID
    assert abstract["pmid"] == "" and abstract["type"] == "ABST"
    assert abstract["journal"] == "Osteoporosis International"
    assert trial["abstract"].endswith("240 patients were randomised.")  # indented continuation
    assert "Karolinska" not in " ".join(str(v) for v in trial.values() if v != trial["raw"])
    assert "Karolinska" in trial["raw"]  # the multi-line IN stays in the raw entry
    assert chapter["type"] == "CHAP" and chapter["isbn"] == "978-3-319-43248-3"


def test_ovid_tagged_without_record_headers_bom_and_crlf(tmp_path: Path) -> None:
    lines = (DIALECTS / "ovid_embase_endnote.txt").read_text().splitlines()
    text = "\r\n".join(x for x in lines if not x.startswith("<"))
    path = tmp_path / "bare.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert detected(path) == "ovid"
    good, bad = read_all(get_reader("ovid"), path)
    assert len(good) == 3 and not bad
    assert good[0]["authors"][0] == "Lindgren M."


@pytest.mark.parametrize(
    "name", ["eric.nbib", "ovid_embase_endnote.txt", "scopus.csv", "lens.csv", "dimensions.csv"]
)
def test_detection_past_bom_blank_lines_and_a_banner(tmp_path: Path, name: str) -> None:
    original = DIALECTS / name
    text = original.read_text()
    if not name.endswith(".csv"):  # a banner line some tools put before tagged records
        text = "Exported 29 Nov 2026 from the database\n" + text
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf\n\n" + text.encode())
    assert detected(path) == detected(original)
    good, bad = read_all(detect_reader(open_source(path)), path)
    assert good and not bad


def test_ris_sniffed_past_a_banner_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "banner.ris"
    path.write_text("Search results\nExported by a database\n\n\nTY - JOUR\nTI - A\nER -\n")
    assert detected(path) == "ris"


CSV_CASES = {
    # file: (detected format, source key, authors, fields not to lose)
    "lens.csv": ("tabular", "000-123-456-789-01X", ["Amelia Hart", "Kwame Mensah"]),
    "scopus.csv": ("scopus-csv", "2-s2.0-85060000001", ["Hart A.", "Mensah K."]),
    "wos_fullnames.txt": ("tabular", "WOS:000459000000001", ["Hart, A", "Mensah, K"]),
    "dimensions.csv": ("tabular", "pub.1112345678", ["Hart, Amelia", "Mensah, Kwame"]),
    "openalex.csv": (
        "tabular",
        "https://openalex.org/W2900000001",
        ["Amelia Hart", "Kwame Mensah"],
    ),
    "pubmed.csv": ("tabular", "", ["Hart A", "Mensah K."]),
    "ebsco.csv": ("tabular", "134567890", ["Hart, Amelia", "Mensah, Kwame"]),
    "proquest.csv": ("tabular", "2190000001", ["Hart, Amelia", "Mensah, Kwame"]),
    "zotero.csv": ("tabular", "ABCD1234", ["Hart, Amelia", "Mensah, Kwame"]),
}


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_every_major_database_csv_maps_its_columns(name: str) -> None:
    fmt, key, authors = CSV_CASES[name]
    path = DIALECTS / name
    assert detected(path) == fmt
    good, bad = read_all(get_reader(fmt), path)
    assert not bad
    record = good[0]
    assert record["source_key"] == key
    assert record["title"].rstrip(".") == TITLE
    assert record["authors"] == authors
    assert record["year"] == 2019
    assert record["doi"] == "10.1111/jan.13901"
    assert record["volume"] == "75" and record["issue"] == "3"
    assert record["pages"] in ("512-524", "512")  # EBSCO gives the first page only
    assert record["journal"].lower() in ("journal of advanced nursing", "j adv nurs")


@pytest.mark.parametrize(
    ("name", "unmapped"),
    [
        ("lens.csv", "Fields of Study"),
        ("scopus.csv", "Affiliations"),
        ("dimensions.csv", "Times cited"),
        ("openalex.csv", "cited_by_count"),
        ("pubmed.csv", "Create Date"),
        ("ebsco.csv", "Publisher"),
        ("proquest.csv", "databases"),
        ("zotero.csv", "Date Added"),
    ],
)
def test_unmapped_columns_are_reported_and_kept_in_the_raw_entry(name: str, unmapped: str) -> None:
    source = open_source(DIALECTS / name)
    reader = detect_reader(source)
    entries = list(reader.read(source))
    (warning,) = [w for w in source.warnings if "not mapped" in w]
    assert warning.startswith(name)
    names = warning.split("raw entry: ", 1)[1].split(", ")
    assert unmapped in names and not {"Title", "DOI", "Abstract", "title", "doi"} & set(names)
    assert all(e.raw for e in entries)


def test_authors_slash_s_column_is_read(tmp_path: Path) -> None:
    """The Lens report: a `Author/s` column used to be ignored without a word."""
    path = tmp_path / "lens-min.csv"
    path.write_text("Title,Author/s,Publication Year\nA study,Ann Lee; Bo Park,2020\n")
    good, _ = read_all(detect_reader(open_source(path)), path)
    assert good[0]["authors"] == ["Ann Lee", "Bo Park"]


def test_a_csv_without_a_title_column_says_so(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,year,doi\nA,2020,10.1/x\nB,2021,10.1/y\n")
    with pytest.raises(ImportFormatError) as e:
        detect_reader(open_source(path))
    message = str(e.value)
    assert "no title column" in message and "people.csv" in message
    assert "'name', 'year', 'doi'" in message and "no known format" not in message


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("eric.nbib", "ris"),
        ("ovid_embase_endnote.txt", "bibtex"),
        ("ovid_embase_endnote.txt", "ris"),
        ("scopus.csv", "medline"),
        ("lens.csv", "refer"),
    ],
)
def test_a_forced_wrong_format_is_refused_and_writes_nothing(
    store: Store, name: str, wrong: str
) -> None:
    with pytest.raises(ImportFormatError) as e:
        import_file(store, DIALECTS / name, fmt=wrong)
    assert f"read as {wrong} (--format)" in str(e.value) and "nothing was imported" in str(e.value)
    assert f"--format {detected(DIALECTS / name)}" in (e.value.hint or "")
    status = service.review_status(store)
    assert status.records == 0 and status.batches == []
    assert service.list_quarantine(store, include_resolved=True) == []


def test_forced_right_format_imports(store: Store) -> None:
    report = import_file(store, DIALECTS / "ovid_embase_endnote.txt", fmt="ovid")
    assert (report.imported, len(report.quarantined)) == (3, 0)


@pytest.mark.parametrize(
    "text",
    [
        "PMID- 1\nTI  - A title\n",
        "PMID - 1\nTI - A title\n",  # Ovid's and some tools' spacing
        "\n\nOWN - ERIC\nTI  - A title\nOID - EJ1\n",
    ],
)
def test_medline_tag_spellings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.nbib"
    path.write_text(text)
    assert detected(path) == "medline"
    good, bad = read_all(get_reader("medline"), path)
    assert good[0]["title"] == "A title" and not bad


@pytest.mark.parametrize(
    "text",
    [
        "TY  - JOUR\nTI  - A title\nER  - \n",
        "TY - JOUR\nTI - A title\nER -\n",
        "TY  -JOUR\nTI  -A title\nER  -\n",
        "\ufeffTY  - JOUR\r\nTI  - A title\r\nER  - \r\n",
    ],
)
def test_ris_tag_spellings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.ris"
    path.write_bytes(text.encode())
    assert detected(path) == "ris"
    good, bad = read_all(get_reader("ris"), path)
    assert good[0]["title"] == "A title" and not bad


def test_wos_plain_text_past_a_banner(tmp_path: Path) -> None:
    path = tmp_path / "wos.txt"
    path.write_text(
        "Saved from Web of Science Core Collection\n\nFN Clarivate Analytics Web of Science\n"
        "VR 1.0\nPT J\nAU Smith, A\nTI A title\nUT WOS:1\nER\n\nEF\n"
    )
    assert detected(path) == "wos"
