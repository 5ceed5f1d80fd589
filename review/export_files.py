"""Exporting to a file: the use-cases that `litsift export records|decisions`, `litsift prisma
--out` and the app's export screen all run, so that a file written from the app is the file the
CLI writes. Each checks the target through `review.output` (never the review's own files, no
overwrite without `force`, written whole or not at all) and says what it wrote in `Exported`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from review import export_service
from review.db import Store
from review.errors import InvalidInputError
from review.export_view import ExportFilter
from review.output import database_files, open_output

if TYPE_CHECKING:
    from review.prisma import PrismaCounts

PRISMA_WHAT = "records identified (PRISMA 2020 counts)"


@dataclass(frozen=True)
class Exported:
    """What an export wrote: `count` of `what` (records, decisions, rows...) into `paths`
    (the first holds the data; "-" is standard output)."""

    what: str
    count: int
    paths: tuple[str, ...]

    def summary(self) -> str:
        """One line for a person, e.g. "wrote 17 records to /r/included.ris"."""
        return f"wrote {self.count} {self.what} to {', '.join(self.paths)}"


def _named(out: str | os.PathLike[str] | None) -> str:
    return "-" if out is None else str(out)


# The format a file name's extension announces (a spreadsheet program or a reference manager
# trusts it); other extensions, or none, announce nothing.
SUFFIX_FORMATS = {
    ".csv": "csv", ".tsv": "tsv", ".json": "json", ".ris": "ris", ".bib": "bibtex",
    ".bibtex": "bibtex", ".xlsx": "xlsx", ".md": "md", ".svg": "svg", ".png": "png",
}  # fmt: skip


def extensions(*formats: str) -> dict[str, str]:
    """The extensions that announce `formats`, in the order given (the first is a default)."""
    return {ext: f for f in formats for ext, g in SUFFIX_FORMATS.items() if g == f}


def check_suffix(out: str | os.PathLike[str] | None, fmt: str, formats: str) -> None:
    """Refuse a file whose extension announces another format than the one written (CSV in
    `x.xlsx` would not open); `formats` lists what this export can write, for the hint."""
    if out is None or str(out) == "-":
        return
    said = SUFFIX_FORMATS.get(Path(out).suffix.lower())
    if said is not None and said != fmt.lower():
        raise InvalidInputError(
            f"{Path(out).name}: the name says {said}, but the export is {fmt}",
            hint=f"this export writes {formats}: pick one with --format, and name the file "
            "to match",
        )


def export_records(
    store: Store,
    fmt: str,
    out: str | os.PathLike[str] | None,
    flt: ExportFilter | None = None,
    *,
    force: bool = False,
) -> Exported:
    """The records passing `flt` in `fmt` (csv, json, ris, bibtex) into `out` (None or "-":
    standard output)."""
    check_suffix(out, fmt, "csv, json, ris or bibtex")
    with open_output(out, force=force, protect=database_files(store.path)) as f:
        n = export_service.export_records(store, fmt, f, flt)
    return Exported("records", n, (_named(out),))


def export_decisions(
    store: Store, fmt: str, out: str | os.PathLike[str] | None, *, force: bool = False
) -> Exported:
    """One row per decision (csv or json) into `out`."""
    check_suffix(out, fmt, "csv or json")
    with open_output(out, force=force, protect=database_files(store.path)) as f:
        n = export_service.export_decisions(store, fmt, f)
    return Exported("decisions", n, (_named(out),))


def export_prisma(
    store: Store,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    counts: PrismaCounts | None = None,
) -> Exported:
    """The PRISMA 2020 counts (json, csv, md, svg or png; `counts` when already computed)
    into the file `out`; `count` is the number of records identified."""
    from review.prisma import prisma_counts
    from review.prisma_render import render

    check_suffix(out, fmt, "json, csv, md, svg or png")
    counts = counts or prisma_counts(store)
    data = render(counts, fmt.lower())  # bytes in every format (PNG too)
    target = Path(out).expanduser()
    with open_output(target, force=force, protect=database_files(store.path)) as f:
        f.flush()
        f.buffer.write(data)  # through open_output's checks and atomic rename, as text is
    return Exported(PRISMA_WHAT, counts.dbr.identified + counts.other.identified, (str(target),))
