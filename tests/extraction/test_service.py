"""Extraction stored in a review: values typed on write and audited, form versions carrying
values (and reporting what they cannot carry), exports that round-trip through import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from extraction.forms import FieldValueError
from extraction.importing import ExtractionImportError
from extraction.service import ExtractionSession
from review.db import Store
from review.models import AuditEntry
from review.prisma_tables import Study
from review.service import open_review
from tests.extraction.test_forms import DEMO_FORM

FULL = {
    "country": "Kenya",
    "policy_area": "health",
    "commissioner": "Ministry of Health",
    "start_date": "2018-03-01",
    "contracting_model": "dib",
    "contract_value": "1250000.5",
    "investors": "3",
    "evaluation_design": "rct",
    "comparator": "usual care",
    "effect_estimate": "0.21",
    "effect_se": "0.05",
    "effect_significant": "yes",
    "risk_of_bias": "some_concerns",
    "bias_domains": "missing_data; randomisation",
    "findings": 'Line one, with a comma.\nLine two "quoted".',
}
ROWS = [
    {
        "metric": "clinic visits",
        "trigger": "visit within 30 days",
        "price": "40",
        "time_point_months": "6",
    },
    {"metric": "births in facility", "price": "120.75"},
]


# A second extraction that differs from FULL (a pre-post study in France, some fields empty).
OTHER = dict(
    country="FR",
    comparator=None,
    evaluation_design="pre_post",
    bias_domains=None,
    effect_significant="no",
)


def make_studies(store: Store, n: int) -> None:
    with store.session() as s:
        for i in range(n):
            s.add(Study(name=f"study {i + 1}"))


def session_with_form(
    store: Store, studies: int, form: str | None = None, *, actor: str = ""
) -> ExtractionSession:
    """`studies` studies and a form (the demo form unless given) in an extraction session."""
    make_studies(store, studies)
    ex = ExtractionSession(store)
    ex.add_form(DEMO_FORM.read_text(encoding="utf-8") if form is None else form, actor=actor)
    return ex


def fill(ex: ExtractionSession, study: int, reviewer: str, **over: Any) -> None:
    for k, v in {**FULL, **over}.items():
        if v is not None:
            ex.set(study, k, v, reviewer=reviewer)
    for i, row in enumerate(ROWS, 1):
        for k, v in row.items():
            ex.set(study, f"outcomes.{k}", v, reviewer=reviewer, row=i)


@pytest.fixture
def ex(store: Store) -> ExtractionSession:
    return session_with_form(store, 3, actor="lead")


def test_values_typed_on_write_and_audited(ex: ExtractionSession, store: Store) -> None:
    assert ex.set(1, "country", "kenya", reviewer="ana") == "KEN"
    assert ex.set(1, "outcomes.price", "40", reviewer="ana", row=1) == 40.0
    with pytest.raises(FieldValueError, match="investors: expected an integer, got 'three'"):
        ex.set(1, "investors", "three", reviewer="ana")
    with pytest.raises(Exception, match="give --row"):
        ex.set(1, "outcomes.price", "40", reviewer="ana")
    ex.set(1, "country", "Uganda", reviewer="ana")
    with store.session() as s:
        log = s.exec(select(AuditEntry).where(AuditEntry.action == "extraction-value")).all()
    assert [(e.detail["field"], e.detail["old"], e.detail["new"]) for e in log] == [
        ("country", None, "KEN"),
        ("outcomes.price", None, 40.0),
        ("country", "KEN", "UGA"),
    ]


def test_complete_needs_required_fields(ex: ExtractionSession) -> None:
    ex.set(1, "country", "Kenya", reviewer="ana")
    with pytest.raises(FieldValueError, match="policy_area: is required"):
        ex.complete(1, reviewer="ana")
    fill(ex, 1, "ana")
    assert ex.complete(1, reviewer="ana").status == "complete"


def test_new_version_carries_values_and_reports_the_rest(ex: ExtractionSession) -> None:
    fill(ex, 1, "ana")
    ex.complete(1, reviewer="ana")
    text = DEMO_FORM.read_text(encoding="utf-8")
    changed = (
        text.replace(
            "name: investors\n        type: integer", "name: investors\n        type: number"
        )
        .replace(
            "      - name: commissioner\n        type: text\n"
            "        help: Who paid for outcomes (ministry, municipality, outcomes fund)\n",
            "",
        )
        .replace(
            "name: effect_significant\n        type: boolean",
            "name: effect_significant\n        type: date",
        )
        .replace("[health, employment,", "[employment,")
    )
    assert changed.count("commissioner") == 0
    added = ex.add_form(changed, actor="lead")
    assert added.new_version and added.form.version == 2
    assert added.carried_extractions == 1
    lost = {(u.field, u.value): u.reason for u in added.uncarried}
    assert lost == {
        ("commissioner", "Ministry of Health"): "the field is not in the new version",
        ("effect_significant", True): "type changed from boolean to date",
        ("policy_area", "health"): "'health' is not one of employment, homelessness, "
        "criminal_justice, education, child_welfare, other",
    }
    (now,) = ex.extractions()
    assert now.values["investors"] == 3.0 and now.values["country"] == "KEN"
    assert now.rows["outcomes"][2]["price"] == 120.75
    assert now.status == "in_progress"  # something was not carried: look at it again
    assert ex.add_form(changed).new_version is False  # the same file again: no new version


@pytest.mark.parametrize(
    ("layout", "fmt"), [("wide", "csv"), ("long", "csv"), ("wide", "xlsx"), ("long", "xlsx")]
)
def test_export_import_round_trip(
    ex: ExtractionSession, tmp_path: Path, layout: Any, fmt: str
) -> None:
    fill(ex, 1, "ana")
    ex.complete(1, reviewer="ana")
    fill(ex, 2, "ben", **OTHER)
    out = tmp_path / f"x.{fmt}"
    res = ex.export("obc", layout, fmt, out)
    assert res.paths[-1].name == f"x.codebook.{'csv'}" and res.paths[-1].exists()
    other = open_review(str(tmp_path / "new.db"), name="new")
    ex2 = session_with_form(other, 3)
    summary = ex2.import_file(out, form="obc")
    assert summary.extractions == 2
    assert ex2.rows("obc", layout="long") == ex.rows("obc", layout="long")
    assert ex2.rows("obc", layout="wide") == ex.rows("obc", layout="wide")
    other.dispose()


def test_import_reports_every_bad_row_and_writes_nothing(
    ex: ExtractionSession, tmp_path: Path
) -> None:
    fill(ex, 1, "ana")
    out = tmp_path / "x.csv"
    ex.export("obc", "long", "csv", out)
    text = out.read_text(encoding="utf-8")
    bad = text.replace("KEN", "Atlantis").replace(",0.05,", ",-1,") + "7,country,,Peru,,ana,\n"
    out.write_text(bad, encoding="utf-8")
    other = open_review(str(tmp_path / "new.db"), name="new")
    ex2 = session_with_form(other, 3)
    with pytest.raises(ExtractionImportError) as e:
        ex2.import_file(out)
    msgs = [str(i) for i in e.value.issues]
    assert any("country: 'Atlantis' is not an ISO 3166 country" in m for m in msgs)
    assert any("effect_se: -1 is below the minimum 0" in m for m in msgs)
    assert any("no study 7" in m for m in msgs)
    assert ex2.extractions() == []
    other.dispose()


def test_json_export_and_codebook(ex: ExtractionSession, tmp_path: Path) -> None:
    fill(ex, 1, "ana")
    res = ex.export("obc", "wide", "json", tmp_path / "x.json")
    data = json.loads(res.paths[0].read_text())
    assert data["extraction"][0]["bias_domains"] == ["randomisation", "missing_data"]
    assert [r["price"] for r in data["outcomes"]] == [40.0, 120.75]
    book = json.loads(res.paths[1].read_text())
    price = next(b for b in book if b["field"] == "outcomes.price")
    assert price["unit"] == "GBP" and price["allowed_values"] == "0.."


def test_to_frame(ex: ExtractionSession) -> None:
    pd = pytest.importorskip("pandas")
    fill(ex, 1, "ana")
    df = ex.to_frame(layout="long")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["study", "field", "row", "value", "unit", "reviewer", "status"]
    assert len(ex.to_frame(table="outcomes")) == 2


def test_editing_a_complete_extraction_returns_it_to_in_progress(
    ex: ExtractionSession, store: Store
) -> None:
    fill(ex, 1, "ana")
    ex.complete(1, reviewer="ana")
    ex.set(1, "country", "Kenya", reviewer="ana")  # the same value: still complete
    assert ex.extractions(study=1)[0].status == "complete"
    ex.set(1, "outcomes.price", "41", reviewer="ana", row=1)
    assert ex.extractions(study=1)[0].status == "in_progress"
    with store.session() as s:
        log = s.exec(select(AuditEntry).where(AuditEntry.action == "extraction-status")).all()
    assert [(e.detail["old"], e.detail["new"]) for e in log][-1] == ("complete", "in_progress")
