"""The extraction use cases for scripts and the CLI: `ExtractionSession(store)`.

>>> ex = ExtractionSession(store)
>>> ex.add_form(Path("form.yaml").read_text())
>>> ex.set(12, "country", "Kenya", reviewer="ana")
>>> ex.rows(layout="long")            # Tables
>>> ex.to_frame(layout="wide")        # a pandas DataFrame (pip install litsift[pandas])
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from extraction import tables, writers
from extraction.forms import FieldValueError, FormIssue, check_form
from extraction.storage import (
    ExtractionData,
    FormAdded,
    FormVersion,
    add_form,
    get_form,
    list_forms,
    load,
    set_status,
    set_value,
)
from extraction.tables import Layout, Table
from review.db import Store
from review.errors import InvalidInputError, LitsiftError

FORMATS = ("csv", "json", "xlsx")


class PandasMissingError(LitsiftError):
    """pandas is an optional extra."""

    title = "pandas not installed"


@dataclass(frozen=True)
class ExportResult:
    """Files written by an export (the first is the data) and how many data rows."""

    paths: tuple[Path, ...]
    rows: int


def atomic_write(path: Path, fill: Callable[[Path], object]) -> None:
    """Write through a temporary file beside `path`, moved into place when complete."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        fill(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(table: Table, f: TextIO) -> int:
    """A table as CSV text; returns its row count."""
    return writers.write_csv(table, f)


def _xlsx_cell(v: Any) -> Any:
    if v is None or isinstance(v, bool | int | float):
        return v
    return tables.format_value(v)


