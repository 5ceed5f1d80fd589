"""Dual screening: conflicts instead of "last one wins", settled labels, what each reviewer
still owes, blinding in the CLI, the lead's resolution, the ranking's labels, the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from review import service, settings
from review.blinding import screened_rows, visible_history
from review.conflicts import list_conflicts, list_resolutions, resolve_conflict
from review.consensus import final_labels
from review.db import Store
from review.errors import NotFoundError
from review.models import AuditEntry
from review.owed import owed_ids
from screening.service import next_record
from tests.ris import numbered_ris
from tui.cli import app


@pytest.fixture
def five(store: Store, tmp_path: Path) -> Store:
    ris = numbered_ris(tmp_path / "five.ris", "TY  - JOUR\nTI  - Paper {n}\nER  - \n\n", 5)
    service.import_files(store, [ris])
    return store


def dual(store: Store) -> Store:
    settings.set_protocol_value(store, "screening_mode", "dual", actor="lead")
    return store


def run(*args: str) -> CliRunner:
    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout  # type: ignore[return-value]


def test_single_mode_disagreement_is_a_conflict_not_last_one_wins(five: Store) -> None:
    service.record_decision(five, 5, "include", reviewer="ana")
    service.record_decision(five, 5, "exclude", reviewer="bob")
    assert 5 not in final_labels(five, "title-abstract")
    [c] = list_conflicts(five)
    assert [(v.reviewer, v.label) for v in c.votes] == [("ana", "include"), ("bob", "exclude")]
    db = str(five.path)
    rows = json.loads(run("records", "--db", db, "--reviewer", "carl", "--json"))["records"]
    assert rows[4]["label"] == "conflict"
    # a reviewer changing their own mind is not a conflict
    service.record_decision(five, 4, "include", reviewer="ana")
    service.record_decision(five, 4, "exclude", reviewer="ana")
    assert final_labels(five, "title-abstract")[4].label == "exclude"


def test_dual_mode_settles_on_two_agreeing_decisions(five: Store) -> None:
    dual(five)
    service.record_decision(five, 1, "include", reviewer="ana")
    assert 1 not in final_labels(five, "title-abstract")  # one of two
    service.record_decision(five, 1, "include", reviewer="bob")
    fl = final_labels(five, "title-abstract")[1]
    assert fl.label == "include" and fl.reviewers == ("ana", "bob") and fl.resolved_by == ""


def test_full_text_exclusions_for_different_reasons_conflict(five: Store) -> None:
    dual(five)
    for who in ("ana", "bob"):
        service.record_decision(five, 2, "include", reviewer=who)
    service.record_decision(five, 2, "exclude", stage="full-text", reviewer="ana", reason="x")
    service.record_decision(five, 2, "exclude", stage="full-text", reviewer="bob", reason="y")
    [c] = list_conflicts(five, stage="full-text")
    assert c.record_id == 2
    resolve_conflict(five, 2, "exclude", stage="full-text", resolved_by="lead", reason="y")
    fl = final_labels(five, "full-text")[2]
    assert (fl.label, fl.reason, fl.resolved_by) == ("exclude", "y", "lead")


def test_the_lead_resolves_and_it_is_recorded(five: Store) -> None:
    service.record_decision(five, 3, "include", reviewer="ana")
    service.record_decision(five, 3, "exclude", reviewer="bob")
    db = str(five.path)
    listed = json.loads(run("conflicts", "--db", db, "--json"))["conflicts"]
    assert [c["record_id"] for c in listed] == [3]
    out = run(
        "conflicts", "resolve", "3", "include", "--reviewer", "lead", "--reason", "ok", "--db", db
    )
    assert "resolved by lead" in out
    fl = final_labels(five, "title-abstract")[3]
    assert (fl.label, fl.reason, fl.resolved_by, fl.reviewers) == (
        "include",
        "ok",
        "lead",
        ("ana", "bob"),
    )
    assert list_conflicts(five) == []
    with five.session() as s:
        [entry] = s.exec(select(AuditEntry).where(AuditEntry.action == "resolve-conflict")).all()
    assert entry.actor == "lead" and entry.detail["votes"] == {"ana": "include", "bob": "exclude"}
    # no conflict to resolve: a clean error
    res = CliRunner().invoke(
        app, ["conflicts", "resolve", "1", "include", "--reviewer", "x", "--db", db]
    )
    assert res.exit_code == 1 and "no conflict" in res.stderr and "hint:" in res.stderr
    with pytest.raises(NotFoundError):
        resolve_conflict(five, 1, "include", resolved_by="lead")


def test_resolving_a_conflict_reports_json(five: Store) -> None:
    service.record_decision(five, 4, "include", reviewer="ana")
    service.record_decision(five, 4, "exclude", reviewer="bob")
    argv = ["conflicts", "resolve", "4", "exclude", "--reviewer", "lead", "--json"]
    doc = json.loads(run(*argv, "--db", str(five.path)))
    assert doc["record_id"] == 4 and doc["label"] == "exclude"
    assert final_labels(five, "title-abstract")[4].resolved_by == "lead"


def test_the_lead_reopens_a_resolution_from_the_cli(five: Store) -> None:
    """`conflicts reopen` takes the standing resolution back: the conflict is listed again,
    the resolution stays in the log, and resolving again works; with none standing, an error."""
    service.record_decision(five, 4, "include", reviewer="ana")
    service.record_decision(five, 4, "exclude", reviewer="bob")
    db = str(five.path)
    run("conflicts", "resolve", "4", "exclude", "--reviewer", "lead", "--db", db)
    assert list_conflicts(five) == []
    doc = json.loads(run("conflicts", "reopen", "4", "--reviewer", "lead", "--json", "--db", db))
    assert doc == {"record_id": 4, "stage": "title-abstract", "reopened_by": "lead"}
    assert [c.record_id for c in list_conflicts(five)] == [4]
    assert 4 not in final_labels(five, "title-abstract")
    assert [r.label for r in list_resolutions(five)] == ["exclude", "reopened"]
    run("conflicts", "resolve", "4", "include", "--reviewer", "lead", "--db", db)
    assert final_labels(five, "title-abstract")[4].label == "include"
    res = CliRunner().invoke(app, ["conflicts", "reopen", "1", "--reviewer", "lead", "--db", db])
    assert res.exit_code == 1 and "no resolved conflict" in res.stderr and "hint:" in res.stderr


def test_each_reviewer_is_served_what_they_still_owe(five: Store) -> None:
    dual(five)
    assert owed_ids(five, stage="title-abstract", reviewer="ana") == {1, 2, 3, 4, 5}
    service.record_decision(five, 1, "include", reviewer="ana")
    assert next_record(five, reviewer="ana")["id"] == 2  # type: ignore[index]
    assert next_record(five, reviewer="bob")["id"] == 1  # type: ignore[index]
    service.record_decision(five, 1, "exclude", reviewer="bob")
    assert next_record(five, reviewer="carl")["id"] == 2  # type: ignore[index]  # 1 has two
    assert owed_ids(five, stage="title-abstract", reviewer="carl") == {2, 3, 4, 5}
    # single mode keeps its own queue
    settings.set_protocol_value(five, "screening_mode", "single")
    assert owed_ids(five, stage="title-abstract", reviewer="carl") is None


def test_cli_never_shows_another_decision_before_you_decide(five: Store) -> None:
    dual(five)
    db = str(five.path)
    run("decide", "1", "include", "--reviewer", "ana", "--db", db)
    before = json.loads(run("show", "1", "--reviewer", "bob", "--db", db, "--json"))
    assert before["decisions"] == []
    assert "include" not in run("show", "1", "--reviewer", "bob", "--db", db)
    rows = json.loads(run("records", "--reviewer", "bob", "--db", db, "--json"))["records"]
    assert rows[0]["label"] is None and rows[0]["status"] == ""
    mine = json.loads(run("records", "--reviewer", "ana", "--db", db, "--json"))["records"]
    assert (mine[0]["label"], mine[0]["status"]) == ("include", "awaiting")
    history = visible_history(five, service.decision_history(five), "bob")
    assert history == []
    run("decide", "1", "include", "--reviewer", "bob", "--db", db)
    after = json.loads(run("show", "1", "--reviewer", "bob", "--db", db, "--json"))
    assert sorted(d["reviewer"] for d in after["decisions"]) == ["ana", "bob"]
    assert len(visible_history(five, service.decision_history(five), "bob")) == 2
    rows = screened_rows(five, viewer="bob")
    assert (rows[0].label, rows[0].status) == ("include", "settled")


def test_ranking_trains_on_settled_labels_and_the_reviewers_own(tmp_path: Path) -> None:
    from corpora.demo_decisions import FIRST_REVIEWER, SECOND_REVIEWER
    from corpora.service import create_demo_review
    from screening.service import open_ranker

    demo = create_demo_review(tmp_path)
    store = demo.store
    [conflict, *_] = list_conflicts(store)
    settled = final_labels(store, "title-abstract")
    labels = {}
    for who in (FIRST_REVIEWER, SECOND_REVIEWER, "ana"):
        rr = open_ranker(store, reviewer=who, background=False)
        labels[who] = {rr.record_ids[row]: y for row, y in rr.ranker.labels.items()}
        rr.close()
    own = {v.reviewer: v.label for v in conflict.votes}
    for who in (FIRST_REVIEWER, SECOND_REVIEWER):  # settled ones plus their own unsettled
        assert set(labels[who]) == set(settled) | {c.record_id for c in list_conflicts(store)}
        assert labels[who][conflict.record_id] == (own[who] == "include")
    assert set(labels["ana"]) == set(settled)  # others' unsettled decisions are not used


def test_demo_comes_with_two_reviewers_and_a_few_conflicts(tmp_path: Path) -> None:
    from corpora.service import create_demo_review

    demo = create_demo_review(tmp_path)
    assert settings.protocol(demo.store).screening_mode == "dual"
    conflicts = list_conflicts(demo.store)
    assert 1 <= len(conflicts) <= 10
    with demo.store.session() as s:
        n = len(s.exec(select(AuditEntry).where(AuditEntry.action == "decide")).all())
    assert n == 2 * 40


def test_exports_carry_settled_labels_only(five: Store) -> None:
    import csv
    import io

    service.record_decision(five, 5, "include", reviewer="ana")
    service.record_decision(five, 5, "exclude", reviewer="bob")
    service.record_decision(five, 4, "include", reviewer="ana")
    out = io.StringIO()
    service.export_records(five, "csv", out)
    rows = {r["record_id"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    labels = [r["label_included"] for r in rows.values()]
    assert labels == ["", "", "", "1", ""]  # record 5 is in conflict: no label


def test_a_version_5_review_gains_the_resolutions_table(tmp_path: Path) -> None:
    from sqlalchemy import inspect, text

    from review.schema import SCHEMA_VERSION

    path = str(tmp_path / "old.db")
    store = service.open_review(path)
    with store.begin() as conn:
        conn.execute(text("DROP TABLE conflict_resolution"))
        conn.execute(text("UPDATE review SET schema_version = 5"))
    store.dispose()
    store = service.open_review(path)
    assert "conflict_resolution" in inspect(store.engine).get_table_names()
    assert service.review_info(store)["schema_version"] == SCHEMA_VERSION


def test_duplicates_count_once_in_the_owed_queue(five: Store) -> None:
    from review.models import DedupCluster, DedupMember

    dual(five)
    with five.session() as s:
        cluster = DedupCluster(canonical_record_id=1)
        s.add(cluster)
        s.flush()
        s.add_all([DedupMember(cluster_id=cluster.id or 0, record_id=r) for r in (1, 2)])
    service.record_decision(five, 2, "include", reviewer="ana")  # on the merged copy
    assert owed_ids(five, stage="title-abstract", reviewer="ana") == {3, 4, 5}
    assert owed_ids(five, stage="title-abstract", reviewer="bob") == {1, 3, 4, 5}
    service.record_decision(five, 1, "include", reviewer="bob")
    assert owed_ids(five, stage="title-abstract", reviewer="carl") == {3, 4, 5}
