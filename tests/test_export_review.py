"""What a lead exports: decisions at each stage with reviewers, notes, tags, duplicate cluster
and canonical flag, source database and file; filters by stage, label and canonical records;
BibTeX keys unique and stable across exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from review import annotation, service
from review.db import Store
from review.dedup.service import run_dedup
from review.errors import InvalidInputError
from review.export_view import ExportFilter, citation_keys
from tui.cli import app

RIS = "".join(
    f"TY  - JOUR\nID  - {key}\nTI  - {title}\nAU  - Smith, Ann\nPY  - 2020\n"
    f"T2  - Journal of Tests\nDO  - {doi}\nER  - \n\n"
    for key, title, doi in (
        ("1", "Trial of a thing in adults", "10.1000/a"),
        ("2", "Cohort study of another thing", "10.1000/b"),
        ("3", "Survey of a third thing", "10.1000/c"),
    )
)


@pytest.fixture
def review(store: Store, tmp_path: Path) -> Store:
    """Two files whose source keys repeat ("1", "2", "3" each twice), the second holding a
    copy of the first file's first record (same DOI) and two new ones."""
    first = tmp_path / "embase.ris"
    first.write_text(RIS)
    second = tmp_path / "medline.ris"
    second.write_text(
        RIS.replace("10.1000/b", "10.1000/e").replace("10.1000/c", "10.1000/f")
        .replace("Cohort study", "Case series").replace("Survey of", "Audit of")
    )  # fmt: skip
    service.import_files(store, [first], source_name="Embase")
    service.import_files(store, [second], source_name="MEDLINE")
    run_dedup(store)
    service.record_decision(store, 1, "include", reviewer="ana")
    service.record_decision(store, 2, "exclude", reviewer="ben", reason="wrong design")
    service.record_decision(store, 1, "include", stage="full-text", reviewer="ana")
    annotation.add_note(store, 1, "check the dose; see table 2", reviewer="ana")
    annotation.toggle_tag(store, 1, "rct", reviewer="ana")
    annotation.toggle_tag(store, 3, "survey", reviewer="ben")
    return store


def export(store: Store, fmt: str, flt: ExportFilter | None = None) -> str:
    out = io.StringIO()
    service.export_records(store, fmt, out, flt)
    return out.getvalue()


def test_csv_carries_the_review_view_of_each_record(review: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export(review, "csv"))))
    assert len(rows) == 6
    first = rows[0]
    assert (first["title-abstract_decision"], first["title-abstract_reviewers"]) == (
        "include",
        "ana",
    )
    assert first["full-text_decision"] == "include"
    assert rows[1]["title-abstract_decision"] == "exclude"
    assert rows[1]["title-abstract_reason"] == "wrong design"
    assert rows[2]["title-abstract_decision"] == "" and rows[2]["tags"] == "survey"
    assert first["notes"] == "ana: check the dose; see table 2" and first["tags"] == "rct"
    assert (first["source_database"], first["source_file"]) == ("Embase", "embase.ris")
    assert rows[3]["source_database"] == "MEDLINE"
    # the same-DOI copy in the second file is merged into the first record's cluster
    assert first["cluster_id"] and first["cluster_id"] == rows[3]["cluster_id"]
    assert {first["canonical"], rows[3]["canonical"]} == {"yes", "no"}
    assert rows[1]["cluster_id"] == "" and rows[1]["canonical"] == ""


def test_json_carries_decisions_with_reviewers_notes_and_cluster(review: Store) -> None:
    items = json.loads(export(review, "json"))
    first = items[0]
    assert first["decisions"]["title-abstract"] == {
        "label": "include",
        "reason": "",
        "reviewers": ["ana"],
    }
    assert first["notes"][0]["text"] == "check the dose; see table 2"
    assert first["tags"] == ["rct"] and first["cluster_id"] is not None
    assert first["source_file"] == "embase.ris" and "raw" not in first


@pytest.mark.parametrize(
    ("flt", "titles"),
    [
        (ExportFilter(label="include"), ["Trial of a thing in adults"]),
        (ExportFilter(label="exclude"), ["Cohort study of another thing"]),
        (ExportFilter(stage="full-text"), ["Trial of a thing in adults"]),
        (ExportFilter(stage="full-text", label="undecided"), None),  # all but record 1
        (ExportFilter(label="undecided", canonical_only=True), None),
    ],
)
def test_filters(review: Store, flt: ExportFilter, titles: list[str] | None) -> None:
    items = json.loads(export(review, "json", flt))
    if titles is not None:
        assert [i["title"] for i in items] == titles
    elif flt.canonical_only:
        assert all(i["canonical"] is not False for i in items)
        everyone = json.loads(export(review, "json", ExportFilter(label="undecided")))
        assert len(items) == len(everyone) - 1  # the merged copy is left out
    else:
        assert [i["id"] for i in items] == [2, 3, 4, 5, 6]


def test_unknown_stage_or_label_is_refused(review: Store) -> None:
    with pytest.raises(InvalidInputError, match="unknown label"):
        export(review, "csv", ExportFilter(label="keep"))
    with pytest.raises(InvalidInputError, match="unknown stage"):
        export(review, "csv", ExportFilter(stage="extraction"))


def test_bibtex_keys_unique_and_stable_across_exports(review: Store) -> None:
    import bibtexparser

    everything = bibtexparser.parse_string(export(review, "bibtex")).entries
    keys = [e.key for e in everything]
    assert keys == ["1", "2", "3", "1a", "2a", "3a"]  # source keys repeat across the files
    only_new = bibtexparser.parse_string(
        export(review, "bibtex", ExportFilter(label="undecided"))
    ).entries
    by_title = {e.fields_dict["title"].value: e.key for e in everything}
    assert all(by_title[e.fields_dict["title"].value] == e.key for e in only_new)
    assert "1a" in [e.key for e in only_new] or "2a" in [e.key for e in only_new]


def test_citation_keys_do_not_collide_with_an_existing_suffixed_key() -> None:
    keys = citation_keys([(1, "smith2020"), (2, "smith2020a"), (3, "smith2020"), (4, "")])
    assert keys == {1: "smith2020", 2: "smith2020a", 3: "smith2020b", 4: "record4"}


def test_ris_export_keeps_source_and_decisions(review: Store) -> None:
    text = export(review, "ris")
    first = text.split("ER  - ")[0]
    assert "DB  - Embase" in first and "N1  - litsift title-abstract: include (ana)" in first
    assert "N1  - tags: rct" in first


def test_cli_export_filters(review: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    db = review.url.removeprefix("sqlite:///")
    result = runner.invoke(
        app,
        ["export", "records", "--format", "json", "--label", "exclude", "--db", db],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert [i["title"] for i in json.loads(result.stdout)] == ["Cohort study of another thing"]
    canonical = runner.invoke(
        app, ["export", "records", "--format", "csv", "--canonical-only", "--db", db]
    )
    assert (
        canonical.exit_code == 0 and len(list(csv.DictReader(io.StringIO(canonical.stdout)))) == 5
    )
    bad = runner.invoke(app, ["export", "records", "--label", "keep", "--db", db])
    assert bad.exit_code == 1 and "unknown label" in bad.stderr
