"""Exporting from the app (home `x`), driven by Pilot: the file written is the one the CLI's
use-case writes, an existing file is replaced only after asking, and a refusal shows the
message and its hint in place (never a traceback)."""

from __future__ import annotations

import io
from pathlib import Path

from corpora.service import DEMO_DIR
from extraction.service import ExtractionSession
from review import service
from review.db import Store
from review.export_view import ExportFilter
from review.prisma import prisma_counts
from review.prisma_render import render
from tests.tui.pilot import press, settle
from tests.tui.reviewed import decided
from tui.app import LitsiftApp
from tui.screens.confirm_prompt import ConfirmPrompt
from tui.screens.export import ExportScreen
from tui.screens.home import HomeScreen


def five_records(store: Store, tmp_path: Path) -> None:
    """Five records; 1 and 2 included, 3 excluded at title-abstract."""
    titles = [f"Outcomes fund evaluation {n}" for n in range(1, 6)]
    decided(store, tmp_path, titles, {1: "include", 2: "include", 3: "exclude"})


def result(app: LitsiftApp) -> str:
    return str(app.screen.query_one("#result").render())


async def open_export(app: LitsiftApp, pilot) -> ExportScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await press(app, pilot, "x")
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def choose(app: LitsiftApp, pilot, choice: str) -> None:  # type: ignore[no-untyped-def]
    """Move the highlight of the list of exports to `choice` by keyboard and take it."""
    from textual.widgets import OptionList

    what = app.screen.query_one("#what", OptionList)
    what.focus()
    await pilot.press("home")
    ids = [what.get_option_at_index(i).id for i in range(what.option_count)]
    await pilot.press(*["down"] * ids.index(choice), "enter")
    await pilot.pause()


async def export_to(app: LitsiftApp, pilot, choice: str, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Choose `choice`, name `path`, press Enter."""
    await choose(app, pilot, choice)
    app.screen.query_one("#path").value = str(path)  # type: ignore[attr-defined]
    await press(app, pilot, "enter")


async def test_home_x_exports_included_records_as_the_cli_does(
    store: Store, tmp_path: Path
) -> None:
    five_records(store, tmp_path)
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "x" in {b.key for b in HomeScreen.BINDINGS if hasattr(b, "key")}
        screen = await open_export(app, pilot)
        await choose(app, pilot, "records-include-title-abstract")
        path = screen.query_one("#path")
        assert path.has_focus  # Enter on a choice moves on to the file name
        default = Path(path.value)  # type: ignore[attr-defined]
        assert default.parent == tmp_path and default.suffix == ".ris"
        await press(app, pilot, "enter")
        assert f"wrote 2 records to {default}" in result(app)
    expected = io.StringIO()
    flt = ExportFilter(stage="title-abstract", label="include", canonical_only=True)
    service.export_records(store, "ris", expected, flt)
    assert default.read_text() == expected.getvalue()


async def test_the_extension_chooses_the_format(store: Store, tmp_path: Path) -> None:
    five_records(store, tmp_path)
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_export(app, pilot)
        out = tmp_path / "log.json"
        await export_to(app, pilot, "decisions", out)
        assert "wrote 3 decisions" in result(app)
        await choose(app, pilot, "prisma")
        assert screen.query_one("#path").value.endswith(".csv")  # type: ignore[attr-defined]
        await press(app, pilot, "enter")
        assert "records identified" in result(app)
        prisma_file = Path(screen.query_one("#path").value)  # type: ignore[attr-defined]
    assert out.read_text().lstrip().startswith("[")
    assert prisma_file.read_bytes() == render(prisma_counts(store), "csv")


async def test_an_existing_file_is_replaced_only_after_asking(store: Store, tmp_path: Path) -> None:
    five_records(store, tmp_path)
    target = tmp_path / "mine.csv"
    target.write_text("keep me\n")
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_export(app, pilot)
        await export_to(app, pilot, "records-all", target)
        assert isinstance(app.screen, ConfirmPrompt)
        await press(app, pilot, "n")
        assert app.screen is screen and "not written" in result(app)
        assert target.read_text() == "keep me\n"
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ConfirmPrompt)
        await press(app, pilot, "y")
        assert "wrote 5 records" in result(app)
    assert target.read_text().startswith("record_id,title,")


async def test_a_refusal_shows_the_message_and_its_hint(store: Store, tmp_path: Path) -> None:
    five_records(store, tmp_path)
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_export(app, pilot)
        missing = tmp_path / "no such folder" / "out.ris"
        await export_to(app, pilot, "records-all", missing)
        text = result(app)
        assert "does not exist" in text and "hint:" in text and "Traceback" not in text
        screen.query_one("#path").value = str(tmp_path / "out.txt")  # type: ignore[attr-defined]
        await press(app, pilot, "enter")
        assert "error:" in result(app) and ".ris" in result(app)
        # extraction with no form: the service's refusal, as the CLI shows it
        await choose(app, pilot, "extraction")
        await press(app, pilot, "enter")
        assert "error:" in result(app) and "hint:" in result(app)
        assert app.screen is screen
    assert not missing.parent.exists()


async def test_extraction_data_with_its_codebook(store: Store, tmp_path: Path) -> None:
    five_records(store, tmp_path)
    ExtractionSession(store).add_form((DEMO_DIR / "obc_form.yaml").read_text())
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_export(app, pilot)
        await choose(app, pilot, "extraction")
        data = Path(screen.query_one("#path").value)  # type: ignore[attr-defined]
        await press(app, pilot, "enter")
        assert "wrote 0 rows to" in result(app) and "codebook" in result(app)
    assert data.exists() and data.with_suffix("").with_suffix(".codebook.csv").exists()
