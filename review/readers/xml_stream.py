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
from typing import cast

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

    reader: str  # the name of the reader, e.g. "endnote-xml"
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
    source: SourceFile, spec: XmlRecords, entry: Callable[[int, ET.Element, str], Entry]
) -> Iterator[Entry]:
    """`entry(line, element, raw)` for every record element of the file, in file order, `raw`
    its text as written; then the unreadable rest of a malformed file as one rejected entry.
    Several documents one after the other (efetch batches appended to one file, each with
    its `<?xml ...?>`) are read as one."""
    return _Stream(source, spec, entry).entries()


class _Stream:
    """The state of one pass over an XML file (see `xml_entries`)."""

    def __init__(
        self,
        source: SourceFile,
        spec: XmlRecords,
        entry: Callable[[int, ET.Element, str], Entry],
    ) -> None:
        self.source, self.spec, self.entry = source, spec, entry
        self.parser = _parser()
        self.doc_line, self.doc_column = 1, 0  # where the current document starts
        self.open: list[ET.Element] = []
        self.in_record = 0  # open record elements (more than one if records nest)
        self.in_prolog = True
        self.root_closed = False
        self.record_line = 0
        self.record_start = (0, -1)  # the record's start tag: (index in pending, column)
        self.yielded = 0
        # Text not yet part of a finished record: the lines since the last record's end, and
        # where in the first of them that record ended (so an error can keep the rest whole).
        self.pending: list[str] = []
        self.pending_line = 1
        self.pending_cut = 0
        self.cursor = 0  # where in the current line the last record's tag was found
        self.root_end = (0, 0)  # (line, column) just after the document element's end

    def entries(self) -> Iterator[Entry]:
        with self.source.open_text() as f:
            for n, line in enumerate(f, 1):
                if n == 1:
                    line = line.lstrip("\ufeff")
                self.pending.append(line)
                self.cursor = 0
                try:
                    yield from self.feed_line(line, n)
                except ET.ParseError as e:
                    rest = "".join(self.pending)[self.pending_cut :] + "".join(f)
                    yield from self.rest(e, rest)
                    return
            try:
                self.close()
            except ET.ParseError as e:
                yield from self.rest(e, "".join(self.pending)[self.pending_cut :])
                return
        if not self.yielded:
            raise ImportFormatError(
                f"{self.source.path}: no {self.spec.records} elements in this XML file",
                hint=self.other_format() or self.spec.export_hint,
            )

    def feed_line(self, line: str, n: int) -> Iterator[Entry]:
        """Feed line `n`; a document that starts after the last one ended (its own
        `<?xml ...?>`, or the next record of a fragment holding only records, as the
        quarantine shows them) starts a new parser."""
        at = line.find("<?xml") if not self.in_prolog else -1
        if at >= 0:  # perhaps the next document of several
            yield from self.feed(line[:at], n, line)
            if self.root_closed:
                self.close()
                self.restart(line, n, at)
        try:
            yield from self.feed(line[max(at, 0) :], n, line)
        except ET.ParseError as e:
            if not (self.root_closed and e.code == _JUNK_AFTER_DOCUMENT):
                raise
            at = self.root_end[1] if self.root_end[0] == n else 0
            self.restart(line, n, at)
            yield from self.feed(line[at:], n, line)

    def restart(self, line: str, n: int, column: int) -> None:
        """A new document starts at `column` of line `n`."""
        self.parser, self.in_prolog, self.root_closed = _parser(), True, False
        self.doc_line, self.doc_column = n, column
        self.pending, self.pending_line, self.pending_cut = [line], n, column
        self.cursor = column

    def other_format(self) -> str:
        """A hint naming the format the file looks like, when it is not this one (the
        format was forced with --format); "" otherwise."""
        from review.readers.registry import detect_reader

        try:
            other = detect_reader(self.source).name
        except ImportFormatError:
            return ""
        if other == self.spec.reader:
            return ""
        return f"its content looks like {other}: try --format {other} or leave --format out"

    def feed(self, text: str, n: int, line: str) -> Iterator[Entry]:
        """Feed part of line `n` (the whole `line`) to the parser; yield the records it ends."""
        if self.in_prolog and "<!ENTITY" in text:
            raise ImportFormatError(
                f"{self.source.path}: line {n} declares an XML entity (<!ENTITY); "
                "entity declarations are refused, as they can expand without limit",
                hint=f"{self.spec.export_hint}; no export declares entities",
            )
        self.parser.feed(text)
        tags, open_ = self.spec.record_tags, self.open
        # only start and end events are asked for: each carries an element
        events = cast(Iterator[tuple[str, ET.Element]], self.parser.read_events())
        for event, el in events:
            self.in_prolog = False
            if event == "start":
                if el.tag in tags:
                    if not self.in_record:
                        self.record_line = n
                        at = _start_tag(line, el.tag, self.cursor)
                        self.record_start = (len(self.pending) - 1, at)
                        self.cursor = max(at + 1, self.cursor)
                    self.in_record += 1
                open_.append(el)
                continue
            open_.pop()
            if not open_:
                self.root_closed = True
                close = line.find(f"</{el.tag}>", self.cursor)
                self.root_end = (n, close + len(el.tag) + 3 if close >= 0 else len(line))
            if el.tag not in tags:
                continue
            self.in_record -= 1
            if self.in_record:
                continue
            end = line.find(f"</{el.tag}>", self.cursor)
            end = end + len(el.tag) + 3 if end >= 0 else 0
            self.cursor = max(end, self.cursor)
            yield self.entry(self.record_line, el, self.verbatim(line, end) or serialize(el))
            self.yielded += 1
            if open_:
                open_[-1].remove(el)
            self.pending, self.pending_line, self.pending_cut = [line], n, end

    def verbatim(self, line: str, end: int) -> str:
        """The text of the record that ends at `end` in `line` ("" if its tags were not
        found where the parser saw them)."""
        first, column = self.record_start
        if column < 0 or end <= 0:
            return ""
        if first == len(self.pending) - 1:
            return line[column:end]
        return self.pending[first][column:] + "".join(self.pending[first + 1 : -1]) + line[:end]

    def close(self) -> None:
        self.parser.close()
        for _ in self.parser.read_events():
            pass

    def rest(self, error: ET.ParseError, rest: str) -> Iterator[RejectedEntry]:
        """The text from the unfinished record to the end of the file, as one rejected entry
        (or a warning when the error comes after the last record)."""
        error = _in_file(error, self.doc_line, self.doc_column)
        source, spec = self.source, self.spec
        if not self.yielded:
            raise ImportFormatError(
                f"{source.path}: not well-formed XML, and no record could be read before the "
                f"error ({error})",
                hint=f"check that the file is complete; {spec.export_hint}",
            ) from error
        stripped = rest.lstrip()
        line = self.pending_line + rest[: len(rest) - len(stripped)].count("\n")
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


_JUNK_AFTER_DOCUMENT = 9  # expat's XML_ERROR_JUNK_AFTER_DOC_ELEMENT


def _parser() -> ET.XMLPullParser[ET.Element]:
    return ET.XMLPullParser(events=("start", "end"))


def _in_file(error: ET.ParseError, doc_line: int, doc_column: int) -> ET.ParseError:
    """The parser's error with its position counted from the file's start, not from that of
    the document it was parsing (the second of several, say)."""
    if doc_line == 1 and doc_column == 0:
        return error
    line, column = error.position
    column += doc_column if line == 1 else 0
    line += doc_line - 1
    what = str(error).rsplit(": line ", 1)[0]
    located = ET.ParseError(f"{what}: line {line}, column {column}")
    located.code, located.position = error.code, (line, column)
    return located


def _start_tag(line: str, tag: str, start: int) -> int:
    """Where `<tag` (the whole name) opens in `line` from `start` on; -1 if it does not."""
    needle = f"<{tag}"
    at = line.find(needle, start)
    while at >= 0:
        after = line[at + len(needle) : at + len(needle) + 1]
        if after in (">", "/", "") or after.isspace():
            return at
        at = line.find(needle, at + 1)
    return -1
