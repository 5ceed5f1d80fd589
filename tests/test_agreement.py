"""Inter-rater agreement: Cohen's kappa, percent agreement and Fleiss' kappa, checked
against calculations done by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from review import service
from review.agreement import agreement, fleiss, pair_agreement
from review.db import Store
from tests.ris import numbered_ris
from tui.cli import app


def _records(store: Store, tmp_path: Path, n: int) -> list[int]:
    ris = numbered_ris(tmp_path / "n.ris", "TY  - JOUR\nTI  - Paper {n}\nER  - \n\n", n, first=0)
    service.import_files(store, [ris])
    return [r["id"] for r in service.iter_records(store)]


def test_cohen_kappa_against_a_hand_calculation(store: Store, tmp_path: Path) -> None:
    # 10 records decided by ana and bob:
    #                 bob include  bob exclude
    #   ana include        3            1        (ana includes 4 of 10)
    #   ana exclude        2            4        (bob includes 5 of 10)
    # observed agreement p_o = (3 + 4) / 10 = 0.7
    # chance agreement  p_e = 0.4 * 0.5 + 0.6 * 0.5 = 0.2 + 0.3 = 0.5
    # kappa = (p_o - p_e) / (1 - p_e) = (0.7 - 0.5) / 0.5 = 0.4
    ids = _records(store, tmp_path, 10)
    ana = ["include"] * 3 + ["include"] + ["exclude"] * 2 + ["exclude"] * 4
    bob = ["include"] * 3 + ["exclude"] + ["maybe", "include"] + ["exclude"] * 4  # maybe = on
    for rid, a, b in zip(ids, ana, bob, strict=True):
        service.record_decision(store, rid, a, reviewer="ana")
        service.record_decision(store, rid, b, reviewer="bob")
    [ta, ft] = agreement(store)
    assert ft.pairs == []
    [pair] = ta.pairs
    assert (pair.reviewer_a, pair.reviewer_b, pair.n) == ("ana", "bob", 10)
    assert (pair.both_include, pair.a_include_b_exclude) == (3, 1)
    assert (pair.a_exclude_b_include, pair.both_exclude) == (2, 4)
    assert pair.percent_agreement == pytest.approx(70.0)
    assert pair.cohen_kappa == pytest.approx(0.4)
    assert ta.fleiss is None  # two reviewers: Cohen's kappa only


def test_fleiss_kappa_against_a_hand_calculation() -> None:
    # 4 records, 3 decisions each (1 = include):
    #   [1,1,1] [0,0,0] [1,1,0] [1,0,0]
    # per record P_i = (sum of squared category counts - 3) / (3 * 2):
    #   (9-3)/6 = 1, 1, (4+1-3)/6 = 1/3, (1+4-3)/6 = 1/3  → mean P = (8/3)/4 = 2/3
    # category shares: include 6/12 = 0.5, exclude 0.5 → P_e = 0.25 + 0.25 = 0.5
    # kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3
    rows = [[1, 1, 1], [0, 0, 0], [1, 1, 0], [1, 0, 0]]
    result = fleiss([dict(zip("abc", r, strict=True)) for r in rows])
    assert result is not None
    assert (result.raters_per_record, result.n, result.reviewers) == (3, 4, ["a", "b", "c"])
    assert result.kappa == pytest.approx(1 / 3)


def test_three_reviewers_get_pairs_and_fleiss(store: Store, tmp_path: Path) -> None:
    ids = _records(store, tmp_path, 4)
    table = {"a": "iiei", "b": "ieei", "c": "ieee"}
    for name, labels in table.items():
        for rid, code in zip(ids, labels, strict=True):
            service.record_decision(
                store, rid, "include" if code == "i" else "exclude", reviewer=name
            )
    [ta, _] = agreement(store)
    assert [(p.reviewer_a, p.reviewer_b) for p in ta.pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert ta.fleiss is not None and ta.fleiss.n == 4 and ta.fleiss.raters_per_record == 3


def test_no_fleiss_when_only_two_reviewers_share_records() -> None:
    # a third reviewer who screened other records does not make a three-rater kappa
    assert fleiss([{"a": 1, "b": 0}, {"a": 0, "b": 0}, {"c": 1}]) is None


def test_kappa_is_undefined_when_everything_is_one_class() -> None:
    p = pair_agreement("a", "b", [0, 0, 0], [0, 0, 0])
    assert p.percent_agreement == 100.0 and p.cohen_kappa is None


def test_agreement_command_json(store: Store, tmp_path: Path) -> None:
    ids = _records(store, tmp_path, 2)
    for rid in ids:
        service.record_decision(store, rid, "include", reviewer="ana")
    service.record_decision(store, ids[0], "include", reviewer="bob")
    service.record_decision(store, ids[1], "exclude", reviewer="bob")
    db = str(store.path)
    res = CliRunner().invoke(app, ["agreement", "--stage", "title-abstract", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    [stage] = json.loads(res.stdout)["stages"]
    assert stage["pairs"][0]["n"] == 2 and stage["pairs"][0]["percent_agreement"] == 50.0
    text = CliRunner().invoke(app, ["agreement", "--db", db]).stdout
    assert "ana × bob" in text and "no record decided by two reviewers" in text
