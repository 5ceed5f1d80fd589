"""EndNote XML (`<xml><records><record>...`), as written by EndNote, Bookends and Mendeley.

The file is parsed as a stream, one line at a time, so each record gets the line where its
`<record>` tag is (line 1 for all of them when the whole file is on one line). Values may be
split into `<style face=...>` runs; their text is joined. A file that stops being well-formed
keeps the records read before the error; the rest of the file, from the unfinished record on,
becomes one rejected entry, so nothing is lost. A file with no readable record is refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from review.errors import ImportFormatError
from review.normalize import collapse
from review.readers.base import Entry, ParsedEntry, RejectedEntry, names_pubmed
from review.readers.source import SourceFile

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


def _text(el: ET.Element | None) -> str:
    """The text of an element, its <style> runs joined."""
    return "".join(el.itertext()).strip() if el is not None else ""


def _first(record: ET.Element, *paths: str) -> str:
    for path in paths:
        for el in record.iterfind(path):
            value = _text(el)
            if value:
                return value
    return ""


def _all(record: ET.Element, path: str) -> list[str]:
    return [v for v in (_text(el) for el in record.iterfind(path)) if v]


def record_fields(record: ET.Element) -> tuple[str, dict[str, object]]:
    """(rec-number, record fields) for one <record> element."""
    ref_type = record.find("ref-type")
    type_ = ""
    if ref_type is not None:
        type_ = endnote_type(ref_type.get("name", ""))
        type_ = type_ or _TYPE_NUMBERS.get(_text(ref_type), "")
    authors = _all(record, "contributors/authors/author")
    if not authors:
        authors = _all(record, "contributors/secondary-authors/author")
    keywords: list[str] = []
    for kw in _all(record, "keywords/keyword"):
        keywords.extend(k for k in (collapse(x) for x in kw.split("\r")) if k)
    urls = _all(record, "urls/related-urls/url") + _all(record, "urls/web-urls/url")
    urls += _all(record, "urls/text-urls/url")
    doi = _first(record, "electronic-resource-num")
    if "10." not in doi:
        doi = next((u for u in urls if "doi.org/10." in u), doi)
    isbn, issn = isbn_or_issn(_first(record, "isbn"))
    accession = collapse(_first(record, "accession-num"))
    database = " ".join(
        _all(record, "remote-database-name") + _all(record, "remote-database-provider")
    ).lower()
    pubmed = not database or names_pubmed(database)
    pmid = accession if accession.isdigit() and len(accession) <= 8 and pubmed else ""
    fields: dict[str, object] = {
        "type": type_,
        "title": _first(record, "titles/title"),
        "authors": authors,
        "year": _first(record, "dates/year", "dates/pub-dates/date"),
        "journal": _first(
            record,
            "titles/secondary-title",
            "periodical/full-title",
            "alt-periodical/full-title",
            "periodical/abbr-1",
        ),
        "volume": _first(record, "volume"),
        "issue": _first(record, "number", "issue"),
        "pages": _first(record, "pages"),
        "doi": doi,
        "pmid": pmid,
        "isbn": isbn,
        "issn": issn,
        "url": urls[0] if urls else "",
        "abstract": _first(record, "abstract"),
        "keywords": keywords,
        "language": _first(record, "language"),
    }
    return collapse(_first(record, "rec-number")), fields


def _serialize(record: ET.Element) -> str:
    tail, record.tail = record.tail, None
    try:
        return ET.tostring(record, encoding="unicode")
    finally:
        record.tail = tail


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
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
        open_elements: list[ET.Element] = []
        record_line = 0
        yielded = 0
        # Text not yet part of a finished record: the lines since the last </record>, and
        # where in the first of them that record ended (so an error can keep the rest whole).
        pending: list[str] = []
        pending_line = 1
        pending_cut = 0
        ended_here = 0
        with source.open_text() as f:
            for n, line in enumerate(f, 1):
                if n == 1:
                    line = line.lstrip("\ufeff")
                pending.append(line)
                ended_here = 0
                try:
                    parser.feed(line)
                    for item in parser.read_events():
                        event, el = item[0], item[-1]
                        if not isinstance(el, ET.Element):
                            continue
                        if event == "start":
                            if el.tag == "record" and not _inside_record(open_elements):
                                record_line = n
                            open_elements.append(el)
                            continue
                        open_elements.pop()
                        if el.tag != "record" or _inside_record(open_elements):
                            continue
                        key, fields = record_fields(el)
                        yield ParsedEntry(record_line, _serialize(el), key, fields)
                        yielded += 1
                        if open_elements:
                            open_elements[-1].remove(el)
                        ended_here += 1
                        pending, pending_line = [line], n
                        pending_cut = _after_nth(line, "</record>", ended_here)
                except ET.ParseError as e:
                    rest = "".join(pending)[pending_cut:] + "".join(f)
                    yield from self._rest(source, e, rest, pending_line, yielded)
                    return
            try:
                parser.close()
                for _ in parser.read_events():
                    pass
            except ET.ParseError as e:
                rest = "".join(pending)[pending_cut:]
                yield from self._rest(source, e, rest, pending_line, yielded)
                return
        if not yielded:
            raise ImportFormatError(
                f"{source.path}: no <record> elements in this XML file",
                hint="export the references from EndNote as XML (File > Export, 'XML')",
            )

    def _rest(
        self, source: SourceFile, error: ET.ParseError, rest: str, line: int, yielded: int
    ) -> Iterator[RejectedEntry]:
        """The text from the unfinished record to the end of the file, as one rejected entry
        (or a warning when the error comes after the last record)."""
        if not yielded:
            raise ImportFormatError(
                f"{source.path}: not well-formed XML, and no record could be read before the "
                f"error ({error})",
                hint="check that the file is complete; re-export it from EndNote as XML",
            ) from error
        stripped = rest.lstrip()
        line += rest[: len(rest) - len(stripped)].count("\n")
        if "<record" not in stripped:
            source.warnings.append(
                f"{source.name}: the XML is malformed after the last record ({error}); "
                f"the text from line {line} on holds no record and was ignored"
            )
            return
        yield RejectedEntry(
            line,
            f"the XML is malformed ({error}); the rest of the file, from line {line} on, "
            "could not be read and is kept verbatim",
            stripped.rstrip(),
        )


def _inside_record(open_elements: list[ET.Element]) -> bool:
    return any(e.tag == "record" for e in open_elements)


def _after_nth(text: str, needle: str, nth: int) -> int:
    """The index just after the nth occurrence of needle in text (0 if there are fewer)."""
    pos = -1
    for _ in range(nth):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return 0
    return pos + len(needle)
