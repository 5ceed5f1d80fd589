"""The screening screen, driven headlessly by keys through Textual's Pilot."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review import service
from review import settings as review_settings
from review.db import Store
from review.importing import import_file
from tests.ris import numbered_ris
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.screening import ScreeningScreen
from tui.widgets.record_view import RecordView

RECORD = (
    "TY  - JOUR\nID  - k{n}\nTI  - Social impact bond number {n}\nAU  - Doe, J\nPY  - 2020\n"
    "AB  - A payment by results contract for record {n}.\nER  - \n\n"
)


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    import_file(store, numbered_ris(tmp_path / "thirty.ris", RECORD, 30))
    service.set_setting(
        store, "protocol", {"keywords": {"include": ["social impact bond"], "exclude": ["bond"]}}
    )
    return store


def shown_title(app: LitsiftApp) -> str:
    screen = app.screen
    assert isinstance(screen, ScreeningScreen)
    return "" if screen.current is None else screen.current["title"]


async def test_twenty_decisions_by_key_are_written(loaded: Store) -> None:
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_title(app) == "Social impact bond number 1"
        for i in range(20):
            await press(app, pilot, "i" if i % 5 == 0 else "e", rounds=1)
        assert shown_title(app) == "Social impact bond number 21"
    decisions = service.list_decisions(loaded, reviewer="ana")
    assert len(decisions) == 20
    assert [d.label for d in decisions[:5]] == [
        "include",
        "exclude",
        "exclude",
        "exclude",
        "exclude",
    ]
    assert service.screening_progress(loaded, reviewer="ana").include == 4


async def test_undo_several_steps_and_restart_resumes(loaded: Store) -> None:
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        for key in "iem":
            await press(app, pilot, key, rounds=1)
        await press(app, pilot, "u", rounds=1)
        assert shown_title(app) == "Social impact bond number 3"
        await press(app, pilot, "u", rounds=1)
        assert shown_title(app) == "Social impact bond number 2"
        await press(app, pilot, "i", rounds=1)
    standing = service.list_decisions(loaded, reviewer="ana", include_retracted=False)
    assert [(d.record_id, d.label) for d in standing] == [(1, "include"), (2, "include")]
    # a new session of the app resumes where the reviewer stopped
    again = LitsiftApp(loaded, "ana", rank=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert shown_title(again) == "Social impact bond number 3"


async def test_skip_moves_on_without_deciding(loaded: Store) -> None:
    app = LitsiftApp(loaded, "ben", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await press(app, pilot, "s", rounds=1)
        assert shown_title(app) == "Social impact bond number 2"
        await press(app, pilot, "e", rounds=1)
        assert shown_title(app) == "Social impact bond number 3"
    assert [d.record_id for d in service.list_decisions(loaded, reviewer="ben")] == [2]


async def test_keywords_are_highlighted_in_two_colours(loaded: Store) -> None:
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = app.screen.query_one("#record-title").render()
        spans = [(str(title)[s.start : s.end], str(s.style)) for s in title.spans]
        assert any(t == "Social impact bond" and "green" in st for t, st in spans)
        assert isinstance(app.screen.query_one(RecordView), RecordView)


def test_keyword_spans_match_on_stems_phrases_and_wildcards() -> None:
    from screening.highlight import keyword_spans

    text = "Social impact bonds and green bonds; contracting out, bond markets"
    spans = [
        (text[s.start : s.end], s.kind)
        for s in keyword_spans(text, ["social impact bond", "contract*"], ["bond"])
    ]
    assert spans == [
        ("Social impact bonds", "include"),
        ("bonds", "exclude"),
        ("contracting", "include"),
        ("bond", "exclude"),
    ]
    text = "Social-impact bonds; policies on commissioning. The social. Impact bond"
    spans = [
        (text[s.start : s.end], s.kind)
        for s in keyword_spans(text, ["social impact bond", "policy", "commission"], ["bond"])
    ]
    assert spans == [
        ("Social-impact bonds", "include"),  # a hyphen may join a phrase's words
        ("policies", "include"),  # policy -> polici: the same stem
        ("commissioning", "include"),
        ("bond", "exclude"),  # a full stop breaks the phrase
    ]
    french = "Les contrats à impact social en France"
    spans = keyword_spans(french, ["contrat à impact social"], [], "fr")
    assert [french[s.start : s.end] for s in spans] == ["contrats à impact social"]


def test_record_language_is_declared_or_detected() -> None:
    from screening.highlight import language_of

    assert language_of("fre", "") == "fr" and language_of("es", "") == "es"
    assert language_of("", "Les contrats à impact social sont évalués en France.") == "fr"


async def test_full_text_exclusion_asks_for_a_reason(loaded: Store) -> None:
    for rid in (1, 2, 3):
        service.record_decision(loaded, rid, "include", reviewer="ana")
    app = LitsiftApp(loaded, "ana", stage="full-text", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_title(app) == "Social impact bond number 1"
        await pilot.press("e")  # opens the reason picker
        await pilot.pause()
        await pilot.press("down", "enter")  # the second reason of the review's picklist
        for _ in range(100):  # the decision's worker starts once the picker has closed
            await press(app, pilot, "wait:20", rounds=1)  # no key: let the app work
            if shown_title(app) == "Social impact bond number 2":
                break
        assert shown_title(app) == "Social impact bond number 2"
        await press(app, pilot, "r", rounds=1)  # report not retrieved
        await press(app, pilot, "e", rounds=1)
        await press(app, pilot, "escape", rounds=1)  # cancel the picker: nothing recorded
        assert shown_title(app) == "Social impact bond number 3"
    full = service.list_decisions(loaded, stage="full-text")
    assert [(d.record_id, d.label, d.reason) for d in full] == [
        (1, "exclude", "wrong intervention"),
        (2, "exclude", "not retrieved"),
    ]


async def test_ranked_screening_on_the_demo_review(tmp_path: Path) -> None:
    """With the model on, the demo review's includes come early and decisions still land."""
    import csv

    from corpora.service import DEMO_DIR, create_demo_review

    demo = create_demo_review(tmp_path)
    with open(DEMO_DIR / "labels.csv", newline="", encoding="utf-8") as f:
        included = {r["source_key"] for r in csv.DictReader(f) if r["label_included"] == "1"}
    app = LitsiftApp(demo.store, "ana")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ScreeningScreen)
        for _ in range(400):  # the model builds in the background (spaCy, TF-IDF, SVM)
            await press(app, pilot, "wait:25", rounds=1)
            if screen.ranker is not None:
                break
        assert screen.ranker is not None
        await press(app, pilot, "wait:1", rounds=1)
        assert "ranked" in str(screen.query_one("#status").render())
        found = 0
        for _ in range(30):  # the reviewer follows the labels for 30 records
            key = screen.current["source_key"] if screen.current else None
            found += key in included
            await press(app, pilot, "i" if key in included else "e", rounds=1)
    assert len(service.list_decisions(demo.store, reviewer="ana")) == 30
    # 30 of 245 records in import order would hold about 30 * 43/245 = 5 includes
    assert found >= 12


