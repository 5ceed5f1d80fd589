"""A note or an attached full text added by mistake can be taken back from the screening
screen (Backspace: pick which); it is marked removed, never deleted, and only one's own."""

from __future__ import annotations

from pathlib import Path

from review import annotation, service
from review.db import Store
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.reason_picker import ReasonPicker

RECORDS = "".join(f"TY  - JOUR\nTI  - Outcomes fund {n}\nER  - \n\n" for n in range(1, 3))


def notes_of(app: LitsiftApp) -> str:
    return str(app.screen.query_one("#record-notes").render())


async def test_backspace_removes_ones_own_note(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "two.ris"
    p.write_text(RECORDS)
    service.import_files(store, [p])
    annotation.add_note(store, 1, "kofi's note", reviewer="kofi")
    app = LitsiftApp(store, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "backspace")  # nothing of ana's yet: nothing to pick
        assert not isinstance(app.screen, ReasonPicker)
        await pilot.press("n")
        await press(app, pilot, *"wrong record", "enter")
        assert "wrong record" in notes_of(app)
        await press(app, pilot, "backspace")
        assert isinstance(app.screen, ReasonPicker)
        await press(app, pilot, "enter")
        assert "wrong record" not in notes_of(app) and "kofi's note" in notes_of(app)
    left = annotation.list_annotations(store, 1)
    assert [(a.value, a.reviewer) for a in left] == [("kofi's note", "kofi")]
    everything = annotation.list_annotations(store, 1, include_removed=True)
    assert [a.value for a in everything if a.removed_at is not None] == ["wrong record"]
