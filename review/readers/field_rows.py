"""CSV with one field per row, records separated by blank rows: Embase.com's "CSV - Fields by
row" export (the other layout, "Fields by column", is an ordinary table):

    "TITLE","Mindfulness training for nurses: a randomised trial"
    "AUTHOR NAMES","Hart A., Mensah K."
    "SOURCE TITLE","Journal of Advanced Nursing"
    "PUBLICATION YEAR","2019"
    "DOI","10.1111/jan.13901"

    "TITLE","Sleep hygiene education for shift workers"
    ...

Each record's field names are mapped by the same column names as a table's header
(`review.readers.columns`). A record also ends where its first field name comes again without a
blank row between. A record without a title row, or with a row the `csv` module cannot read (a
stray quote; an unterminated one runs to the end of the file), is rejected with its lines
verbatim.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from review.readers.base import Entry, RejectedEntry
from review.readers.columns import GENERIC_COLUMNS, header_key, unmapped_columns
from review.readers.source import SourceFile
from review.readers.tabular import MAX_CELL, ColumnMap, _csv_problem, _LineTap

_KNOWN = GENERIC_COLUMNS.names()
_TITLES = frozenset(GENERIC_COLUMNS.fields["title"])


def _rows(head: str) -> list[list[str]]:
    lines = [ln for ln in head.lstrip("\ufeff").split("\n") if ln.strip()][:30]
    try:
        return list(csv.reader(lines[:-1] if len(lines) > 1 else lines))
    except csv.Error:
        return []


class FieldRowsReader:
    """Embase's "fields by row" CSV: one `"FIELD","value"` row per field."""

    name = "field-rows"
    description = 'CSV with one field per row ("FIELD","value"), Embase "Fields by row"'

    def sniff(self, head: str, source: SourceFile) -> bool:
        rows = _rows(head)
        if len(rows) < 3 or header_key(rows[0][0]) not in _TITLES:
            return False
        names = [header_key(r[0]) for r in rows if r]
        known = {n for n in names if n in _KNOWN}
        # a table's first column holds values, not field names, after its header row
        return names[1] in _KNOWN and len(known) >= 3 and all(len(r) <= 3 for r in rows)

    def read(self, source: SourceFile) -> Iterator[Entry]:
        if csv.field_size_limit() < MAX_CELL:
            csv.field_size_limit(MAX_CELL)
        unmapped: list[str] = []
        with source.open_text() as f:
            tap = _LineTap(f, consumed=source.first_line - 1)
            rows = csv.reader(tap, strict=True)
            block: list[tuple[str, str]] = []
            raw_lines: list[str] = []
            start, problem = 0, ""

            def record() -> Entry:
                raw = "\n".join(raw_lines)
                names = [n for n, _ in block]
                if problem:
                    return RejectedEntry(start, problem, raw)
                if not _TITLES & {header_key(n) for n in names}:
                    return RejectedEntry(start, f"record at line {start} has no title row", raw)
                unmapped.extend(unmapped_columns(names, GENERIC_COLUMNS))
                return ColumnMap(names, GENERIC_COLUMNS).entry([v for _, v in block], start, raw)

            while True:
                try:
                    cells = next(rows)
                except StopIteration:
                    break
                except csv.Error as e:  # the whole record it falls in is rejected
                    first, last, raw = tap.take()
                    if not (block or problem):
                        start = first
                    problem = problem or _csv_problem(e, first, last)
                    raw_lines.append(raw)
                    continue
                first, _, raw = tap.take()
                if not any(c.strip() for c in cells):
                    if block or problem:
                        yield record()
                    block, raw_lines, problem = [], [], ""
                    continue
                name = cells[0].lstrip("\ufeff")
                if block and header_key(name) == header_key(block[0][0]):
                    yield record()
                    block, raw_lines, problem = [], [], ""
                if not (block or problem):
                    start = first
                block.append((name, "; ".join(c for c in cells[1:] if c.strip())))
                raw_lines.append(raw)
            if block or problem:
                yield record()
        if unmapped:
            names = list(dict.fromkeys(unmapped))
            source.warnings.append(
                f"{source.name}: {len(names)} field(s) not mapped to a record field, kept only "
                "in each record's raw entry: " + ", ".join(names)
            )
