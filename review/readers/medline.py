"""PubMed/MEDLINE (`.nbib`, `.txt`): `PMID- 123` blocks of 4-character tags, values continued
on lines indented by six spaces, records separated by blank lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.readers.base import Entry, ParsedEntry, RejectedEntry
from review.readers.source import SourceFile

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_TYPES = {
    "journal article": "JOUR",
    "review": "JOUR",
    "book": "BOOK",
    "books and documents": "BOOK",
    "congress": "CONF",
    "preprint": "JOUR",
}


def _tag(line: str) -> tuple[str, str] | None:
    if len(line) >= 5 and line[4] == "-" and line[0].isupper():
        m = _TAG.match(line)
        if m:
            return m.group(1), m.group(2).strip()
    return None


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
    types = [t.lower() for t in tags.get("PT", [])]
    type_ = next((_TYPES[t] for t in types if t in _TYPES), "JOUR" if types else "")
    issn = first("IS").split(" (")[0]
    return {
        "pmid": first("PMID"),
        "title": first("TI", "BTI"),
        "abstract": " ".join(tags.get("AB", [])),
        "authors": tags.get("FAU") or tags.get("AU") or [],
        "year": first("DP", "DEP", "EDAT"),
        "journal": first("JT", "TA"),
        "volume": first("VI"),
        "issue": first("IP"),
        "pages": first("PG"),
        "doi": doi,
        "issn": issn,
        "isbn": first("ISBN"),
        "language": first("LA"),
        "type": type_,
        "keywords": tags.get("OT", []) + tags.get("MH", []),
    }


class MedlineReader:
    """PubMed's MEDLINE display format."""

    name = "medline"
    description = "PubMed/MEDLINE (.nbib, .txt)"

    def sniff(self, head: str, source: SourceFile) -> bool:
        for line in head.lstrip("\ufeff").splitlines()[:50]:
            if line.startswith("PMID-") or line.startswith("PMID -"):
                return True
        return False

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        tags: dict[str, list[str]] = {}
        last: list[str] | None = None

        def finish() -> Entry | None:
            if not lines:
                return None
            raw = "\n".join(lines)
            if not tags:
                return RejectedEntry(
                    start, f"lines {start}-{start + len(lines) - 1} hold no MEDLINE tags", raw
                )
            fields = medline_fields(tags)
            if not fields["pmid"] and not fields["title"]:
                return RejectedEntry(start, f"entry at line {start} has neither PMID nor TI", raw)
            return ParsedEntry(start, raw, str(fields["pmid"]), fields)

        for n, line in source.lines():
            line = line.lstrip("\ufeff").rstrip()
            if not line:
                entry = finish()
                if entry:
                    yield entry
                start, lines, tags, last = 0, [], {}, None
                continue
            tag = _tag(line)
            if tag and tag[0] == "PMID" and tags:
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
