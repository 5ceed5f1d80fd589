"""EndNote/Refer tagged text (`%0 Journal Article`, `%T title`, `%A author`...), the `.enw` and
`.txt` exports of EndNote, AIS eLibrary, Google Scholar and others.

A record is a run of tagged lines; a blank line ends it, and so does a second `%0` (files that
leave out the blank lines). Records need not start with `%0`: AIS puts `%T` first and often has
no `%0` at all. A line without a tag continues the previous field. Text before the first tag
of a block is skipped and counted in a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from review.normalize import collapse
from review.readers.base import Entry, ParsedEntry, first_nonblank, names_pubmed
from review.readers.endnote_xml import endnote_type, isbn_or_issn
from review.readers.source import SourceFile

_TAG = re.compile(r"^%(\S)(?:[ \t]+(.*)|[ \t]*)$")


def split_refer_tag(line: str) -> tuple[str, str] | None:
    """`("A", "Smith, J")` for `%A Smith, J`; None for an untagged line."""
    m = _TAG.match(line)
    if m is None:
        return None
    return m.group(1), (m.group(2) or "").strip()


def refer_fields(tags: dict[str, list[str]]) -> tuple[str, dict[str, object]]:
    """Map collected tags (values may hold continuation lines after `\\n`) to (key, fields)."""

    first = functools.partial(first_nonblank, tags)

    def items(name: str, seps: str = "\n") -> list[str]:
        out: list[str] = []
        for v in tags.get(name, ()):
            out.extend(x for x in (collapse(p) for p in re.split(f"[{seps}]", v)) if x)
        return out

    type_name = first("0")
    type_ = endnote_type(type_name) if type_name else ("JOUR" if first("J") else "GEN")
    urls = items("U")
    doi = first("R")
    if "10." not in doi:
        doi = next((u for u in urls if "doi.org/10." in u), "")
    isbn, issn = isbn_or_issn(first("@"))
    accession = collapse(first("M"))
    database = " ".join(tags.get("~", []) + tags.get("W", [])).lower()
    pmid = accession if accession.isdigit() and names_pubmed(database) else ""
    fields: dict[str, object] = {
        "type": type_,
        "title": first("T"),
        "authors": items("A") or items("E"),
        "year": first("D", "8"),
        "journal": first("J", "B"),
        "volume": first("V"),
        "issue": first("N"),
        "pages": first("P"),
        "doi": doi,
        "pmid": pmid,
        "isbn": isbn,
        "issn": issn,
        "url": urls[0] if urls else "",
        "abstract": first("X"),
        "keywords": items("K", "\n;"),
        "language": first("G"),
    }
    return collapse(first("F")) or accession, fields


class ReferReader:
    """EndNote/Refer `%`-tagged text."""

    name = "refer"
    description = "EndNote/Refer tagged (.enw, .txt): %0 type, %T title, %A author..."

    def sniff(self, head: str, source: SourceFile) -> bool:
        lines = [x.strip() for x in head.lstrip("\ufeff").splitlines() if x.strip()][:50]
        if not lines or split_refer_tag(lines[0]) is None:
            return False
        tags = [t[0] for t in (split_refer_tag(x) for x in lines) if t is not None]
        return len(tags) >= 2 and bool({"0", "T", "A"} & set(tags))

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        tags: dict[str, list[str]] = {}
        last: list[str] | None = None
        skipped = 0

        def entry() -> ParsedEntry:
            key, fields = refer_fields(tags)
            return ParsedEntry(start, "\n".join(lines).rstrip(), key, fields)

        for n, line in source.lines():
            if n == 1:
                line = line.lstrip("\ufeff")
            if not line.strip():
                if start:
                    yield entry()
                start, lines, tags, last = 0, [], {}, None
                continue
            tag = split_refer_tag(line)
            if tag is None:
                if last is None:
                    skipped += 1
                    continue
                lines.append(line)
                last[-1] = f"{last[-1]}\n{line.strip()}" if last[-1] else line.strip()
                continue
            code, value = tag
            if start and code == "0" and "0" in tags:
                yield entry()
                start, lines, tags = 0, [], {}
            if not start:
                start = n
            lines.append(line)
            last = tags.setdefault(code, [])
            last.append(value)
        if start:
            yield entry()
        if skipped:
            source.warnings.append(f"{skipped} line(s) outside any Refer record were skipped")
