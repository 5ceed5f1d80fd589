"""`extract import` of a spreadsheet from another review or tool: rows matched to this
review's studies by study id, then a report's source key, then DOI, then title; rows that
match nothing, or match two studies, reported with their line and nothing written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extraction.importing import ExtractionImportError
from extraction.service import ExtractionSession
from review import service, studies
from review.db import Store
from review.service import open_review
from tests.extraction.test_forms import DEMO_FORM
from tests.extraction.test_service import fill
from tui.cli import app

PAPERS = {  # source key -> (DOI, title)
    "smith2019": ("10.1000/sib.1", "A social impact bond for homelessness"),
    "smith2019b": ("10.1000/sib.2", "A social impact bond for homelessness: two-year results"),
    "okoye2020": ("10.1000/dib.1", "Development impact bonds in maternal health"),
    "okoye2021": ("10.1000/dib.2", "Maternal health DIB, final evaluation"),
    "lee2018": ("10.1000/pbr.1", "Payment by results in employment services"),
    "lee2018b": ("10.1000/pbr.2", "Payment by results in employment services: costs"),
}


def _review(path: Path, keys: list[str], pairs: list[tuple[str, str]]) -> tuple[Store, dict]:
    """A review with the papers `keys` imported (in that order) and linked in `pairs`;
    returns the store and source key -> study id."""
    store = open_review(str(path), name=path.stem)
    bib = path.with_suffix(".bib")
    bib.write_text(
        "".join(
            f"@article{{{k}, title={{{PAPERS[k][1]}}}, doi={{{PAPERS[k][0]}}}, year={{2020}}}}\n"
            for k in keys
        ),
        encoding="utf-8",
    )
    service.import_files(store, [bib])
    ids = {r["source_key"]: r["id"] for r in service.iter_records(store)}
    study_of = {}
    for a, b in pairs:
        sid = studies.link_reports(store, [ids[a], ids[b]]).id
        study_of[a] = study_of[b] = sid
    ExtractionSession(store).add_form(DEMO_FORM.read_text(encoding="utf-8"))
    return store, study_of


@pytest.fixture
def source(tmp_path: Path) -> tuple[ExtractionSession, dict]:
    """The review extracted first: smith (study 1) and okoye (study 2) by ana."""
    store, study_of = _review(
        tmp_path / "a.db",
        ["smith2019", "smith2019b", "okoye2020", "okoye2021"],
        [("smith2019", "smith2019b"), ("okoye2020", "okoye2021")],
    )
    ex = ExtractionSession(store)
    fill(ex, study_of["smith2019"], "ana")
    ex.complete(study_of["smith2019"], reviewer="ana")
    fill(ex, study_of["okoye2020"], "ana", country="Nigeria", findings="Births\nrose")
    yield ex, study_of
    store.dispose()


@pytest.fixture
def target(tmp_path: Path) -> tuple[ExtractionSession, dict]:
    """Another review of the same papers: other study ids (lee is study 1 here)."""
    store, study_of = _review(
        tmp_path / "b.db",
        list(reversed(PAPERS)),
        [("lee2018", "lee2018b"), ("okoye2020", "okoye2021"), ("smith2019", "smith2019b")],
    )
    yield ExtractionSession(store), study_of
    store.dispose()


def _by_key(ex: ExtractionSession, study_of: dict) -> dict[str, Any]:
    """Each extraction's values keyed by a source key of its study, not its id."""
    key = {sid: k for k, sid in study_of.items() if not k.endswith(("b", "2021"))}
    return {(key[d.study], d.reviewer): (d.status, d.values, d.rows) for d in ex.extractions("obc")}


def _rewrite_csv(path: Path, change: Any) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = [change(r) for r in rows]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_rows_matched_by_source_key_into_other_study_ids(
    source: Any, target: Any, tmp_path: Path, layout: Any
) -> None:
    ex, a_ids = source
    ex2, b_ids = target
    assert a_ids["smith2019"] != b_ids["smith2019"]  # the ids do not carry over
    out = tmp_path / "x.csv"
    paths = ex.export("obc", layout, "csv", out).paths[:-1]  # the data (and group) files
    key_of = {a_ids["smith2019"]: "smith2019b", a_ids["okoye2020"]: "okoye2020"}  # any report
    for p in paths:
        _rewrite_csv(p, lambda r: {"source_key": key_of[int(r.pop("study"))], **r})
    summary = ex2.import_file(out, form="obc")
    rows = sum(len(list(csv.DictReader(p.open(encoding="utf-8")))) for p in paths)
    assert summary.matched_by == {"source_key": rows}
    assert _by_key(ex2, b_ids) == _by_key(ex, a_ids)


