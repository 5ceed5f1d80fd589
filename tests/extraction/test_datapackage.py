"""`litsift export extraction --format datapackage`: a Frictionless Data Package whose Table
Schemas are the form's codebook, validated with the `frictionless` library."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.datapackage import write_datapackage
from review.service import open_review
from tests.extraction.test_service import fill, session_with_form
from tui.cli import app

frictionless = pytest.importorskip("frictionless")
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two studies of the demo form, every field type and two group rows, two reviewers."""
    path = str(tmp_path / "dp.db")
    store = open_review(path, name="dp")
    ex = session_with_form(store, 2)
    fill(ex, 1, "ana")
    fill(ex, 1, "ben", risk_of_bias="high")
    fill(ex, 2, "ana", country="PT", effect_significant="no")
    ex.complete(1, reviewer="ana")
    store.dispose()
    return path


def _export(db: str, out: Path, *extra: str) -> dict:
    r = runner.invoke(
        app,
        ["export", "extraction", "--format", "datapackage", "--out", str(out), "--db", db,
         "--json", *extra],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_package_validates_with_frictionless(db: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    data = _export(db, out)
    assert data["resources"] == [
        {"name": "extraction", "rows": 3},
        {"name": "outcomes", "rows": 6},
    ]
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {t.name for t in report.tasks} == {"extraction", "outcomes"}


def test_schema_is_the_codebook(db: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    _export(db, out)
    desc = json.loads((out / "datapackage.json").read_text())
    main, group = desc["resources"]
    fields = {f["name"]: f for f in main["schema"]["fields"]}
    assert fields["policy_area"]["constraints"]["enum"][0] == "health"
    assert fields["contract_value"]["type"] == "number"
    assert fields["contract_value"]["unit"] == "GBP"
    assert "Unit: GBP" in fields["contract_value"]["description"]
    assert fields["contract_value"]["constraints"]["minimum"] == 0
    assert fields["investors"]["type"] == "integer"
    assert fields["start_date"]["type"] == "date"
    assert fields["effect_significant"]["type"] == "boolean"
    assert fields["country"]["constraints"]["pattern"] == "[A-Z]{3}"
    assert fields["effect_se"]["description"].startswith("Standard error of the effect")
    assert fields["bias_domains"]["allowedValues"][0] == "randomisation"
    assert fields["doi"]["constraints"]["pattern"] == r"10\.\d{4,9}/\S+"
    assert main["schema"]["primaryKey"] == ["study", "reviewer"]
    gfields = {f["name"]: f for f in group["schema"]["fields"]}
    assert group["schema"]["primaryKey"] == ["study", "reviewer", "row"]
    assert group["schema"]["foreignKeys"][0]["reference"]["resource"] == "extraction"
    assert gfields["price"]["unit"] == "GBP"
    with (out / "extraction.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["study"], r["reviewer"]) for r in rows] == [("1", "ana"), ("1", "ben"), ("2", "ana")]
    assert rows[2]["country"] == "PRT" and rows[2]["effect_significant"] == "false"


def test_validation_catches_values_outside_the_codebook(db: str, tmp_path: Path) -> None:
    """The schema has teeth: a policy area that is not a choice makes the package invalid."""
    out = tmp_path / "pkg"
    _export(db, out)
    text = (out / "extraction.csv").read_text()
    (out / "extraction.csv").write_text(text.replace(",health,", ",astrology,", 1))
    report = frictionless.validate(str(out / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["fieldName", "type"])
    assert ["policy_area", "constraint-error"] in errors


def test_existing_folder_needs_force_and_stdout_is_refused(db: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    _export(db, out)
    r = runner.invoke(
        app, ["export", "extraction", "--format", "datapackage", "--out", str(out), "--db", db]
    )
    assert r.exit_code == 1 and "error:" in r.stderr and "--force" in r.stderr
    _export(db, out, "--force")
    assert sorted(p.name for p in out.iterdir()) == [
        "datapackage.json",
        "extraction.csv",
        "outcomes.csv",
    ]
    r = runner.invoke(app, ["export", "extraction", "--format", "datapackage", "--db", db])
    assert r.exit_code == 1 and "--out DIR" in r.stderr and "hint:" in r.stderr
    assert not list(tmp_path.glob(".pkg.*"))  # no temporary folder left behind


def test_an_empty_review_gives_a_valid_package(tmp_path: Path) -> None:
    store = open_review(str(tmp_path / "e.db"), name="e")
    ex = session_with_form(store, 0)
    r = write_datapackage(ex, None, tmp_path / "empty")
    store.dispose()
    assert r.resources == (("extraction", 0), ("outcomes", 0))
    assert frictionless.validate(str(r.descriptor)).valid
