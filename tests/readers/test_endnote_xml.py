"""EndNote XML reader: the files in ../shared/formats/endnote_xml, truncated and broken XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from review.errors import ImportFormatError
from review.readers.endnote_xml import EndnoteXmlReader, isbn_or_issn
from tests.conftest import shared_file
from tests.readers.util import manifest_params, read_all, read_shared

READER = EndnoteXmlReader()


@pytest.mark.parametrize(("rel", "count"), manifest_params("endnote_xml"))
def test_every_shared_endnote_xml_file_adds_up(rel: str, count: int) -> None:
    good, bad = read_shared(READER, rel)
    assert (len(good), len(bad)) == (count, 0)
    for g in good:
        assert ET.fromstring(g["raw"]).tag == "record"


def test_bookends_record_with_style_runs() -> None:
    (rec,), _ = read_all(
        READER, shared_file("formats/endnote_xml/jabref/EndnoteXmlImporterTestArticle.xml")
    )
    assert rec["line"] == 4
    assert rec["source_key"] == "2954"
    assert rec["type"] == "JOUR"
    assert rec["authors"] == ["Ahmad, AS", "Ormiston-Smith, N", "Sasieni, PD"]
    assert rec["title"] == (
        "Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk "
        "for those born from 1930 to 1960"
    )
    assert rec["journal"] == "Br J Cancer"
    assert (rec["volume"], rec["issue"], rec["pages"]) == ("112", "5", "943-7")
    assert rec["year"] == 2015
    assert rec["doi"] == "10.1038/bjc.2014.606"
    assert rec["pmid"] == "25647015"
    assert (
        rec["issn"] == "1532-1827" and rec["isbn"] == ""
    )  # the first ISSN, without "(Electronic)"
    assert rec["abstract"] == "test abstract"
    assert "Aged, 80 and over" in rec["keywords"] and len(rec["keywords"]) == 13
    assert rec["url"] == "http://www.ncbi.nlm.nih.gov/pubmed/25647015"


def test_endnote_labels_and_multi_run_titles() -> None:
    path = shared_file("formats/endnote_xml/jabref/EndnoteXmlImporterTestLabelAndMultiTitle.xml")
    good, _ = read_all(READER, path)
    assert [(g["line"], g["source_key"], g["type"]) for g in good] == [
        (4, "13264", "JOUR"),
        (89, "13265", "BOOK"),
        (174, "650", "JOUR"),
    ]
    assert good[0]["authors"] == ["Chapman, A. G."]
    assert good[0]["journal"] == "Ecology"
    assert good[0]["year"] == 1937
    assert good[0]["issn"] == "0012-9658"
    assert good[0]["language"] == "English"
    skua = good[2]
    assert skua["title"] == (
        "A demographic study of the south polar skua Catharacta maccormicki at Cape Crozier"
    )
    assert skua["authors"] == ["Ainley, D.G.", "Ribic, C.A.", "Wodd, R.C."]
    assert skua["journal"] == "Journal of Animal Ecology"


def test_mendeley_export_on_one_line() -> None:
    good, bad = read_all(READER, shared_file("formats/endnote_xml/asysd/mendeley_export.xml"))
    assert len(good) == 150 and not bad
    assert {g["line"] for g in good} == {1}
    first = good[0]
    assert first["source_key"] == ""  # Mendeley writes no rec-number
    assert first["title"] == "Myoclonus in older Cavalier King Charles Spaniels."
    assert first["authors"] == ["Rotter, Carina", "Whittaker, Danielle", "Rusbridge, Clare"]
    assert first["journal"] == "Journal of veterinary internal medicine"
    assert (first["volume"], first["issue"], first["pages"]) == ("36", "3", "1032-1038")
    assert first["year"] == 2022
    assert first["doi"] == "10.1111/jvim.16404"
    assert first["pmid"] == "35319117"
    assert first["language"] == "eng"
    assert first["abstract"].startswith("BACKGROUND: Myoclonus is observed in older Cavalier")
    assert sum(g["type"] == "GEN" for g in good) == 12  # ref-type name="Generic"
    assert good[-1]["abstract"].endswith("in the pathophysiology of FES.")


RECORD = """    <record>
      <rec-number>{n}</rec-number>
      <ref-type name="Journal Article">17</ref-type>
      <contributors><authors><author><style face="normal">{author}</style></author></authors>
      </contributors>
      <titles><title><style face="normal">Title {n}</style></title>
        <secondary-title>Journal {n}</secondary-title></titles>
      <dates><year>200{n}</year></dates>
    </record>
