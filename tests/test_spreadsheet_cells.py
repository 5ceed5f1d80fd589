"""CSV exports write formula-like cells as text, and litsift reads its own export back as it
was (`review.spreadsheet_cells`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from review.spreadsheet_cells import FORMULA_STARTS, guard, unguard
from tui.cli import app

runner = CliRunner()
ATTACK = (
    'TY  - JOUR\nID  - k1\nTI  - =HYPERLINK("http://evil","click")\nAU  - +Smith, J\n'
    "AB  - -2+3 cmd\nKW  - @SUM(A1)\nVL  - -5\nER  - \n\n"
)


def _formula_cells(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text)))
    return [c for row in rows for c in row if c.startswith(FORMULA_STARTS) and c != "-5"]


@given(st.text(max_size=30))
def test_guard_is_undone_exactly(value: str) -> None:
    guarded = guard(value)
    assert isinstance(guarded, str)
    assert unguard(guarded) == value


def test_numbers_stay_numbers() -> None:
    assert [guard(v) for v in ("-0.5", "+3", "-5", 7)] == ["-0.5", "+3", "-5", 7]


def test_exports_write_formula_cells_as_text_and_read_back_the_same(tmp_path: Path) -> None:
    db, db2 = str(tmp_path / "r.db"), str(tmp_path / "again.db")
    (tmp_path / "a.ris").write_text(ATTACK)
    assert runner.invoke(app, ["import", str(tmp_path / "a.ris"), "--db", db]).exit_code == 0
    args = ["--db", db, "--reviewer", "ana"]
    assert runner.invoke(app, ["note", "1", "=1+1", *args]).exit_code == 0
    res = runner.invoke(app, ["decide", "1", "exclude", "--reason", "-r", "--note", "@x", *args])
    assert res.exit_code == 0, res.output
    for what in ("records", "decisions"):
        res = runner.invoke(app, ["export", what, "--format", "csv", "--db", db])
        assert res.exit_code == 0, res.output
        assert _formula_cells(res.stdout) == [], what
        assert "'=HYPERLINK" in res.stdout or what == "decisions"
    res = runner.invoke(app, ["dedup", "clusters", "--db", db])
    assert _formula_cells(res.stdout) == []
    out = tmp_path / "records.csv"
    res = runner.invoke(app, ["export", "records", "--out", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    assert runner.invoke(app, ["import", str(out), "--db", db2]).exit_code == 0
    res = runner.invoke(app, ["show", "1", "--db", db2, "--json"])
    record = res.stdout
    assert '"=HYPERLINK(\\"http://evil\\",\\"click\\")"' in record, record
    assert "+Smith" in record and '"-2+3 cmd"' in record and "@SUM(A1)" in record
