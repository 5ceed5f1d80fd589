"""Excel workbooks (.xlsx) of references: the first sheet, its first non-empty row as the
header, mapped by the same columns as CSV (`review.readers.tabular.ColumnMap`)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from review.errors import ImportFormatError
from review.readers.base import Entry
from review.readers.columns import GENERIC_COLUMNS, spec_for_header
from review.readers.source import SourceFile

if TYPE_CHECKING:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    from review.readers.tabular import ColumnMap


class XlsxReader:
    """Excel workbook (.xlsx): the first sheet, its first non-empty row as the header."""

    name = "xlsx"
    description = "Excel workbook (.xlsx) with the same columns as CSV"

    def sniff(self, head: str, source: SourceFile) -> bool:
        if not source.is_zip:
            return False
        try:
            with zipfile.ZipFile(source.path) as z:
                return "xl/workbook.xml" in z.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            # A damaged archive: claim it if its first entries are a workbook's parts, so
            # that `read` says what is wrong with it rather than "no known format".
            with open(source.path, "rb") as f:
                return b"xl/" in f.read(1 << 16)

    def read(self, source: SourceFile) -> Iterator[Entry]:
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            with zipfile.ZipFile(source.path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise _workbook_error(source, f"the ZIP archive is damaged or truncated ({e})") from e
        if "xl/workbook.xml" not in names:
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            why = f"a ZIP archive without xl/workbook.xml (it holds {shown})"
            raise _workbook_error(source, why)
        # A file object, not a path: openpyxl refuses paths not ending in .xlsx/.xlsm.
        with open(source.path, "rb") as f:
            try:
                book = load_workbook(f, read_only=True, data_only=True)
            except Exception as e:  # openpyxl raises many kinds; each becomes the reason
                raise _workbook_error(source, f"{type(e).__name__}: {e}") from e
            try:
                yield from self._rows(book, source)
            finally:
                book.close()

    def _rows(self, book: Workbook, source: SourceFile) -> Iterator[Entry]:
        if not book.worksheets:
            return
        from review.readers.tabular import ColumnMap

        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong sheet size; read every row
        columns: ColumnMap | None = None
        rows = sheet.iter_rows(values_only=True)
        n = 0  # spreadsheet row number (iter_rows yields empty rows too)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as e:  # a damaged sheet inside an intact archive
                raise _workbook_error(source, f"row {n + 1}: {type(e).__name__}: {e}") from e
            n += 1
            cells = [_cell_text(v) for v in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if columns is None:
                columns = ColumnMap(cells, spec_for_header(cells, GENERIC_COLUMNS))
                columns.check_header(source)
                continue
            raw = "\t".join(cells)
            cells += [""] * (columns.width - len(cells))
            yield columns.entry(cells, n, raw)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _workbook_error(source: SourceFile, why: str) -> ImportFormatError:
    return ImportFormatError(
        f"{source.path}: cannot be read as an Excel workbook: {why} (tried openpyxl)",
        hint="open it in Excel or LibreOffice and save it again as .xlsx, "
        "or export the references as CSV",
    )
