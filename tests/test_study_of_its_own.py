"""From the CLI, one included report becomes a study of its own (`study link REC`), so that
`extract set` has a study to work on (the app does this when a report is opened)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()
RIS = "TY  - JOUR\nID  - k1\nTI  - A social impact bond for rough sleepers in London\nER  - \n"
FORM = """name: obc
title: OBC
sections:
  - name: setting
    label: Setting
    fields:
      - name: country
        type: country
"""


def test_one_record_becomes_a_study_that_can_be_extracted(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    (tmp_path / "a.ris").write_text(RIS)
    (tmp_path / "form.yaml").write_text(FORM)
    opts = ["--db", db, "--reviewer", "ana"]
    for args in (["import", str(tmp_path / "a.ris")], ["form", "add", str(tmp_path / "form.yaml")]):
        res = runner.invoke(app, [*args, "--db", db])
        assert res.exit_code == 0, res.output
    for stage in ("title-abstract", "full-text"):
        res = runner.invoke(app, ["decide", "1", "include", "--stage", stage, *opts])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["study", "link", "1", *opts, "--json"])
    assert res.exit_code == 0, res.output
    study = json.loads(res.stdout)
    assert study["reports"] == [1] and study["name"].startswith("A social impact bond")
    again = runner.invoke(app, ["study", "link", "1", *opts, "--json"])
    assert json.loads(again.stdout)["id"] == study["id"]  # a second link changes nothing
    res = runner.invoke(app, ["extract", "set", str(study["id"]), "country", "Kenya", *opts])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["extract", "show", str(study["id"]), *opts, "--json"])
    assert "KEN" in res.stdout


def test_no_studies_says_how_to_make_one(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    (tmp_path / "a.ris").write_text(RIS)
    assert runner.invoke(app, ["import", str(tmp_path / "a.ris"), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["study", "list", "--db", db])
    assert "`litsift study link REC`" in res.stdout
