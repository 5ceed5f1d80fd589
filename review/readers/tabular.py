"""Spreadsheets of references: generic CSV/TSV (ASReview, Zotero, Embase, SYNERGY...), Scopus
CSV, Web of Science tab-delimited and Excel workbooks.

One header row names the columns; `ColumnSpec` says which header names feed each record field
(case-insensitive, first non-empty cell wins) and `ColumnMap` applies it to a row, so the
delimited readers and the XLSX reader share one mapping. Delimited text is parsed by the `csv`
module one row at a time from `SourceFile.open_text()`; a row may span several lines (quoted
cells with newlines), and its first line and verbatim text are tracked as it is read. A row
the `csv` module cannot parse (a stray or unterminated quote) is rejected with every line it
swallowed; a row with more or fewer cells than the header is imported with a warning if it
still has a title, else rejected.
"""

from __future__ import annotations

import ast
import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from review.normalize import join_pages, split_list
from review.readers.authors import split_comma_names
from review.readers.base import TEXT_FIELDS, Entry, ParsedEntry, RejectedEntry
from review.readers.columns import (
    GENERIC_COLUMNS,
    SCOPUS_COLUMNS,
    WOS_COLUMNS,
    ColumnSpec,
    header_key,
    is_wos_tag_header,
    spec_for_header,
    unmapped_columns,
)
from review.readers.source import SourceFile

__all__ = [  # the column specs live in review.readers.columns; re-exported for callers
    "GENERIC_COLUMNS",
    "SCOPUS_COLUMNS",
    "WOS_COLUMNS",
    "ColumnMap",
    "ColumnSpec",
    "header_key",
]


# Longest cell accepted (characters). The csv default (131072) is below what a Scopus
# "References" cell can reach; the limit is only ever raised, never lowered.
MAX_CELL = 1 << 24
_DELIMITERS = ("\t", ";", ",")
_PLACEHOLDERS = {"[no abstract available]", "[no author name available]", "[no title available]"}
_INITIALS_NAME = re.compile(r"[^\d,;]*\S\s(?:[A-Z][a-z]?\.?-?\s?)+")  # "Smith J.", "Adler D.G."
_GLUED_NAMES = re.compile(r"(?<=[A-Z]\.)(?=[A-Z][a-z])")  # "Adeli K.Lewis G. F."
_OUTSIDE_PARENS_COMMA = re.compile(r",(?![^()]*\))")
_AUTHOR_ID = re.compile(r"\s*\(\d{6,}\)$")  # Scopus: "Hart, Amelia (57190000001)"
# Zotero's Extra: "PMID: 35319117", "DOI: 10.1/x", one per line (or run together by a tool)
_EXTRA_ID = {name: re.compile(rf"(?:^|\s){name}:\s*(\S+)") for name in ("PMID", "DOI")}
# Embase puts the whole citation in "Source": "Cancer (2004) 102:4 (253-258). Date of ..."
_EMBASE_SOURCE = re.compile(
    r"(?P<journal>.+?) \((?P<year>\d{4})\)(?: (?P<volume>[^\s:(]+)(?::(?P<issue>[^\s(]+))?)?"
    r"(?: \((?P<pages>[^)]*)\))?\.?(?: Date of Publication:.*)?"
)
_CITATION = re.compile(r";\s*(?P<volume>[^;():\s]+)(?:\((?P<issue>[^)]*)\))?:(?P<pages>[\w-]+)")
# Document types of Zotero, Scopus, WoS (DT and PT letters), OpenAlex/Crossref, BibTeX..., by
# RIS type code, written without case, spaces, hyphens or underscores.
_TYPE_NAMES = {
    "JOUR": "journalarticle article review letter editorial editorialmaterial note erratum "
    "shortsurvey articleinpress datapaper retracted comment correction j",
    "BOOK": "book b monograph",
    "EDBOOK": "editedbook",
    "CHAP": "booksection bookchapter chapter bookpart incollection inbook",
    "CPAPER": "conferencepaper proceedingspaper proceedingsarticle inproceedings conference",
    "CONF": "conferenceproceedings conferencereview proceedings c",
    "ABST": "meetingabstract abstract",
    "RPRT": "report technicalreport techreport",
    "THES": "thesis dissertation phdthesis mastersthesis",
    "UNPB": "preprint postedcontent manuscript",
    "ELEC": "webpage website",
    "PAT": "patent p",
    "SER": "bookseries s",
    "DATA": "dataset",
    "BLOG": "blogpost",
    "NEWS": "newspaperarticle",
    "MGZN": "magazinearticle",
}
_TYPE_CODES = {name: code for code, names in _TYPE_NAMES.items() for name in names.split()}
_OTHER_RIS_CODES = (
    "ADVS AGGR ANCIENT ART BILL CASE CHART CLSWK COMP CTLG DBASE DICT EBOOK ECHAP EJOUR ENCYC EQUA "
    "FIGURE GEN GOVDOC GRANT HEAR ICOMM INPR JFULL LEGAL MANSCPT MAP MPCT MULTI MUSIC PAMP PCOMM "
    "SLIDE SOUND STAND STAT UNBILL VIDEO WEB"
)
_RIS_CODES = frozenset(_TYPE_NAMES) | frozenset(_OTHER_RIS_CODES.split())


