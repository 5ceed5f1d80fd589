"""Issue 11, F1/F9/F10: writing --out never destroys data; a plain --db path is a path."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from review.db import Store, resolve_url
from tui.cli import app

# (review.output is imported inside the tests that use it, so that the CLI tests here also run,
# and fail for the right reason, against code from before it existed)

runner = CliRunner()

RIS = "TY  - JOUR\nTI  - A title\nAU  - Doe, J\nPY  - 2020\nER  - \n\n"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """A review with one record; its database path."""
    db = tmp_path / "review.db"
    src = tmp_path / "one.ris"
    src.write_text(RIS)
    assert runner.invoke(app, ["import", str(src), "--db", str(db)]).exit_code == 0
    return db


def _records(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return int(c.execute("select count(*) from record").fetchone()[0])


@pytest.mark.parametrize("what", ["records", "decisions"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_export_never_writes_over_the_review_database(review: Path, what: str, suffix: str) -> None:
    target = Path(f"{review}{suffix}")
    for force in ([], ["--force"]):
        args = ["export", what, "--out", str(target), "--db", str(review), *force]
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert "review's own database" in result.stderr
    # (SQLite itself may touch -shm/-wal while the command runs; the CSV never lands there)
    assert not target.exists() or not target.read_bytes().startswith(b"record_id")
    assert _records(review) == 1


def test_a_link_to_the_database_is_refused_too(review: Path, tmp_path: Path) -> None:
    (tmp_path / "innocent.csv").symlink_to(review)
    os.link(review, tmp_path / "hard.csv")
    for name in ("innocent.csv", "hard.csv"):
        args = ["export", "records", "--out", str(tmp_path / name), "--db", str(review)]
        result = runner.invoke(app, [*args, "--force"])
        assert result.exit_code == 1 and "own database" in result.stderr
    assert _records(review) == 1


def test_existing_file_is_kept_without_force_and_replaced_with_it(
    review: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    args = ["export", "records", "--out", str(out), "--db", str(review)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert out.read_text() == "precious\n"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert out.read_text().startswith("record_id,")


def test_a_symlink_is_replaced_itself_never_its_target(review: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep me\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    args = ["export", "records", "--out", str(link), "--db", str(review)]
    assert runner.invoke(app, args).exit_code == 1
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert target.read_text() == "keep me\n"
    assert not link.is_symlink() and link.read_text().startswith("record_id,")


def test_new_file_mode_follows_the_umask(review: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "new.csv"
        assert runner.invoke(app, ["export", "records", "--out", str(out), "--db", str(review)])
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/out.csv", "does not exist"), (".", "is a folder")],
)
def test_missing_folder_and_folder_are_clean_errors(
    review: Path, tmp_path: Path, name: str, message: str
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["export", "records", "--out", str(out), "--db", str(review)])
    assert result.exit_code == 1 and message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_dash_and_dev_stdout_are_streams(review: Path) -> None:
    for out in ("-", "/dev/stdout"):
        result = runner.invoke(app, ["export", "records", "--out", out, "--db", str(review)])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("record_id,")


def test_a_fifo_is_written_as_a_stream(review: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = runner.invoke(app, ["export", "records", "--out", str(fifo), "--db", str(review)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert got and got[0].startswith(b"record_id,")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the FIFO, not a regular file


def test_dev_null_is_a_stream_and_other_devices_are_refused(tmp_path: Path) -> None:
    from review.output import OutputError, open_output

    with open_output("/dev/null") as f:
        f.write("nothing\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(OutputError, match="device"), open_output("/dev/zero", force=True) as f:
        f.write("x")
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)


def test_nothing_appears_when_the_writer_fails(tmp_path: Path) -> None:
    from review.output import open_output

    out = tmp_path / "half.csv"
    with pytest.raises(RuntimeError), open_output(out) as f:
        f.write("a,b\n")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_database_files_lists_sqlite_companions(tmp_path: Path) -> None:
    from review.output import database_files

    names = [p.name for p in database_files(tmp_path / "r.db")]
    assert names == ["r.db", "r.db-wal", "r.db-shm", "r.db-journal"]
    assert database_files(None) == []


def test_dedup_exports_use_the_same_rules(review: Path) -> None:
    for what in ("pairs", "clusters"):
        result = runner.invoke(app, ["dedup", what, "--out", str(review), "--db", str(review)])
        assert result.exit_code == 1 and "own database" in result.stderr
    assert _records(review) == 1


@pytest.mark.parametrize("name", ["rev?x=1.db", "rev%41.db", "a#b.db"])
def test_a_plain_db_path_is_exactly_that_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    result = runner.invoke(app, ["init", "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".db"] == [name]
    assert Store(resolve_url(str(path))).path == path.resolve()


def test_only_scheme_colon_slash_slash_is_a_url() -> None:
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    assert resolve_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    assert resolve_url("dir/x://y.db").startswith("sqlite:///")


def test_an_overlong_out_name_is_a_clean_error(review: Path, tmp_path: Path) -> None:
    out = tmp_path / ("x" * 5000 + ".csv")
    result = runner.invoke(app, ["export", "records", "--out", str(out), "--db", str(review)])
    assert result.exit_code == 1 and "too long" in result.stderr


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["export", "records"], "records.xlsx"),  # CSV in an .xlsx would not open
        (["export", "records", "--format", "ris"], "included.csv"),
        (["export", "decisions", "--format", "json"], "decisions.csv"),
        (["prisma", "--format", "svg"], "prisma.png"),
    ],
)
def test_a_file_name_announcing_another_format_is_refused(
    review: Path, tmp_path: Path, args: list[str], name: str
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, [*args, "--out", str(out), "--db", str(review)])
    assert result.exit_code == 1
    assert "the name says" in result.stderr and "--format" in result.stderr
    assert not out.exists()
