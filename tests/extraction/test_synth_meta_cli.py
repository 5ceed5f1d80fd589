"""`litsift synth meta`: effects read from the extraction (study-level and in a repeating group
picked with --where), --ci, --by, --json, the forest plot, and clean errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.synthesis.analyses import run_meta
from extraction.synthesis.effects import EffectSpec
from extraction.synthesis.meta import meta_analysis
from review.service import open_review
from tests.extraction.test_service import session_with_form
from tui.cli import app

runner = CliRunner()

FORM = """
name: trial
sections:
  - name: main
    fields:
      - {name: design, type: choice, choices: [rct, qed]}
      - {name: smd, type: number, help: Standardised mean difference}
      - {name: smd_se, type: number, min: 0}
      - {name: note, type: text}
      - name: outcomes
        type: group
        fields:
          - {name: metric, type: text}
          - {name: months, type: integer}
          - {name: est, type: number}
          - {name: lo, type: number}
          - {name: hi, type: number}
"""
# study: design, smd, se, [(metric, months, est, lo, hi)]
DATA = {
    1: ("rct", 0.30, 0.10, [("employment", 6, 0.2, 0.0, 0.4), ("employment", 12, 0.3, 0.1, 0.5)]),
    2: ("rct", 0.10, 0.05, [("employment", 12, 0.1, -0.1, 0.3)]),
    3: ("qed", 0.50, 0.20, [("employment", 12, 0.6, 0.2, 1.0)]),
    4: ("qed", 0.20, None, [("housing", 12, 0.4, 0.0, 0.8)]),  # no SE: skipped
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "m.db")
    store = open_review(path, name="meta")
    ex = session_with_form(store, 5, FORM)
    for sid, (design, smd, se, rows) in DATA.items():
        ex.set(sid, "design", design, reviewer="ana")
        ex.set(sid, "smd", smd, reviewer="ana")
        if se is not None:
            ex.set(sid, "smd_se", se, reviewer="ana")
        for i, (metric, months, est, lo, hi) in enumerate(rows, 1):
            for k, v in (("metric", metric), ("months", months), ("est", est)):
                ex.set(sid, f"outcomes.{k}", v, reviewer="ana", row=i)
            ex.set(sid, "outcomes.lo", lo, reviewer="ana", row=i)
            ex.set(sid, "outcomes.hi", hi, reviewer="ana", row=i)
    ex.set(5, "note", "no effect at all", reviewer="ana")
    store.dispose()
    return path


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["synth", "meta", *args])
    return r.exit_code, r.stdout, r.stderr


def test_study_level_effects_json_matches_the_statistics(db: str) -> None:
    code, out, err = run("--effect", "smd", "--se", "smd_se", "--db", db, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [s["study"] for s in data["studies"]] == [1, 2, 3]
    assert data["skipped"][0]["study"] == 4 and "no smd_se" in data["skipped"][0]["reason"]
    assert "left out S4" in err  # the warning goes to stderr, stdout stays JSON
    from extraction.synthesis.effects import StudyEffect

    ref = meta_analysis(
        [StudyEffect(i, "", DATA[i][1], DATA[i][2]) for i in (1, 2, 3)]  # type: ignore[arg-type]
    ).overall
    assert data["overall"]["estimate"] == pytest.approx(ref.estimate)
    assert data["overall"]["tau2"] == pytest.approx(ref.tau2)
    assert data["overall"]["prediction"] is not None  # k = 3


def test_group_effects_selected_with_where_and_ci(db: str) -> None:
    code, out, err = run(
        "--effect", "outcomes.est", "--ci", "outcomes.lo", "outcomes.hi",
        "--where", "outcomes.months=12", "--where", "outcomes.metric=employment",
        "--model", "fixed", "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    studies = {s["study"]: s for s in data["studies"]}
    assert set(studies) == {1, 2, 3}
    assert studies[1]["effect"] == 0.3  # the 12-month row, not the 6-month one
    assert studies[1]["se"] == pytest.approx(0.4 / (2 * 1.96))  # SE from the 95% CI
    assert "1.96" in data["se_rule"]
    assert data["overall"]["model"] == "fixed"
    w = {i: 1 / studies[i]["se"] ** 2 for i in studies}
    fe = sum(w[i] * studies[i]["effect"] for i in w) / sum(w.values())
    assert data["overall"]["estimate"] == pytest.approx(fe)


def test_two_matching_rows_need_a_narrower_where(db: str) -> None:
    code, out, err = run(
        "--effect", "outcomes.est", "--ci", "outcomes.lo", "outcomes.hi",
        "--where", "outcomes.metric=employment", "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    skipped = {s["study"]: s["reason"] for s in json.loads(out)["skipped"]}
    assert "narrow with --where" in skipped[1]


def test_subgroups_text_output_and_forest_plot(db: str, tmp_path: Path) -> None:
    png = tmp_path / "forest.png"
    code, out, err = run(
        "--effect", "outcomes.est", "--ci", "outcomes.lo", "outcomes.hi",
        "--where", "outcomes.months=12", "--by", "design", "--db", db, "--out", str(png),
    )  # fmt: skip
    assert code == 0, err
    assert "design = rct" in out and "Subgroup differences" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    # an existing plot is not replaced without --force
    code, _, err = run("--effect", "smd", "--se", "smd_se", "--db", db, "--out", str(png))
    assert code == 1 and "error:" in err
    svg = tmp_path / "forest.svg"
    code, _, err = run("--effect", "smd", "--se", "smd_se", "--db", db, "--out", str(svg))
    assert code == 0 and svg.read_text().lstrip().startswith("<?xml")


def test_the_service_returns_typed_results(db: str) -> None:
    store = open_review(db, create=False)
    report = run_meta(store, EffectSpec("smd", se="smd_se", by="design"), form="trial")
    store.dispose()
    assert report.result.overall.k == 3
    assert [s.name for s in report.result.subgroups] == ["qed", "rct"]
    assert report.result.between is not None and report.result.between.df == 1
    assert math.isfinite(report.to_json()["overall"]["q"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--effect", "note", "--se", "smd_se"], "is text, not a number"),
        (["--effect", "smd", "--se", "design"], "is choice, not a number"),
        (["--effect", "nope", "--se", "smd_se"], "no field 'nope'"),
        (["--effect", "smd"], "--se FIELD, or --ci"),
        (["--effect", "smd", "--se", "smd_se", "--method", "reml"], "REML is not available"),
        (["--effect", "smd", "--se", "smd_se", "--model", "mixed"], "use fixed or random"),
        (["--effect", "smd", "--se", "outcomes.lo"], "same place"),
        (["--effect", "smd", "--se", "smd_se", "--where", "design"], "FIELD=VALUE"),
        (["--effect", "smd", "--se", "smd_se", "--where", "design=rtc"], "not one of"),
        (["--effect", "smd", "--se", "smd_se", "--where", "design=qed"], "at least 2 studies"),
        (["--effect", "smd", "--se", "smd_se", "--out", "f.txt"], "SVG, PNG or PDF"),
    ],
)
def test_errors_are_clean(db: str, args: list[str], message: str, tmp_path: Path) -> None:
    args = [a if a != "f.txt" else str(tmp_path / "f.txt") for a in args]
    code, out, err = run(*args, "--db", db)
    assert code == 1
    assert "error:" in err and message in err, err
    assert "hint:" in err
    assert out == "" and "Traceback" not in err


def test_demo_review_gives_a_meta_analysis(tmp_path: Path) -> None:
    r = runner.invoke(app, ["demo", "--no-tui", "--keep", str(tmp_path / "demo")])
    assert r.exit_code == 0, r.output
    db = str(tmp_path / "demo" / "review.db")
    code, out, err = run("--effect", "effect_estimate", "--se", "effect_se", "--db", db, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["overall"]["k"] >= 6
    assert data["overall"]["prediction"] is not None
