"""Tables as documents: Markdown, CSV, HTML (escaped) and XLSX, from a header and rows.

`grid(table, ids=...)` turns a CountTable or Characteristics into text cells; `render(...)`
writes them in a format; `write(...)` writes a file (XLSX is binary, so only to a file).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extraction.service import atomic_write
from extraction.synthesis.tables import Characteristics, CountTable
from review.errors import InvalidInputError

FORMATS = ("md", "csv", "html", "xlsx")
SUFFIXES = {".md": "md", ".csv": "csv", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}

Grid = tuple[tuple[str, ...], list[tuple[str, ...]]]


def grid(table: CountTable | Characteristics, *, ids: bool = False) -> Grid:
    """Header and text rows. With `ids`, each count cell reads "n: id, id, ..."."""
    if isinstance(table, Characteristics):
        return table.columns, [tuple(str(c) for c in r) for r in table.rows()]
    rows = []
    for r, label in zip(table.row_axis.keys, table.row_axis.labels, strict=True):
        cells = []
        for c in table.col_keys:
            got = table.ids(r, c)
            cells.append(
                f"{len(got)}: {', '.join(map(str, got))}" if ids and got else str(len(got))
            )
        total = (str(table.row_total(r)),) if table.col_axis else ()
        rows.append((label, *cells, *total))
    return table.columns, rows


def format_for(fmt: str | None, out: Path | None) -> str:
    """The format asked for, or the one `out`'s suffix names; refuses unknown ones."""
    if fmt is None and out is not None:
        fmt = SUFFIXES.get(out.suffix.lower())
        if fmt is None:
            raise InvalidInputError(
                f"cannot tell the format of {out.name}", hint=f"--format {'|'.join(FORMATS)}"
            )
    if fmt is None:
        return "text"
    if fmt not in FORMATS:
        raise InvalidInputError(
            f"format {fmt!r}: use one of {', '.join(FORMATS)}",
            hint="leave --format out for a table in the terminal",
        )
    return fmt


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped); numbers right-aligned."""
    numeric = [all(_isnum(r[i]) for r in rows) and bool(rows) for i in range(len(columns))]
    lines = ["| " + " | ".join(_md_cell(c) for c in columns) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _isnum(s: str) -> bool:
    return s.split(":")[0].strip().isdigit()


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


def html_table(columns: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """An HTML table, every cell escaped."""
    e = html.escape
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{e(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr></thead>")
    out.append("<tbody>")
    for r in rows:
        cells = "".join(
            f"<th>{e(c)}</th>" if i == 0 else f"<td>{e(c)}</td>" for i, c in enumerate(r)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out) + "\n"


def render(columns: Sequence[str], rows: Sequence[Sequence[str]], fmt: str) -> str:
    """The table as md, csv or html text."""
    if fmt == "md":
        return markdown(columns, rows)
    if fmt == "csv":
        return csv_text(columns, rows)
    if fmt == "html":
        return html_table(columns, rows)
    raise InvalidInputError(f"format {fmt!r} is written to a file", hint="add --out FILE.xlsx")


def _xlsx_value(text: str) -> Any:
    return int(text) if text.isdigit() else text


def write(columns: Sequence[str], rows: Sequence[Sequence[str]], fmt: str, out: Path) -> None:
    """Write the table to `out` (atomically)."""
    if fmt == "xlsx":

        def fill(p: Path) -> None:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("table")
            ws.append(list(columns))
            for r in rows:
                ws.append([_xlsx_value(c) for c in r])
            wb.save(p)

        atomic_write(out, fill)
        return
    text = render(columns, rows, fmt)
    atomic_write(out, lambda p: p.write_text(text, encoding="utf-8"))
