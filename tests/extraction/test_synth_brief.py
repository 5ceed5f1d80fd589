"""`litsift synth brief`: the demo review's brief as Markdown (images beside it) and as one
HTML file (images embedded), defaults from the form, data kept as data, clean errors."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.forms import parse_form
from extraction.synthesis.brief import BriefSpec, default_spec, effect_pairs
from tests.extraction.test_forms import DEMO_FORM
from tests.extraction.test_synth_meta_cli import FORM
from tests.extraction.test_synth_meta_cli import db as meta_db  # noqa: F401 (fixture)
from tui.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo") / "review"
    r = runner.invoke(app, ["demo", "--no-tui", "--keep", str(folder)])
    assert r.exit_code == 0, r.output
    return str(folder / "review.db")


def brief(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["synth", "brief", *args])
    return r.exit_code, r.stdout, r.stderr


def test_defaults_follow_the_form() -> None:
    form = parse_form(DEMO_FORM.read_text(encoding="utf-8"))
    assert effect_pairs(form) == (("effect_estimate", "effect_se"),)
    spec = default_spec(form, BriefSpec())
    assert (spec.map_rows, spec.map_cols) == ("country", "policy_area")
    assert spec.fields[:2] == ("country", "policy_area") and spec.fields[-1] == "effect_estimate"
    other = parse_form(FORM)
    assert effect_pairs(other) == (("smd", "smd_se"),)  # X with X_se; groups' columns too
    chosen = default_spec(other, BriefSpec(map_rows="design", map_cols="design", fields=("note",)))
    assert chosen.fields == ("note",) and chosen.map_rows == "design"


def test_markdown_brief_of_the_demo(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    code, stdout, err = brief("--out", str(out), "--db", demo, "--json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["map"] == ["country", "policy_area"]
    assert data["meta_analyses"] == ["effect_estimate"]
    text = out.read_text(encoding="utf-8")
    for heading in ("PRISMA 2020", "Where the evidence is", "The included studies",
                    "Meta-analyses", "Methods"):  # fmt: skip
        assert f"## {heading}" in text or heading in text
    # every image the Markdown links is a PNG beside it
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) == 2
    for link in links:
        assert (tmp_path / link).read_bytes()[:4] == b"\x89PNG"
    assert "95% prediction interval" in text and "Pooled (random effects" in text
    # the PRISMA numbers are the review's
    assert re.search(r"\| Records screened \(title/abstract\) \| \d+ \|", text)
    # existing files are not replaced without --force
    code, _, err = brief("--out", str(out), "--db", demo)
    assert code == 1 and "error:" in err and "hint:" in err


def test_html_brief_is_one_file_with_images_embedded(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    code, _, err = brief("--out", str(out), "--db", demo)
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]
    text = out.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 2
    assert all(base64.b64decode(i)[:4] == b"\x89PNG" for i in images)
    assert "<h2>Meta-analyses</h2>" in text and "<script" not in text


def test_values_are_escaped(meta_db: str, tmp_path: Path) -> None:  # noqa: F811
    """Text from the review is data: escaped in HTML, not turned into Markdown."""
    from extraction.service import ExtractionSession
    from review.opening import rename_review
    from review.service import open_review

    store = open_review(meta_db, create=False)
    rename_review(store, "<b>Review</b>")
    ExtractionSession(store).set(
        5, "note", "<script>alert(1)</script> *bold* | pipe", reviewer="ana"
    )
    store.dispose()
    html_out = tmp_path / "b.html"
    code, _, err = brief("--out", str(html_out), "--db", meta_db, "--fields", "note,design")
    assert code == 0, err
    text = html_out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)" in text
    assert "<b>Review" not in text and "&lt;b&gt;Review" in text
    md_out = tmp_path / "b.md"
    code, _, err = brief("--out", str(md_out), "--db", meta_db, "--fields", "note,design")
    assert code == 0, err
    md = md_out.read_text(encoding="utf-8")
    assert r"\<script\>" in md and r"\*bold\*" in md and r"\| pipe" in md
    assert r"# Evidence brief: \<b\>Review" in md


def test_too_few_effects_is_said_not_fatal(meta_db: str, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "b.md"
    code, stdout, err = brief(
        "--out", str(out), "--db", meta_db, "--effect", "smd", "--se", "smd_se",
        "--by", "design", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(stdout)["meta_analyses"] == ["smd"]
    code, stdout, err = brief(
        "--out", str(tmp_path / "c.md"), "--db", meta_db, "--effect", "outcomes.est",
        "--se", "outcomes.lo", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert "at least 2 studies" in json.loads(stdout)["not_analysed"][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "b.txt"], "cannot tell the brief's format"),
        (["--out", "b.md", "--effect", "smd"], "--effect and --se together"),
        (["--out", "b.md", "--map-rows", "nope"], "no field 'nope'"),
        (["--out", "b.md", "--form", "nope"], "no form 'nope'"),
    ],
)
def test_errors(meta_db: str, tmp_path: Path, args: list[str], message: str) -> None:  # noqa: F811
    args = [str(tmp_path / a) if a.startswith("b.") else a for a in args]
    code, stdout, err = brief(*args, "--db", meta_db)
    assert code == 1 and stdout == ""
    assert "error:" in err and message in err and "hint:" in err, err