"""


def _xml(n: int, author: str = "Doe, Jane", declaration: str = "UTF-8") -> str:
    records = "".join(RECORD.format(n=i, author=author) for i in range(1, n + 1))
    return f'<?xml version="1.0" encoding="{declaration}"?>\n<xml>\n  <records>\n{records}'


def test_truncated_file_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    text = _xml(3)
    cut = text[: text.rindex("<dates>")]  # the third record loses its end
    path = tmp_path / "truncated.xml"
    path.write_text(cut, encoding="utf-8")
    good, bad = read_all(READER, path)
    assert [(g["title"], g["year"], g["line"]) for g in good] == [
        ("Title 1", 2001, 4),
        ("Title 2", 2002, 13),
    ]
    (rest,) = bad
    assert rest.line == 22
    assert "malformed" in rest.reason and "no element found" in rest.reason
    assert rest.raw.startswith("<record>\n      <rec-number>3</rec-number>")
    assert rest.raw.endswith("<secondary-title>Journal 3</secondary-title></titles>")


def test_broken_tag_midway_keeps_the_rest_verbatim(tmp_path: Path) -> None:
    text = _xml(3) + "  </records>\n</xml>\n"
    text = text.replace('<title><style face="normal">Title 2', '<title><style face="normal>Title 2')
    path = tmp_path / "broken.xml"
    path.write_text(text, encoding="utf-8")
    good, bad = read_all(READER, path)
    assert [g["title"] for g in good] == ["Title 1"]
    assert bad[0].line == 13
    assert "Title 3" in bad[0].raw and bad[0].raw.endswith("</xml>")


def test_truncated_one_line_file(tmp_path: Path) -> None:
    text = _xml(3).replace("\n", "")
    path = tmp_path / "oneline.xml"
    path.write_text(text[: text.rindex("<titles>")], encoding="utf-8")
    good, bad = read_all(READER, path)
    assert len(good) == 2 and bad[0].line == 1
    assert bad[0].raw.startswith("<record>") and "<rec-number>3</rec-number>" in bad[0].raw
    assert "<rec-number>2</rec-number>" not in bad[0].raw


def test_nothing_readable_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(_xml(1)[:120], encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        read_all(READER, path)
    assert "cut.xml" in str(err.value) and "not well-formed XML" in str(err.value)
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?>\n<xml><records></records></xml>\n', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no <record> elements"):
        read_all(READER, empty)


def test_legacy_encoding_declared_in_the_xml(tmp_path: Path) -> None:
    path = tmp_path / "latin.xml"
    text = _xml(1, author="Müller, Zoë", declaration="windows-1252") + "  </records>\n</xml>\n"
    path.write_bytes(text.encode("cp1252"))
    (rec,), bad = read_all(READER, path)
    assert rec["authors"] == ["Müller, Zoë"] and not bad


def test_isbn_or_issn() -> None:
    assert isbn_or_issn("0012-9658") == ("", "0012-9658")
    assert isbn_or_issn("978-3-16-148410-0") == ("978-3-16-148410-0", "")
    assert isbn_or_issn("") == ("", "")


def test_sniff() -> None:
    assert READER.sniff('\ufeff<?xml version="1.0"?><xml><records><record>', None)  # type: ignore[arg-type]
    assert not READER.sniff('<?xml version="1.0"?><PubmedArticleSet>', None)  # type: ignore[arg-type]
    assert not READER.sniff("@article{x,", None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("database", "pmid"),
    [
        ("<remote-database-provider>NLM</remote-database-provider>", "21553931"),
        ("<remote-database-name>PubMed</remote-database-name>", "21553931"),
        ("", "21553931"),
        ("<remote-database-name>Embase</remote-database-name>", ""),
    ],
)
def test_accession_number_is_a_pmid_when_the_record_is_from_pubmed(
    tmp_path: Path, database: str, pmid: str
) -> None:
    # EndNote names PubMed's provider "NLM" (the National Library of Medicine).
    path = tmp_path / "pubmed.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><xml><records><record>'
        '<ref-type name="Journal Article">17</ref-type><titles><title>T</title></titles>'
        f"<accession-num>21553931</accession-num>{database}</record></records></xml>",
        encoding="utf-8",
    )
    (rec,), _ = read_all(READER, path)
    assert rec["pmid"] == pmid


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    text = _xml(1).replace(
        "<xml>", '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<xml>'
    )
    path = tmp_path / "bomb.xml"
    path.write_text(text.replace("Title 1", "&b;"), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"bomb\.xml: line 2 declares an XML entity"):
        read_all(READER, path)
