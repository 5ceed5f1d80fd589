"""Exports of the databases and tools reviewers use, each in a small file written by hand from
the producer's published description of its export (tests/data/dialects): detected by content,
fields where they belong, and a damaged copy that imports the good entries and quarantines the
bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.readers.base import RejectedEntry
from review.readers.registry import detect_reader
from review.readers.source import open_source
from tests.readers.util import read_all

DIALECTS = Path(__file__).resolve().parents[1] / "data" / "dialects"


def read(name: str, path: Path | None = None) -> tuple[str, list[dict], list]:
    """(detected format, good entries, rejected entries) of a dialect file."""
    path = path or DIALECTS / name
    reader = detect_reader(open_source(path))
    good, bad = read_all(reader, path)
    return reader.name, good, bad


def test_endnote_ris_doi_in_m3() -> None:
    """EndNote's RIS writes the DOI in M3 (a DOI or a URL); M3 holding a type stays out."""
    fmt, good, bad = read("endnote.ris")
    assert fmt == "ris" and not bad
    assert [g["doi"] for g in good] == [
        "10.1111/jan.13901",
        "10.1016/j.ijnurstu.2023.104612",
        "10.1136/bmjopen-2020-045678",  # DO wins over M3 "Journal Article"
    ]


def test_ebsco_cinahl_ris_doi_in_do_m3_or_l3_and_n2_abstract() -> None:
    fmt, good, bad = read("cinahl_ebsco.ris")
    assert fmt == "ris" and not bad
    assert [g["doi"] for g in good] == [
        "10.1111/jan.13901",
        "10.1016/j.ijnurstu.2023.104612",
        "10.1136/bmjopen-2020-045678",
    ]
    first = good[0]
    assert first["abstract"].startswith("AIMS: To test")
    assert first["authors"] == ["Hart, Amelia", "Mensah, Kwame"]
    assert (first["year"], first["volume"], first["issue"], first["pages"]) == (
        2019,
        "75",
        "3",
        "512-524",
    )
    assert first["source_key"] == "134567890" and first["pmid"] == ""


def test_cochrane_plain_text_export() -> None:
    fmt, good, bad = read("cochrane_central.txt")
    assert fmt == "cochrane" and not bad
    trial, protocol = good
    assert [g["source_key"] for g in good] == ["CN-01987654", "CN-02123456"]
    assert trial["title"] == "Mindfulness training for nurses: a randomised trial"
    assert trial["authors"] == ["Hart A", "Mensah K"]
    assert (trial["journal"], trial["year"], trial["volume"], trial["issue"]) == (
        "Journal of advanced nursing",
        2019,
        "75",
        "3",
    )
    assert trial["pages"] == "512-524" and trial["doi"] == "10.1111/jan.13901"
    assert trial["abstract"].startswith("AIMS:") and trial["abstract"].endswith("Burnout fell.")
    assert "Mindfulness" in trial["keywords"] and trial["type"] == "JOUR"
    assert trial["url"].endswith("/CN-01987654/full")
    assert protocol["pmid"] == "33412345" and trial["pmid"] == ""


def _variant(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("newline", "encoding", "bom"),
    [
        ("\r\n", "utf-8", b""),
        ("\r", "utf-8", b""),
        ("\n", "utf-16-le", b"\xff\xfe"),
        ("\r\n", "utf-16-be", b"\xfe\xff"),
        ("\n", "utf-8", b"\xef\xbb\xbf"),
        ("\r\n", "cp1252", b""),
    ],
)
def test_cochrane_line_endings_and_encodings(
    tmp_path: Path, newline: str, encoding: str, bom: bytes
) -> None:
    text = (DIALECTS / "cochrane_central.txt").read_text().replace("Hart A", "Hårt Ä")
    path = tmp_path / "cochrane.txt"
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    fmt, good, bad = read("", path)
    assert fmt == "cochrane" and not bad and len(good) == 2
    assert good[0]["authors"] == ["Hårt Ä", "Mensah K"]
    assert good[0]["abstract"].endswith("Burnout fell.")


