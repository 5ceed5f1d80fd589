"""The Web of Science tab-delimited reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.readers.base import ParsedEntry
from review.readers.source import open_source
from review.readers.tabular import ScopusCsvReader, WosTabReader
from tests.readers.util import detect, entries, read_all, write

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