def split_authors(cell: str) -> list[str]:
    """One cell of authors as a list: `;`-separated, a Python list (ASReview), BibTeX-style
    `A, B and C, D`, or names with initials separated by commas (`Liu R., Adler D.G.`,
    `A Hart, K Mensah`, `Hart, A., Mensah, K.`) or by nothing at all (`Adeli K.Lewis G. F.`,
    as in some R exports). A Scopus Author ID after a name (`Hart, Amelia (57190000001)`) is
    not part of it."""
    return [_AUTHOR_ID.sub("", name) for name in _split_authors(cell.strip())]


def _split_authors(cell: str) -> list[str]:
    if not cell or cell.lower() in _PLACEHOLDERS:
        return []
    if (listed := _python_list(cell)) is not None:
        return listed
    if ";" in cell:
        return split_list(cell, ";")
    if "|" in cell:  # OpenAlex
        return split_list(cell, "|")
    if " and " in cell:
        parts = [p.strip() for p in cell.split(" and ")]
        if all("," in p for p in parts):
            return [p for p in parts if p]
    for separator in (",", _GLUED_NAMES):
        parts = [p.strip() for p in re.split(separator, cell)]
        if len(parts) > 1 and all(_INITIALS_NAME.fullmatch(p) for p in parts if p):
            return [p for p in parts if p]
    return split_comma_names(cell) or [cell]


def split_keywords(cell: str) -> list[str]:
    """Keywords separated by `;` or else by commas outside parentheses, or a Python list."""
    cell = cell.strip()
    if (listed := _python_list(cell)) is not None:
        return listed
    if ";" in cell:
        return split_list(cell, ";")
    if "|" in cell:
        return split_list(cell, "|")
    return [p for p in (x.strip() for x in _OUTSIDE_PARENS_COMMA.split(cell)) if p]


def _python_list(cell: str) -> list[str] | None:
    """`['Marx, Karl', 'Engels, F']` as a list of strings; None if the cell is not one."""
    if not (cell.startswith("[") and cell.endswith("]") and ("'" in cell or '"' in cell)):
        return None
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, list | tuple):
        return None
    return [s for s in (str(v).strip() for v in value) if s]


def type_code(value: str) -> str:
    """A document type as an RIS type code (JOUR, BOOK, CHAP, CPAPER...); GEN if unknown.
    Of several types (`Article; Proceedings Paper`) the most specific wins."""
    value = value.strip()
    if not value:
        return ""
    if value.upper() in _RIS_CODES and (value.isupper() or len(value) > 2):
        return value.upper()
    codes = [_TYPE_CODES.get(re.sub(r"[\s_-]+", "", p.lower())) for p in value.split(";")]
    known = [c for c in codes if c]
    return next((c for c in known if c != "JOUR"), known[0] if known else "GEN")


def _delimiter(line: str) -> str | None:
    """The delimiter of a header line: the most frequent of tab, `;` and `,` outside quotes."""
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else None


def _cells(line: str) -> list[str]:
    """The normalised names of one header line (empty if it has only one cell)."""
    delimiter = _delimiter(line)
    if delimiter is None:
        return []
    try:
        cells = next(csv.reader([line], delimiter=delimiter))
    except csv.Error:
        return []
    return [header_key(c) for c in cells]


_TITLES = frozenset(GENERIC_COLUMNS.fields["title"])
_BANNER_LINES = 10  # non-blank lines searched for the header row


def header_line(head: str) -> int:
    """The index (in `head.split("\\n")`) of the header row: the first of the first non-blank
    lines that names a title column, so that a banner before it (Dimensions' "About the data",
    Excel's `sep=,`) is passed over; else the first non-blank line; -1 if there is none."""
    lines = head.lstrip("\ufeff").split("\n")
    filled = [i for i, ln in enumerate(lines) if ln.strip()][:_BANNER_LINES]
    if len(filled) > 1 and filled[-1] == len(lines) - 1:
        filled.pop()  # the last line of the head may be cut short
    for i in filled:
        if _TITLES & set(_cells(lines[i])):
            return i
    return filled[0] if filled else -1


