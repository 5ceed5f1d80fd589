"""`litsift synth table|characteristics|map` through CliRunner on the demo review: formats,
--ids, --json with clean stdout, errors with `error:`/`hint:` and exit 1, the map's files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.extraction.demo_review import Demo, agreed_values, build_demo
from tui.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("demo"))


def ok(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


def fails(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 1 and r.stdout == "", r.output
    assert r.stderr.startswith("error:") and "hint:" in r.stderr
    return r.stderr


def test_table_json_has_every_cell_with_its_studies(demo: Demo) -> None:
    out = ok(
        "synth", "table", "--rows", "policy_area", "--cols", "evaluation_design", "--db", demo.db
    )
    assert "health" in out and "total" in out  # the terminal table
    data = json.loads(
        ok(
            "synth",
            "table",
            "--rows",
            "policy_area",
            "--cols",
            "evaluation_design",
            "--db",
            demo.db,
            "--json",
        )
    )
    cells = {(c["row"], c["col"]): c for c in data["cells"]}
    assert len(cells) == 7 * 5 and data["studies"] == 14
    agreed = agreed_values()
    for (area, design), c in cells.items():
        keys = [
            k
            for k, v in agreed.items()
            if v["policy_area"] == {area} and v["evaluation_design"] == {design}
        ]
        assert c["count"] == len(keys) and set(c["studies"]) == {demo.study_of[k] for k in keys}
    assert cells[("other", "qualitative")]["count"] == 0


def test_table_formats_and_ids(demo: Demo, tmp_path: Path) -> None:
    base = ("synth", "table", "--rows", "country", "--cols", "policy_area", "--db", demo.db)
    rows = list(csv.reader(io.StringIO(ok(*base, "--format", "csv"))))
    assert rows[0][:3] == ["Country", "health", "employment"] and rows[0][-1] == "total studies"
    by = {r[0]: r for r in rows[1:]}
    assert by["United States"][rows[0].index("homelessness")] == "2"
    ids = list(csv.reader(io.StringIO(ok(*base, "--format", "csv", "--ids"))))
    cell = {r[0]: r for r in ids[1:]}["United States"][rows[0].index("homelessness")]
    assert cell == f"2: {demo.study_of['scopus-0047']}, {demo.study_of['scopus-0066']}"
    assert ok(*base, "--format", "md").startswith("| Country | health |")
    assert "<table>" in ok(*base, "--format", "html")
    out = tmp_path / "t.xlsx"
    assert "wrote" in ok(*base, "--out", str(out)) and out.stat().st_size > 0
    md = tmp_path / "t.md"
    ok(*base, "--out", str(md))
    assert md.read_text(encoding="utf-8").startswith("| Country |")
    both = tmp_path / "both.csv"  # --json with --out: the file, and only JSON on stdout
    assert json.loads(ok(*base, "--out", str(both), "--json"))["studies"] == 14
    assert both.read_text(encoding="utf-8").splitlines()[0].startswith("Country,health")


def test_characteristics_cli(demo: Demo) -> None:
    data = json.loads(
        ok(
            "synth",
            "characteristics",
            "--fields",
            "country,effect_estimate",
            "--db",
            demo.db,
            "--json",
        )
    )
    assert len(data["studies"]) == 14
    effects = [s["effect_estimate"] for s in data["studies"] if s["effect_estimate"]]
    assert len(effects) == sum("effect_estimate" in v for v in agreed_values().values())
    md = ok("synth", "characteristics", "--fields", "country", "--db", demo.db, "--format", "md")
    assert md.count("\n") == 2 + 14


def test_errors(demo: Demo, tmp_path: Path) -> None:
    err = fails("synth", "table", "--rows", "contry", "--db", demo.db)
    assert "'contry'" in err and "country, policy_area" in err
    assert "outcomes.metric" in fails("synth", "table", "--rows", "outcomes", "--db", demo.db)
    fails("synth", "table", "--rows", "country", "--cols", "nope", "--db", demo.db, "--json")
    assert "xlsx" in fails(
        "synth", "table", "--rows", "country", "--format", "xlsx", "--db", demo.db
    )
    fails("synth", "table", "--rows", "country", "--format", "pdf", "--db", demo.db)
    fails("synth", "table", "--rows", "country", "--form", "nope", "--db", demo.db)
    map_ = ("synth", "map", "--rows", "country", "--cols", "policy_area", "--db", demo.db)
    fails(*map_, "--out", str(tmp_path / "m.pdf"))
    fails(*map_, "--size", "country")
    fails("synth", "table", "--rows", "country", "--db", str(tmp_path / "missing.db"))


def test_map_files_and_text(demo: Demo, tmp_path: Path) -> None:
    agreed = agreed_values()
    filled = {
        (a, d) for v in agreed.values() for a in v["policy_area"] for d in v["evaluation_design"]
    }
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    base = ("synth", "map", "--rows", "policy_area", "--cols", "evaluation_design", "--db", demo.db)
    data = json.loads(ok(*base, "--out", str(png), "--json"))
    assert len(data["gaps"]) == 7 * 5 - len(filled)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ok(*base, "--out", str(svg), "--size", "contract_value")
    assert "<svg" in svg.read_text(encoding="utf-8")[:500]
    text = ok(*base)
    assert "health" in text and f"{7 * 5 - len(filled)} of 35 cells" in text
