"""JSON: a list of record objects (litsift's own export, CSL-JSON as Zotero, Mendeley and
Better BibTeX export it, or any list of objects whose keys are column names the tabular
readers know: title, abstract, authors, doi, year...). Keys that map to no field are named in
a warning (from the first object), as for a spreadsheet's columns."""

from __future__ import annotations

import json
from collections.abc import Iterator

from review.readers.base import Entry, RejectedEntry
from review.readers.csl_json import flatten_csl
from review.readers.source import SourceFile
from review.readers.tabular import GENERIC_COLUMNS, ColumnMap


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if not value:
            return ""
        return repr([str(v) for v in value])  # read back exactly as a Python-style list
    return str(value)


class JsonListReader:
    """A JSON array of objects, one record each."""

    name = "json"
    description = "JSON list of records (litsift export, CSL-JSON)"

    def sniff(self, head: str, source: SourceFile) -> bool:
        text = head.lstrip("\ufeff \t\r\n")
        return text.startswith("[") and text[1:].lstrip().startswith("{")

    def read(self, source: SourceFile) -> Iterator[Entry]:
        text = source.read_text().lstrip("\ufeff")
        decoder = json.JSONDecoder()
        pos, line = text.find("[") + 1, 1
        counted = 0
        first = True
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] == "]":
                return
            line += text.count("\n", counted, pos)
            counted = pos
            try:
                obj, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as e:
                rest = text[pos:].rstrip().removesuffix("]").rstrip()
                yield RejectedEntry(line, f"invalid JSON at line {e.lineno}: {e.msg}", rest)
                return
            raw = text[pos:end]
            if not isinstance(obj, dict):
                yield RejectedEntry(line, "entry is not a JSON object", raw)
            else:
                obj = flatten_csl(obj)
                header = list(obj)
                cmap = ColumnMap(header, GENERIC_COLUMNS)
                if first:
                    cmap.check_header(source)
                    first = False
                yield cmap.entry([_cell(obj[k]) for k in header], line, raw)
            pos = end
