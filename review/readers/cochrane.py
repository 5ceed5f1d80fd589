"""The Cochrane Library's plain-text export (CENTRAL trials, and reviews from the Cochrane
Database of Systematic Reviews), "Export selected citation(s)" as "Plain text":

    Record #1 of 2
    ID: CN-01987654
    AU: Hart A
    AU: Mensah K
    TI: Mindfulness training for nurses: a randomised trial
    SO: Journal of advanced nursing
    YR: 2019
    VL: 75
    NO: 3
    PG: 512-524
    PM: PUBMED 30412345
    KY: Burnout, Professional [prevention & control]; Humans
    DOI: 10.1111/jan.13901
    AB: ...
    US: https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01987654/full

A record starts at its `Record #N of M` line (or, in a copy without those lines, at an `ID:`
line after a record that has one). An untagged line continues the previous field. A record
with neither `ID` nor `TI` is rejected and kept verbatim; a file holding fewer records than
its headers announce is reported in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.normalize import collapse, split_list
from review.readers.base import Entry, ParsedEntry, RejectedEntry, first_nonblank
from review.readers.source import SourceFile

_HEADER = re.compile(r"^\s*Record\s*#\s*(\d+)\s+of\s+(\d+)\s*$", re.IGNORECASE)
_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}):(?:\s+(.*)|\s*)$")
_TYPES = {"journal article": "JOUR", "conference proceeding": "CPAPER", "review": "JOUR"}


def cochrane_fields(tags: dict[str, list[str]]) -> tuple[str, dict[str, object]]:
    """Map one record's tags to (source key, record fields)."""

    def first(*names: str) -> str:
        return collapse(first_nonblank(tags, *names))

    pubmed = first("PM")
    kind = first("PT").split(";")[0].strip().lower()
    fields: dict[str, object] = {
        "type": _TYPES.get(kind, "JOUR" if first("SO") else ""),
        "title": first("TI"),
        "authors": [collapse(a) for a in tags.get("AU", ()) if a.strip()],
        "year": first("YR"),
        "journal": first("SO"),
        "volume": first("VL"),
        "issue": first("NO"),
        "pages": first("PG"),
        "doi": first("DOI"),
        "pmid": pubmed if "pubmed" in pubmed.lower() else "",
        "issn": first("SN"),
        "url": first("US"),
        "abstract": first("AB"),
        "keywords": [k for v in tags.get("KY", ()) for k in split_list(v, ";")],
        "language": first("LA"),
    }
    return first("ID"), fields


class CochraneReader:
    """Cochrane Library plain-text export."""

    name = "cochrane"
    description = "Cochrane Library plain text (.txt): Record #1 of N, ID:, TI:, AU:..."

    def sniff(self, head: str, source: SourceFile) -> bool:
        lines = [x.strip() for x in head.lstrip("\ufeff").splitlines() if x.strip()][:60]
        headers = sum(1 for x in lines if _HEADER.match(x))
        tags = {m.group(1) for m in (_TAG.match(x) for x in lines) if m}
        if headers:
            return bool({"ID", "TI"} & tags) and len(tags) >= 2
        # a copy without the "Record #" lines: CENTRAL's "ID: CN-...", a review's "ID: CD..."
        return bool(lines) and lines[0].startswith("ID: ") and "TI" in tags and len(tags) >= 3

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        tags: dict[str, list[str]] = {}
        last: list[str] | None = None
        announced = found = skipped = 0

        def entry() -> Entry:
            raw = "\n".join(lines).rstrip()
            if not (tags.get("ID") or tags.get("TI")):
                return RejectedEntry(start, f"record at line {start} has no ID or TI line", raw)
            key, fields = cochrane_fields(tags)
            return ParsedEntry(start, raw, key, fields)

        for n, line in source.lines():
            line = line.lstrip("\ufeff") if n == source.first_line else line
            header = _HEADER.match(line)
            tag = None if header else _TAG.match(line)
            if header or (tag and tag.group(1) == "ID" and "ID" in tags):
                if start:
                    found += 1
                    yield entry()
                start, lines, tags, last = n, [line], {}, None
                if header:
                    announced = max(announced, int(header.group(2)))
                    continue
            if tag:
                if not start:
                    start, lines = n, []
                lines.append(line)
                last = tags.setdefault(tag.group(1), [])
                last.append((tag.group(2) or "").strip())
            elif start:
                lines.append(line)
                if line.strip() and last is not None:
                    last[-1] = f"{last[-1]} {line.strip()}".strip()
            elif line.strip():
                skipped += 1
        if start:
            found += 1
            yield entry()
        if skipped:
            source.warnings.append(f"{skipped} line(s) outside any Cochrane record were skipped")
        if found < announced and source.end is None and source.start == 0:
            source.warnings.append(
                f"the file announces {announced} records but holds {found} (is it truncated?)"
            )
