"""`litsift dedup ...` through Typer's CliRunner against a real temporary review."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from tests.dedup.test_service import OTHER, PAPER, write_csv
from tui.cli import app

runner = CliRunner()
# the conference version of OTHER, a year earlier: a person decides
CONFERENCE = dict(
    OTHER, year="2014", journal="Proceedings of the Diabetes Conference", volume="", pages=""
)


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout


def test_dedup_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    rows = [
        dict(PAPER, record_id="a1"),
        dict(PAPER, record_id="a2", title=PAPER["title"].lower(), doi=""),
        dict(OTHER, record_id="b1"),
        dict(OTHER, record_id="b2", journal="Diabetologia", volume="", pages=""),
    ]
    _run("import", str(write_csv(tmp_path / "in.csv", rows)), "--db", db)
    summary = json.loads(_run("dedup", "--db", db, "--json", "--auto-threshold", "0.99"))
    assert summary["clusters"] == 1 and summary["duplicates_removed"] == 1
    assert summary["queued"] == 1

    out = tmp_path / "pairs.csv"
    _run("dedup", "pairs", "--out", str(out), "--db", db)
    pairs = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(pairs[0])[:5] == ["source_key_a", "source_key_b", "score", "decision", "reason"]
    assert pairs[0]["id_a"].startswith("#") and pairs[0]["file_a"] == "in.csv"
    assert {p["decision"] for p in pairs} <= {"merged", "queued", "distinct"}

    clusters = list(csv.DictReader(io.StringIO(_run("dedup", "clusters", "--db", db))))
    assert {c["source_key"] for c in clusters} == {"a1", "a2"}
    assert list(clusters[0]) == ["source_key", "cluster_id", "canonical", "id", "file"]

    assert "merged into cluster" in _run("dedup", "decide", "b1", "b2", "same", "--db", db)
    decided = list(csv.DictReader(io.StringIO(_run("dedup", "pairs", "--db", db))))
    assert any(p["decision"] == "same" for p in decided)
    new_cluster = max(
        int(c["cluster_id"])
        for c in csv.DictReader(io.StringIO(_run("dedup", "clusters", "--db", db)))
    )
    assert "undone" in _run("dedup", "undo", str(new_cluster), "--db", db)
    assert "b1" in _run("dedup", "queue", "--db", db)


def test_dedup_errors_go_to_stderr_with_a_hint(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    _run("import", str(write_csv(tmp_path / "in.csv", [dict(PAPER, record_id="a1")])), "--db", db)
    result = runner.invoke(app, ["dedup", "undo", "42", "--db", db])
    assert result.exit_code == 1 and result.stdout == ""
    assert "no dedup cluster 42" in result.stderr
    result = runner.invoke(app, ["dedup", "decide", "a1", "zz", "same", "--db", db])
    assert result.exit_code == 1 and "hint:" in result.stderr
    result = runner.invoke(app, ["dedup", "--auto-threshold", "3", "--db", db])
    assert result.exit_code == 1 and "--auto-threshold" in result.stderr


def test_keys_repeated_across_files_are_named_by_id(tmp_path: Path) -> None:
    """Source keys repeat across files: text output shows #ID and file beside each key,
    `decide` accepts #ID, and a bare repeated key is refused naming the files."""
    db = str(tmp_path / "r.db")
    title = "Exercise and glucose control in older adults: a cluster randomised trial"
    first = dict(OTHER, record_id="1", title=title)
    second = dict(CONFERENCE, record_id="1", title=title)
    _run("import", str(write_csv(tmp_path / "one.csv", [first])), "--db", db)
    _run("import", str(write_csv(tmp_path / "two.csv", [second])), "--db", db)
    _run("dedup", "--db", db)
    queue = _run("dedup", "queue", "--db", db)
    assert "#1 1 [one.csv]" in queue and "#2 1 [two.csv]" in queue
    result = runner.invoke(app, ["dedup", "decide", "1", "#2", "same", "--db", db])
    assert result.exit_code == 1
    assert "#1 (one.csv)" in result.stderr and "#2 (two.csv)" in result.stderr
    assert "merged into cluster" in _run("dedup", "decide", "#1", "#2", "same", "--db", db)
    clusters = list(csv.DictReader(io.StringIO(_run("dedup", "clusters", "--db", db))))
    assert {(c["id"], c["file"]) for c in clusters} == {("#1", "one.csv"), ("#2", "two.csv")}


def test_after_a_merge_pairs_and_queue_tell_one_truth(tmp_path: Path) -> None:
    """Three records, each pair queued; a person merges two pairs: the third pair is no
    longer waiting, in `dedup queue` and in `dedup pairs` alike."""
    db = str(tmp_path / "r.db")
    title = "Exercise and glucose control in older adults: a cluster randomised trial"
    rows = [
        dict(OTHER, record_id="r1", title=title),
        dict(CONFERENCE, record_id="r2", title=title),
        dict(CONFERENCE, record_id="r3", title=title, journal="Diabetes Meeting Abstracts"),
    ]
    _run("import", str(write_csv(tmp_path / "in.csv", rows)), "--db", db)
    _run("dedup", "--db", db)
    before = list(csv.DictReader(io.StringIO(_run("dedup", "pairs", "--db", db))))
    assert [p["decision"] for p in before].count("queued") == 3, before
    _run("dedup", "decide", "r1", "r2", "same", "--db", db)
    _run("dedup", "decide", "r2", "r3", "same", "--db", db)
    after = list(csv.DictReader(io.StringIO(_run("dedup", "pairs", "--db", db))))
    assert "queued" not in {p["decision"] for p in after}
    assert "no possible duplicates are waiting" in _run("dedup", "queue", "--db", db)
    assert json.loads(_run("dedup", "--db", db, "--json"))["queued"] == 0
