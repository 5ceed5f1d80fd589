"""Reading an XML export as a stream of record elements (EndNote XML, PubMed XML).

The file is fed to the standard library's pull parser one line at a time, so each record gets
the line where its start tag is, and a finished record is dropped from the tree (a large file
is never held whole). A file that stops being well-formed keeps the records read before the
error; the rest of the file, from the unfinished record on, becomes one rejected entry, so
nothing is lost. A file with no readable record is refused.

Entity declarations are refused before anything is parsed: expat expands internal entities
(a few lines of `<!ENTITY>` make gigabytes: "billion laughs"), and no reference manager or
database writes them. An external DTD (`<!DOCTYPE PubmedArticleSet PUBLIC ...>`) is fine:
the parser never fetches it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from review.errors import ImportFormatError
from review.readers.base import Entry, RejectedEntry
from review.readers.source import SourceFile

# What may precede the document element: the XML declaration, processing instructions,
# comments, whitespace and a DOCTYPE (with or without an internal subset).
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S)
_ELEMENT = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")


@dataclass(frozen=True, slots=True)
class XmlRecords:
    """One XML format: the tags of its records and the words its refusals use."""

    record_tags: frozenset[str]
    records: str  # the records as named in a message, e.g. "<record>"
    export_hint: str  # how to get a good file, e.g. "export the references from EndNote as XML"


def root_tag(head: str) -> str:
    """The name of the document element of an XML text's start ("" if it is not XML)."""
    text = head.lstrip("\ufeff")
    pos = 0
    while (m := _PROLOG_ITEM.match(text, pos)) and m.end() > pos:
        pos = m.end()
    m = _ELEMENT.match(text, pos)
    return m.group(1) if m else ""


def text_of(element: ET.Element | None) -> str:
    """The text of an element with its inline children's (`<style>` runs, `<i>`, `<sup>`)."""
    return "".join(element.itertext()).strip() if element is not None else ""


def first_text(element: ET.Element, *paths: str) -> str:
    """The first non-empty text found at `paths`, tried in order ("" if none)."""
    for path in paths:
        for el in element.iterfind(path):
            value = text_of(el)
            if value:
                return value
    return ""


def all_texts(element: ET.Element, path: str) -> list[str]:
    """The non-empty texts of every element at `path`."""
    return [v for v in (text_of(el) for el in element.iterfind(path)) if v]


def serialize(element: ET.Element) -> str:
    """An element as XML text, without the text that follows it."""
    tail, element.tail = element.tail, None
    try:
        return ET.tostring(element, encoding="unicode")
    finally:
        element.tail = tail


def xml_entries(
    source: SourceFile, spec: XmlRecords, entry: Callable[[int, ET.Element], Entry]
) -> Iterator[Entry]:
    """`entry(line, element)` for every record element of the file, in file order; then the
    unreadable rest of a malformed file as one rejected entry."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    open_elements: list[ET.Element] = []
    in_prolog = True
    record_line = 0
    yielded = 0
    # Text not yet part of a finished record: the lines since the last record's end, and where
    # in the first of them that record ended (so an error can keep the rest whole).
    pending: list[str] = []
    pending_line = 1
    pending_cut = 0
    ended_here: dict[str, int] = {}  # records ended on the current line, by tag
    tags = spec.record_tags
    with source.open_text() as f:
        for n, line in enumerate(f, 1):
            if n == 1:
                line = line.lstrip("\ufeff")
            if in_prolog and "<!ENTITY" in line:
                raise ImportFormatError(
                    f"{source.path}: line {n} declares an XML entity (<!ENTITY); "
                    "entity declarations are refused, as they can expand without limit",
                    hint=f"{spec.export_hint}; no export declares entities",
                )
            pending.append(line)
            ended_here.clear()
            try:
                parser.feed(line)
                for item in parser.read_events():
                    event, el = item[0], item[-1]
                    if not isinstance(el, ET.Element):
                        continue
                    in_prolog = False
                    if event == "start":
                        if el.tag in tags and not _inside(open_elements, tags):
                            record_line = n
                        open_elements.append(el)
                        continue
                    open_elements.pop()
                    if el.tag not in tags or _inside(open_elements, tags):
                        continue
                    yield entry(record_line, el)
                    yielded += 1
                    if open_elements:
                        open_elements[-1].remove(el)
                    ended_here[el.tag] = nth = ended_here.get(el.tag, 0) + 1
                    pending, pending_line = [line], n
                    pending_cut = _after_nth(line, f"</{el.tag}>", nth)
            except ET.ParseError as e:
                rest = "".join(pending)[pending_cut:] + "".join(f)
                yield from _rest(source, spec, e, rest, pending_line, yielded)
                return
        try:
            parser.close()
            for _ in parser.read_events():
                pass
        except ET.ParseError as e:
            rest = "".join(pending)[pending_cut:]
            yield from _rest(source, spec, e, rest, pending_line, yielded)
            return
    if not yielded:
        raise ImportFormatError(
            f"{source.path}: no {spec.records} elements in this XML file",
            hint=spec.export_hint,
        )


def _rest(
    source: SourceFile,
    spec: XmlRecords,
    error: ET.ParseError,
    rest: str,
    line: int,
    yielded: int,
) -> Iterator[RejectedEntry]:
    """The text from the unfinished record to the end of the file, as one rejected entry
    (or a warning when the error comes after the last record)."""
    if not yielded:
        raise ImportFormatError(
            f"{source.path}: not well-formed XML, and no record could be read before the "
            f"error ({error})",
            hint=f"check that the file is complete; {spec.export_hint}",
        ) from error
    stripped = rest.lstrip()
    line += rest[: len(rest) - len(stripped)].count("\n")
    if not any(f"<{tag}" in stripped for tag in spec.record_tags):
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


def _inside(open_elements: list[ET.Element], tags: frozenset[str]) -> bool:
    return any(e.tag in tags for e in open_elements)


def _after_nth(text: str, needle: str, nth: int) -> int:
    """The index just after the nth occurrence of needle in text (0 if there are fewer)."""
    pos = -1
    for _ in range(nth):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return 0
    return pos + len(needle)