def _header(head: str) -> list[str]:
    """The normalised names of the header row in `head` (empty if it has only one)."""
    at = header_line(head)
    return _cells(head.lstrip("\ufeff").split("\n")[at]) if at >= 0 else []


def table_columns(head: str) -> list[str] | None:
    """The column names of a file that looks like a table (two or more lines split into the
    same number of cells, at least two, by one delimiter), else None."""
    lines = [ln for ln in head.lstrip("\ufeff").split("\n") if ln.strip()][:6]
    if len(lines) < 2 or (delimiter := _delimiter(lines[0])) is None:
        return None
    try:
        rows = list(csv.reader(lines[:-1] if len(lines) > 2 else lines, delimiter=delimiter))
    except csv.Error:
        return None
    width = len(rows[0])
    if width < 2 or any(len(r) != width for r in rows[1:]):
        return None
    return [" ".join(c.split()) for c in rows[0]]


class ColumnMap:
    """The columns of one header row that feed each record field."""

    def __init__(self, header: Sequence[str], spec: ColumnSpec) -> None:
        self.width = len(header)
        self._spec = spec
        self.header = list(header)
        names: dict[str, list[int]] = {}
        for i, cell in enumerate(header):
            names.setdefault(header_key(cell), []).append(i)
        wanted: dict[str, tuple[str, ...]] = {
            **spec.fields,
            "keywords": spec.keywords,
            "page_start": spec.page_start,
            "page_end": spec.page_end,
            "article_number": spec.article_number,
            "key": spec.key,
            "label": spec.label,
            "citation": spec.citation,
            "extra": spec.extra,
        }
        self._where = {f: [i for w in ws for i in names.get(w, ())] for f, ws in wanted.items()}

    def check_header(self, source: SourceFile) -> None:
        """Warn (once per file) when no column of the header holds titles, and name the
        columns litsift does not map (their cells stay in each record's raw entry)."""
        if not self._where.get("title"):
            source.warnings.append(
                f"{source.name}: no title column in the header (looked for "
                + ", ".join(self._spec.fields["title"])
                + "); records are imported without titles"
            )
        if unmapped := unmapped_columns(self.header, self._spec):
            source.warnings.append(
                f"{source.name}: {len(unmapped)} column(s) not mapped to a record field, kept "
                "only in each record's raw entry: " + ", ".join(unmapped)
            )

    def _first(self, cells: Sequence[str], name: str) -> str:
        for i in self._where.get(name, ()):
            if i < len(cells) and (v := cells[i].strip()) and v.lower() not in _PLACEHOLDERS:
                return cells[i]
        return ""

    def fields(self, cells: Sequence[str]) -> tuple[str, dict[str, object]]:
        """(source key, record fields) of one row of cells."""
        out: dict[str, object] = {n: self._first(cells, n) for n in TEXT_FIELDS}
        year = self._first(cells, "year").strip()
        out["year"] = year[:4] if len(year) == 8 and year.isdigit() else year  # EBSCO 20190301
        out["authors"] = split_authors(self._first(cells, "authors"))
        keywords: list[str] = []
        for i in self._where.get("keywords", ()):
            if i < len(cells):
                keywords.extend(split_keywords(cells[i]))
        out["keywords"] = keywords
        out["type"] = type_code(str(out["type"]))
        if not out["pages"]:
            pages = join_pages(self._first(cells, "page_start"), self._first(cells, "page_end"))
            out["pages"] = pages or self._first(cells, "article_number")
        citation = "" if out["volume"] else self._first(cells, "citation")
        if citation and (c := _CITATION.search(citation)):  # PubMed: "J. 2020;12(3):45-67."
            for name in ("volume", "issue", "pages"):
                out[name] = out[name] or c[name] or ""
        m = _EMBASE_SOURCE.fullmatch(str(out["journal"]).strip())
        if m and (m["pages"] or "Date of Publication:" in m[0]):
            out["journal"] = m["journal"]
            for name in ("year", "volume", "issue", "pages"):
                if not out[name] and m[name]:
                    out[name] = m[name]
        if extra := self._first(cells, "extra"):
            for name, pattern in _EXTRA_ID.items():
                if not out[name.lower()] and (m := pattern.search(extra)):
                    out[name.lower()] = m.group(1)
        if self._where.get("label"):
            out["label_included"] = self._first(cells, "label").strip()
        return self._first(cells, "key").strip(), out

    def entry(self, cells: Sequence[str], line: int, raw: str) -> Entry:
        """The entry for one row; a row whose cell count differs from the header's keeps a
        warning if it has a title, else it is rejected."""
        key, values = self.fields(cells)
        n, width = len(cells), self.width
        if n > width and not any(c.strip() for c in cells[width:]):
            n = width  # trailing empty cells (WoS ends every line with a tab)
        if n == width:
            return ParsedEntry(line, raw, key, values)
        problem = f"row has {n} cells but the header has {width}"
        if not str(values["title"]).strip():
            return RejectedEntry(line, f"{problem}, and no title", raw)
        what = "extra cells ignored" if n > width else "missing cells left empty"
        return ParsedEntry(line, raw, key, values, [f"{problem}: {what}"])


