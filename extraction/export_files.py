"""Exporting the extracted data to files: the use-case `litsift export extraction --out` and the
app's export screen both run. The data and its codebook are checked before anything is written
(never the review's own files, no overwrite without `force`)."""

from __future__ import annotations

from pathlib import Path

from extraction.service import ExtractionSession, Layout, codebook_path
from review.db import Store
from review.errors import InvalidInputError
from review.export_files import Exported
from review.output import check_targets, database_files


def export_extraction(
    store: Store,
    form: str | None,
    layout: str,
    fmt: str,
    out: Path,
    *,
    force: bool = False,
) -> Exported:
    """The extracted values of `form` (the latest when None) in `layout` (wide or long) and
    `fmt` (csv, json, xlsx) into `out`, with the codebook beside it; `count` is data rows."""
    if layout not in ("wide", "long"):
        raise InvalidInputError(f"layout {layout!r}: use wide or long")
    out = out.expanduser()
    check_targets([out, codebook_path(out, fmt)], force=force, protect=database_files(store.path))
    lay: Layout = "wide" if layout == "wide" else "long"
    r = ExtractionSession(store).export(form, lay, fmt, out)
    return Exported("rows", r.rows, tuple(map(str, r.paths)))
