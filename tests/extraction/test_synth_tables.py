"""Synthesis tables on the demo review, checked against counts made by hand from the demo's
extraction CSV (corpora/demo/extractions.csv) with plain Python, not with the code under test.

Hand counts (14 studies, both reviewers agree on every value but scopus-0008's risk of bias):
- policy area: health 3 (0008, 0017, 0123), employment 4 (0039, 0099, grey-019, grey-033),
  homelessness 3 (0038, 0047, 0066), criminal justice 1, education 2, child welfare 1, other 0;
- United States x homelessness: 2 (scopus-0047, scopus-0066);
- bias domains (multiple choice): missing data 6, measurement 6, selection of result 4,
  deviations 2, randomisation 0, not reported 3 (0039, 0066, 0134);
- risk of bias: low 3, some concerns 7, high 3, unsettled 1 (scopus-0008);
- outcome metric "sustained employment at 12 months": 4 studies; "days of stable housing":
  2 studies (scopus-0047 has it in two rows and counts once).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from extraction.reconcile import decide, reconcile
from extraction.storage import get_form
from extraction.synthesis import render as rd
from extraction.synthesis.settled import settled_values
from extraction.synthesis.tables import (
    NOT_REPORTED,
    UNSETTLED,
    UnknownFieldError,
    characteristics,
    count_table,
)
from review.db import Store
from review.service import open_review
from tests.extraction.demo_review import Demo, agreed_values, build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def store(demo: Demo) -> Store:
    s = open_review(demo.db, create=False)
    yield s
    s.dispose()


def _by_label(t) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    return {r[0]: dict(zip(t.columns[1:], r[1:], strict=True)) for r in t.rows()}


def test_country_by_policy_area_matches_the_csv(store: Store) -> None:
    agreed = agreed_values()
    want: Counter[tuple[str, str]] = Counter(
        (c, p) for v in agreed.values() for c in v["country"] for p in v["policy_area"]
    )
    t = count_table(store, rows="country", cols="policy_area")
    got = _by_label(t)
    assert set(got) == {c for c, _ in want}  # countries by name, only those present
    for country, cells in got.items():
        for area in t.col_axis.labels:  # every allowed policy area, zero columns included
            assert cells[area] == want[(country, area)], (country, area)
        assert cells["total studies"] == sum(n for (c, _), n in want.items() if c == country)
    assert "other" in t.col_axis.labels and all(cells["other"] == 0 for cells in got.values())
    assert got["United States"]["homelessness"] == 2
    assert len(t.studies) == len(agreed) == 14  # studies, not reports (one has two)


def test_one_field_counts_every_allowed_value(store: Store) -> None:
    t = count_table(store, rows="policy_area")
    hand = {"health": 3, "employment": 4, "homelessness": 3, "criminal_justice": 1}
    hand |= {"education": 2, "child_welfare": 1, "other": 0}
    assert dict(t.rows()) == hand
    assert t.columns == ("Policy area", "studies")


def test_multiple_choice_counts_a_study_under_each_option(store: Store, demo: Demo) -> None:
    agreed = agreed_values()
    t = count_table(store, rows="bias_domains")
    got = dict(t.rows())
    for option in ("randomisation", "deviations", "missing_data", "measurement"):
        assert got[option] == sum(option in v.get("bias_domains", ()) for v in agreed.values())
    assert got == {
        "randomisation": 0,
        "deviations": 2,
        "missing_data": 6,
        "measurement": 6,
        "selection_of_result": 4,
        NOT_REPORTED: 3,
    }
    assert sum(got.values()) > len(t.studies)  # a study ticking two options is in both rows
    none = {demo.study_of[k] for k in ("scopus-0039", "scopus-0066", "scopus-0134")}
    assert set(t.ids(NOT_REPORTED)) == none


def test_ids_name_the_studies_of_a_cell(store: Store, demo: Demo) -> None:
    t = count_table(store, rows="country", cols="policy_area")
    assert set(t.ids("USA", "homelessness")) == {
        demo.study_of["scopus-0047"],
        demo.study_of["scopus-0066"],
    }
    assert t.ids("FRA", "health") == () and ("FRA", "health") in t.empty_cells()
    cols, rows = rd.grid(t, ids=True)
    us = next(r for r in rows if r[0] == "United States")
    cell = us[cols.index("homelessness")]
    assert cell.startswith("2: ") and str(demo.study_of["scopus-0066"]) in cell


def test_unsettled_value_is_counted_apart_until_decided(demo: Demo, tmp_path: Path) -> None:
    copy = tmp_path / "review.db"
    shutil.copy(demo.db, copy)
    s = open_review(str(copy), create=False)
    first = demo.study_of["scopus-0008"]
    t = count_table(s, rows="risk_of_bias")
    assert dict(t.rows()) == {"low": 3, "some_concerns": 7, "high": 3, UNSETTLED: 1}
    assert t.ids(UNSETTLED) == (first,) and t.unsettled == {first: ("risk_of_bias",)}
    fv = get_form(s, "obc")
    decide(s, fv, first, "risk_of_bias", "high", decided_by="lead")
    assert reconcile(s, fv, first, decided_by="lead").status == "reconciled"
    _, studies = settled_values(s)
    assert {x.basis for x in studies if x.study == first} == {"reconciled"}
    t = count_table(s, rows="risk_of_bias")
    assert dict(t.rows()) == {"low": 3, "some_concerns": 7, "high": 4}
    s.dispose()


def test_repeating_group_counts_studies_with_a_row(store: Store, demo: Demo) -> None:
    agreed = agreed_values()
    t = count_table(store, rows="outcomes.metric")
    got = dict(t.rows())
    for metric, n in got.items():
        assert n == sum(metric in v.get("outcomes.metric", ()) for v in agreed.values())
    assert got["sustained employment at 12 months"] == 4
    assert got["days of stable housing"] == 2  # scopus-0047 has two such rows: once
    # two columns of one group pair within a row: 0047's rows are (housing, 12), (housing, 36)
    pair = count_table(store, rows="outcomes.metric", cols="outcomes.time_point_months")
    assert pair.ids("days of stable housing", 12) == (demo.study_of["scopus-0047"],)
    assert pair.count("days of stable housing", 24) == 1
    assert pair.count("girls enrolled", 12) == 0


def test_characteristics_one_row_per_study(store: Store, demo: Demo) -> None:
    c = characteristics(store, fields=["country", "contracting_model", "risk_of_bias"])
    rows = {r[0]: r for r in c.rows()}
    assert len(rows) == 14
    assert c.columns == ("study", "name", "Country", "Contracting model", "Risk of bias")
    india = rows[demo.study_of["scopus-0134"]]
    assert india[2:] == ("India", "Development impact bond", "low")
    assert rows[demo.study_of["scopus-0008"]][4] == UNSETTLED


def test_unknown_field_names_it_and_lists_the_fields(store: Store) -> None:
    with pytest.raises(UnknownFieldError) as e:
        count_table(store, rows="contry")
    assert "'contry'" in e.value.message and "country" in (e.value.hint or "")
    with pytest.raises(UnknownFieldError) as e:
        count_table(store, rows="outcomes")
    assert "outcomes.metric" in (e.value.hint or "")


def test_formats(store: Store, tmp_path: Path) -> None:
    t = count_table(store, rows="evaluation_design", cols="risk_of_bias")
    cols, rows = rd.grid(t)
    md = rd.render(cols, rows, "md").splitlines()
    assert md[0].startswith("| Evaluation design | low |") and len(md) == 2 + len(rows)
    assert "qualitative | 0 | 0 | 0 | 0 | 0 |" in md[-1]  # a design no study used
    import csv
    import io

    parsed = list(csv.reader(io.StringIO(rd.render(cols, rows, "csv"))))
    assert parsed == [list(cols), *map(list, rows)]
    html = rd.html_table(["a<b>", "n"], [("x & y", "1")])
    assert "a&lt;b&gt;" in html and "x &amp; y" in html and "<b>" not in html
    assert rd.markdown(["a|b"], [("c|d",)]).splitlines()[2] == "| c\\|d |"
    out = tmp_path / "t.xlsx"
    rd.write(cols, rows, "xlsx", out)
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    got = [tuple(c.value for c in r) for r in ws.iter_rows()]
    assert got[0] == cols and got[1][0] == rows[0][0] and got[1][1] == int(rows[0][1])


def test_to_frame(store: Store) -> None:
    pytest.importorskip("pandas")
    df = count_table(store, rows="policy_area", cols="evaluation_design").to_frame()
    assert df.loc["employment", "quasi_experimental"] == 3
    assert int(df["total studies"].sum()) == 14
    c = characteristics(store, fields=["country"]).to_frame()
    assert len(c) == 14 and list(c.columns) == ["name", "Country"]
