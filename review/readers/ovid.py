"""Ovid's own citation/abstract display export (MEDLINE, Embase, PsycINFO, Ovid journals):

    <1>
    Authors
      Smith, John 1;  Jones, Ann 2
    Title
      A title.[Article]
    Source
      Journal Name.  8(6):1048-1064, September 2015.

A record starts at a `<N>` line. Field names stand at the start of a line; their values follow,
indented. Ovid's header (database, search strategy) before the first record is skipped and
counted in a warning. `Source` is split into journal, volume, issue, pages and year when it
has the usual shape; otherwise the whole string is kept as the journal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.normalize import collapse
from review.readers.base import Entry, ParsedEntry, RejectedEntry
from review.readers.source import SourceFile

_MARKER = re.compile(r"^<(\d+)>\s*$")
_SOURCE = re.compile(
    r"^(?P<journal>.+)\.\s+(?:Vol\.?\s*)?(?P<volume>\d[\w.-]*)\s*"
    r"(?:\((?P<issue>[^)]*)\))?(?P<rest>[\s:,(].*)?$"
)
_COLON_PAGES = re.compile(r"^\s*:\s*(?P<pages>[A-Za-z]?\d+(?:-[A-Za-z]?\d+)?)")
_PP_PAGES = re.compile(r"\(pp\.?\s*(?P<pages>[^)]+)\)")
_COMMA_PAGES = re.compile(r",\s*(?P<pages>[A-Za-z]?\d+-[A-Za-z]?\d+)\.?\s*$")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_AUTHOR_MARKS = re.compile(r"(?:\s+\d+(?:\s*,\s*\d+)*|\s*\[[^\]]*\]|\s*\*)+$")
_TITLE_TYPE = re.compile(r"\s*\[[^\]]+\]\s*$")
_KEYWORD_FIELDS = (
    "author keywords",
    "keywords",
    "keyword heading",
    "mesh subject headings",
    "subject headings",
    "emtree heading",
)


def parse_source(source: str) -> dict[str, str]:
    """Journal, volume, issue, pages and year from an Ovid `Source` ("J. 8(6):1-9, 2015.")."""
    m = _SOURCE.match(collapse(source))
    if m is None:
        return {}
    rest = m.group("rest") or ""
    pages = ""
    for pattern in (_COLON_PAGES, _PP_PAGES, _COMMA_PAGES):
        p = pattern.search(rest)
        if p:
            pages = p.group("pages").strip()
            break
    year = _YEAR.search(rest)
    return {
        "journal": m.group("journal").strip(),
        "volume": m.group("volume"),
        "issue": (m.group("issue") or "").strip(),
        "pages": pages,
        "year": year.group(1) if year else "",
    }


def _authors(value: str) -> list[str]:
    """ "Kohler, Lars 1;  Leuschner, Christoph 1" or one name a line, without affiliation marks."""
    parts = value.split(";") if ";" in value else value.splitlines()
    out = []
    for p in parts:
        name = _AUTHOR_MARKS.sub("", collapse(p))
        if name:
            out.append(name)
    return out


def _items(value: str) -> list[str]:
    parts = value.split(";") if ";" in value else value.splitlines()
    return [k for k in (collapse(p).rstrip(".").strip() for p in parts) if k]


def _type(text: str, has_journal: bool) -> str:
    t = text.lower()
    for words, code in (
        (("chapter",), "CHAP"),
        (("book",), "BOOK"),
        (("conference", "proceeding"), "CPAPER"),
        (("dissertation", "thesis"), "THES"),
        (("report",), "RPRT"),
        (("journal", "article", "review", "editorial", "letter"), "JOUR"),
    ):
        if any(w in t for w in words):
            return code
    return "JOUR" if has_journal else "GEN"


def ovid_fields(values: dict[str, str]) -> tuple[str, dict[str, object]]:
    """Map Ovid field values (lower-case field names) to (source key, record fields)."""

    def first(*names: str) -> str:
        for n in names:
            v = values.get(n, "").strip()
            if v:
                return v
        return ""

    def short(*names: str) -> str:
        return collapse(first(*names)).rstrip(".").strip()

    source = first("source")
    parsed = parse_source(source)
    journal = short("journal name", "journal title", "journal") or parsed.get("journal", "")
    if not journal and source:
        journal = collapse(source).rstrip(".")
    title = collapse(first("title", "chapter title", "book title"))
    stripped = _TITLE_TYPE.sub("", title)
    if stripped and not title.startswith("["):
        title = stripped
    authors = _authors(first("authors", "author")) or _authors(first("authors full name"))
    keywords: list[str] = []
    for name in _KEYWORD_FIELDS:
        keywords.extend(_items(values.get(name, "")))
    unique = short("unique identifier")
    pmid = short("pubmed identifier", "pmid") or (unique if unique.isdigit() else "")
    key = unique or short("accession number", "embase accession number", "an")
    links = [
        collapse(v)
        for n, v in values.items()
        if (n == "url" or n.startswith("link to") or n == "full text") and "http" in v
    ]
    issn = collapse(first("issn", "issn print", "issn electronic")).split(" ")[0].rstrip(".")
    fields: dict[str, object] = {
        "type": _type(first("publication type") + " " + first("document type"), bool(journal)),
        "title": title,
        "authors": authors,
        "year": short("year of publication", "publication year", "year") or parsed.get("year", ""),
        "journal": journal,
        "volume": short("volume") or parsed.get("volume", ""),
        "issue": short("issue") or parsed.get("issue", ""),
        "pages": short("pages", "page", "pagination") or parsed.get("pages", ""),
        "doi": short("digital object identifier", "doi number", "doi"),
        "pmid": pmid,
        "isbn": short("isbn"),
        "issn": issn,
        "url": links[0] if links else "",
        "abstract": first("abstract"),
        "keywords": keywords,
        "language": short("language"),
    }
    return key, fields


class OvidReader:
    """Ovid citation/abstract display export."""

    name = "ovid"
    description = "Ovid native display export (.txt): <1> markers, field names on their own line"

    def sniff(self, head: str, source: SourceFile) -> bool:
        lines = head.lstrip("\ufeff").splitlines()
        for i, line in enumerate(lines[:-2]):
            if _MARKER.match(line.strip()):
                name, value = lines[i + 1], lines[i + 2]
                if name.strip() and not name[0].isspace() and value.startswith(("  ", "\t")):
                    return True
        return False

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        skipped = 0
        for n, line in source.lines():
            if n == 1:
                line = line.lstrip("\ufeff")
            if _MARKER.match(line.strip()):
                if start:
                    yield self._entry(start, lines)
                start, lines = n, [line]
            elif start:
                lines.append(line)
            elif line.strip():
                skipped += 1
        if start:
            yield self._entry(start, lines)
        if skipped:
            source.warnings.append(f"{skipped} line(s) before the first Ovid record were skipped")

    def _entry(self, start: int, lines: list[str]) -> Entry:
        raw = "\n".join(lines).rstrip()
        values: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in lines[1:]:
            if line.strip() and not line[0].isspace():
                current = values.setdefault(line.strip().lower(), [])
                if current:
                    current.append("\n")
            elif current is not None:
                current.append(line.strip())
        if not values:
            return RejectedEntry(
                start, f"Ovid record {lines[0].strip()} at line {start} has no fields", raw
            )
        key, fields = ovid_fields({k: "\n".join(v).strip() for k, v in values.items()})
        return ParsedEntry(start, raw, key, fields)