def test_cochrane_without_record_headers_and_with_a_continued_title(tmp_path: Path) -> None:
    text = "\n".join(
        x
        for x in (DIALECTS / "cochrane_central.txt").read_text().splitlines()
        if not x.startswith("Record #")
    ).replace("TI: Mindfulness training for nurses:", "TI: Mindfulness training for nurses:\n")
    fmt, good, bad = read("", _variant(tmp_path, "c.txt", text))
    assert fmt == "cochrane" and not bad
    assert good[0]["title"] == "Mindfulness training for nurses: a randomised trial"
    assert [g["source_key"] for g in good] == ["CN-01987654", "CN-02123456"]


def test_cochrane_damaged_copy(tmp_path: Path) -> None:
    """A record whose ID and TI lines were lost is quarantined verbatim with its line; a file
    cut short says it holds fewer records than announced."""
    lines = (DIALECTS / "cochrane_central.txt").read_text().splitlines()
    broken = [x for x in lines if not x.startswith(("ID: CN-0198", "TI: Mind"))]
    text = "\n".join(broken) + "\n\nRecord #3 of 3\nID: CN-03000000\nTI: Cut short\n"
    source = open_source(_variant(tmp_path, "c.txt", text))
    entries = list(detect_reader(source).read(source))
    bad = [e for e in entries if isinstance(e, RejectedEntry)]
    good = [e for e in entries if not isinstance(e, RejectedEntry)]
    assert len(good) == 2 and len(bad) == 1
    (reject,) = bad
    assert reject.line == 1 and "no ID or TI" in reject.reason
    assert reject.raw.splitlines()[:3] == ["Record #1 of 2", "AU: Hart A", "AU: Mensah K"]
    assert not any("announces" in w for w in source.warnings)
    cut = "\n".join(lines[:16])  # the first record only, of two announced
    source = open_source(_variant(tmp_path, "cut.txt", cut))
    assert len(list(detect_reader(source).read(source))) == 1
    assert any("announces 2 records but holds 1" in w for w in source.warnings)


def test_cochrane_ris_export() -> None:
    fmt, good, bad = read("cochrane_central.ris")
    assert fmt == "ris" and not bad
    assert [g["source_key"] for g in good] == ["CN-01987654", "CN-02123456"]
    assert good[0]["doi"] == "10.1111/jan.13901" and good[0]["pages"] == "512-524"
    assert good[0]["journal"] == "Journal of advanced nursing"


def test_embase_csv_fields_by_row() -> None:
    fmt, good, bad = read("embase_rows.csv")
    assert fmt == "field-rows" and not bad
    first, second = good
    assert first["title"] == "Mindfulness training for nurses: a randomised trial"
    assert first["authors"] == ["Hart A.", "Mensah K.", "van der Berg H."]
    assert (first["journal"], first["year"], first["volume"], first["issue"]) == (
        "Journal of Advanced Nursing",
        2019,
        "75",
        "3",
    )
    assert (first["pages"], first["doi"], first["pmid"]) == (
        "512-524",
        "10.1111/jan.13901",
        "30412345",
    )
    assert first["abstract"].startswith("Aims:") and first["line"] == 1
    assert second["title"] == "Sleep hygiene education for shift workers" and second["line"] == 19
    assert "AUTHOR ADDRESSES" in first["raw"] and second["raw"].startswith('"TITLE"')


