"""`extract import FILE`: an existing extraction spreadsheet (CSV or XLSX, in the wide or long
layout that `export extraction` writes, or from another review or tool) read into the review.
Each row is matched to a study by study id, then by a report's source key, DOI or title
(`study_match`); every cell is validated first; any failure is reported by file (sheet) and
line and nothing is written."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extraction.forms import FieldValueError
from extraction.storage import FormVersion, check_value, get_extraction, write_value
from extraction.study_match import StudyMatcher, column_key, id_columns
from extraction.tables import MAIN
from extraction.validation import validate_record
from review.audited import add_audit
from review.db import Store
from review.errors import InvalidInputError, LitsiftError
from review.extraction_tables import EXTRACTION_STATUSES, Extraction


@dataclass(frozen=True)
class RowIssue:
    """A spreadsheet row that failed validation."""

    where: str  # the file (CSV), or file[sheet] (XLSX)
    line: int  # the line a CSV row starts on; the row number in an XLSX sheet
    message: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote, and how many rows were matched to studies by each identifier."""

    extractions: int
    values: int
    matched_by: dict[str, int] = field(default_factory=dict)


class ExtractionImportError(LitsiftError):
    """Rows of an extraction spreadsheet failed validation; nothing was written."""

    title = "import refused"

    def __init__(self, issues: list[RowIssue]) -> None:
        self.issues = issues
        head = "; ".join(str(i) for i in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        super().__init__(
            f"{len(issues)} rows failed validation, nothing imported: {head}{more}",
            hint="fix those rows and import again (--json lists every one)",
        )


@dataclass
class Sheet:
    """A table read from a file: where it came from, its header and its rows with lines."""

    where: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]


@dataclass
class _Cell:
    where: str
    line: int
    study: int
    reviewer: str
    status: str
    path: str
    row: int
    raw: Any


def _read_csv(path: Path) -> Sheet:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows, start = [], 2
        for r in reader:
            rows.append((start, r))
            start = reader.line_num + 1
        return Sheet(path.name, list(reader.fieldnames or []), rows)


def _read_xlsx(path: Path) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    out: dict[str, Sheet] = {}
    for ws in wb.worksheets:
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            continue
        cols = [str(h) if h is not None else "" for h in header]
        rows = [(n, dict(zip(cols, r, strict=False))) for n, r in enumerate(it, 2)]
        out[ws.title] = Sheet(f"{path.name}[{ws.title}]", cols, rows)
    wb.close()
    return out


def _sheets(path: Path, fv: FormVersion) -> dict[str, Sheet]:
    if not path.exists():
        raise InvalidInputError(f"no file {path}")
    if path.suffix.lower() == ".xlsx":
        sheets = _read_xlsx(path)
        if MAIN not in sheets:
            groups = {g.name for g in fv.form.groups}
            first = next((n for n in sheets if n not in groups), None)
            if first is None:
                raise InvalidInputError(
                    f"{path} has no main sheet",
                    hint=f"name it {MAIN!r}; the other sheets are named for the form's groups",
                )
            sheets[MAIN] = sheets.pop(first)
        return {MAIN: sheets.pop(MAIN), **sheets}  # the main sheet first: it sets the status
    if path.suffix.lower() != ".csv":
        raise InvalidInputError(f"{path}: import reads .csv or .xlsx files")
    sheets = {MAIN: _read_csv(path)}
    for g in fv.form.groups:
        side = Path(f"{path.with_suffix('')}.{g.name}.csv")
        if side.exists():
            sheets[g.name] = _read_csv(side)
    return sheets


def _int(v: Any, what: str) -> int:
    try:
        return int(str(v).strip())
    except ValueError:
        raise ValueError(f"{what} {v!r} is not a number") from None


