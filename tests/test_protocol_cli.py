"""`litsift protocol show|set|load|edit` over the typed protocol in review/settings.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from review import service, settings
from tui.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "r.db")
    assert invoke("init", "--db", path)[0] == 0
    return path


def test_set_then_show_round_trips_through_the_store(db: str) -> None:
    code, out, _ = invoke("protocol", "set", "keywords.include", "walk; run", "--db", db, "--json")
    assert code == 0 and json.loads(out)["keywords"]["include"] == ["walk", "run"]
    invoke("protocol", "set", "screening_mode", "dual", "--db", db)
    shown = json.loads(invoke("protocol", "show", "--db", db, "--json")[1])
    assert shown["screening_mode"] == "dual" and shown["keywords"]["include"] == ["walk", "run"]
    store = service.open_review(db)
    assert settings.protocol(store).decisions_per_record == 2
    assert any(e["action"] == "setting" for e in service.audit_log(store))
    text = invoke("protocol", "show", "--db", db)[1]
    assert "keywords.include: walk; run" in text


def test_load_file_replaces_and_bad_values_name_the_key(db: str, tmp_path: Path) -> None:
    good = tmp_path / "p.toml"
    good.write_text('question = "Does walking help?"\nscreening_mode = "single"\n')
    code, out, _ = invoke("protocol", "load", str(good), "--db", db, "--json")
    assert code == 0 and json.loads(out)["question"] == "Does walking help?"
    bad = tmp_path / "bad.json"
    bad.write_text('{"screening_mode": "triple"}')
    code, out, err = invoke("protocol", "load", str(bad), "--db", db, "--json")
    assert (code, out) == (1, "") and "screening_mode" in err and "hint:" in err
    assert "Traceback" not in err
    assert settings.protocol(service.open_review(db)).question == "Does walking help?"


@pytest.mark.parametrize(
    "args",
    [
        ("protocol", "set", "bogus", "1"),
        ("protocol", "set", "previous_studies", "many"),
        ("protocol", "set", "extractors", "3"),
        ("protocol", "load", "/no/such/file.json"),
    ],
)
def test_bad_input_is_a_clean_error(db: str, args: tuple[str, ...]) -> None:
    before = settings.protocol(service.open_review(db))
    code, out, err = invoke(*args, "--db", db)
    assert code == 1 and out == "" and err.startswith("error:") and "hint:" in err
    assert settings.protocol(service.open_review(db)) == before


def test_show_on_a_path_without_a_review_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    code, out, err = invoke("protocol", "show", "--db", str(path))
    assert code == 1 and out == "" and "no review at" in err and "hint:" in err
    assert not path.exists()


def test_edit_stores_what_the_editor_wrote(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "ed.py"
    script.write_text(
        "import json, sys\np = sys.argv[1]\nd = json.load(open(p))\n"
        "d['question'] = 'edited'\njson.dump(d, open(p, 'w'))\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    assert invoke("protocol", "edit", "--db", db)[0] == 0
    assert settings.protocol(service.open_review(db)).question == "edited"