def test_embase_fields_by_row_without_blank_rows_and_damaged(tmp_path: Path) -> None:
    text = (DIALECTS / "embase_rows.csv").read_text()
    packed = text.replace("\n\n", "\n")  # records one after the other
    fmt, good, bad = read("", _variant(tmp_path, "packed.csv", packed))
    assert fmt == "field-rows" and len(good) == 2 and not bad
    records = text.split("\n\n")
    stray = records[0].replace('"ABSTRACT","Aims:', '"ABSTRACT","a "stray" quote. Aims:')
    untitled = records[1].replace("TITLE", "NOTE")  # a record without its title row
    damaged = "\n\n".join([stray, records[1], untitled])
    source = open_source(_variant(tmp_path, "damaged.csv", damaged))
    entries = list(detect_reader(source).read(source))
    rejected = [e for e in entries if isinstance(e, RejectedEntry)]
    assert [e.line for e in entries] == [1, 19, 30]
    assert [e.line for e in rejected] == [1, 30]
    assert "malformed row at lines 12-12" in rejected[0].reason
    assert "has no title row" in rejected[1].reason
    assert [e.raw for e in entries] == [stray, records[1].rstrip("\n"), untitled.rstrip("\n")]


def test_a_two_column_table_is_still_a_table(tmp_path: Path) -> None:
    path = _variant(tmp_path, "t.csv", "Title,Year\nA study,2020\nAnother,2021\nThird,2022\n")
    fmt, good, _ = read("", path)
    assert fmt == "tabular" and [g["title"] for g in good] == ["A study", "Another", "Third"]


