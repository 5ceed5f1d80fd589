"""A SQLite file of another program is refused, never filled with a review's tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()


@pytest.mark.parametrize("args", [["init"], ["status"], ["import", "{ris}"]], ids=lambda a: a[0])
def test_another_programs_database_is_left_alone(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "zotero.sqlite"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE items (id INTEGER, title TEXT)")
        c.execute("INSERT INTO items VALUES (1, 'mine')")
    ris = tmp_path / "a.ris"
    ris.write_text("TY  - JOUR\nTI  - Social impact bonds\nER  - \n")
    before = db.read_bytes()
    res = runner.invoke(app, [*(a.format(ris=ris) for a in args), "--db", str(db)])
    assert res.exit_code == 1
    assert "another program" in res.stderr and "tables: items" in res.stderr
    assert "hint:" in res.stderr and "Traceback" not in res.output
    assert db.read_bytes() == before
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT name FROM sqlite_master").fetchall() == [("items",)]