async def test_stopping_line_and_random_check_by_key(loaded: Store) -> None:
    from screening.service import get_check

    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in "ieeee":
            await press(app, pilot, key)
        line = str(app.screen.query_one("#stopping").render())
        assert "4/50 excludes in a row" in line
        await press(app, pilot, "x", "y")  # early: asked first (tests/tui/test_random_check)
        check = get_check(loaded, reviewer="ana")
        assert check is not None and len(check.pool) == 25
        screen = app.screen
        assert isinstance(screen, ScreeningScreen) and screen.current is not None
        assert screen.current["id"] == check.pool[0]
        assert "random check 0/25" in str(screen.query_one("#stopping").render())
        assert "random check" in str(screen.query_one("#status").render())
        await press(app, pilot, "e")
        assert screen.current["id"] == check.pool[1]
        assert "random check 1/25" in str(screen.query_one("#stopping").render())


async def test_note_tag_search_and_attach_by_keys(loaded: Store, tmp_path: Path) -> None:
    from review.annotation import list_annotations

    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await press(app, pilot, *"ask authors", "enter")
        await pilot.press("t")
        await press(app, pilot, *"UK", "enter")
        notes = [(a.kind, a.value) for a in list_annotations(loaded, 1)]
        assert notes == [("note", "ask authors"), ("tag", "uk")]
        shown = str(app.screen.query_one("#record-notes").render())
        assert "uk" in shown and "ask authors" in shown
        # / finds record 17 and opens it; a decision then applies to it
        await pilot.press("slash")
        await press(app, pilot, *"number 17", "enter")
        await press(app, pilot, "enter")
        assert shown_title(app) == "Social impact bond number 17"
        await press(app, pilot, "i")
    assert [(d.record_id, d.label) for d in service.list_decisions(loaded)] == [(17, "include")]

    # full text: `a` attaches a file (a bad path is refused and nothing is stored)
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    app = LitsiftApp(loaded, "ana", stage="full-text", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert shown_title(app) == "Social impact bond number 17"
        await pilot.press("a")
        await press(app, pilot, *str(tmp_path / "missing.pdf"), "enter")
        await pilot.press("a")
        await press(app, pilot, *str(pdf), "enter")
        assert str(pdf) in str(app.screen.query_one("#record-notes").render())
    assert [a.value for a in list_annotations(loaded, 17, kind="attachment")] == [str(pdf)]


async def test_criteria_and_keyword_editing(loaded: Store) -> None:
    from tui.screens.criteria import CriteriaScreen
    from tui.screens.keywords import KeywordsEditor

    service.set_setting(
        loaded,
        "protocol",
        {
            "keywords": {"include": ["social impact bond"], "exclude": []},
            "eligibility": {"include": ["Outcome-based payment"], "exclude": ["No outcomes"]},
        },
    )
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "c")
        assert isinstance(app.screen, CriteriaScreen)
        assert "Outcome-based payment" in app.screen.query_one("Markdown").source
        await press(app, pilot, "c")
        await press(app, pilot, "k")
        editor = app.screen
        assert isinstance(editor, KeywordsEditor)
        editor.query_one("#exclude").text = "payment\n  contract* \npayment"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ScreeningScreen)
        view = app.screen.query_one(RecordView)
        assert view.exclude == ["payment", "contract*"]
    stored = service.get_setting(loaded, "protocol")
    assert stored["keywords"] == {"include": ["social impact bond"], "exclude": view.exclude}
    assert stored["eligibility"]["exclude"] == ["No outcomes"]  # the rest is kept


