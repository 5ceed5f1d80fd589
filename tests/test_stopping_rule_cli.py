"""`litsift stopping --rule rate|decay`: the rules of the simulations, live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from review import service
from screening.session import ScreeningSession
from screening.stopping_decay import decay_more, decay_recall_low
from screening.stopping_rules import rate_more
from tui.cli import app

runner = CliRunner()


def test_rate_rule_says_how_many_more_records(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    ris = tmp_path / "r.ris"
    ris.write_text("".join(f"TY  - JOUR\nID  - k{i}\nTI  - T{i}\nER  - \n\n" for i in range(400)))
    assert runner.invoke(app, ["import", str(ris), "--db", db]).exit_code == 0
    store = service.open_review(db)
    labels = [1 if rid in (1, 2, 4, 9) else 0 for rid in range(1, 121)]
    for rid, y in enumerate(labels, 1):
        service.record_decision(store, rid, "include" if y else "exclude", reviewer="a")
    store.dispose()
    res = runner.invoke(
        app, ["stopping", "--rule", "rate", "--db", db, "--reviewer", "a", "--json"]
    )
    assert res.exit_code == 0, res.output
    advice = json.loads(res.stdout)
    assert (advice["rule"], advice["phase"], advice["found"]) == ("rate", "ranking", 4)
    assert advice["more_to_stop"] == rate_more(labels, 400, 0.95, 200, 0.95)
    assert f"stop after {advice['more_to_stop']} more" in advice["message"]
    default = json.loads(
        runner.invoke(app, ["stopping", "--db", db, "--reviewer", "a", "--json"]).stdout
    )
    assert default["rule"] == "hypergeom"
    bad = runner.invoke(app, ["stopping", "--rule", "magic", "--db", db, "--reviewer", "a"])
    assert bad.exit_code == 1 and "unknown stopping rule" in bad.stderr


def test_decay_rule_live_estimate_and_check(tmp_path: Path) -> None:
    """`--rule decay`: how many more records to a safe stop (ranked, then the random check);
    `--start-check --rule decay` keeps the rule for the check."""
    db = str(tmp_path / "d.db")
    ris = tmp_path / "d.ris"
    ris.write_text("".join(f"TY  - JOUR\nID  - k{i}\nTI  - T{i}\nER  - \n\n" for i in range(400)))
    assert runner.invoke(app, ["import", str(ris), "--db", db]).exit_code == 0
    store = service.open_review(db)
    labels = [1 if rid <= 30 or rid in (40, 55) else 0 for rid in range(1, 151)]
    for rid, y in enumerate(labels, 1):
        service.record_decision(store, rid, "include" if y else "exclude", reviewer="a")
    store.dispose()
    args = ["stopping", "--db", db, "--reviewer", "a", "--json"]
    advice = json.loads(runner.invoke(app, [*args, "--rule", "decay"]).stdout)
    more = decay_more(labels, 400)
    assert more is not None
    assert (advice["rule"], advice["phase"]) == ("decay", "ranking")
    assert advice["more_to_stop"] == more + advice["check_size"] and advice["check_size"] > 0
    assert advice["recall_low"] == decay_recall_low(labels, 400)
    res = runner.invoke(app, [*args, "--rule", "decay", "--start-check", "--seed", "1"])
    assert res.exit_code == 0, res.output
    check = json.loads(runner.invoke(app, args).stdout)  # the rule comes from the check
    assert (check["rule"], check["phase"], check["pool"]) == ("decay", "check", 250)
    assert check["more_to_stop"] == check["check_size"]


def test_the_protocol_chooses_the_rule_the_app_follows(tmp_path: Path) -> None:
    """`protocol set stopping_rule decay`: the advice (the app's line, `litsift stopping`)
    follows it when no --rule is given; a bad rule is refused."""
    db = str(tmp_path / "p.db")
    ris = tmp_path / "p.ris"
    ris.write_text("".join(f"TY  - JOUR\nID  - k{i}\nTI  - T{i}\nER  - \n\n" for i in range(80)))
    assert runner.invoke(app, ["import", str(ris), "--db", db]).exit_code == 0
    store = service.open_review(db)
    for rid in range(1, 61):
        service.record_decision(store, rid, "include" if rid < 5 else "exclude", reviewer="a")
    session = ScreeningSession(store, reviewer="a")
    assert session.advice().rule == "hypergeom"
    res = runner.invoke(app, ["protocol", "set", "stopping_rule", "decay", "--db", db])
    assert res.exit_code == 0, res.output
    advice = session.advice()
    assert advice.rule == "decay" and advice.more_to_stop is not None
    history = session.recall_history()  # the sparkline follows the rule too
    assert history and history[-1] == pytest.approx(advice.recall_low)
    bad = runner.invoke(app, ["protocol", "set", "stopping_rule", "magic", "--db", db])
    assert bad.exit_code == 1
    assert session.advice().rule == "decay"
    store.dispose()
