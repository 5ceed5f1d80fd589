"""MEDLINE (.nbib) and Web of Science plain-text readers against the shared exports."""

from __future__ import annotations

from pathlib import Path

from review.readers.medline import MedlineReader
from review.readers.wos import WosReader
from tests.conftest import shared_file
from tests.readers.util import read_all


def test_pubmed_nbib_with_continuation_lines() -> None:
    good, bad = read_all(
        MedlineReader(), shared_file("formats/medline_nbib/revtools/restoration_pubmed.nbib")
    )
    assert len(good) == 104 and not bad
    first = good[0]
    assert first["pmid"] == first["source_key"] == "30689646"
    assert first["title"] == (
        "Ecosystem services changes between 2000 and 2015 in the Loess Plateau, China: "
        "A response to ecological restoration."
    )
    assert first["authors"][:2] == ["Wu, Dan", "Zou, Changxin"]  # FAU preferred over AU
    assert first["year"] == 2019
    assert first["doi"] == "10.1371/journal.pone.0209483"
    assert first["journal"] == "PloS one"
    assert first["abstract"].startswith("The Loess Plateau of China is one of the most severe")
    assert first["abstract"].endswith("maintain and consolidate the improvements.")
    assert first["issn"] == "1932-6203"
    assert first["language"] == "eng"


def test_pubmed_txt_and_jabref_nbib() -> None:
    good, _ = read_all(
        MedlineReader(), shared_file("formats/medline_nbib/synthesisr/PubMed_example.txt")
    )
    assert len(good) == 3
    assert good[-1]["doi"] == "10.7717/peerj.5082"
    (one,), _ = read_all(
        MedlineReader(), shared_file("formats/medline_nbib/jabref/NbibImporterTest.nbib")
    )
    assert one["pmid"] == "27169098"
    assert one["doi"] == "10.4103/2277-9175.180636"
    assert one["year"] == 2016


def test_medline_block_without_tags_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "x.nbib"
    p.write_text("PMID- 1\nTI  - One\n\nthis is not medline at all\n\nPMID- 2\nTI  - Two\n")
    good, bad = read_all(MedlineReader(), p)
    assert [g["title"] for g in good] == ["One", "Two"]
    assert len(bad) == 1 and bad[0].line == 4 and bad[0].raw == "this is not medline at all"


def test_wos_plain_text() -> None:
    good, bad = read_all(
        WosReader(), shared_file("formats/wos_plaintext/synthesisr/WoS_txt_example.txt")
    )
    assert len(good) == 4 and not bad
    first = good[0]
    assert first["authors"][:2] == ["Li, Wei", "Dou, Zhiguo"]
    assert first["title"] == (
        "Soil fauna diversity at different stages of reed restoration in a lakeshore "
        "wetland at Lake Taihu, China"
    )
    assert first["journal"] == "ECOSYSTEM HEALTH AND SUSTAINABILITY"
    assert first["doi"] == "10.1080/20964129.2020.1722034"
    assert first["year"] == 2020
    assert first["abstract"].startswith("Introduction: Wetland soil fauna")


def test_wos_recent_export_and_isi_extension() -> None:
    good, _ = read_all(
        WosReader(), shared_file("formats/wos_plaintext/bibliometrix/wos_sample.txt")
    )
    assert len(good) == 8 and all(g["source_key"].startswith("WOS:") for g in good)
    good, _ = read_all(
        WosReader(), shared_file("formats/wos_plaintext/jabref/IsiImporterTestWOS.isi")
    )
    assert len(good) == 2 and good[1]["journal"] == "OPTICS EXPRESS"


def test_wos_damaged_file_adds_up() -> None:
    good, bad = read_all(
        WosReader(), shared_file("formats/wos_plaintext/metaknowledge/badFile.isi")
    )
    assert len(good) + len(bad) == 32


def test_wos_record_without_er_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "w.txt"
    p.write_text(
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nAU Doe, A\nTI First\nER\n\n"
        "PT J\nAU Roe, B\nTI Never ended\n\n"
        "PT J\nAU Poe, C\nTI Third\nER\n\nEF\n"
    )
    good, bad = read_all(WosReader(), p)
    assert [g["title"] for g in good] == ["First", "Third"]
    assert len(bad) == 1 and bad[0].line == 8 and "no ER end tag" in bad[0].reason
    assert bad[0].raw == "PT J\nAU Roe, B\nTI Never ended"
