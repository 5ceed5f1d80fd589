"""One table over the CLI: every command's --json output parses and every bad path fails
cleanly (exit 1, `error:` and `hint:` on stderr, no traceback, nothing on stdout, nothing
written)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()
RIS = "".join(
    f"TY  - JOUR\nID  - k{n}\nTI  - Social impact bond {n}\nDO  - 10.1/{n % 5}\nER  - \n\n"
    for n in range(1, 9)
)


@pytest.fixture
def review(tmp_path: Path) -> str:
    db = str(tmp_path / "r.db")
    ris = tmp_path / "a.ris"
    ris.write_text(RIS)
    assert runner.invoke(app, ["import", str(ris), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["decide", "1", "include", "--db", db]).exit_code == 0
    return db


# (command, the key its JSON output must have); {db} and {tmp} are filled in
JSON_COMMANDS = [
    (["init", "--db", "{tmp}/new.db"], "schema_version"),
    (["status"], "duplicates_to_check"),
    (["records"], None),
    (["show", "1"], "cluster"),
    (["next", "--order", "import"], "record"),
    (["decide", "2", "exclude"], "label"),
    (["undo"], "retracted_at"),
    (["annotations", "1"], "annotations"),
    (["stopping"], "phase"),
    (["protocol", "show"], "screening_mode"),
    (["protocol", "set", "question", "Q?"], "question"),
    (["keys"], "keys"),
    (["quarantine"], None),
    (["dedup"], "clusters"),
    (["dedup", "pairs"], "pairs"),
    (["dedup", "clusters"], "clusters"),
    (["dedup", "queue"], "queue"),
    (["search", "bond"], None),
]


@pytest.mark.parametrize(
    ("args", "key"), JSON_COMMANDS, ids=lambda a: " ".join(a) if isinstance(a, list) else str(a)
)
def test_json_output_is_clean(
    review: str, tmp_path: Path, args: list[str], key: str | None
) -> None:
    argv = [a.format(tmp=tmp_path) for a in args]
    if "--db" not in argv:
        argv += ["--db", review]
    r = runner.invoke(app, [*argv, "--json"])
    if r.exit_code == 2 and "No such option: --json" in r.stderr:
        pytest.fail(f"{args[0]} has no --json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)  # stdout is JSON and nothing else
    if key is not None:
        assert key in data


READ_COMMANDS = [["status"], ["records"], ["show", "1"], ["protocol", "show"], ["keys"],
                 ["annotations", "1"], ["dedup", "pairs"], ["next"], ["search", "x"],
                 ["quarantine"], ["prisma"], ["agreement"], ["conflicts"], ["source", "list"],
                 ["study", "list"], ["rule", "list"], ["form", "list"],
                 ["extract", "show", "1"], ["backup", "b.db"],
                 ["synth", "meta", "--effect", "e", "--se", "s"],
                 ["synth", "brief", "--out", "b.md"],
                 ["export", "extraction", "--format", "datapackage", "--out", "pkg"]]  # fmt: skip


def assert_clean_failure(r: object, *, words: str = "") -> None:
    assert r.exit_code == 1, r.stdout + r.stderr  # type: ignore[attr-defined]
    err: str = r.stderr  # type: ignore[attr-defined]
    assert err.startswith("error:") and "\nhint:" in err and "Traceback" not in err
    assert r.stdout == ""  # type: ignore[attr-defined]
    assert words in err


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_no_review_there_is_said_and_none_is_created(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "nothing.db"
    assert_clean_failure(runner.invoke(app, [*args, "--db", str(path)]), words="no review at")
    assert not path.exists()


@pytest.mark.parametrize("args", [["init"], ["import", "{ris}"], ["status"]], ids=" ".join)
def test_a_missing_directory_is_a_clean_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "a.ris").write_text(RIS)
    argv = [a.format(ris=tmp_path / "a.ris") for a in args]
    r = runner.invoke(app, [*argv, "--db", str(tmp_path / "no" / "such" / "r.db")])
    assert_clean_failure(r)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://nobody@127.0.0.1:1/none", "postgresql+nodriver://x/y", "mysql://x/y"],
)
def test_unreachable_or_malformed_database_urls_are_clean_errors(url: str) -> None:
    r = runner.invoke(app, ["status", "--db", url])
    assert_clean_failure(r)
    assert "litsift[postgres]" in r.stderr or "server" in r.stderr


def test_hints_are_not_eaten_as_markup() -> None:
    r = runner.invoke(app, ["status", "--db", "mysql://x/y"])
    assert "litsift[postgres]" in r.stderr


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr to make a file immutable")
@pytest.mark.parametrize(
    "args",
    [["decide", "2", "include"], ["protocol", "set", "question", "x"], ["undo"], ["dedup"]],
    ids=" ".join,
)
def test_a_read_only_review_reads_and_refuses_writes_cleanly(review: str, args: list[str]) -> None:
    # root ignores file modes; an immutable file is read-only even for root
    if subprocess.run(["chattr", "+i", review], capture_output=True).returncode != 0:
        pytest.skip("this filesystem cannot make a file immutable")
    try:  # in a fresh process: this one's earlier connections may still hold the file open
        before = Path(review).read_bytes()
        assert litsift("status", "--db", review, "--json").exit_code == 0
        assert_clean_failure(litsift(*args, "--db", review), words="read-only")
        assert Path(review).read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", review], check=True)


class Ran:
    def __init__(self, p: subprocess.CompletedProcess[str]) -> None:
        self.exit_code, self.stdout, self.stderr = p.returncode, p.stdout, p.stderr


def litsift(*args: str) -> Ran:
    cmd = [sys.executable, "-m", "tui.cli", *args]
    return Ran(subprocess.run(cmd, capture_output=True, text=True, timeout=120))


def test_records_with_an_unknown_label_is_an_error(review: str) -> None:
    assert_clean_failure(runner.invoke(app, ["records", "--label", "bogus", "--db", review]))
