"""`copy`, `backup` and `restore`: the whole review moves between SQLite and PostgreSQL,
verified per table, and a non-empty target is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import SQLModel

from review import annotation, copying, service
from review.errors import InvalidInputError
from review.importing import import_file
from review.models import utcnow
from tests.concurrency import BACKENDS, empty_database, write_ris


def _fill(store: service.Store, tmp_path: Path) -> None:
    import_file(store, write_ris(tmp_path / "a.ris", 120))
    bad = tmp_path / "b.ris"
    bad.write_text("TY  - JOUR\nTI  - No end\n\nTY  - JOUR\nTI  - Fine\nER  - \n")
    import_file(store, bad)
    service.record_decision(store, 3, "include", reviewer="ana", note="ok")
    service.record_decision(store, 4, "exclude", reviewer="ana")
    service.undo_decision(store, reviewer="ana")
    annotation.add_note(store, 3, "see the appendix")
    service.set_setting(store, "x", {"when": utcnow().isoformat(), "n": [1, 2]})


def _counts(store: service.Store) -> dict[str, int]:
    with store.begin() as conn:
        return {
            t.name: conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t.name}").scalar() or 0
            for t in SQLModel.metadata.sorted_tables
        }


@pytest.mark.parametrize("backend", BACKENDS)
def test_copy_there_and_back_keeps_every_table(
    backend: str, tmp_path: Path, store: service.Store
) -> None:
    _fill(store, tmp_path)
    (tmp_path / "t").mkdir()
    with empty_database(backend, tmp_path / "t") as url:
        report = copying.copy_review(store, url)
        assert {t.table for t in report.tables} == set(SQLModel.metadata.tables)
        assert all(t.ok for t in report.tables) and report.rows == sum(_counts(store).values())
        with pytest.raises(InvalidInputError):
            copying.copy_review(store, url)  # never into a database that holds data
        there = service.open_review(url)
        assert _counts(there) == _counts(store)
        # the copy is a working review: new rows get new ids
        d = service.record_decision(there, 5, "maybe", reviewer="ben")
        assert d.id == 3
        back = copying.copy_review(there, str(tmp_path / "back.db"))
        assert all(t.ok for t in back.tables)
        there.dispose()
    again = service.open_review(str(tmp_path / "back.db"))
    assert service.get_record(again, 7) == service.get_record(store, 7)  # raw entry whole
    assert len(service.list_decisions(again)) == 3


def test_backup_and_restore(tmp_path: Path, store: service.Store) -> None:
    _fill(store, tmp_path)
    report = copying.backup(store, tmp_path / "backup.db")
    assert all(t.ok for t in report.tables) and report.rows > 120
    with pytest.raises(InvalidInputError):
        copying.backup(store, tmp_path / "backup.db")
    restored = copying.restore(tmp_path / "backup.db", str(tmp_path / "restored.db"))
    assert restored.rows == report.rows
    assert _counts(service.open_review(str(tmp_path / "restored.db"))) == _counts(store)
    with pytest.raises(InvalidInputError):
        copying.restore(tmp_path / "backup.db", str(tmp_path / "restored.db"))


def test_cli_copy_prints_verified_tables(tmp_path: Path, store: service.Store) -> None:
    import json

    from typer.testing import CliRunner

    from tui.cli import app

    _fill(store, tmp_path)
    db = str(store.path)
    result = CliRunner().invoke(app, ["copy", "--to", str(tmp_path / "c.db"), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verified"] and data["rows"] > 120
    again = CliRunner().invoke(app, ["copy", "--to", str(tmp_path / "c.db"), "--db", db])
    assert again.exit_code == 1 and "already exists" in again.output
