"""Reconciliation in the app, driven by Pilot, on the demo review (two reviewers extracted
three studies, one disagreement): the lead takes a reviewer's value with `2`, types another
with `t`, and the consensus records each value with who decided; a reviewer who extracted
the study cannot see the other's values before both are complete (blind)."""

from __future__ import annotations

from pathlib import Path

from corpora.service import DEMO_DIR, create_demo_review
from extraction.demo import load_demo_extraction
from extraction.service import ExtractionSession
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.extraction import ExtractionScreen
from tui.screens.reconcile import ReconcileScreen


def demo(tmp_path: Path):  # type: ignore[no-untyped-def]
    built = create_demo_review(tmp_path)
    load_demo_extraction(built.store, DEMO_DIR / "obc_form.yaml", DEMO_DIR / "extractions.csv")
    return built.store


async def test_lead_reconciles_from_the_screen(tmp_path: Path) -> None:
    store = demo(tmp_path)
    ex = ExtractionSession(store)
    (ana,) = ex.extractions(study=1, reviewer="ana")
    ex.set(1, "commissioner", "NHS England", reviewer="ben")  # a second disagreement
    app = LitsiftApp(store, "lead", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "e")
        assert isinstance(app.screen, ExtractionScreen)
        await press(app, pilot, "r")  # the first study
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        assert screen.result is not None
        assert [(d.field, d.values) for d in screen.result.open] == [
            ("commissioner", {"ana": ana.values["commissioner"], "ben": "NHS England"}),
            ("risk_of_bias", {"ana": "some_concerns", "ben": "high"}),
        ]
        await pilot.press("t")  # type a consensus for the commissioner
        await pilot.pause()
        app.screen.query_one("Input").value = ""  # type: ignore[attr-defined]
        await press(app, pilot, *"GLA and DWP", "enter")
        await press(app, pilot, "down", "2")  # ben's risk of bias
        assert screen.result.status == "reconciled" and not screen.result.open
    (cons,) = ex.extractions(study=1, reviewer="consensus")
    assert cons.status == "reconciled"
    assert cons.values["commissioner"] == "GLA and DWP"
    assert cons.values["risk_of_bias"] == "high"
    assert cons.actors[("risk_of_bias", 0)] == "lead"
    assert cons.actors[("commissioner", 0)] == "lead"


async def test_an_extractor_cannot_see_the_other_before_both_are_complete(tmp_path: Path) -> None:
    store = demo(tmp_path)
    ExtractionSession(store).set(1, "investors", "2", reviewer="ben")  # ben reopens his
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "e")
        await press(app, pilot, "r")
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        assert screen.result is None
        shown = str(screen.query_one("#reconcile-summary").render())
        assert "ben not complete yet" in shown
        assert "high" not in shown and screen.query_one("DataTable").row_count == 0  # type: ignore[attr-defined]
