"""Helpers for reader tests: run a reader over a file and split good from rejected entries."""

from __future__ import annotations

from pathlib import Path

from review.fields import normalize_fields
from review.readers.base import ParsedEntry, Reader, RejectedEntry
from review.readers.source import open_source


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
