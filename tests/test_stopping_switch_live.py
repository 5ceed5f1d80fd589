"""The `switch` stopping rule live: the advice, the second model, the CLI and simulations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from review import service
from screening.presets import get_preset
from screening.recall import advise
from screening.service import open_ranker
from screening.session import ScreeningSession
from screening.simulate import simulate
from screening.stopping import StoppingRule
from screening.stopping_decay import decay_more
from screening.stopping_switch import (
    MIN_SWITCH,
    SWITCH_SUFFIX,
    alt_features,
    switch_more,
    switch_start,
)
from tui.cli import app

runner = CliRunner()
RULE = StoppingRule.parse("switch")


def test_advice_goes_ranking_then_second_ranking_then_check() -> None:
    early = [1] * 30 + [0] * 20 + [1, 0, 0, 1] + [0] * 46  # 100 decisions, 400 records
    a = advise(early, 400, RULE)
    assert switch_start(early, 400) is None
    more = decay_more(early, 400)
    assert more is not None
    assert (a.phase, a.more_to_stop) == ("ranking", more + MIN_SWITCH + a.check_size)
    assert "from a second ranking" in a.message
    later = early + [0] * (more + 10)  # the bound held `more` records on: the switch
    start = switch_start(later, 400)
    assert start == len(early) + more
    b = advise(later, 400, RULE)
    left = switch_more(later, start, 400)
    assert left is not None and left > 0  # fewer than MIN_SWITCH from the second ranking
    assert (b.phase, b.more_to_stop, b.ready) == ("second", left + b.check_size, False)
    assert "second ranking" in b.message
    done = later + [0] * left
    c = advise(done, 400, RULE)
    assert c.ready and "time for a random check" in c.message
    check = advise(done, 400, RULE, sample_labels=[0, 0], pool=400 - len(done))
    assert check.phase == "check" and check.more_to_stop == check.check_size - 2


def test_ranker_switches_to_the_second_model_when_the_bound_holds(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    ris = tmp_path / "s.ris"
    topics = ("statin lipid trial", "galaxy telescope survey", "soil erosion drought")
    ris.write_text(
        "".join(
            f"TY  - JOUR\nID  - k{i}\nTI  - {topics[0 if i < 30 else 1 + i % 2]} {i}\n"
            f"AB  - {topics[0 if i < 30 else 1 + i % 2]} record\nER  - \n\n"
            for i in range(400)
        )
    )
    assert runner.invoke(app, ["import", str(ris), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["protocol", "set", "stopping_rule", "switch", "--db", db])
    assert res.exit_code == 0, res.output
    store = service.open_review(db)
    for rid in range(1, 61):
        service.record_decision(store, rid, "include" if rid <= 30 else "exclude", reviewer="a")
    rr = open_ranker(store, reviewer="a", background=False)
    assert not rr.ranker.preset.name.endswith(SWITCH_SUFFIX)  # the bound does not hold yet
    session = ScreeningSession(store, reviewer="a")
    session.use_ranker(rr)
    assert session.advice().phase == "ranking"
    card = session.next()
    while not rr.ranker.preset.name.endswith(SWITCH_SUFFIX):
        assert card.record is not None
        card = session.decide("exclude")
    assert rr.ranker.preset.classifier == "nb"
    assert "second model" in card.note
    assert rr.model_version.split("@")[0].endswith(SWITCH_SUFFIX)
    assert session.advice().phase == "second"
    rr.close()
    again = open_ranker(store, reviewer="a", background=False)  # reopening keeps the switch
    assert again.ranker.preset.name.endswith(SWITCH_SUFFIX)
    again.close()
    out = runner.invoke(app, ["stopping", "--db", db, "--reviewer", "a", "--json"])
    advice = json.loads(out.stdout)
    assert (advice["rule"], advice["phase"]) == ("switch", "second")
    store.dispose()


def test_simulate_with_the_switch_rule() -> None:
    rng = np.random.default_rng(0)
    vocab = {1: "statin lipid trial", 0: "galaxy soil survey"}
    y = np.array([1] * 25 + [0] * 275)
    texts = [" ".join(rng.choice(vocab[int(v)].split(), 8)) + f" r{i}" for i, v in enumerate(y)]
    X = alt_features(texts)
    res = simulate(X, y, get_preset("svm"), seed=1, stop=RULE)
    assert res.stopping is not None and res.stopping.rule == "switch"
    assert res.stopping.screened <= len(y)
    assert 0.0 < res.stopping.recall <= 1.0
