"""The CLI: form add/check/list/show, extract set/complete/import/reconcile/decide and
`export extraction`, with --json and clean errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from review import settings
from review.service import open_review
from review.settings import Protocol
from tests.extraction.test_forms import DEMO_FORM
from tests.extraction.test_service import make_studies
from tui.cli import app

runner = CliRunner()


def _db(tmp_path: Path, name: str) -> str:
    path = str(tmp_path / name)
    store = open_review(path, name=name)
    make_studies(store, 2)
    store.dispose()
    return path


def ok(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


def test_cli_round_trip(tmp_path: Path) -> None:
    db = _db(tmp_path, "a.db")
    assert json.loads(ok("form", "add", str(DEMO_FORM), "--db", db, "--json"))["version"] == 1
    sets = [
        ("country", "Kenya", 0),
        ("policy_area", "health", 0),
        ("contracting_model", "dib", 0),
        ("evaluation_design", "pre_post", 0),
        ("risk_of_bias", "high", 0),
        ("outcomes.metric", "visits", 1),
        ("outcomes.price", "40", 1),
    ]
    for who in ("ana", "ben"):
        for field, value, row in sets:
            ok(
                "extract",
                "set",
                "1",
                field,
                value,
                "--row",
                str(row),
                "--reviewer",
                who,
                "--db",
                db,
            )
    ok("extract", "set", "1", "outcomes.price", "41", "--row", "1", "--reviewer", "ben", "--db", db)
    bad = runner.invoke(
        app, ["extract", "set", "1", "investors", "many", "--reviewer", "ana", "--db", db]
    )
    assert bad.exit_code == 1 and "investors: expected an integer" in bad.stderr
    assert "Traceback" not in bad.output
    ok("extract", "complete", "1", "--reviewer", "ana", "--db", db)
    long_csv = ok("export", "extraction", "--layout", "long", "--db", db)
    rows = list(csv.DictReader(io.StringIO(long_csv)))
    assert {(r["field"], r["value"]) for r in rows if r["reviewer"] == "ana"} == {
        (f, "KEN" if f == "country" else v) for f, v, _ in sets
    }
    out = tmp_path / "x.xlsx"
    files = json.loads(
        ok(
            "export",
            "extraction",
            "--form",
            "obc",
            "--format",
            "xlsx",
            "--out",
            str(out),
            "--db",
            db,
            "--json",
        )
    )["files"]
    assert files == [str(out), str(tmp_path / "x.codebook.csv")]
    db2 = _db(tmp_path, "b.db")
    ok("form", "add", str(DEMO_FORM), "--db", db2)
    assert json.loads(ok("extract", "import", str(out), "--db", db2, "--json"))["values"] == 14
    assert ok("export", "extraction", "--layout", "long", "--db", db2) == long_csv
    store = open_review(db)
    settings.save(store, Protocol(extractors=2))
    store.dispose()
    r = json.loads(ok("extract", "reconcile", "1", "--reviewer", "lead", "--db", db, "--json"))
    assert [(d["field"], d["values"]) for d in r["disagreements"]] == [
        ("outcomes.price", {"ana": 40.0, "ben": 41.0})
    ]
    ok(
        "extract",
        "decide",
        "1",
        "outcomes.price",
        "40",
        "--row",
        "1",
        "--reviewer",
        "lead",
        "--db",
        db,
    )
    assert "reconciled" in ok("extract", "reconcile", "1", "--db", db)


def test_form_check_names_lines(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("name: x\nsections:\n  - name: a\n    fields:\n      - {name: q, type: nope}\n")
    r = runner.invoke(app, ["form", "check", str(f), "--json"])
    assert r.exit_code == 1
    assert json.loads(r.stdout)["issues"][0]["line"] == 5
