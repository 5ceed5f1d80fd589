"""PRISMA 2020 counts from a review built with known numbers: every box, the invariants,
the CSV template layout, the SVG's boxes and the CLI."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from review import automation, service, sources, studies
from review.agreement import agreement
from review.conflicts import list_conflicts, resolve_conflict
from review.db import Store
from review.dedup.service import run_dedup
from review.prisma import prisma_counts
from review.prisma_render import CSV_COLUMNS, template_rows, to_csv, to_markdown
from review.prisma_svg import to_png, to_svg
from review.schema import SCHEMA_VERSION
from review.settings import NOT_RETRIEVED
from screening.stop import stop_screening
from tests.conftest import SHARED, load_module
from tui.cli import app

TOPICS = [
    "Cognitive behavioural therapy for insomnia in older adults",
    "School-based vaccination campaigns and measles uptake",
    "Telemonitoring of heart failure after hospital discharge",
    "Sugar taxes and childhood obesity in Latin America",
    "Peer support for smoking cessation in pregnancy",
    "Mindfulness training for nurses working night shifts",
    "Community health workers and malaria treatment in Uganda",
    "Cycling infrastructure and commuter injury rates",
    "Mobile phone reminders for tuberculosis medication",
    "Green space exposure and adolescent depression",
    "Fluoride varnish in primary care dental visits",
    "Cash transfers and secondary school attendance for girls",
    "Exercise programmes to prevent falls in care homes",
    "Air filtration in classrooms and asthma attacks",
    "Text messaging to support diabetes self management",
    "Housing first programmes and emergency department visits",
]


def ris(entries: list[tuple[str, int, int, str]]) -> str:
    """RIS text; each entry (key, topic index, year, language): the same topic gives the same
    paper (a duplicate)."""
    out = []
    for key, topic, year, lang in entries:
        out.append(
            f"TY  - JOUR\nID  - {key}\nTI  - {TOPICS[topic]}\nAU  - Author{topic}, A.\n"
            f"PY  - {year}\nJO  - Journal {topic}\nDO  - 10.5555/topic.{topic}\n"
            f"LA  - {lang}\nAB  - A study of {TOPICS[topic].lower()}.\nER  - \n"
        )
    return "\n".join(out)


def _import(store: Store, tmp: Path, name: str, text: str, source: str, kind: str) -> None:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    (report,) = service.import_files(store, [p], source_name=source, source_type=kind)
    assert report.error is None, report.error


def _ids(store: Store) -> dict[str, int]:
    return {r.source_key: r.id for r in service.list_records(store)}


E = "English"
# (file, source, type, entries): MEDLINE in two files; CINAHL's c1 repeats MEDLINE's m1 and
# c2 Embase's e2 (duplicates across sources); Embase's e5 repeats e1 and the website's w4
# repeats w1 (duplicates within a source)
FILES = [
    ("medline1.ris", "MEDLINE", "database",
     [("m1", 0, 2015, E), ("m2", 1, 2016, E), ("m3", 2, 1995, E), ("m4", 3, 2012, E)]),
    ("medline2.ris", "MEDLINE", "database",
     [("m5", 4, 2018, E), ("m6", 5, 2019, E), ("m7", 6, 2020, E)]),
    ("embase.ris", "Embase", "database",
     [("e1", 7, 2011, E), ("e2", 8, 2013, E), ("e3", 9, 2014, "German"), ("e4", 10, 2017, E),
      ("e5", 7, 2011, E)]),
    ("cinahl.ris", "CINAHL", "database",
     [("c1", 0, 2015, E), ("c2", 8, 2013, E), ("c3", 11, 1990, E), ("c4", 12, 2021, E)]),
    ("who.ris", "WHO IRIS", "website",
     [("w1", 13, 2019, E), ("w2", 14, 2020, E), ("w3", 15, 2022, E), ("w4", 13, 2019, E)]),
]  # fmt: skip


def build_review(store: Store, tmp: Path) -> dict[str, int]:
    """Three databases (MEDLINE in two files), one website; returns source key → record id."""
    for name, source, kind, entries in FILES:
        _import(store, tmp, name, ris(entries), source, kind)
    return _ids(store)


def screen_review(store: Store, ids: dict[str, int]) -> None:
    """Deduplicate, filter, screen, stop, assess full texts and link reports."""
    summary = run_dedup(store, actor="lead")
    assert summary.duplicates_removed == 4  # e5, c1, c2 (databases) and w4 (website)
    automation.add_rule(store, {"name": "2000+ English", "year_min": 2000,
                                "languages": ["English"]}, actor="lead")  # fmt: skip
    automation.run_rules(store, actor="lead")  # m3 (1995), c3 (1990), e3 (German)
    automation.remove_records(store, [ids["m4"]], "retracted", actor="lead")

    def decide(key: str, label: str, stage: str = "title-abstract", **kw: Any) -> None:
        service.record_decision(store, ids[key], label, stage=stage, reviewer="ana", **kw)

    for key in ("m1", "m2", "m5", "m6", "e1", "w1", "w2"):
        decide(key, "include")
    decide("e4", "exclude")
    decide("w3", "exclude")
    # A second reviewer screens the same records: bob agrees everywhere but on e2, where ana
    # includes and he excludes; that conflict goes to the lead, who settles it as "exclude".
    for key, label in (("m1", "include"), ("m2", "include"), ("m5", "include"),
                       ("m6", "include"), ("e1", "include"), ("w1", "include"),
                       ("w2", "include"), ("e4", "exclude"), ("w3", "exclude")):  # fmt: skip
        service.record_decision(store, ids[key], label, reviewer="bob")
    decide("e2", "include")
    service.record_decision(store, ids["e2"], "exclude", reviewer="bob")
    assert [c.record_id for c in list_conflicts(store)] == [ids["e2"]]
    resolve_conflict(store, ids["e2"], "exclude", resolved_by="lead")
    assert list_conflicts(store) == []
    # m7 and c4 are never screened: screening stops under the stopping rule
    stop_screening(store, reviewer="ana", force=True)
    ft = "full-text"
    decide("m1", "include", ft)
    decide("m2", "include", ft)
    decide("m5", "exclude", ft, reason=NOT_RETRIEVED)
    decide("m6", "exclude", ft, reason="wrong population")
    decide("e1", "exclude", ft, reason="wrong outcome")
    decide("w1", "include", ft)
    decide("w2", "exclude", ft, reason="wrong study design")
    studies.link_reports(store, [ids["m1"], ids["m2"]], name="Insomnia trial", actor="lead")


@pytest.fixture
def built(store: Store, tmp_path: Path) -> tuple[Store, dict[str, int]]:
    ids = build_review(store, tmp_path)
    screen_review(store, ids)
    return store, ids


def test_agreement_of_the_two_reviewers_matches_a_hand_calculation(
    built: tuple[Store, dict[str, int]],
) -> None:
    # ana and bob both decided 10 records at title/abstract: both include 7 (m1 m2 m5 m6 e1
    # w1 w2), ana includes and bob excludes 1 (e2), both exclude 2 (e4 w3).
    # p_o = 9/10; p_e = (8/10)(7/10) + (2/10)(3/10) = 0.62; kappa = (0.9 - 0.62) / 0.38 = 14/19
    store, _ = built
    (ta,) = [a for a in agreement(store) if a.stage == "title-abstract"]
    (pair,) = ta.pairs
    counts = (pair.both_include, pair.a_include_b_exclude + pair.a_exclude_b_include)
    assert counts == (7, 1) and pair.both_exclude == 2
    assert pair.percent_agreement == pytest.approx(90.0)
    assert pair.cohen_kappa == pytest.approx(14 / 19)


EXPECTED = {
    "previous_studies": 0,
    "previous_reports": 0,
    "database_results": 16,
    "database_specific_results": [
        {"name": "CINAHL", "n": 4},
        {"name": "Embase", "n": 5},
        {"name": "MEDLINE", "n": 7},
    ],
    "register_results": 0,
    "register_specific_results": [],
    "website_results": 4,
    "organisation_results": 0,
    "citations_results": 0,
    "duplicates": 3,
    "excluded_automatic": 5,  # 3 by the rule, 2 never screened after the stop
    "excluded_other": 1,
    "records_screened": 7,
    "records_excluded": 2,
    "dbr_sought_reports": 5,
    "dbr_notretrieved_reports": 1,
    "dbr_assessed": 4,
    "dbr_excluded": [{"reason": "wrong population", "n": 1}, {"reason": "wrong outcome", "n": 1}],
    "other_sought_reports": 2,
    "other_notretrieved_reports": 0,
    "other_assessed": 2,
    "other_excluded": [{"reason": "wrong study design", "n": 1}],
    "new_studies": 2,  # m1+m2 (one study, two reports) and w1
    "new_reports": 3,
    "total_studies": 2,
    "total_reports": 3,
}


def test_every_prisma_box(built: tuple[Store, dict[str, int]]) -> None:
    store, _ = built
    got = prisma_counts(store).to_json()
    details = got.pop("details")
    assert got == EXPECTED
    assert details["excluded_automatic"][0] == {"reason": "rule: 2000+ English", "n": 3}
    assert details["excluded_automatic"][1]["n"] == 2
    assert "screening stopped" in details["excluded_automatic"][1]["reason"]
    assert details["excluded_other"] == [{"reason": "retracted", "n": 1}]
    assert details["other_methods_before_retrieval"] == {
        "identified": 4,
        "duplicates": 1,
        "excluded_automatic": 0,
        "excluded_other": 0,
        "records_screened": 3,
        "records_excluded": 1,
    }
    assert details["pending"] == {"title-abstract": 0, "full-text": 0}
    assert details["screening_stopped"]["forced"] is True


def test_boxes_add_up(built: tuple[Store, dict[str, int]]) -> None:
    d = prisma_counts(built[0]).to_json()
    removed = d["duplicates"] + d["excluded_automatic"] + d["excluded_other"]
    assert d["database_results"] + d["register_results"] - removed == d["records_screened"]
    assert d["records_screened"] - d["records_excluded"] == d["dbr_sought_reports"]
    assert d["dbr_sought_reports"] - d["dbr_notretrieved_reports"] == d["dbr_assessed"]
    for side in ("dbr", "other"):
        excluded = sum(i["n"] for i in d[f"{side}_excluded"])
        assert d[f"{side}_assessed"] - excluded >= 0
    included = d["dbr_assessed"] - sum(i["n"] for i in d["dbr_excluded"])
    included += d["other_assessed"] - sum(i["n"] for i in d["other_excluded"])
    assert included == d["new_reports"]


def test_removed_records_are_not_served_and_counts_follow_changes(
    built: tuple[Store, dict[str, int]],
) -> None:
    store, ids = built
    queue = set(service.undecided_ids(store))
    assert queue == {ids["m7"], ids["c4"]}  # never screened: not the removed ones
    automation.restore_records(store, [ids["m4"]], actor="lead")
    automation.delete_rule(store, "2000+ English", actor="lead")
    d = prisma_counts(store).to_json()
    # they come back unscreened after the stop: never screened, with m7 and c4
    assert (d["excluded_other"], d["excluded_automatic"], d["records_screened"]) == (0, 6, 7)
    automation.clear_stop(store, "title-abstract", actor="lead")
    d = prisma_counts(store).to_json()
    assert (d["excluded_automatic"], d["records_screened"]) == (0, 13)
    assert d["details"]["pending"]["title-abstract"] == 6
    studies.unlink_reports(store, [ids["m2"]])
    assert prisma_counts(store).new_studies == 3


def test_sources_renamed_and_previous_version(built: tuple[Store, dict[str, int]]) -> None:
    from review import settings

    store, _ = built
    embase = next(s for s in sources.list_sources(store) if s.name == "Embase")
    sources.set_source(store, embase.batch_id, name="MEDLINE", actor="lead")
    protocol = settings.protocol(store)
    protocol.previous_studies, protocol.previous_reports = 4, 6
    settings.save(store, protocol)
    d = prisma_counts(store).to_json()
    assert d["database_specific_results"] == [
        {"name": "CINAHL", "n": 4},
        {"name": "MEDLINE", "n": 12},
    ]
    assert (d["total_studies"], d["total_reports"]) == (6, 9)


def test_csv_is_the_shiny_template_with_n_filled(built: tuple[Store, dict[str, int]]) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(prisma_counts(built[0])))))
    assert tuple(rows[0]) == CSV_COLUMNS
    n = {r[0]: r[-1] for r in rows[1:] if r[0] != "NA"}
    for key, value in EXPECTED.items():
        if key in n:
            want = (
                value
                if isinstance(value, int)
                else "; ".join(
                    f"{i['reason']}, {i['n']}"
                    for i in value  # type: ignore[attr-defined]
                )
            )
            assert n[key] == str(want), key
    assert n["dbr_excluded"] == "wrong population, 1; wrong outcome, 1"
    assert "database_specific_results" not in n  # not a row of the template


def test_csv_layout_matches_the_real_template(built: tuple[Store, dict[str, int]]) -> None:
    template = SHARED / "formats" / "prisma2020" / "PRISMA.csv"
    if not template.exists():
        pytest.skip(f"shared data not available: {template}")
    with template.open(encoding="utf-8", newline="") as f:
        want = list(csv.reader(f))
    got = list(csv.reader(io.StringIO(to_csv(prisma_counts(built[0])))))
    assert got[0] == want[0]
    assert [r[:-1] for r in got[1:]] == [r[:-1] for r in want[1:]]  # every column but n
    assert [tuple(r[:-1]) for r in want[1:]] == list(template_rows())
    for g, w in zip(got[1:], want[1:], strict=True):
        if g[0] == "NA" or g[0] in ("identification", "screening", "included"):
            assert g[-1] == w[-1]  # title rows keep the template's value


def _svg_boxes(svg: str) -> dict[str, str]:
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    return {
        g.get("id", "").removeprefix("box-"): " ".join(
            " ".join(t.text or "" for t in g.findall("s:text", ns)).split()
        )
        for g in root.iter("{http://www.w3.org/2000/svg}g")
    }


def test_svg_puts_each_number_in_its_box(built: tuple[Store, dict[str, int]]) -> None:
    boxes = _svg_boxes(to_svg(prisma_counts(built[0])))
    assert "Databases (n = 16)" in boxes["database_results"]
    assert "MEDLINE (n = 7)" in boxes["database_results"]
    assert "Embase (n = 5)" in boxes["database_results"]
    assert "Registers (n = 0)" in boxes["database_results"]
    assert "Duplicate records removed (n = 3)" in boxes["duplicates"]
    assert "automation tools (n = 5)" in boxes["duplicates"]
    assert "rule: 2000+ English (n = 3)" in boxes["duplicates"]
    assert "other reasons (n = 1)" in boxes["duplicates"]
    assert boxes["records_screened"] == "Records screened (n = 7)"
    assert boxes["records_excluded"] == "Records excluded (n = 2)"
    assert "(n = 5)" in boxes["dbr_sought_reports"]
    assert "(n = 1)" in boxes["dbr_notretrieved_reports"]
    assert "(n = 4)" in boxes["dbr_assessed"]
    assert "Reports excluded (n = 2):" in boxes["dbr_excluded"]
    assert "wrong population (n = 1)" in boxes["dbr_excluded"]
    assert "Websites (n = 4)" in boxes["website_results"]
    assert "(n = 2)" in boxes["other_sought_reports"]
    assert "(n = 0)" in boxes["other_notretrieved_reports"]
    assert "(n = 2)" in boxes["other_assessed"]
    assert "wrong study design (n = 1)" in boxes["other_excluded"]
    assert "Studies included in review (n = 2)" in boxes["new_studies"]
    assert "Reports of included studies (n = 3)" in boxes["new_studies"]


def test_png_renders(built: tuple[Store, dict[str, int]]) -> None:
    pytest.importorskip("cairosvg")
    png = to_png(to_svg(prisma_counts(built[0])))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_markdown_lists_both_columns(built: tuple[Store, dict[str, int]]) -> None:
    md = to_markdown(prisma_counts(built[0]))
    assert "- Records screened: 7" in md
    assert "    - MEDLINE: 7" in md
    assert "- Records identified from websites: 4" in md
    assert "        - rule: 2000+ English: 3" in md
    assert "Screening stopped under the stopping rule" not in md.split("## Notes")[0]


def test_source_names_are_data_not_markup(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, "x.ris", ris([("x1", 0, 2015, "English")]), "A<&>[b]", "database")
    svg = to_svg(prisma_counts(store))
    assert "A<&>[b] (n = 1)" in _svg_boxes(svg)["database_results"]


runner = CliRunner()


def test_cli(built: tuple[Store, dict[str, int]], tmp_path: Path) -> None:
    store, ids = built
    db = store.url
    r = runner.invoke(app, ["prisma", "--db", db])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["records_screened"] == 7
    r = runner.invoke(app, ["prisma", "--json", "--db", db])
    assert json.loads(r.stdout)["dbr_assessed"] == 4 and r.stderr == ""
    out = tmp_path / "p.csv"
    r = runner.invoke(app, ["prisma", "--format", "csv", "--out", str(out), "--db", db])
    assert r.exit_code == 0 and out.read_text().startswith("data,node,box")
    r = runner.invoke(app, ["source", "list", "--json", "--db", db])
    assert [s["name"] for s in json.loads(r.stdout)["sources"]][:2] == ["MEDLINE", "MEDLINE"]
    r = runner.invoke(app, ["source", "set", "1", "--type", "register", "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["type"] == "register"
    r = runner.invoke(app, ["source", "set", "1", "--type", "journal", "--db", db])
    assert r.exit_code == 1 and "unknown source type" in r.stderr
    r = runner.invoke(app, ["study", "list", "--json", "--db", db])
    assert json.loads(r.stdout)["studies"][0]["reports"] == [ids["m1"], ids["m2"]]
    r = runner.invoke(app, ["study", "link", str(ids["w1"]), str(ids["m2"]), "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["rule", "list", "--json", "--db", db])
    assert json.loads(r.stdout)["rules"][0]["year_min"] == 2000
    r = runner.invoke(app, ["rule", "add", "no letters", "--exclude-type", "LETT", "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["remove", str(ids["m7"]), "--reason", "", "--db", db])
    assert r.exit_code == 1 and "reason" in r.stderr
    r = runner.invoke(app, ["stop-screening", "--resume", "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == {"stopped": None}
    r = runner.invoke(app, ["prisma", "--format", "md", "--db", db])
    assert "Studies" not in r.stdout or "New studies included in review: 1" in r.stdout
    assert "2 screened records have no settled" in r.stderr
    r = runner.invoke(app, ["status", "--db", db])
    assert "4 duplicates removed" in r.stdout


def _box_numbers(svg: str) -> dict[str, list[int]]:
    import re

    return {
        k: [int(n) for n in re.findall(r"\(n = (\d+)\)", v)] for k, v in _svg_boxes(svg).items()
    }


def check_boxes(d: dict[str, Any], svg: str) -> None:
    """Each box of the SVG carries the numbers of its PRISMA data names, in order."""
    got = _box_numbers(svg)
    det = d["details"]
    assert got["database_results"] == [
        d["database_results"],
        *[s["n"] for s in d["database_specific_results"]],
        d["register_results"],
        *[s["n"] for s in d["register_specific_results"]],
    ]
    assert got["duplicates"] == [
        d["duplicates"],
        d["excluded_automatic"],
        *[i["n"] for i in det["excluded_automatic"]],
        d["excluded_other"],
        *[i["n"] for i in det["excluded_other"]],
    ]
    for key in ("records_screened", "records_excluded", "new_studies"):
        assert got[key][0] == d[key]
    assert got["new_studies"][1] == d["new_reports"]
    for side in ("dbr", "other"):
        assert got[f"{side}_sought_reports"] == [d[f"{side}_sought_reports"]]
        assert got[f"{side}_notretrieved_reports"] == [d[f"{side}_notretrieved_reports"]]
        assert got[f"{side}_assessed"] == [d[f"{side}_assessed"]]
        excluded = d[f"{side}_excluded"]
        assert got[f"{side}_excluded"] == [
            sum(i["n"] for i in excluded),
            *[i["n"] for i in excluded],
        ]
    assert got["website_results"] == [
        d["website_results"],
        d["organisation_results"],
        d["citations_results"],
    ]


def test_known_review_numbers_in_their_boxes(built: tuple[Store, dict[str, int]]) -> None:
    counts = prisma_counts(built[0])
    check_boxes(counts.to_json(), to_svg(counts))


def test_demo_diagram_numbers_in_their_boxes(tmp_path: Path) -> None:
    """The diagram of docs/prisma.png (drawn by docs/prisma_demo.py), box by box."""
    module = load_module(Path(__file__).resolve().parents[1] / "docs" / "prisma_demo.py")
    store = module.build(tmp_path)
    try:
        counts = prisma_counts(store)
        d = counts.to_json()
        assert d["database_results"] + d["organisation_results"] == 245  # the demo corpus
        assert d["duplicates"] > 0 and d["excluded_automatic"] > 0 and d["dbr_excluded"]
        assert d["new_studies"] == d["new_reports"] - 1  # two reports of one study
        check_boxes(d, to_svg(counts))
    finally:
        store.dispose()


def test_migration_from_schema_4_adds_the_prisma_tables(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    service.open_review(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        for table in ("study_report", "study", "record_removal"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE review SET schema_version = 4")
    store = service.open_review(str(path))
    assert service.review_info(store)["schema_version"] == SCHEMA_VERSION
    assert prisma_counts(store).to_json()["records_screened"] == 0
    store.dispose()