def test_doi_and_title_from_another_tool_xlsx(source: Any, target: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    ex2, b_ids = target
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["DOI", "Title", "Reviewer", "country", "policy_area", "investors"])
    ws.append(["https://doi.org/10.1000/SIB.2", None, "ana", "Kenya", "health", 3])
    ws.append([None, "maternal health DIB — final evaluation", "ana", "NG", "health", 2])
    wb.save(tmp_path / "tool.xlsx")
    summary = ex2.import_file(tmp_path / "tool.xlsx", form="obc")
    assert summary.matched_by == {"doi": 1, "title": 1}
    got = {d.study: d.values for d in ex2.extractions("obc")}
    assert got == {
        b_ids["smith2019"]: {"country": "KEN", "policy_area": "health", "investors": 3},
        b_ids["okoye2020"]: {"country": "NGA", "policy_area": "health", "investors": 2},
    }


def test_unmatched_and_conflicting_rows_reported_with_their_line(
    target: Any, tmp_path: Path
) -> None:
    ex2, b_ids = target
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "study,source_key,doi,reviewer,country,findings\n"
        f"{b_ids['smith2019']},,,ana,Kenya,\n"  # line 2: fine
        ',,10.1000/none,ana,Kenya,"two\nlines"\n'  # line 3: no such DOI
        f"{b_ids['smith2019']},okoye2020,,ana,Kenya,\n"  # line 5: id and key disagree
        "99,,,ana,Kenya,\n"  # line 6: no study 99
        ",,,ana,Kenya,\n"  # line 7: nothing to match by
        ",nobody2000,,ana,Kenya,\n"  # line 8
        ",,doi:none,ana,Kenya,\n",  # line 9
        encoding="utf-8",
    )
    with pytest.raises(ExtractionImportError) as e:
        ex2.import_file(sheet, form="obc")
    got = [(i.where, i.line, i.message) for i in e.value.issues]
    smith, okoye = b_ids["smith2019"], b_ids["okoye2020"]
    assert got == [
        ("bad.csv", 3, "no study in this review matches DOI '10.1000/none'"),
        (
            "bad.csv",
            5,
            f"study {smith} is study {smith} but source key 'okoye2020' is study {okoye}",
        ),
        ("bad.csv", 6, "no study 99 in this review"),
        ("bad.csv", 7, "no study identifier in the row (columns study, source_key, doi, title)"),
        ("bad.csv", 8, "no study in this review matches source key 'nobody2000'"),
        ("bad.csv", 9, "no study in this review matches DOI 'doi:none' (not a DOI)"),
    ]
    assert ex2.extractions("obc") == []  # nothing half-written


def test_cli_import_reports_lines_in_json(target: Any, tmp_path: Path) -> None:
    ex2, b_ids = target
    db = str(ex2.store.path)
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "doi,reviewer,country\n10.1000/dib.1,ana,Nigeria\n10.9999/x,ana,Kenya\n", encoding="utf-8"
    )
    r = CliRunner().invoke(app, ["extract", "import", str(sheet), "--db", db, "--json"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert json.loads(r.stdout)["issues"] == [
        {"where": "s.csv", "line": 3, "message": "no study in this review matches DOI '10.9999/x'"}
    ]
    sheet.write_text("doi,reviewer,country\n10.1000/dib.1,ana,Nigeria\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["extract", "import", str(sheet), "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {
        "imported": True,
        "extractions": 1,
        "values": 2,  # the demo form has a doi field: the column is matched on and stored
        "matched_by": {"doi": 1},
    }
    (d,) = ex2.extractions("obc")
    assert (d.study, d.values) == (b_ids["okoye2020"], {"doi": "10.1000/dib.1", "country": "NGA"})


def test_xlsx_with_group_sheet_first_keeps_the_main_sheets_status(
    target: Any, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    ex2, b_ids = target
    wb = Workbook()
    groups = wb.active
    groups.title = "outcomes"
    groups.append(["doi", "reviewer", "row", "metric", "price"])
    groups.append(["10.1000/pbr.2", "ana", 1, "jobs kept 13 weeks", 900])
    main = wb.create_sheet("Extraction data")
    head = ["doi", "reviewer", "status", "country", "policy_area", "contracting_model"]
    main.append([*head, "evaluation_design", "risk_of_bias"])
    main.append(["10.1000/pbr.1", "ana", "complete", "GB", "employment", "pbr", "rct", "low"])
    wb.save(tmp_path / "tool.xlsx")
    ex2.import_file(tmp_path / "tool.xlsx", form="obc")
    (d,) = ex2.extractions("obc")
    assert (d.study, d.status) == (b_ids["lee2018"], "complete")
    assert d.rows == {"outcomes": {1: {"metric": "jobs kept 13 weeks", "price": 900.0}}}
