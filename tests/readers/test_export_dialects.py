"""Exports of the databases and tools reviewers use, each in a small file written by hand from
the producer's published description of its export (tests/data/dialects): detected by content,
fields where they belong, and a damaged copy that imports the good entries and quarantines the
bad ones."""

from __future__ import annotations

from pathlib import Path

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
