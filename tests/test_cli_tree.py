"""The whole `litsift --help` tree, walked: every command has --json (or a reason not to), every
option has help text, flags show as flags, and every command that opens a review fails cleanly on
each bad path (no review at --db, a malformed or unreachable URL, a read-only review).

A command added later fails `test_every_command_is_in_the_table` until it is given sample
arguments below, so the bad-path tests reach it too.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tests.test_cli_contract import RIS, assert_clean_failure
from tui.cli import app

runner = CliRunner()

# Commands that print no JSON, and why.
NO_JSON = {
    "screen": "opens the terminal app; there is nothing to print",
    "app": "opens the terminal app; there is nothing to print",
}

# Sample arguments for every command that takes --db (before --db); {ris} and {tmp} are filled.
# `creates`: the command makes a new review (so "no review at --db" does not apply).
SAMPLES: dict[str, list[str]] = {
    "init": [],
    "status": [],
    "import": ["{ris}"],
    "records": [],
    "show": ["1"],
    "note": ["1", "a note"],
    "tag": ["1", "sib"],
    "attach": ["1", "{ris}"],
    "annotations": [],
    "search": ["bond"],
    "decide": ["2", "exclude"],
    "undo": [],
    "next": ["--order", "import"],
    "stopping": [],
    "keys": [],
    "agreement": [],
    "prisma": [],
    "remove": ["3", "--reason", "retracted"],
    "restore": ["{tmp}/backup.db"],
    "stop-screening": ["--force"],
    "copy": ["--to", "{tmp}/copy.db"],
    "backup": ["{tmp}/b.db"],
    "export records": ["--out", "{tmp}/r.csv"],
    "export decisions": ["--out", "{tmp}/d.csv"],
    "export extraction": ["--out", "{tmp}/ex.csv"],
    "quarantine": [],
    "quarantine show": ["1"],  # the template's one quarantined entry
    "quarantine resolve": ["1", "{ris}"],
    "dedup": [],
    "dedup pairs": [],
    "dedup clusters": [],
    "dedup decide": ["k2", "k7", "same"],
    "dedup undo": ["1"],
    "dedup queue": [],
    "conflicts": [],
    "conflicts resolve": ["1", "include"],
    "conflicts reopen": ["1"],
    "protocol show": [],
    "protocol set": ["question", "Q?"],
    "protocol load": ["{tmp}/protocol.json"],
    "protocol edit": [],
    "rule add": ["recent", "--year-min", "2000"],
    "rule list": [],
    "rule run": [],
    "rule delete": ["recent"],
    "source list": [],
    "source set": ["1", "--name", "Scopus"],
    "study link": ["1", "2"],
    "study unlink": ["2"],
    "study list": [],
    "form add": ["{form}"],
    "form list": [],
    "form show": ["obc"],
    "extract set": ["1", "commissioner", "a city"],
    "extract show": ["1"],
    "extract complete": ["1", "--reviewer", "ana"],
    "extract import": ["{tmp}/e.csv"],
    "extract reconcile": ["1", "--reviewer", "lead"],
    "extract decide": ["1", "commissioner", "a city", "--reviewer", "lead"],
    "synth table": ["--rows", "country", "--cols", "policy_area"],
    "synth characteristics": ["--fields", "country,policy_area"],
    "synth map": ["--rows", "country", "--cols", "policy_area"],
    "synth meta": ["--effect", "effect_estimate", "--se", "effect_se"],
    "synth brief": ["--out", "{tmp}/brief.md"],
}
FORM = Path(__file__).resolve().parents[1] / "corpora" / "demo" / "obc_form.yaml"
CREATES = {"init", "import", "restore"}
# Commands that take no --db (they read files only or build their own review), and the one that
# opens the app (its bad paths are those of `status`, which it calls first: tests/tui).
NO_DB = {"simulate", "demo", "form check"}
OPENS_APP = {"screen", "app"}


def walk(cmd: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """(name, click command) for every group with its own options and every leaf command."""
    cmd = cmd if cmd is not None else typer.main.get_command(app)
    subs = getattr(cmd, "commands", None)
    if subs is None or (path and any(p.name != "help" for p in cmd.params)):
        yield " ".join(path), cmd
    for name, sub in (subs or {}).items():
        yield from walk(sub, (*path, name))


COMMANDS = dict(walk())


def test_every_command_is_in_the_table() -> None:
    takes_db = {n for n, c in COMMANDS.items() if any("--db" in p.opts for p in c.params)}
    assert takes_db - OPENS_APP == set(SAMPLES), sorted((takes_db - OPENS_APP) ^ set(SAMPLES))
    assert set(COMMANDS) - takes_db == NO_DB


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_json_or_a_reason(name: str) -> None:
    opts = {o for p in COMMANDS[name].params for o in p.opts}
    assert ("--json" in opts) != (name in NO_JSON), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_and_command_has_help_text(name: str) -> None:
    cmd = COMMANDS[name]
    assert (cmd.help or "").strip(), f"{name} has no help"
    bare = [p.opts[0] for p in cmd.params if p.param_type_name == "option" and not p.help]
    assert bare == [], f"{name}: options without help text"


@pytest.mark.parametrize("name", ["status", "rule add", "export records", "quarantine"])
def test_flags_show_as_flags_in_help(name: str) -> None:
    r = runner.invoke(app, [*name.split(), "--help"], env={"COLUMNS": "120"})
    assert r.exit_code == 0
    assert "--json" in r.stdout and "<bool>" not in r.stdout


def argv(name: str, tmp: Path, db: str) -> list[str]:
    (tmp / "a.ris").write_text(RIS)
    (tmp / "protocol.json").write_text('{"question": "Q?"}')
    (tmp / "e.csv").write_text("source_key,reviewer,field,row,value\nk1,ana,commissioner,0,x\n")
    args = [a.format(ris=tmp / "a.ris", tmp=tmp, form=FORM) for a in SAMPLES.get(name, [])]
    return [*name.split(), *args, "--db", db]


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - CREATES))
def test_no_review_at_db_is_a_clean_error_and_creates_nothing(tmp_path: Path, name: str) -> None:
    db = tmp_path / "nothing.db"
    r = runner.invoke(app, argv(name, tmp_path, str(db)), env={"EDITOR": "true"})
    assert_clean_failure(r, words="no review at")
    assert not db.exists()


@pytest.mark.parametrize("name", sorted({*SAMPLES, *OPENS_APP}))
@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql+psycopg://nobody@127.0.0.1:1/none"])
def test_malformed_or_unreachable_urls_are_clean_errors(
    tmp_path: Path, name: str, url: str
) -> None:
    r = runner.invoke(app, argv(name, tmp_path, url), env={"EDITOR": "true"})
    assert_clean_failure(r)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small review made once; each read-only test works on its own copy."""
    d = tmp_path_factory.mktemp("template")
    (d / "a.ris").write_text(RIS)
    db = str(d / "r.db")
    assert runner.invoke(app, ["import", str(d / "a.ris"), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["decide", "1", "include", "--db", db]).exit_code == 0
    (d / "bad.ris").write_text("TY  - JOUR\nTI  - fine\nER  - \n\nTI  - no type\nER  - \n")
    for args in (
        ["import", str(d / "bad.ris")],
        ["dedup"],
        ["dedup", "decide", "k1", "k6", "same"],
        ["form", "add", str(FORM)],
        ["rule", "add", "recent", "--year-min", "1900"],
        ["study", "link", "1", "2"],
        ["protocol", "set", "extractors", "2"],
        *(
            ["extract", "set", "1", k, v, "--reviewer", "ana"]
            for k, v in (
                ("commissioner", "a city"),
                ("country", "GBR"),
                ("policy_area", "health"),
                ("contracting_model", "sib"),
                ("evaluation_design", "rct"),
                ("risk_of_bias", "low"),
            )
        ),
        ["extract", "set", "1", "commissioner", "a town", "--reviewer", "bob"],
    ):
        assert runner.invoke(app, [*args, "--db", db]).exit_code == 0, args
    with sqlite3.connect(db) as con:  # everything into the main file, so a copy has it all
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(db)


def _chattr(flag: str, *paths: Path) -> bool:
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr to make a file immutable")
@pytest.mark.parametrize("name", sorted(set(SAMPLES) - CREATES))
def test_a_read_only_review_is_read_or_refused_cleanly(
    tmp_path: Path, template: Path, name: str
) -> None:
    """Every command on a review in a read-only place (an immutable file and folder: root
    ignores file modes) either works (reads) or fails cleanly; the file is unchanged."""
    where = tmp_path / "ro"
    where.mkdir()
    db = where / "r.db"
    shutil.copy(template, db)
    args = argv(name, tmp_path, str(db))
    if not _chattr("+i", db, where):
        pytest.skip("this filesystem cannot make a file immutable")
    try:
        before = db.read_bytes()
        r = runner.invoke(app, args, env={"EDITOR": "true"})
        if r.exit_code != 0:
            assert_clean_failure(r)
        assert "Traceback" not in r.stderr
        assert db.read_bytes() == before
    finally:
        _chattr("-i", db, where)


@pytest.mark.skipif(
    shutil.which("chattr") is None, reason="needs chattr to make a folder immutable"
)
@pytest.mark.parametrize("name", sorted(CREATES - {"restore"}))
def test_a_new_review_in_a_read_only_folder_is_a_clean_error(tmp_path: Path, name: str) -> None:
    where = tmp_path / "ro"
    where.mkdir()
    args = argv(name, tmp_path, str(where / "r.db"))
    if not _chattr("+i", where):
        pytest.skip("this filesystem cannot make a folder immutable")
    try:
        assert_clean_failure(runner.invoke(app, args))
        assert list(where.iterdir()) == []
    finally:
        _chattr("-i", where)


def _fresh(tmp_path: Path, template: Path) -> str:
    db = tmp_path / "r.db"
    shutil.copy(template, db)
    return str(db)


# What the template cannot show, and the test that shows its JSON instead.
JSON_ELSEWHERE = {
    "conflicts resolve": "tests/test_dual_screening.py (needs two reviewers who disagree)",
    "conflicts reopen": "tests/test_dual_screening.py (needs a resolved conflict)",
    "extract import": "tests/extraction/test_cli_extraction.py (needs a full export to read)",
    "synth meta": "tests/extraction/test_synth_meta_cli.py (needs two studies with effects)",
}


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - CREATES - set(JSON_ELSEWHERE)))
def test_json_output_of_every_command(tmp_path: Path, template: Path, name: str) -> None:
    """On a small review, every command's --json prints one JSON document and nothing else."""
    r = runner.invoke(
        app, [*argv(name, tmp_path, _fresh(tmp_path, template)), "--json"], env={"EDITOR": "true"}
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) is not None