async def test_remapped_keys_and_the_command_palette(loaded: Store) -> None:
    from tui.keys import set_keys

    set_keys(loaded, {"screening.include": "j", "screening.exclude": "i"})
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "j")  # include
        await press(app, pilot, "i")  # exclude now
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Include", "Exclude", "Note", "Tag", "Search", "Random check"):
            assert action in titles
        assert "Go to: History" in titles
        # run one from the palette as a person would: Ctrl+P, type, Enter
        await press(app, pilot, "ctrl+p")
        await pilot.press(*"Maybe")
        await pilot.pause(0.3)
        await press(app, pilot, "enter")
    labels = [d.label for d in service.list_decisions(loaded, reviewer="ana")]
    assert labels == ["include", "exclude", "maybe"]


def test_key_remapping_refuses_unknown_ids_and_clashes(loaded: Store) -> None:
    from review.errors import InvalidInputError
    from tui.keys import current_keys, set_keys

    with pytest.raises(InvalidInputError, match="no key binding"):
        set_keys(loaded, {"screening.fly": "f"})
    with pytest.raises(InvalidInputError, match="would do both"):
        set_keys(loaded, {"screening.include": "e"})
    set_keys(loaded, {"screening.include": "j"})
    keys = {k.id: k.key for k in current_keys(loaded)}
    assert keys["screening.include"] == "j" and keys["history.include"] == "i"
    set_keys(loaded, {"screening.include": ""})
    assert review_settings.load(loaded, review_settings.Keymap).keys == {}


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=200),
    include=st.lists(st.text(min_size=1, max_size=15), max_size=4),
    exclude=st.lists(st.text(min_size=1, max_size=15), max_size=4),
)
def test_keyword_spans_are_ordered_disjoint_and_in_bounds(
    text: str, include: list[str], exclude: list[str]
) -> None:
    from screening.highlight import keyword_spans

    spans = keyword_spans(text, include, exclude)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