class _LineTap:
    """Feeds lines to `csv.reader` and keeps the physical lines of the row being read."""

    def __init__(self, lines: Iterable[str], consumed: int = 0) -> None:
        self._lines = iter(lines)
        self.consumed = consumed
        self._row: list[str] = []

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed += 1
        self._row.append(line)
        return line

    def take(self) -> tuple[int, int, str]:
        """(first line, last line, verbatim text) of the lines read since the last call."""
        first = self.consumed - len(self._row) + 1
        raw = "".join(self._row)
        self._row = []
        return first, self.consumed, raw.removesuffix("\n")


def _csv_problem(error: csv.Error, first: int, last: int) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return (
            f"unterminated quote: a quoted cell of the row starting at line {first} runs to "
            f"the end of the file (lines {first}-{last} kept verbatim)"
        )
    if "field larger than field limit" in message:
        return (
            f"a cell of the row starting at line {first} is longer than {MAX_CELL} characters "
            f"(an unterminated quote?); lines {first}-{last} kept verbatim"
        )
    return f"malformed row at lines {first}-{last}: {message}"


class _DelimitedReader:
    """Shared reading of delimited text: header row, then one entry per non-blank row."""

    name = ""
    description = ""
    spec = GENERIC_COLUMNS
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
    delimiter: str | None = None  # None: detected from the header line

    def read(self, source: SourceFile) -> Iterator[Entry]:
        if csv.field_size_limit() < MAX_CELL:
            csv.field_size_limit(MAX_CELL)
        skip = max(header_line(source.head()), 0) if self.delimiter is None else 0
        with source.open_text() as f:
            blank, banner = 0, 0
            for line in f:
                if line.strip() and blank + banner >= skip:
                    break
                banner += bool(line.strip())
                blank += not line.strip()
            else:
                return  # nothing but blank lines
            if banner:
                source.warnings.append(
                    f"{source.name}: {banner} line(s) before the header row were skipped"
                )
            tap = _LineTap(_prepend(line, f), consumed=blank + banner)
            delimiter = self.delimiter or _delimiter(line) or ","
            rows = csv.reader(tap, delimiter=delimiter, quoting=self.quoting, strict=True)
            columns: ColumnMap | None = None
            while True:
                try:
                    cells = next(rows)
                except StopIteration:
                    break
                except csv.Error as e:
                    first, last, raw = tap.take()
                    yield RejectedEntry(first, _csv_problem(e, first, last), raw)
                    continue
                first, _, raw = tap.take()
                if not any(c.strip() for c in cells):
                    continue
                if columns is None:
                    columns = ColumnMap(cells, spec_for_header(cells, self.spec))
                    columns.check_header(source)
                    continue
                yield columns.entry(cells, first, raw)


def _prepend(line: str, rest: Iterator[str]) -> Iterator[str]:
    yield line
    yield from rest


class TabularReader(_DelimitedReader):
    """Generic CSV, TSV or semicolon-separated file with ASReview-compatible column names."""

    name = "tabular"
    description = "CSV/TSV (.csv, .tsv, .txt): ASReview, SYNERGY, Zotero, Embase, Rayyan..."
    spec = GENERIC_COLUMNS

    def sniff(self, head: str, source: SourceFile) -> bool:
        names = _header(head)
        return len(names) > 1 and any(n in GENERIC_COLUMNS.fields["title"] for n in names)


class ScopusCsvReader(_DelimitedReader):
    """Scopus CSV export (a header row with Authors, Title, Year, Source title, EID...)."""

    name = "scopus-csv"
    description = "Scopus CSV export (.csv)"
    spec = SCOPUS_COLUMNS

    def sniff(self, head: str, source: SourceFile) -> bool:
        names = set(_header(head))
        return "source title" in names and bool(names & {"eid", "link"})


class WosTabReader(_DelimitedReader):
    """Web of Science tab-delimited export: a header row of field tags (PT AU ... UT)."""

    name = "wos-tab"
    description = "Web of Science tab-delimited (.txt, UTF-8 or UTF-16)"
    spec = WOS_COLUMNS
    quoting = csv.QUOTE_NONE  # WoS writes quotes as they are, never around a cell
    delimiter = "\t"

    def sniff(self, head: str, source: SourceFile) -> bool:
        line = next((ln for ln in head.lstrip("\ufeff").splitlines() if ln.strip()), "")
        return is_wos_tag_header(line.split("\t"))
