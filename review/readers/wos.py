"""Web of Science plain text ("field-tagged", `.txt`/`.isi`): `FN`/`VR` header, records from
`PT` to `ER`, two-letter tags, values continued on lines indented by three spaces (one item per
line for authors and cited references), `EF` at the end."""

from __future__ import annotations

from collections.abc import Iterator

from review.normalize import join_pages
from review.readers.base import Entry, ParsedEntry, RejectedEntry
from review.readers.source import SourceFile

_MULTI = {"AU", "AF", "CR", "C1", "BA", "BF", "ED", "GP", "CA"}
_TYPES = {"J": "JOUR", "B": "BOOK", "S": "SER", "P": "PAT", "C": "CONF"}


def wos_fields(tags: dict[str, list[str]]) -> tuple[str, dict[str, object]]:
    """Map WoS tags to (source key, record fields)."""

    def first(*names: str) -> str:
        for n in names:
            if tags.get(n):
                return " ".join(tags[n]) if n not in _MULTI else tags[n][0]
        return ""

    keywords: list[str] = []
    for tag in ("DE", "ID"):
        for value in tags.get(tag, []):
            keywords.extend(k.strip() for k in value.split(";") if k.strip())
    dt = first("DT")
    type_ = _TYPES.get(first("PT"), "JOUR")
    if "proceedings" in dt.lower():
        type_ = "CPAPER"
    sn = first("SN") or first("EI")
    return first("UT"), {
        "title": first("TI"),
        "authors": tags.get("AF") or tags.get("AU") or [],
        "journal": first("SO"),
        "year": first("PY", "PD", "EA"),
        "volume": first("VL"),
        "issue": first("IS"),
        "pages": join_pages(first("BP"), first("EP")) or first("AR"),
        "doi": first("DI"),
        "pmid": first("PM"),
        "abstract": first("AB"),
        "keywords": keywords,
        "language": first("LA"),
        "issn": sn,
        "isbn": first("BN"),
        "type": type_,
    }


def _tag(line: str) -> tuple[str, str] | None:
    if len(line) >= 2 and line[0].isupper() and (line[1].isupper() or line[1].isdigit()):
        if len(line) == 2:
            return line, ""
        if line[2] == " ":
            return line[:2], line[3:].strip()
    return None


class WosReader:
    """Clarivate Web of Science / ISI plain-text export."""

    name = "wos"
    description = "Web of Science plain text (.txt, .isi)"

    def sniff(self, head: str, source: SourceFile) -> bool:
        lines = [x for x in head.lstrip("\ufeff").splitlines()[:20] if x.strip()]
        if not lines:
            return False
        if any(x.startswith(("TY  -", "TY -")) for x in lines):
            return False  # RIS
        for i, line in enumerate(lines[:10]):  # past a banner before the FN/PT line
            if line.startswith("FN ") or (
                line.startswith("PT ") and any(x.startswith(("AU ", "TI ")) for x in lines[i:])
            ):
                return True
        return False

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0
        lines: list[str] = []
        tags: dict[str, list[str]] = {}
        last: tuple[str, list[str]] | None = None
        for n, line in source.lines():
            line = line.lstrip("\ufeff").rstrip()
            if line.startswith("   ") and start:
                lines.append(line)
                if last is not None:
                    code, values = last
                    if code in _MULTI:
                        values.append(line.strip())
                    else:
                        values[-1] = f"{values[-1]} {line.strip()}"
                continue
            tag = _tag(line)
            if tag is None:
                if start:
                    lines.append(line)
                continue
            code, value = tag
            if code in ("FN", "VR", "EF") and not start:
                continue
            if code == "PT":
                if start:
                    yield RejectedEntry(
                        start,
                        f"record starting at line {start} has no ER end tag (the next "
                        f"record starts at line {n})",
                        "\n".join(lines).rstrip(),
                    )
                start, lines, tags = n, [line], {"PT": [value]}
                last = ("PT", tags["PT"])
                continue
            if not start:
                start, lines, tags = n, [], {}
            lines.append(line)
            if code == "ER":
                raw = "\n".join(lines)
                if "PT" in tags:
                    key, fields = wos_fields(tags)
                    yield ParsedEntry(start, raw, key, fields)
                else:
                    yield RejectedEntry(
                        start, f"entry at lines {start}-{n} has no PT start tag", raw
                    )
                start, lines, tags, last = 0, [], {}, None
                continue
            values = tags.setdefault(code, [])
            values.append(value)
            last = (code, values)
        if start:
            yield RejectedEntry(
                start,
                f"record starting at line {start} has no ER end tag before the end of the file "
                "(is the file truncated?)",
                "\n".join(lines).rstrip(),
            )
