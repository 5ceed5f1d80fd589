"""PubMed/MEDLINE (`.nbib`, `.txt`) and the MEDLINE-style `.nbib` of ERIC: blocks of
4-character tags (`PMID- 123`, `TI  - ...`), values continued on lines indented by six spaces,
records separated by blank lines (or starting at a second `PMID`/`OWN`).

ERIC's export (as documented for its "Export to citation manager" `.nbib`) has no PMID: it
starts with a blank line, each record with `OWN - ERIC`; its id (`EJ...`/`ED...`) is in `OID`
(and `LID`), the DOI in `AID` as a URL, the ISSN as `ISSN- ISSN-0000-0000` and the citation
in `SO` (`v12 n3 p45-67 2019`; its `PG` is a page count, so the range in `SO` wins)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.readers.base import Entry, ParsedEntry, RejectedEntry
from review.readers.source import SourceFile

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3})(?: +- ?|-(?: |$))(.*)$")  # not "HIV-1 ..."
_TYPES = {
    "journal article": "JOUR",
    "journal articles": "JOUR",
    "review": "JOUR",
    "book": "BOOK",
    "books": "BOOK",
    "books and documents": "BOOK",
    "congress": "CONF",
    "preprint": "JOUR",
    "dissertations/theses": "THES",
    "speeches/meeting papers": "CPAPER",
    "reports": "RPRT",
    "collected works": "BOOK",
}
# Tags only MEDLINE-style files have (RIS has none of 3-4 letters): one of them in a file's
# head, with no RIS `TY`, says MEDLINE even without a PMID (ERIC, some PubMed Central files).
_MEDLINE_ONLY = frozenset(
    [
        "PMID",
        "OWN",
        "STAT",
        "DCOM",
        "LR",
        "FAU",
        "AID",
        "LID",
        "OID",
        "EDAT",
        "MHDA",
        "CRDT",
        "PHST",
        "PST",
        "ISSN",
        "BTI",
        "CTI",
        "DEP",
        "JID",
    ]
)
_ERIC_ID = re.compile(r"^E[DJ]\d+$")
_ERIC_SO = re.compile(
    r"(?:^|\s)v(?P<volume>[\w.-]+)(?:\s+n(?P<issue>[\w./-]+))?(?:\s+p(?P<pages>[\w-]+))?"
)
_RECORD_STARTS = ("PMID", "OWN")


def _tag(line: str) -> tuple[str, str] | None:
    """`("PMID", "123")` for `PMID- 123`, `PMID - 123` or `TI  - x`; None otherwise."""
    if len(line) >= 4 and line[0].isupper() and "-" in line[2:7]:
        m = _TAG.match(line)
        if m:
            return m.group(1), m.group(2).strip()
    return None


def publication_type(types: list[str]) -> str:
    """The RIS code of the first PubMed/ERIC publication type we know ("" if none is)."""
    for t in types:
        t = t.lower()
        code = _TYPES.get(t) or _TYPES.get(t.split(" - ")[0].strip())
        if code:
            return code
    return ""


def medline_fields(tags: dict[str, list[str]]) -> dict[str, object]:
    """Map MEDLINE tags to record fields."""

    def first(*names: str) -> str:
        for n in names:
            if tags.get(n):
                return tags[n][0]
        return ""

    doi = ""
    for value in tags.get("LID", []) + tags.get("AID", []):
        if value.endswith("[doi]"):
            doi = value.removesuffix("[doi]").strip()
            break
        if "doi.org/10." in value or value.startswith("10."):
            doi = value.split()[0]
            break
    eric_id = next((v for v in tags.get("OID", []) + tags.get("LID", []) if _ERIC_ID.match(v)), "")
    fallback = "RPRT" if eric_id.startswith("ED") else "JOUR" if tags.get("PT") else ""
    type_ = publication_type(tags.get("PT", [])) or fallback
    book = first("BTI")  # PubMed Bookshelf: a chapter (TI in the book BTI), or a whole book
    if book:
        type_ = "CHAP" if first("TI") else "BOOK"
    issn = first("IS", "ISSN").split(" (")[0].removeprefix("ISSN-").removeprefix("EISSN-")
    isbn = first("ISBN").removeprefix("ISBN-")
    volume, issue, pages = first("VI"), first("IP"), first("PG")
    cited = _ERIC_SO.search(first("SO")) if eric_id else None
    if cited:  # ERIC's PG is a page count; the range is in SO
        volume = volume or cited["volume"] or ""
        issue = issue or cited["issue"] or ""
        pages = cited["pages"] or pages
    return {
        "pmid": first("PMID"),
        "title": first("TI", "BTI"),
        "abstract": " ".join(tags.get("AB", [])),
        "authors": tags.get("FAU") or tags.get("AU") or [],
        "year": first("DP", "DEP", "EDAT"),
        "journal": first("JT", "TA") or (book if first("TI") else ""),
        "volume": volume,
        "issue": issue,
        "pages": pages,
        "doi": doi,
        "issn": issn,
        "isbn": isbn,
        "language": first("LA"),
        "type": type_,
        "keywords": tags.get("OT", []) + tags.get("MH", []),
    }


def medline_key(tags: dict[str, list[str]]) -> str:
    """The record's id in its source: the PMID, or ERIC's `EJ...`/`ED...` id."""
    for name in ("PMID", "OID"):
        if tags.get(name) and tags[name][0]:
            return tags[name][0]
    return next((v for v in tags.get("LID", []) if _ERIC_ID.match(v)), "")


class MedlineReader:
    """PubMed's MEDLINE display format."""

    name = "medline"
    description = "PubMed/MEDLINE (.nbib, .txt)"

    def sniff(self, head: str, source: SourceFile) -> bool:
        """A `PMID`/`OWN` line, or two MEDLINE-only tags and no RIS `TY`, among the first 80
        non-blank lines (after any BOM, blank lines or banner)."""
        only = 0
        lines = [x.lstrip("\ufeff") for x in head.splitlines() if x.strip()][:80]
        for line in lines:
            if line.startswith(("TY  -", "TY -")):
                return False
            tag = _tag(line)
            if tag is None:
                continue
            if tag[0] in _RECORD_STARTS:
                return True
            only += tag[0] in _MEDLINE_ONLY
        return only >= 2

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        tags: dict[str, list[str]] = {}
        last: list[str] | None = None
        banner = [0, 0]  # (records seen, lines of text before the first one)

        def finish() -> Entry | None:
            if not lines:
                return None
            raw = "\n".join(lines)
            if not tags and not banner[0]:  # a banner or header before the first record
                banner[1] += len(lines)
                return None
            banner[0] += 1
            if not tags:
                return RejectedEntry(
                    start, f"lines {start}-{start + len(lines) - 1} hold no MEDLINE tags", raw
                )
            fields = medline_fields(tags)
            key = medline_key(tags)
            if not key and not fields["title"]:
                return RejectedEntry(start, f"entry at line {start} has neither PMID nor TI", raw)
            return ParsedEntry(start, raw, key, fields)

        for n, line in source.lines():
            line = line.lstrip("\ufeff").rstrip()
            if not line:
                entry = finish()
                if entry:
                    yield entry
                start, lines, tags, last = 0, [], {}, None
                continue
            tag = _tag(line)
            if tag and tag[0] in _RECORD_STARTS and tag[0] in tags:
                entry = finish()
                if entry:
                    yield entry
                start, lines, tags, last = 0, [], {}, None
            if not start:
                start = n
            lines.append(line)
            if tag:
                last = tags.setdefault(tag[0], [])
                last.append(tag[1])
            elif (last is not None and line.startswith(" ")) or last is not None:
                last[-1] = f"{last[-1]} {line.strip()}"
        entry = finish()
        if entry:
            yield entry
        if banner[1]:
            source.warnings.append(
                f"{banner[1]} line(s) before the first MEDLINE record were skipped"
            )