TABLES = {
    # file: (source key, authors, year, doi, url or "", column left in the raw entry)
    "ieee.csv": (
        "",
        ["A. Hart", "K. Mensah", "H. van der Berg"],
        2019,
        "10.1109/jbhi.2019.2901234",
        "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=8654321",
        "Article Citation Count",
    ),
    "covidence.csv": (
        "30412345",
        ["Hart, A.", "Mensah, K.", "van der Berg, H."],
        2019,
        "10.1111/jan.13901",
        "",
        "Notes",
    ),
    "rayyan.csv": (
        "rayyan-112233445",
        ["Hart, A.", "Mensah, K.", "van der Berg, H."],
        2019,
        "10.1111/jan.13901",
        "https://onlinelibrary.wiley.com/doi/abs/10.1111/jan.13901",
        "notes",
    ),
    "publish_or_perish.csv": (
        "",
        ["A Hart", "K Mensah", "H van der Berg"],
        2019,
        "10.1111/jan.13901",
        "https://onlinelibrary.wiley.com/doi/abs/10.1111/jan.13901",
        "Cites",
    ),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_tool_csv_exports(name: str) -> None:
    key, authors, year, doi, url, unmapped = TABLES[name]
    source = open_source(DIALECTS / name)
    reader = detect_reader(source)
    assert reader.name == "tabular"
    _, good, bad = read(name)
    assert not bad and len(good) == 2
    first = good[0]
    assert (first["source_key"], first["authors"], first["year"]) == (key, authors, year)
    assert (first["doi"], first["url"]) == (doi, url)
    assert first["title"] and first["abstract"] and first["journal"]
    list(reader.read(source))
    (warning,) = [w for w in source.warnings if "not mapped" in w]
    assert unmapped in warning.split("raw entry: ", 1)[1].split(", ")


def test_ieee_conference_paper_isbn_and_pages() -> None:
    _, good, _ = read("ieee.csv")
    paper = good[1]
    assert paper["isbn"] == "978-1-6654-0132-6" and paper["pages"] == "45-52"
    assert paper["journal"].startswith("2021 IEEE International Conference")
    assert good[0]["keywords"][:2] == ["fatigue", "wearable sensors"]


def test_rayyan_decisions_stay_in_the_raw_entry() -> None:
    _, good, _ = read("rayyan.csv")
    assert 'RAYYAN-INCLUSION: {""Ana""=>""Included""' in good[0]["raw"]


def test_embase_ris() -> None:
    """Embase.com's RIS: BOM, A1/T1/JF/Y1, two SN lines, a multi-line N1, the MEDLINE PMID in
    C5 and the DOI in DO and as a resolver URL in L2."""
    fmt, good, bad = read("embase.ris")
    assert fmt == "ris" and not bad
    (record,) = good
    assert record["source_key"] == "2001234567" and record["pmid"] == "30412345"
    assert record["authors"] == ["Hart A.", "Mensah K."]
    assert (record["journal"], record["year"], record["pages"]) == (
        "Journal of Advanced Nursing",
        2019,
        "512-524",
    )
    assert record["issn"] == "1365-2648" and record["doi"] == "10.1111/jan.13901"


def test_pubmed_format_txt() -> None:
    """PubMed's "PubMed format" (.txt/.nbib): a title over two lines, LID and AID with [doi]
    and [pii] in either order, FAU before AU, DP "2019 Mar 5", a Bookshelf chapter."""
    fmt, good, bad = read("pubmed_format.txt")
    assert fmt == "medline" and not bad
    article, ahead, chapter = good
    assert article["title"] == (
        "Mindfulness training for nurses working night shifts in acute hospital wards: "
        "a randomised trial with twelve months of follow-up."
    )
    assert article["authors"] == ["Hart, Amelia", "Mensah, Kwame", "van der Berg, Hanna"]
    assert (article["year"], article["journal"], article["pages"]) == (
        2019,
        "Journal of advanced nursing",
        "512-524",
    )
    assert article["doi"] == "10.1111/jan.13901" and article["issn"] == "1365-2648"
    assert article["abstract"].endswith("CONCLUSION: Mindfulness helps.")
    assert ahead["doi"] == "10.1016/j.ijnurstu.2023.104612"  # [pii] first, then [doi]
    assert (chapter["type"], chapter["title"], chapter["journal"]) == (
        "CHAP",
        "Burnout in Nurses",
        "StatPearls",
    )
    assert chapter["authors"] == ["Lee, Ann"]  # the chapter's author, not the editor


def test_pubmed_format_damaged_copy(tmp_path: Path) -> None:
    """Cut in the middle of its last record and saved with CR line ends: the records before
    are read, and the cut one still has its title."""
    text = (DIALECTS / "pubmed_format.txt").read_text()
    cut = text[: text.index("AB  - A chapter")]
    fmt, good, bad = read("", _variant(tmp_path, "cut.txt", cut.replace("\n", "\r")))
    assert fmt == "medline" and len(good) + len(bad) == 3
    assert [g["source_key"] for g in good][:2] == ["30412345", "37654321"]


WORKED = {
    # file: (format, records, first record's (title start, first author, year, doi))
    "acm.bib": (
        "bibtex",
        2,
        ("Designing Fatigue", "Hart, Amelia", 2020, "10.1145/3313831.3376213"),
    ),
    "zotero.bib": ("bibtex", 2, ("Mindfulness", "Hart, Amelia", 2019, "10.1111/jan.13901")),
    "mendeley_jabref.bib": (
        "bibtex",
        2,
        ("Mindfulness", "Hart, Amélia", 2019, "10.1111/jan.13901"),
    ),
    "zotero.ris": ("ris", 2, ("Mindfulness", "Hart, Amelia", 2019, "10.1111/jan.13901")),
    "proquest.ris": ("ris", 2, ("Mindfulness and burnout", "Hart, Amelia", 2019, "")),
    "covidence.ris": ("ris", 1, ("Mindfulness", "Hart, A.", 2019, "10.1111/jan.13901")),
    "endnote.enw": ("refer", 2, ("Mindfulness", "Hart, Amelia", 2019, "10.1111/jan.13901")),
}


@pytest.mark.parametrize("name", sorted(WORKED))
def test_reference_manager_and_database_exports(name: str) -> None:
    fmt, count, (title, author, year, doi) = WORKED[name]
    detected, good, bad = read(name)
    assert (detected, len(good), bad) == (fmt, count, [])
    first = good[0]
    assert first["title"].startswith(title) and first["authors"][0] == author
    assert (first["year"], first["doi"]) == (year, doi)


def test_bibtex_dialect_details() -> None:
    _, acm, _ = read("acm.bib")
    assert acm[0]["type"] == "CPAPER" and acm[0]["pages"] == "1-13"  # an en dash in pages
    assert acm[1]["pages"] == "12" and acm[1]["journal"] == "ACM Trans. Comput.-Hum. Interact."
    _, jabref, _ = read("mendeley_jabref.bib")
    assert jabref[0]["journal"] == "Journal of Advanced Nursing"  # an @string macro
    assert jabref[0]["authors"][1:] == ["Müller, Jörg", "Nuñez, José", "Østergaard, Søren"]
    assert jabref[1]["title"] == "Nurse staffing and patient outcomes: A Bayesian analysis"
    assert jabref[1]["authors"] == ["Lee, Ann"]  # "and others" is not an author
    assert jabref[1]["doi"] == "10.1136/bmjopen-2020-045678"  # written as a URL
    _, zotero, _ = read("zotero.bib")
    assert zotero[0]["pmid"] == "30412345" and zotero[1]["isbn"] == "978-3-030-12345-6"


def test_proquest_ris_dissertation_and_doi_among_urls() -> None:
    _, good, _ = read("proquest.ris")
    thesis, article = good
    assert thesis["type"] == "THES" and thesis["isbn"] == "9781392345678"
    assert thesis["source_key"] == "2190000001" and thesis["url"].startswith("https://www.proquest")
    assert article["journal"] == "International Journal of Nursing Studies"
    assert article["doi"] == "10.1016/j.ijnurstu.2023.104612" and article["issn"] == "0020-7489"


ALL_FILES = sorted(p.name for p in DIALECTS.iterdir() if p.name != "wos_fullnames.txt")
VARIANTS = {
    "crlf": ("\r\n", "utf-8", b""),
    "cr": ("\r", "utf-8", b""),
    "utf-8-bom": ("\n", "utf-8", b"\xef\xbb\xbf"),
    "utf-16-le-bom": ("\r\n", "utf-16-le", b"\xff\xfe"),
    "utf-16-be-bom": ("\n", "utf-16-be", b"\xfe\xff"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", ALL_FILES)
def test_every_dialect_in_every_encoding_and_line_ending(
    tmp_path: Path, name: str, variant: str
) -> None:
    """Whatever it is called and however it was saved, a file reads as the original does."""
    newline, encoding, bom = VARIANTS[variant]
    fmt, good, bad = read(name)
    text = (DIALECTS / name).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    path = tmp_path / "export"  # no extension to go by
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    fmt2, good2, bad2 = read("", path)
    assert (fmt2, len(bad2)) == (fmt, len(bad))
    assert [(g["title"], g["authors"], g["doi"]) for g in good2] == [
        (g["title"], g["authors"], g["doi"]) for g in good
    ]


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_dialect_in_windows_1252(tmp_path: Path, name: str) -> None:
    """Saved by a Windows tool as cp1252 (not valid UTF-8): the accents survive."""
    text = (DIALECTS / name).read_text(encoding="utf-8-sig")
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        pytest.skip("holds characters cp1252 cannot write")
    if data.isascii():
        data = data.replace(b"Hart", b"H\xe5rt", 1)  # one byte that is not UTF-8
        text = text.replace("Hart", "Hårt", 1)
    path = tmp_path / "export.txt"
    path.write_bytes(data)
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    fmt, good, _ = read("", tmp_path / "utf8.txt")
    fmt2, good2, _ = read("", path)
    assert fmt2 == fmt
    assert [(g["title"], g["authors"]) for g in good2] == [(g["title"], g["authors"]) for g in good]


def test_ovid_medline_display_export_after_its_search_strategy() -> None:
    fmt, good, bad = read("ovid_medline_display.txt")
    assert fmt == "ovid" and not bad
    first, second = good
    assert first["title"].endswith("a randomised trial with twelve months of follow-up.")
    assert first["authors"] == ["Hart A", "Mensah K", "van der Berg H"]
    assert (first["journal"], first["volume"], first["issue"], first["pages"]) == (
        "Journal of Advanced Nursing",
        "75",
        "3",
        "512-524",
    )
    assert (first["year"], first["doi"], first["pmid"]) == (2019, "10.1111/jan.13901", "30412345")
    assert second["pages"] == "104612" and second["year"] == 2023


def _entries(path: Path) -> list:
    source = open_source(path)
    return list(detect_reader(source).read(source))


def test_ris_records_without_er_are_quarantined_verbatim(tmp_path: Path) -> None:
    text = (DIALECTS / "proquest.ris").read_text()
    first_er = text.index("ER  - ")
    damaged = text[:first_er] + text[first_er + 7 :]  # the first record loses its ER
    damaged = damaged[: damaged.rindex("ER  - ")]  # and the file is cut before the last ER
    entries = _entries(_variant(tmp_path, "d.ris", damaged))
    assert all(isinstance(e, RejectedEntry) for e in entries) and len(entries) == 2
    assert "has no ER end tag (the next record starts at line 22)" in entries[0].reason
    assert "before the end of the file" in entries[1].reason
    assert entries[0].raw.startswith("TY  - THES") and entries[1].line == 22
    assert "".join(e.raw for e in entries).replace("\n", "") == damaged.replace("\n", "")


def test_bibtex_entry_missing_its_brace_is_quarantined(tmp_path: Path) -> None:
    text = (DIALECTS / "acm.bib").read_text().replace("series = {CHI '20}\n}", "series = {x}", 1)
    entries = _entries(_variant(tmp_path, "d.bib", text))
    bad = [e for e in entries if isinstance(e, RejectedEntry)]
    good = [e for e in entries if not isinstance(e, RejectedEntry)]
    assert len(bad) == 1 and len(good) == 1 and bad[0].line == 1
    assert bad[0].raw.startswith("@inproceedings{10.1145/3313831.3376213,")


def test_wos_plain_text_cut_before_its_last_er(tmp_path: Path) -> None:
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nAU Hart, A\n   Mensah, K\nAF Hart, Amelia\n   Mensah, Kwame\n"
        "TI Mindfulness training for nurses: a\n   randomised trial\nSO J ADV NURS\nPY 2019\n"
        "DI https://doi.org/10.1111/jan.13901\nUT WOS:000459000000001\nER\n\n"
        "PT J\nAU Okafor, NA\nTI Sleep hygiene\nUT WOS:001100000000002\n"
    )
    entries = _entries(_variant(tmp_path, "savedrecs.txt", text))
    good, bad = entries
    assert not isinstance(good, RejectedEntry) and isinstance(bad, RejectedEntry)
    assert good.fields["title"] == "Mindfulness training for nurses: a randomised trial"
    assert good.fields["authors"] == ["Hart, Amelia", "Mensah, Kwame"]
    assert bad.line == 16 and bad.raw.endswith("UT WOS:001100000000002")


def test_a_very_long_abstract_and_an_empty_trailing_record(tmp_path: Path) -> None:
    abstract = "word " * 400_000
    text = f"TY  - JOUR\nTI  - Long\nAB  - {abstract}\nER  - \n\nTY  - JOUR\nER  - \n\n\n"
    _, good, bad = read("", _variant(tmp_path, "long.ris", text))
    assert not bad and good[0]["abstract"] == abstract.strip()
    assert good[1]["title"] == ""  # imported with a "no title" warning, as documented
    csv_text = f'Title,Abstract\nLong,"{abstract}"\n'
    _, rows, bad = read("", _variant(tmp_path, "long.csv", csv_text))
    assert not bad and rows[0]["abstract"] == abstract.strip()


def test_cochrane_review_record_without_headers(tmp_path: Path) -> None:
    text = (
        "ID: CD012345\nTI: Mindfulness-based interventions for burnout in nurses\n"
        "SO: Cochrane Database of Systematic Reviews\nYR: 2021\nNO: 6\n"
        "DOI: 10.1002/14651858.CD012345.pub2\nAB: Background...\n"
    )
    fmt, good, bad = read("", _variant(tmp_path, "review.txt", text))
    assert fmt == "cochrane" and not bad
    assert good[0]["source_key"] == "CD012345"
    assert good[0]["doi"] == "10.1002/14651858.cd012345.pub2"
