"""EndNote XML (`<xml><records><record>...`), as written by EndNote, Bookends and Mendeley.

The file is parsed as a stream by `xml_stream.xml_entries`, so each record gets the line where
its `<record>` tag is (line 1 for all of them when the whole file is on one line), and a
malformed file keeps the records before the error (the rest is one rejected entry). Values may
be split into `<style face=...>` runs; their text is joined.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from review.normalize import collapse
from review.readers.base import Entry, ParsedEntry, names_pubmed
from review.readers.source import SourceFile
from review.readers.xml_stream import (
    XmlRecords,
    all_texts,
    first_text,
    text_of,
    xml_entries,
)

# EndNote reference type names (the `name` attribute of <ref-type>, and Refer's %0) -> RIS.
ENDNOTE_TYPES = {
    "journal article": "JOUR",
    "electronic article": "EJOUR",
    "magazine article": "MGZN",
    "newspaper article": "NEWS",
    "book": "BOOK",
    "edited book": "EDBOOK",
    "electronic book": "EBOOK",
    "book section": "CHAP",
    "electronic book section": "ECHAP",
    "conference paper": "CPAPER",
    "conference proceedings": "CONF",
    "report": "RPRT",
    "thesis": "THES",
    "generic": "GEN",
    "web page": "ELEC",
    "dataset": "DATA",
    "patent": "PAT",
    "unpublished work": "UNPB",
    "manuscript": "MANSCPT",
    "government document": "GOVDOC",
    "statute": "STAT",
    "case": "CASE",
    "standard": "STAND",
    "computer program": "COMP",
    "audiovisual material": "ADVS",
    "map": "MAP",
    "serial": "SER",
}
# EndNote's numbers for the common types, for files that leave out the name.
_TYPE_NUMBERS = {
    "17": "JOUR",
    "6": "BOOK",
    "5": "CHAP",
    "47": "CPAPER",
    "10": "CONF",
    "27": "RPRT",
    "32": "THES",
    "13": "GEN",
}
_ISSN = re.compile(r"^\s*\d{4}-?\d{3}[\dXx]\b")


def endnote_type(name: str) -> str:
    """The RIS code for an EndNote type name ("Journal Article" -> "JOUR"); GEN if unknown."""
    return ENDNOTE_TYPES.get(collapse(name).lower(), "GEN") if name.strip() else ""


def isbn_or_issn(value: str) -> tuple[str, str]:
    """EndNote keeps ISBNs and ISSNs in one field: (isbn, issn), one of them empty."""
    value = collapse(value)
    digits = re.sub(r"[^\dXx]", "", value)
    if not value:
        return "", ""
    if _ISSN.match(value) or len(digits) == 8:
        return "", value
    return value, ""


def record_fields(record: ET.Element) -> tuple[str, dict[str, object]]:
    """(rec-number, record fields) for one <record> element."""
    ref_type = record.find("ref-type")
    type_ = ""
    if ref_type is not None:
        type_ = endnote_type(ref_type.get("name", ""))
        type_ = type_ or _TYPE_NUMBERS.get(text_of(ref_type), "")
    authors = all_texts(record, "contributors/authors/author")
    if not authors:
        authors = all_texts(record, "contributors/secondary-authors/author")
    keywords: list[str] = []
    for kw in all_texts(record, "keywords/keyword"):
        keywords.extend(k for k in (collapse(x) for x in kw.split("\r")) if k)
    urls = all_texts(record, "urls/related-urls/url") + all_texts(record, "urls/web-urls/url")
    urls += all_texts(record, "urls/text-urls/url")
    doi = first_text(record, "electronic-resource-num")
    if "10." not in doi:
        doi = next((u for u in urls if "doi.org/10." in u), doi)
    isbn, issn = isbn_or_issn(first_text(record, "isbn"))
    accession = collapse(first_text(record, "accession-num"))
    database = " ".join(
        all_texts(record, "remote-database-name") + all_texts(record, "remote-database-provider")
    ).lower()
    pubmed = not database or names_pubmed(database)
    pmid = accession if accession.isdigit() and len(accession) <= 8 and pubmed else ""
    fields: dict[str, object] = {
        "type": type_,
        "title": first_text(record, "titles/title"),
        "authors": authors,
        "year": first_text(record, "dates/year", "dates/pub-dates/date"),
        "journal": first_text(
            record,
            "titles/secondary-title",
            "periodical/full-title",
            "alt-periodical/full-title",
            "periodical/abbr-1",
        ),
        "volume": first_text(record, "volume"),
        "issue": first_text(record, "number", "issue"),
        "pages": first_text(record, "pages"),
        "doi": doi,
        "pmid": pmid,
        "isbn": isbn,
        "issn": issn,
        "url": urls[0] if urls else "",
        "abstract": first_text(record, "abstract"),
        "keywords": keywords,
        "language": first_text(record, "language"),
    }
    return collapse(first_text(record, "rec-number")), fields


class EndnoteXmlReader:
    """EndNote XML export."""

    name = "endnote-xml"
    description = "EndNote XML (.xml): EndNote, Mendeley, Bookends"

    def sniff(self, head: str, source: SourceFile) -> bool:
        start = head.lstrip("\ufeff").lstrip()
        if not (start.startswith("<?xml") or start.startswith("<xml>")):
            return False
        return "<records" in head or "<record>" in head

    def read(self, source: SourceFile) -> Iterator[Entry]:
        yield from xml_entries(source, _RECORDS, _entry)


_RECORDS = XmlRecords(
    "endnote-xml",
    frozenset(["record"]),
    "<record>",
    "export the references from EndNote as XML (File > Export, 'XML')",
)


def _entry(line: int, record: ET.Element, raw: str) -> ParsedEntry:
    key, fields = record_fields(record)
    return ParsedEntry(line, raw, key, fields)
