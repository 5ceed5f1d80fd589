"""Ovid's own citation/abstract display export (MEDLINE, Embase, PsycINFO, Ovid journals):

    <1>
    Authors
      Smith, John 1;  Jones, Ann 2
    Title
      A title.[Article]
    Source
      Journal Name.  8(6):1048-1064, September 2015.

A record starts at a `<N>` line. Field names stand at the start of a line; their values follow,
indented.

Ovid's export for citation managers ("EndNote", "Reference Manager", "Citavi" options) writes
the same fields as two-letter tags, records headed `<1. >` (a record number and a dot):

    <3001. >
    VN  - Ovid Technologies
    DB  - Embase
    UI  - 2014456789
    TI  - A title
    AU  - Smith J.
    IN  - (Smith) Department of X, University Y
          (Jones) Hospital Z
    SO  - Journal Name. 8 (6) (pp 1048-1064), 2015.

Values continue on indented lines. A tagged record is translated to the display format's field
names (`TAG_NAMES`) and mapped by the same rules; a `VN` line starts a record too, for files
without the `<N. >` lines. In Embase and other non-MEDLINE databases `UI` is the database's
own id, not a PMID. Ovid's header (database, search strategy) before the first record is skipped and
counted in a warning. `Source` is split into journal, volume, issue, pages and year when it
has the usual shape; otherwise the whole string is kept as the journal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.normalize import collapse
from review.readers.base import Entry, ParsedEntry, RejectedEntry, names_pubmed
from review.readers.source import SourceFile

_MARKER = re.compile(r"^<\s*(\d+)\s*\.?\s*>\s*$")
_TAGGED = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s{0,3}-(?:\s+(.*)|)$")
_OVID_BANNER = re.compile(r"^VN\s{1,2}-\s*Ovid Technologies", re.IGNORECASE)
# Ovid's two-letter tags (its field guides for MEDLINE, Embase, PsycINFO, BIOSIS...) as the
# display format's field names; tags not listed stay in the raw entry only.
TAG_NAMES = {
    "TI": "title",
    "BT": "book title",
    "AU": "authors",
    "FA": "authors full name",
    "SO": "source",
    "JN": "journal name",
    "JT": "journal name",
    "VO": "volume",
    "VI": "volume",
    "IP": "issue",
    "PG": "pages",
    "YR": "year of publication",
    "PY": "year of publication",
    "DO": "digital object identifier",
    "DI": "digital object identifier",
    "AB": "abstract",
    "LG": "language",
    "LA": "language",
    "PT": "publication type",
    "DT": "document type",
    "IS": "issn",
    "IB": "isbn",
    "KW": "keywords",
    "MH": "subject headings",
    "SH": "subject headings",
    "HW": "keyword heading",
    "UI": "unique identifier",
    "AN": "accession number",
    "PM": "pubmed identifier",
    "XL": "url",
    "UR": "url",
    "DB": "database",
}
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
        (("conference abstract", "meeting abstract"), "ABST"),
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
    journal = journal.split(". Conference:")[0]  # Embase: "Journal. Conference: Meeting..."
    title = collapse(first("title", "chapter title", "book title"))
    stripped = _TITLE_TYPE.sub("", title)
    if stripped and not title.startswith("["):
        title = stripped
    authors = _authors(first("authors", "author")) or _authors(first("authors full name"))
    keywords: list[str] = []
    for name in _KEYWORD_FIELDS:
        keywords.extend(_items(values.get(name, "")))
    unique = short("unique identifier")
    database = short("database").lower()
    medline = not database or names_pubmed(database)
    pmid = short("pubmed identifier", "pmid") or (unique if unique.isdigit() and medline else "")
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


def _tag(line: str) -> tuple[str, str] | None:
    m = _TAGGED.match(line.rstrip())
    return (m.group(1), (m.group(2) or "").strip()) if m else None


def tagged_fields(lines: list[str]) -> tuple[str, dict[str, object]]:
    """(source key, record fields) of a tagged record's lines (`XX  - value`, indented
    continuations)."""
    tags: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in lines:
        tag = _tag(line) if line[:1].strip() else None
        if tag is not None:
            last = tags.setdefault(tag[0], [])
            last.append(tag[1])
        elif last is not None and line.strip():
            last[-1] = f"{last[-1]} {line.strip()}".strip()
    values: dict[str, str] = {}
    for code, items in tags.items():
        name = TAG_NAMES.get(code)
        if name and name != "authors":
            joined = "\n".join(v for v in items if v)
            values[name] = f"{values[name]}\n{joined}" if name in values else joined
    key, fields = ovid_fields(values)
    authors = [_AUTHOR_MARKS.sub("", collapse(a)) for a in tags.get("AU", [])]
    fields["authors"] = [a for a in authors if a] or fields["authors"]
    return key, fields


class OvidReader:
    """Ovid export: the citation/abstract display, or the tagged export for citation managers."""

    name = "ovid"
    description = (
        "Ovid export (.txt, .ovd): the display format (<1> markers, field names on their own "
        "line) or the tagged one for EndNote/Reference Manager (<1. >, VN  - Ovid Technologies)"
    )

    def sniff(self, head: str, source: SourceFile) -> bool:
        """A `<N>`/`<N. >` line followed by a field name and an indented value, or by a tag
        line; or Ovid's `VN  - Ovid Technologies` among the first non-blank lines."""
        lines = [x.lstrip("\ufeff") for x in head.splitlines()]
        filled = [x for x in lines if x.strip()][:80]
        if any(x.startswith(("TY  -", "TY -")) for x in filled):
            return False  # RIS (Ovid's RIS export numbers records "1.", not "<1>")
        if any(_OVID_BANNER.match(x.strip()) for x in filled[:20]):
            return True
        for i, line in enumerate(lines[:-2]):
            if _MARKER.match(line.strip()):
                following = [x for x in lines[i + 1 : i + 4] if x.strip()]
                if following and _tag(following[0]) is not None:
                    return True
                name, value = lines[i + 1], lines[i + 2]
                if name.strip() and not name[0].isspace() and value.startswith(("  ", "\t")):
                    return True
        return False

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        skipped = 0
        has_vn = False  # the current record already has its `VN` line
        for n, line in source.lines():
            if n == 1:
                line = line.lstrip("\ufeff")
            if _MARKER.match(line.strip()):
                if start:
                    yield self._entry(start, lines)
                start, lines, has_vn = n, [line], False
            elif line.startswith("VN") and _OVID_BANNER.match(line) and (has_vn or not start):
                if start:
                    yield self._entry(start, lines)
                start, lines, has_vn = n, [line], True
            elif start:
                lines.append(line)
                has_vn = has_vn or line.startswith("VN")
            elif line.strip():
                skipped += 1
        if start:
            yield self._entry(start, lines)
        if skipped:
            source.warnings.append(f"{skipped} line(s) before the first Ovid record were skipped")

    def _entry(self, start: int, lines: list[str]) -> Entry:
        raw = "\n".join(lines).rstrip()
        body = lines[1:] if _MARKER.match(lines[0].strip()) else lines
        first = next((x for x in body if x.strip()), "")
        if _tag(first) is not None:
            key, fields = tagged_fields(body)
            if not fields["title"] and not key:
                return RejectedEntry(
                    start, f"Ovid record at line {start} has neither a title (TI) nor an id", raw
                )
            return ParsedEntry(start, raw, key, fields)
        values: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in body:
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
