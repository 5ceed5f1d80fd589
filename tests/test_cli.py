"""The CLI contract, through Typer's CliRunner against real temporary databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from review.models import BIBLIO_FIELDS
from tests.conftest import shared_file
from tui.cli import app

runner = CliRunner()


def run(*args: str, ok: bool = True) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + str(
            result.stderr if hasattr(result, "stderr") else ""
        )
    return result.output


def test_import_json_contract_and_exit_status(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    good = shared_file("formats/ris/asreview/embase.ris")
    junk = tmp_path / "junk.ris"
    junk.write_bytes(b"\x00\xff" * 300)
    result = runner.invoke(
        app, ["import", str(good), str(junk), "--db", db, "--json", "--source", "Embase"]
    )
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    first, second = out["files"]
    assert (first["format"], first["imported"], first["quarantined"]) == ("ris", 6, 0)
    assert isinstance(first["warnings"], list)
    assert second["error"] and "junk.ris" in second["error"]
    # the good file went in, and importing it again is refused unless --again
    again = runner.invoke(app, ["import", str(good), "--db", db])
    assert again.exit_code == 1 and "already imported" in again.stderr
    assert runner.invoke(app, ["import", str(good), "--db", db, "--again"]).exit_code == 0


def test_status_records_decide_next_undo(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    run("init", "--name", "SIB review", "--db", db)
    run(
        "import", str(shared_file("formats/medline_nbib/synthesisr/PubMed_example.txt")), "--db", db
    )
    st = json.loads(run("status", "--json", "--db", db))
    assert st["name"] == "SIB review" and st["records"] == 3
    assert st["batches"][0]["format"] == "medline"
    nxt = json.loads(run("next", "--json", "--db", db, "--reviewer", "ana"))["record"]
    assert nxt["pmid"]
    run("decide", str(nxt["id"]), "include", "--db", db, "--reviewer", "ana", "--note", "RCT")
    recs = json.loads(run("records", "--json", "--db", db))["records"]
    assert [r["label"] for r in recs].count("include") == 1
    assert (
        json.loads(run("next", "--json", "--db", db, "--reviewer", "ana"))["record"]["id"]
        != nxt["id"]
    )
    assert "retracted" in run("undo", "--db", db, "--reviewer", "ana")
    assert (
        json.loads(run("next", "--json", "--db", db, "--reviewer", "ana"))["record"]["id"]
        == nxt["id"]
    )
    bad = runner.invoke(app, ["decide", str(nxt["id"]), "keep", "--db", db])
    assert bad.exit_code == 1 and "unknown label" in bad.stderr


def test_export_decisions(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    run("import", str(shared_file("formats/ris/asreview/proquest.ris")), "--db", db)
    run("decide", "1", "exclude", "--reason", "wrong population", "--db", db, "--reviewer", "ana")
    run("decide", "2", "include", "--stage", "title-abstract", "--db", db, "--reviewer", "ben")
    rows = list(
        csv.DictReader(io.StringIO(run("export", "decisions", "--format", "csv", "--db", db)))
    )
    assert [(r["record_id"], r["reviewer"], r["label"], r["reason"]) for r in rows] == [
        ("1", "ana", "exclude", "wrong population"),
        ("2", "ben", "include", ""),
    ]
    assert set(rows[0]) >= {"source_key", "stage", "note", "time"}
    out = tmp_path / "d.json"
    run("export", "decisions", "--format", "json", "--out", str(out), "--db", db)
    assert json.loads(out.read_text())[0]["source_key"] == rows[0]["source_key"]


FIELDS = ("source_key", *BIBLIO_FIELDS)


def _records(db: str) -> list[dict]:
    from review import service

    store = service.open_review(db)
    try:
        return [{k: r[k] for k in FIELDS} for r in service.iter_records(store)]
    finally:
        store.dispose()


@pytest.mark.parametrize("fmt", ["csv", "json", "ris", "bibtex"])
def test_export_records_round_trips(tmp_path: Path, fmt: str) -> None:
    src = str(tmp_path / "src.db")
    for rel in (
        "formats/ris/asysd/ris_export.txt",
        "formats/medline_nbib/revtools/restoration_pubmed.nbib",
        "formats/bibtex/asysd/zotero_export.bib",
        "formats/tabular/asysd/zotero_export.csv",
    ):
        run("import", str(shared_file(rel)), "--db", src)
    out = tmp_path / f"export.{fmt}"
    run("export", "records", "--format", fmt, "--out", str(out), "--db", src)
    dst = str(tmp_path / "dst.db")
    report = json.loads(run("import", str(out), "--db", dst, "--json"))["files"][0]
    assert report["quarantined"] == 0
    before, after = _records(src), _records(dst)
    assert len(after) == len(before) == report["imported"]
    for a, b in zip(before, after, strict=True):
        if fmt == "bibtex":  # BibTeX keys cannot hold every character of a source key
            a, b = dict(a, source_key=""), dict(b, source_key="")
        assert a == b


_any_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Zl", "Zp")),
        min_size=1,
        max_size=80,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s.lower() not in {"na", "n/a", "nan", "none", "null", "-"})
)


@settings(max_examples=80, deadline=None)
@given(title=_any_text, abstract=_any_text)
def test_bibtex_writer_and_reader_agree_on_any_text(title: str, abstract: str) -> None:
    """Whatever characters a title or abstract holds, BibTeX export then import keeps them."""
    from review.exports import to_string, write_records_bibtex
    from review.fields import normalize_fields
    from review.readers.base import ParsedEntry
    from review.readers.bibtex import BibtexReader
    from review.readers.source import SourceFile

    rec = {k: "" for k in FIELDS} | {
        "source_key": "k",
        "title": title,
        "abstract": abstract,
        "authors": [],
        "keywords": [],
        "year": None,
        "type": "JOUR",
    }
    text = to_string(write_records_bibtex, [rec])
    import hashlib
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".bib", delete=False, encoding="utf-8") as f:
        f.write(text)
    src = SourceFile(Path(f.name), hashlib.sha256(text.encode()).hexdigest(), len(text), "utf-8")
    (entry,) = list(BibtexReader().read(src))
    Path(f.name).unlink()
    assert isinstance(entry, ParsedEntry), entry
    cols, _ = normalize_fields(entry.fields)
    expected, _ = normalize_fields({"title": title, "abstract": abstract})
    assert (cols["title"], cols["abstract"]) == (expected["title"], expected["abstract"])


def test_stopping_random_check_from_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    ris = tmp_path / "r.ris"
    ris.write_text("".join(f"TY  - JOUR\nID  - k{i}\nTI  - T{i}\nER  - \n\n" for i in range(30)))
    run("import", str(ris), "--db", db)
    for rid in range(1, 11):
        run("decide", str(rid), "include" if rid == 1 else "exclude", "--db", db, "--reviewer", "a")
    before = json.loads(run("stopping", "--db", db, "--reviewer", "a", "--json"))
    assert (before["phase"], before["run"], before["found"]) == ("ranking", 9, 1)
    out = json.loads(
        run("stopping", "--start-check", "--seed", "1", "--db", db, "--reviewer", "a", "--json")
    )
    assert (out["phase"], out["pool"], out["sample"]) == ("check", 20, 0)
    drawn = json.loads(run("next", "--db", db, "--reviewer", "a", "--json"))["record"]["id"]
    assert drawn > 10  # a record from the pool, not the next in import order necessarily
    run("decide", str(drawn), "exclude", "--db", db, "--reviewer", "a")
    after = json.loads(run("stopping", "--db", db, "--reviewer", "a", "--json"))
    assert after["sample"] == 1 and after["p_value"] is not None
    result = runner.invoke(app, ["stopping", "--start-check", "--db", db, "--reviewer", "a"])
    assert result.exit_code == 1 and "already started" in result.stderr
    run("stopping", "--cancel-check", "--db", db, "--reviewer", "a")


def test_note_tag_attach_search_and_show(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    ris = tmp_path / "r.ris"
    ris.write_text(
        "TY  - JOUR\nID  - a\nTI  - Social impact bonds\nER  - \n\n"
        "TY  - JOUR\nID  - b\nTI  - Green bonds\nER  - \n\n"
    )
    run("import", str(ris), "--db", db)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    assert "tagged 'sib'" in run("tag", "1", "SIB", "--db", db)
    run("note", "1", "ask the authors", "--db", db, "--reviewer", "ana")
    run("attach", "1", str(pdf), "--db", db)
    missing = runner.invoke(app, ["attach", "1", str(tmp_path / "no.pdf"), "--db", db])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    found = json.loads(run("search", "bonds tag:sib", "--db", db, "--json"))["records"]
    assert [r["id"] for r in found] == [1]
    shown = json.loads(run("show", "1", "--db", db, "--json"))
    assert [(a["kind"], a["value"]) for a in shown["annotations"]] == [
        ("tag", "sib"),
        ("note", "ask the authors"),
        ("attachment", str(pdf.resolve())),
    ]
    assert "untagged" in run("tag", "1", "sib", "--db", db)
    listed = json.loads(run("annotations", "--removed", "--db", db, "--json"))["annotations"]
    assert len(listed) == 3 and listed[0]["removed_at"] is not None


def test_keys_list_set_and_reset(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    run("init", "--db", db)
    out = json.loads(run("keys", "--set", "screening.include=j", "--db", db, "--json"))
    keys = {k["id"]: k for k in out["keys"]}
    assert keys["screening.include"]["key"] == "j" and keys["screening.include"]["default"] == "i"
    bad = runner.invoke(app, ["keys", "--set", "screening.exclude=j", "--db", db])
    assert bad.exit_code == 1 and "would do both" in bad.stderr
    out = json.loads(run("keys", "--reset", "--db", db, "--json"))
    assert all(k["key"] == k["default"] for k in out["keys"])


def test_next_is_ranked_by_default(tmp_path: Path) -> None:
    from corpora.service import create_demo_review
    from screening.service import next_record, open_ranker

    demo = create_demo_review(tmp_path / "demo")
    db = str(demo.path)
    ranker = open_ranker(demo.store, reviewer="ana", background=False)
    best = next_record(demo.store, reviewer="ana", ranker=ranker)
    ranker.close()
    ranked = json.loads(run("next", "--db", db, "--reviewer", "ana", "--json"))["record"]
    first = json.loads(run("next", "--order", "import", "--db", db, "--reviewer", "ana", "--json"))
    assert best is not None and ranked["id"] == best["id"]
    assert first["record"]["id"] == 1 and ranked["id"] != 1  # the protocol's BM25 order


def test_demo_without_the_app_prints_the_review(tmp_path: Path) -> None:
    """The commands it suggests are whole lines a user can copy, whatever the folder's name
    (long, or holding what Rich would read as markup)."""
    keep = tmp_path / "[bold]a-rather-long-folder-name-for-the-demo-review-to-wrap"
    out = run("demo", "--no-tui", "--keep", str(keep))
    assert "scopus_export.ris" in out and "title-abstract" in out
    assert (keep / "review.db").exists()
    suggested = [ln.strip() for ln in out.splitlines() if ln.strip().startswith("litsift ")]
    assert len(suggested) >= 5
    assert all(f"--db {keep / 'review.db'}" in ln for ln in suggested)
    assert f"litsift screen --db {keep / 'review.db'}" in suggested


def test_piped_output_keeps_each_line_whole(tmp_path: Path) -> None:
    """Into a pipe (as here) a long line is not wrapped: one record per line for grep/wc."""
    title = "A title long enough to pass any terminal width " * 4
    ris = tmp_path / "long.ris"
    ris.write_text(f"TY  - JOUR\nTI  - {title.strip()}\nPY  - 2020\nER  - \n")
    db = str(tmp_path / "r.db")
    run("import", str(ris), "--db", db)
    lines = run("search", "terminal", "--db", db).splitlines()
    assert lines == [f"1 2020 {title.strip()}"]


def test_a_refused_first_import_leaves_no_empty_review(tmp_path: Path) -> None:
    """A refused file writes nothing: a mistyped path must not leave a new, empty review."""
    db = tmp_path / "new.db"
    refused = runner.invoke(app, ["import", str(tmp_path / "typo.ris"), "--db", str(db)])
    assert refused.exit_code == 1 and "no such file" in refused.stderr
    assert list(tmp_path.iterdir()) == []
    # a broken file whose entry is kept in quarantine does make the review: it holds the entry
    junk = tmp_path / "junk.ris"
    junk.write_text("TY  - JOUR\nTI  - no end tag\n")
    run("import", str(junk), "--db", str(db))
    kept = json.loads(run("quarantine", "--db", str(db), "--json"))["quarantine"]
    assert [q["line"] for q in kept] == [1]
    # an existing review stays when a later file is refused
    other = tmp_path / "kept.db"
    run("init", "--db", str(other))
    again = runner.invoke(app, ["import", str(tmp_path / "typo.ris"), "--db", str(other)])
    assert again.exit_code == 1 and other.exists()


@pytest.mark.parametrize(
    "case",
    ["empty file", "unknown encoding", "same record twice"],
)
def test_refusals_say_what_to_do(tmp_path: Path, case: str) -> None:
    # Every refusal a new user meets is `error:` and a `hint:` with the way out, exit 1.
    db = str(tmp_path / "r.db")
    ris = tmp_path / "one.ris"
    ris.write_text("TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n")
    run("import", str(ris), "--db", db)
    empty = tmp_path / "empty.ris"
    empty.write_bytes(b"")
    args = {
        "empty file": ["import", str(empty)],
        "unknown encoding": ["import", str(ris), "--again", "--encoding", "utf-99"],
        "same record twice": ["dedup", "decide", "#1", "#1", "same"],
    }[case]
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "\nhint: " in result.stderr and "Traceback" not in result.stderr


def test_import_summary_counts_one_record_in_the_singular(tmp_path: Path) -> None:
    """'1 records, 1 warnings' read as a typo; one of a thing is singular."""
    ris = tmp_path / "one.ris"
    ris.write_text("TY  - JOUR\nTI  - A single study\nPY  - 2020\nER  - \n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(ris), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.output
    assert "1 record" in result.output and "1 records" not in result.output


def test_dedup_summary_counts_one_queued_pair_in_the_singular(tmp_path: Path) -> None:
    """Part I and Part II of one series are queued, not merged: '1 pair queued'."""
    ris = tmp_path / "parts.ris"
    ris.write_text(
        "".join(
            f"TY  - JOUR\nAU  - Smith, J.\nTI  - Social impact bonds in health care: part {p}\n"
            f"JO  - Public Money & Management\nPY  - 2019\nVL  - 39\nSP  - {sp}\nER  - \n"
            for p, sp in (("I", 1), ("II", 10))
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "r.db")
    assert CliRunner().invoke(app, ["import", str(ris), "--db", db]).exit_code == 0
    result = CliRunner().invoke(app, ["dedup", "--db", db])
    assert result.exit_code == 0, result.output
    assert "0 duplicate records merged, 1 pair queued" in result.output