@pytest.mark.parametrize(
    ("what", "fmt"),
    [("records", f) for f in ("csv", "json", "ris", "bibtex")]
    + [("decisions", f) for f in ("csv", "json")],
)
def test_export_in_every_format_reports_json(
    tmp_path: Path, template: Path, what: str, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    db = _fresh(tmp_path, template)
    r = runner.invoke(
        app, ["export", what, "--format", fmt, "--out", str(out), "--db", db, "--json"]
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["what"] == what and doc["path"] == str(out) and doc["count"] > 0
    assert out.stat().st_size > 0


def test_export_json_to_stdout_is_refused(tmp_path: Path, template: Path) -> None:
    db = _fresh(tmp_path, template)
    assert_clean_failure(runner.invoke(app, ["export", "records", "--json", "--db", db]))


def test_demo_json_describes_the_review_without_the_app(tmp_path: Path) -> None:
    r = runner.invoke(app, ["demo", "--json", "--keep", str(tmp_path / "d")])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert Path(doc["path"]).exists() and doc["status"]["records"] > 0
    assert sum(i["imported"] for i in doc["imports"]) == doc["status"]["records"]


@pytest.mark.parametrize("what", ["missing.ris", "."])
def test_import_of_a_missing_file_or_a_folder_says_what_to_do(tmp_path: Path, what: str) -> None:
    r = runner.invoke(app, ["import", str(tmp_path / what), "--db", str(tmp_path / "r.db")])
    assert r.exit_code == 1 and "\nhint:" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [["form", "check"], ["form", "add"]], ids=" ".join)
def test_a_missing_form_file_is_refused_with_a_hint(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "r.db"
    (tmp_path / "a.ris").write_text(RIS)
    assert runner.invoke(app, ["import", str(tmp_path / "a.ris"), "--db", str(db)]).exit_code == 0
    extra = [] if args[1] == "check" else ["--db", str(db)]
    r = runner.invoke(app, [*args, str(tmp_path / "missing.yaml"), *extra])
    assert_clean_failure(r, words="missing.yaml")
