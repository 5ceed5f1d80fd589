"""Extraction in the app, driven by Pilot: a reviewer opens the extraction list from home,
fills the demo's outcomes-based-contracting form for an included study by keyboard (every
widget type, a repeating group with two rows, a value refused and then fixed, a conditional
field appearing), marks it complete with Ctrl+S, and the CLI export shows exactly those
values."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from corpora.service import DEMO_DIR
from extraction.service import ExtractionSession
from review import service
from review.db import Store
from review.models import AuditEntry
from review.studies import get_study
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.cli import app as cli
from tui.screens.extraction import ExtractionScreen
from tui.screens.extraction_form import StudyExtractionScreen
from tui.widgets.field_editor import FieldEditor
from tui.widgets.group_table import GroupTable


def included_report(store: Store, tmp_path: Path) -> None:
    """A review with the demo form and one report included at full text (in no study yet)."""
    ris = tmp_path / "one.ris"
    ris.write_text(
        "TY  - JOUR\nID  - k1\nTI  - A social impact bond for employment\n"
        "AB  - An evaluation [bold]of[/bold] a SIB.\nER  - \n"
    )
    service.import_files(store, [ris])
    for stage in ("title-abstract", "full-text"):
        service.record_decision(store, 1, "include", stage=stage, reviewer="zoe")
    ExtractionSession(store).add_form((DEMO_DIR / "obc_form.yaml").read_text())


def editor(app: LitsiftApp, name: str) -> FieldEditor:
    return app.screen.query_one(f"#field-{name}", FieldEditor)


def message(app: LitsiftApp, name: str) -> str:
    return str(editor(app, name).query_one(".field-message").render())


async def type_in(app: LitsiftApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text)


async def choose(app: LitsiftApp, pilot, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Open the focused Select and move down to `value` by keyboard."""
    ed = editor(app, name)
    assert ed.input.has_focus
    values = [c.value for c in ed.field.choices]
    await pilot.press("enter")
    for _ in range(values.index(value) + 1):  # the first option is "(not answered)"
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def cell(app: LitsiftApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Enter on the group table's cell, type the value, Enter."""
    await pilot.press("enter")
    await pilot.pause()
    await press(app, pilot, *text, "enter")


async def test_fill_the_form_by_keyboard_and_export_exactly_that(
    store: Store, tmp_path: Path
) -> None:
    included_report(store, tmp_path)
    app = LitsiftApp(store, "zoe", start="home", rank=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "e")
        assert isinstance(app.screen, ExtractionScreen)
        listed = app.screen.work.studies  # type: ignore[union-attr]
        assert [(s.id, s.record, s.status) for s in listed] == [(0, 1, "not_started")]
        await press(app, pilot, "enter")  # the report becomes a study of its own
        screen = app.screen
        assert isinstance(screen, StudyExtractionScreen)
        study = screen.study
        assert get_study(store, study).reports == [1]
        assert editor(app, "country").input.has_focus
        # the report beside the form: markup in the abstract is shown as typed
        assert "[bold]of[/bold]" in str(screen.query_one("#reports-text").render())

        # a value refused as the field is left, then fixed
        await type_in(app, pilot, "Narnia")
        await press(app, pilot, "tab")
        assert editor(app, "country").has_class("-invalid")
        assert "not an ISO 3166 country" in message(app, "country")
        await pilot.press("shift+tab")
        await pilot.press(*["backspace"] * 6)
        await type_in(app, pilot, "kenya")
        await press(app, pilot, "tab")
        assert not editor(app, "country").has_class("-invalid")
        assert editor(app, "country").input.value == "KEN"  # type: ignore[attr-defined]

        # a choice that shows a conditional field
        assert not editor(app, "policy_area_other").display
        await choose(app, pilot, "policy_area", "other")
        assert editor(app, "policy_area_other").display
        await pilot.press("tab")
        assert editor(app, "policy_area_other").input.has_focus
        await type_in(app, pilot, "social care")
        await pilot.press("tab")
        await type_in(app, pilot, "Nairobi County")  # commissioner
        await pilot.press("tab")
        await type_in(app, pilot, "2021-04-01")  # start_date
        await pilot.press("tab")
        await choose(app, pilot, "contracting_model", "pbr")
        await pilot.press("tab")
        await type_in(app, pilot, "250000")  # contract_value (GBP)
        await pilot.press("tab")
        await type_in(app, pilot, "3")  # investors
        await press(app, pilot, "tab")

        # the repeating group: two rows, edited in the table by keyboard
        table = screen.query_one("#group-outcomes", GroupTable)
        assert table.has_focus
        await press(app, pilot, "a", *"jobs at 6 months", "enter")  # a: new row, its first cell
        await pilot.press("right", "right")  # from the metric to the price column
        await cell(app, pilot, "1200")
        await press(app, pilot, "a", *"jobs at 12 months", "enter")
        await pilot.press("right", "right", "right")  # time_point_months
        await cell(app, pilot, "12")
        assert table.row_count == 2
        await pilot.press("tab")

        await choose(app, pilot, "evaluation_design", "rct")
        await pilot.press("tab")
        assert editor(app, "comparator").input.has_focus  # shown: the design is an RCT
        await type_in(app, pilot, "waiting list")
        await pilot.press("tab")
        await type_in(app, pilot, "0.25")  # effect_estimate, which shows effect_se
        await press(app, pilot, "tab")
        assert editor(app, "effect_se").input.has_focus
        await type_in(app, pilot, "0.1")
        await pilot.press("tab")
        await pilot.press("space")  # effect_significant: the checkbox
        await pilot.press("tab")
        await choose(app, pilot, "risk_of_bias", "low")
        await pilot.press("tab")
        await pilot.press("space", "down", "down", "space")  # bias_domains: 1st and 3rd
        await pilot.press("tab")
        await type_in(app, pilot, "10.1234/sib.7")  # doi (a regex)
        await pilot.press("tab")
        await type_in(app, pilot, "More people in work")  # findings: the text area
        await pilot.press("enter")
        await type_in(app, pilot, "after a year.")
        await press(app, pilot, "ctrl+s")  # leaves the text area's value, then completes
        assert screen.pending == 0
        assert screen.status == "complete", [n.message for n in app._notifications]

    args = ["export", "extraction", "--form", "obc", "--layout", "long", "--format", "csv", "--db"]
    result = CliRunner().invoke(cli, [*args, str(store.path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    got = {(r["field"], r["row"], r["value"]) for r in rows}
    assert {(r["reviewer"], r["status"], r["study"]) for r in rows} == {
        ("zoe", "complete", str(study))
    }
    assert got == {
        ("country", "", "KEN"),
        ("policy_area", "", "other"),
        ("policy_area_other", "", "social care"),
        ("commissioner", "", "Nairobi County"),
        ("start_date", "", "2021-04-01"),
        ("contracting_model", "", "pbr"),
        ("contract_value", "", "250000"),
        ("investors", "", "3"),
        ("outcomes.metric", "1", "jobs at 6 months"),
        ("outcomes.price", "1", "1200"),
        ("outcomes.metric", "2", "jobs at 12 months"),
        ("outcomes.time_point_months", "2", "12"),
        ("evaluation_design", "", "rct"),
        ("comparator", "", "waiting list"),
        ("effect_estimate", "", "0.25"),
        ("effect_se", "", "0.1"),
        ("effect_significant", "", "true"),
        ("risk_of_bias", "", "low"),
        ("bias_domains", "", "randomisation; missing_data"),
        ("doi", "", "10.1234/sib.7"),
        ("findings", "", "More people in work\nafter a year."),
    }
    # each value written once, with its audit row; the refused one never was
    with store.session() as s:
        from sqlmodel import select

        audits = s.exec(select(AuditEntry).where(AuditEntry.action == "extraction-value")).all()
    assert len(audits) == len(got)
    assert all(a.actor == "zoe" for a in audits)


async def test_remapped_keys_and_removing_a_group_row(store: Store, tmp_path: Path) -> None:
    from tui.keys import set_keys

    included_report(store, tmp_path)
    set_keys(store, {"home.extraction": "w", "group.add_row": "n"}, actor="zoe")
    app = LitsiftApp(store, "zoe", start="home", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "w")  # remapped from e
        await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, StudyExtractionScreen)
        table = screen.query_one("#group-outcomes", GroupTable)
        table.focus()
        for metric in ("first", "second", "third"):
            await press(app, pilot, "n", *metric, "enter")  # n: add a row (remapped from a)
        await press(app, pilot, "up", "x")  # remove the second row: the third moves up
        assert table.row_count == 2 and screen.pending == 0
        await press(app, pilot, "ctrl+s")  # refused: required fields are empty
        refused = " ".join(str(n.message) for n in app._notifications)
        assert "Not complete" in refused and "country: is required" in refused
        assert editor(app, "country").has_class("-invalid")
        assert "is required" in message(app, "country")
        assert screen.status == "in_progress"
    (d,) = ExtractionSession(store).extractions(reviewer="zoe")
    assert {i: r["metric"] for i, r in d.rows["outcomes"].items()} == {1: "first", 2: "third"}