def _write_xlsx(tabs: list[Table], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for t in tabs:
        ws = wb.create_sheet(t.name[:31])
        ws.append(list(t.columns))
        for r in t.rows:
            ws.append([_xlsx_cell(c) for c in r])
    wb.save(path)


class ExtractionSession:
    """Extraction forms, values and exports of one review."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # forms
    def add_form(self, text: str, *, actor: str = "", source: str = "form") -> FormAdded:
        """Store a form file (a new version when it changed; extractions carried over)."""
        return add_form(self.store, text, actor=actor, source=source)

    def forms(self) -> list[FormVersion]:
        """Every form version."""
        return list_forms(self.store)

    def form(self, name: str | None = None, version: int | None = None) -> FormVersion:
        """A form's latest (or given) version."""
        return get_form(self.store, name, version)

    @staticmethod
    def check(text: str) -> list[FormIssue]:
        """Every mistake in a form file, with its line."""
        return check_form(text)[1]

    # values
    def set(
        self,
        study: int,
        path: str,
        raw: Any,
        *,
        reviewer: str,
        row: int = 0,
        form: str | None = None,
    ) -> Any:
        """Validate and store one value (durable at once); returns the typed value.
        Changing a value of a complete (or reconciled) extraction puts it back in progress:
        it must be marked complete again (`complete`), so its required fields are checked."""
        return set_value(self.store, self.form(form), study, path, raw, reviewer=reviewer, row=row)

    def complete(self, study: int, *, reviewer: str, form: str | None = None) -> ExtractionData:
        """Mark an extraction complete (every required field filled, conditions met)."""
        return set_status(self.store, self.form(form), study, reviewer, "complete")

    def extractions(
        self, form: str | None = None, *, study: int | None = None, reviewer: str | None = None
    ) -> list[ExtractionData]:
        """Extractions under a form's latest version."""
        return load(self.store, self.form(form), study=study, reviewer=reviewer)

    # tables
    def rows(self, form: str | None = None, *, layout: Layout = "wide") -> list[Table]:
        """`wide`: the main table then one per repeating group; `long`: one table."""
        fv = self.form(form)
        data = load(self.store, fv)
        if layout == "wide":
            return tables.wide(fv.form, data)
        if layout == "long":
            return [tables.long(fv.form, data)]
        raise InvalidInputError(f"layout {layout!r}: use wide or long")

    def to_frame(self, form: str | None = None, *, layout: Layout = "wide", table: str = "") -> Any:
        """A pandas DataFrame of the main table (or the group `table`)."""
        try:
            import pandas as pd  # type: ignore[import-untyped]
        except ImportError:
            raise PandasMissingError(
                "to_frame() needs pandas", hint="pip install 'litsift[pandas]'"
            ) from None
        tabs = {t.name: t for t in self.rows(form, layout=layout)}
        t = tabs.get(table or tables.MAIN)
        if t is None:
            raise InvalidInputError(f"no table {table!r}", hint=f"tables: {', '.join(tabs)}")
        return pd.DataFrame.from_records(list(t.rows), columns=list(t.columns))

    def codebook(self, form: str | None = None) -> Table:
        """Field, label, type, unit, allowed values and help of each column."""
        return tables.codebook(self.form(form).form)

    def write(self, form: str | None, layout: Layout, fmt: str, f: TextIO) -> int:
        """The main table (CSV) or every table (JSON) on a text stream; returns data rows."""
        tabs = self.rows(form, layout=layout)
        if fmt == "json":
            writers.write_json(tabs, f)
            return len(tabs[0].rows)
        if fmt == "csv":
            if len(tabs) > 1 and any(t.rows for t in tabs[1:]):
                raise InvalidInputError(
                    "the wide layout has a table per repeating group: CSV needs --out FILE",
                    hint="pass --out FILE.csv, or use --layout long, --format json or xlsx",
                )
            return write_csv(tabs[0], f)
        raise InvalidInputError(f"format {fmt!r} needs --out FILE", hint="xlsx is a binary file")

    def export(self, form: str | None, layout: Layout, fmt: str, out: Path) -> ExportResult:
        """Write the tables to `out` (CSV: a file per repeating group beside it, named
        OUT.GROUP.csv) and the codebook beside it (OUT.codebook.csv or .json)."""
        if fmt not in FORMATS:
            raise InvalidInputError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
        tabs = self.rows(form, layout=layout)
        book = self.codebook(form)
        paths: list[Path] = []
        stem = out.with_suffix("")
        if fmt == "xlsx":
            atomic_write(out, lambda p: _write_xlsx([*tabs, book], p))
            paths.append(out)
        elif fmt == "json":
            atomic_write(out, lambda p: _json_file(p, tabs))
            paths.append(out)
        else:
            for i, t in enumerate(tabs):
                p = out if i == 0 else Path(f"{stem}.{t.name}.csv")
                atomic_write(p, lambda tmp, t=t: write_csv_table(tmp, t))  # type: ignore[misc]
                paths.append(p)
        book_path = codebook_path(out, fmt)
        if fmt == "json":
            atomic_write(book_path, lambda p: _json_file(p, [book], records=True))
        else:
            atomic_write(book_path, lambda p: write_csv_table(p, book))
        paths.append(book_path)
        return ExportResult(tuple(paths), len(tabs[0].rows))

    def import_file(
        self, path: Path, *, form: str | None = None, reviewer: str = "", actor: str = ""
    ) -> Any:
        """Import an extraction spreadsheet (CSV/XLSX, wide or long): every row validated,
        all written in one transaction or nothing (ExtractionImportError lists bad rows)."""
        from extraction.importing import import_extractions

        return import_extractions(self.store, self.form(form), path, reviewer=reviewer, actor=actor)


def codebook_path(out: Path, fmt: str) -> Path:
    """Where the codebook goes beside the data file `out`."""
    return Path(f"{out.with_suffix('')}.codebook.{'json' if fmt == 'json' else 'csv'}")


def write_csv_table(path: Path, table: Table) -> None:
    """Write one table as a CSV file (UTF-8, the export's dialect)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        write_csv(table, f)


def _json_file(path: Path, tabs: list[Table], *, records: bool = False) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        if records:
            writers.write_json_records(tabs[0], f)
        else:
            writers.write_json(tabs, f)


def csv_text(table: Table) -> str:
    """A table as CSV text."""
    buf = io.StringIO()
    write_csv(table, buf)
    return buf.getvalue()


__all__ = ["ExtractionSession", "FieldValueError", "PandasMissingError"]
