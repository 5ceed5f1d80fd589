"""Helpers for reader tests: run a reader over a file and split good from rejected entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from review.fields import normalize_fields
from review.readers.base import ParsedEntry, Reader, RejectedEntry
from review.readers.source import open_source
from review.readers.tabular import ScopusCsvReader, TabularReader, WosTabReader
from review.readers.xlsx import XlsxReader

# Detection order of the registry, restricted to the spreadsheet readers.
TABULAR_READERS: list[Reader] = [XlsxReader(), WosTabReader(), ScopusCsvReader(), TabularReader()]


def read_all(reader: Reader, path: Path) -> tuple[list[dict], list[RejectedEntry]]:
    """(normalised field dicts with `source_key`, rejected entries) for one file."""
    source = open_source(path)
    good: list[dict] = []
    bad: list[RejectedEntry] = []
    for e in reader.read(source):
        if isinstance(e, ParsedEntry):
            cols, _ = normalize_fields(e.fields)
            cols["source_key"] = e.source_key
            cols["line"] = e.line
            cols["raw"] = e.raw
            good.append(cols)
        else:
            bad.append(e)
    return good, bad


def read_text(reader: Reader, path: Path, text: str) -> list[dict]:
    """Write `text` (UTF-8) to `path` and return the normalised good entries read from it."""
    path.write_text(text, encoding="utf-8")
    return read_all(reader, path)[0]


def read_shared(reader: Reader, rel: str) -> tuple[list[dict], list[RejectedEntry]]:
    """`read_all` over a file of ../shared/formats, after checking the reader recognises it."""
    from tests.conftest import shared_file

    path = shared_file(f"formats/{rel}")
    source = open_source(path)
    assert reader.sniff(source.head(), source), rel
    return read_all(reader, path)


def manifest_rows(fmt: str) -> list[tuple[str, int]]:
    """(file, record count) of every shared file of one MANIFEST format ([] without data)."""
    import csv

    from tests.conftest import FORMATS

    if not (FORMATS / "MANIFEST.csv").exists():
        return []
    with open(FORMATS / "MANIFEST.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [(r["file"], int(r["record_count"])) for r in rows if r["format"] == fmt]


def manifest_params(fmt: str) -> list[Any]:
    """`manifest_rows` as pytest params, or one skipped param when the data is not there."""
    import pytest

    rows: list[Any] = list(manifest_rows(fmt))
    return rows or [pytest.param("", 0, marks=pytest.mark.skip(reason="no ../shared/formats"))]


def detect(path: Path) -> Reader:
    """The first spreadsheet reader that recognises the file (as the registry would)."""
    source = open_source(path)
    head = source.head()
    return next(r for r in TABULAR_READERS if r.sniff(head, source))


def entries(reader: Reader, path: Path) -> list[ParsedEntry | RejectedEntry]:
    """Every entry the reader yields, parsed or rejected."""
    return list(reader.read(open_source(path)))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` in `encoding`; returns `path`."""
    path.write_bytes(text.encode(encoding))
    return path
