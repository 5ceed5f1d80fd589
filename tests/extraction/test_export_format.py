"""The export format pinned byte for byte on a small review (CSV and JSON files, the codebook,
the stdout variants) and cell for cell (XLSX), so faster export code cannot change what
scripts downstream read. Regenerate the expected files only for an intended format change:
LITSIFT_REGEN_GOLDEN=1 python -m pytest tests/extraction/test_export_format.py"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from extraction.service import ExtractionSession
from review.db import Store
from tests.extraction.test_service import OTHER, fill, session_with_form

GOLDEN = Path(__file__).with_name("golden_export")
REGEN = bool(os.environ.get("LITSIFT_REGEN_GOLDEN"))


@pytest.fixture
def ex(store: Store) -> ExtractionSession:
    return build(store)


def build(store: Store) -> ExtractionSession:
    """The small review whose exports are pinned."""
    e = session_with_form(store, 3, actor="lead")
    fill(e, 1, "ana", findings="Zürich – “quoted”, a comma\nand\ttab", contract_value="1/3")
    e.complete(1, reviewer="ana")
    fill(e, 2, "ben", **OTHER, effect_estimate="-0.1", contract_value="0.30000000000000004")
    e.set(1, "country", "Peru", reviewer="ben")
    e.set(1, "outcomes.price", "1e-7", reviewer="ben", row=3)
    e.set(3, "doi", "10.1234/ABC,def", reviewer="ana")
    return e


def check(name: str, got: bytes) -> None:
    path = GOLDEN / name
    if REGEN:
        path.write_bytes(got)
    assert got == path.read_bytes(), f"{name} differs from the pinned format"


@pytest.fixture(autouse=True)
def _fix_value(monkeypatch: pytest.MonkeyPatch) -> None:
    fix_value(monkeypatch)


def fix_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """'1/3' is no number: give the fixture a repeating decimal without a special parser."""
    from extraction import forms

    real = forms.coerce

    def coerce(f: Any, raw: Any) -> Any:
        return 1 / 3 if raw == "1/3" else real(f, raw)

    monkeypatch.setattr(forms, "coerce", coerce)
    import extraction.storage as storage

    monkeypatch.setattr(storage, "coerce", coerce)


@pytest.mark.parametrize("layout", ["wide", "long"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_files_are_byte_identical(
    ex: ExtractionSession, tmp_path: Path, layout: Any, fmt: str
) -> None:
    res = ex.export("obc", layout, fmt, tmp_path / f"{layout}.{fmt}")
    for p in res.paths:
        check(f"{fmt}-{p.name}", p.read_bytes())


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_xlsx_cells(ex: ExtractionSession, tmp_path: Path, layout: Any) -> None:
    from openpyxl import load_workbook

    res = ex.export("obc", layout, "xlsx", tmp_path / f"{layout}.xlsx")
    wb = load_workbook(res.paths[0], read_only=True)
    cells = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    text = json.dumps(cells, ensure_ascii=False, indent=1) + "\n"
    check(f"xlsx-{layout}.json", text.encode())
    check(f"xlsx-{layout}.{res.paths[1].name}", res.paths[1].read_bytes())


@pytest.mark.parametrize(("layout", "fmt"), [("long", "csv"), ("wide", "json"), ("long", "json")])
def test_stdout(ex: ExtractionSession, layout: Any, fmt: str) -> None:
    buf = io.StringIO()
    ex.write("obc", layout, fmt, buf)
    check(f"stdout-{layout}.{fmt}", buf.getvalue().encode())