def _cells(
    sheets: dict[str, Sheet],
    fv: FormVersion,
    reviewer: str,
    matcher: StudyMatcher,
    issues: list[RowIssue],
) -> list[_Cell]:
    is_long = {"field", "value"} <= {column_key(c) for c in sheets[MAIN].columns}
    scalars = [f.name for f in fv.form.fields if not f.is_group]
    cells: list[_Cell] = []
    status_of: dict[tuple[int, str], str] = {}
    for name, sheet in sheets.items():
        if name not in (MAIN, *(g.name for g in fv.form.groups)):
            continue
        ids = id_columns(sheet.columns)
        col = {column_key(c): c for c in sheet.columns if c}
        rc, sc = col.get("reviewer", "reviewer"), col.get("status", "status")
        fc, vc, nc = col.get("field", "field"), col.get("value", "value"), col.get("row", "row")
        known = {rc, sc, *ids.values(), *scalars}
        unknown = sorted(c for c in sheet.columns if c and c not in known)
        if name == MAIN and not is_long and unknown:
            issues.append(
                RowIssue(sheet.where, 1, f"columns not in form {fv.name}: {', '.join(unknown)}")
            )
            continue
        for n, r in sheet.rows:
            if not any(v not in (None, "") for v in r.values()):
                continue  # an empty row
            try:
                study = matcher.match(r, ids)
                who = str(r.get(rc) or reviewer or "").strip()
                if not who:
                    raise ValueError("no reviewer (add a reviewer column or pass --reviewer)")
                status = str(r.get(sc) or status_of.get((study, who)) or "in_progress")
                if status not in EXTRACTION_STATUSES:
                    raise ValueError(f"status {status!r} is not one of {EXTRACTION_STATUSES}")
                if name == MAIN:
                    status_of[(study, who)] = status
                where = sheet.where
                if is_long and name == MAIN:
                    path = str(r.get(fc) or "")
                    row = _int(r.get(nc) or 0, "row")
                    cells.append(_Cell(where, n, study, who, status, path, row, r.get(vc)))
                elif name == MAIN:
                    cells += [_Cell(where, n, study, who, status, c, 0, r.get(c)) for c in scalars]
                else:
                    row = _int(r.get(nc), "row")
                    g = fv.form.field(name)
                    cells += [
                        _Cell(where, n, study, who, status, f"{name}.{c.name}", row, r.get(c.name))
                        for c in g.fields
                    ]
            except (ValueError, LitsiftError) as e:
                issues.append(RowIssue(sheet.where, n, getattr(e, "message", str(e))))
    return cells


def import_extractions(
    store: Store, fv: FormVersion, path: Path, *, reviewer: str = "", actor: str = ""
) -> ImportSummary:
    """Validate every row of the file, then write all of it in one transaction."""
    sheets = _sheets(path, fv)
    kinds = {k for sh in sheets.values() for k in id_columns(sh.columns)}
    matcher = StudyMatcher.build(store, kinds)
    issues: list[RowIssue] = []
    cells = _cells(sheets, fv, reviewer, matcher, issues)
    typed: list[tuple[_Cell, Any]] = []
    for c in cells:
        try:
            typed.append((c, check_value(fv, c.path, c.raw, c.row)))
        except LitsiftError as e:
            issues.append(RowIssue(c.where, c.line, e.message))
    by_ext: dict[tuple[int, str], list[tuple[_Cell, Any]]] = defaultdict(list)
    for c, v in typed:
        by_ext[(c.study, c.reviewer)].append((c, v))
    for items in by_ext.values():
        status = items[0][0].status
        if status == "in_progress":
            continue
        data: dict[str, Any] = {}
        for c, v in items:
            if v is None:
                continue
            if "." in c.path:
                gname, col = c.path.split(".", 1)
                data.setdefault(gname, {}).setdefault(c.row, {})[col] = v
            else:
                data[c.path] = v
        for g in fv.form.groups:
            grows = data.get(g.name, {})
            data[g.name] = [grows[i] for i in sorted(grows)]
        try:
            validate_record(fv.form, data, complete=True)
        except FieldValueError as e:
            first = items[0][0]
            issues += [RowIssue(first.where, first.line, f"{status}: {i}") for i in e.errors]
    if issues:
        raise ExtractionImportError(sorted(set(issues), key=lambda i: (i.where, i.line)))
    n_values = 0
    with store.session() as s:
        for (study, who), items in by_ext.items():
            ext = get_extraction(s, study, fv.id, who)
            for c, v in items:
                if v is not None:
                    write_value(s, ext, c.path, v, c.row, actor or who)
                    n_values += 1
            ext.status = items[0][0].status
            s.add(ext)
        add_audit(
            s,
            actor,
            "extraction-import",
            f"form:{fv.name}:{fv.version}",
            {
                "file": str(path),
                "extractions": len(by_ext),
                "values": n_values,
                "matched_by": dict(matcher.counts),
            },
        )
    return ImportSummary(len(by_ext), n_values, dict(matcher.counts))


__all__ = ["Extraction", "ExtractionImportError", "ImportSummary", "RowIssue"]
