"""At the full-text stage `o` opens the record's attached full text in the system viewer
(the report being assessed), as Ctrl+O does on the extraction form; with none attached it
says so, with several it asks which."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import annotation, service
from review.db import Store
from tests.tui.pilot import press, settle
from tui import opener
from tui.app import LitsiftApp
from tui.screens.reason_picker import ReasonPicker

RECORDS = "".join(f"TY  - JOUR\nTI  - Outcomes fund {n}\nER  - \n\n" for n in range(1, 3))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    launched: list[str] = []
    monkeypatch.setattr(opener, "system_open", lambda target: launched.append(target) or 0)
    return launched


def notices(app: LitsiftApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_o_opens_the_attached_full_text(
    store: Store, tmp_path: Path, opened: list[str]
) -> None:
    p = tmp_path / "two.ris"
    p.write_text(RECORDS)
    service.import_files(store, [p])
    for rid in (1, 2):
        service.record_decision(store, rid, "include", reviewer="ana")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for pdf in (first, second):
        pdf.write_bytes(b"%PDF-1.4")
    annotation.attach(store, 1, str(first), reviewer="ana", stage="full-text")
    annotation.attach(store, 1, str(second), reviewer="ana", stage="full-text")

    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "s", "o")  # title/abstract: no full text to open
        assert opened == []
        await press(app, pilot, "escape", "f", "o")  # full text, record 1: two files
        assert isinstance(app.screen, ReasonPicker)
        await press(app, pilot, "down", "enter")
        assert opened == [str(second)]
        await press(app, pilot, "s", "o")  # record 2: nothing attached
        assert "No full text attached" in notices(app)
    assert opened == [str(second)]
