"""Issue 11, F2/F3: record text, file names and paths are shown as typed, never as Rich markup
and never as raw terminal control sequences; the stored values stay verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()

ERRATUM = "Asthma outcomes [published erratum appears in Lancet 2001;357:1000]"
CLOSING = "Closing tags [/] in a title"
LINK = "See [link=https://evil.example]the trial[/link] now"
ESCAPES = "Hidden \x1b]0;owned\x07title \x1b[8mconcealed\x1b[0m \x1b]52;c;cGF5bG9hZA==\x07 end"
BIDI = "Invoice \u202eslx.exe"
TITLES = (ERRATUM, CLOSING, LINK, ESCAPES, BIDI)


def _ris(titles: tuple[str, ...]) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - {t}\nAU  - Doe, [b]J\nJO  - J [i]x\nPY  - 2001\n"
        f"AB  - Abstract [/] with {t}\nER  - \n\n"
        for t in titles
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A review holding the hostile titles, imported from a file whose name is markup too."""
    src = tmp_path / "[bold]refs[i].ris"
    src.write_text(_ris(TITLES))
    path = str(tmp_path / "r.db")
    # the temporary path is long (under xdist more so): the name must not be wrapped either
    result = runner.invoke(app, ["import", str(src), "--db", path])
    assert result.exit_code == 0, result.output
    assert "[bold]refs[i].ris" in result.stdout
    return path


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _no_raw_controls(out: str) -> None:
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_stored_values_stay_verbatim(db: str) -> None:
    rows = json.loads(_ok("records", "--json", "--db", db))["records"]
    assert sorted(r["title"] for r in rows) == sorted(TITLES)


def test_records_lists_titles_as_typed(db: str) -> None:
    runner_wide = CliRunner(env={"COLUMNS": "300"})
    result = runner_wide.invoke(app, ["records", "--db", db])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (ERRATUM, CLOSING, "[link=https://evil.example]the trial[/link]"):
        assert text in out
    _no_raw_controls(out)
    assert "␛]0;owned␇" in out and "<U+202E>" in out


def test_show_prints_every_field_as_typed(db: str) -> None:
    for record_id in range(1, len(TITLES) + 1):
        out = _ok("show", str(record_id), "--db", db)
        _no_raw_controls(out)
        assert "Doe, [b]J" in out and "J [i]x" in out and "Abstract [/] with" in out
    assert ERRATUM in _ok("show", "1", "--db", db)
    assert "\x1b]8;" not in _ok("show", "3", "--db", db)  # no OSC 8 hyperlink


def test_search_and_next_print_titles_as_typed(db: str) -> None:
    out = _ok("search", "Asthma", "--db", db)
    assert ERRATUM in out
    out = _ok("search", "closing", "--db", db)
    assert CLOSING in out
    _no_raw_controls(_ok("search", "hidden", "--db", db))
    out = _ok("next", "--order", "import", "--db", db, "--reviewer", "ana")
    assert ERRATUM in out and "Abstract [/] with" in out


def test_next_shows_escape_sequences_visibly(db: str) -> None:
    for record_id in (1, 2, 3):
        _ok("decide", str(record_id), "exclude", "--db", db, "--reviewer", "ana")
    out = _ok("next", "--order", "import", "--db", db, "--reviewer", "ana")
    _no_raw_controls(out)
    assert "␛[8mconcealed␛[0m" in out


def test_status_and_errors_show_file_names_as_typed(db: str, tmp_path: Path) -> None:
    wide = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["status", "--db", db])
    assert "[bold]refs[i].ris" in wide.stdout
    missing = tmp_path / "[red]gone\x1b[2J.ris"
    result = runner.invoke(app, ["import", str(missing), "--db", db])
    assert result.exit_code == 1
    assert "[red]gone␛[2J.ris" in result.stderr and "\x1b" not in result.stderr


def test_safe_text_makes_every_control_visible() -> None:
    from tui.safe_text import safe_text, visible

    assert visible("a\x00b\x1bc\x7fd\x9be\u2066f\u2028g") == ("a␀b␛c␡d<U+009B>e<U+2066>f<U+2028>g")
    assert visible("line 1\r\nline\t2") == "line 1\nline\t2"
    assert visible("line 1\nline\t2", single_line=True) == "line 1 line 2"
    text = safe_text("[bold]x[/]", "dim")
    assert text.plain == "[bold]x[/]" and not text.spans and text.style == "dim"


def test_the_app_record_view_and_duplicates_table_show_text_as_typed() -> None:
    from rich.console import Console

    from tui.screens.duplicates import side_by_side
    from tui.widgets.record_view import highlighted

    shown = highlighted(ESCAPES, ["title"], [], "bold")
    assert "\x1b" not in shown.plain and "␛]0;owned␇title" in shown.plain
    assert any(shown.plain[s.start : s.end] == "title" for s in shown.spans)
    rec = {"id": 1, "title": LINK, "abstract": CLOSING, "authors": ["[b]x"], "year": 2001}
    console = Console(record=True, width=200, color_system=None)
    console.print(side_by_side(rec, {**rec, "id": 2, "title": ERRATUM}))
    out = console.export_text()
    assert "[link=https://evil.example]the trial[/link]" in out and ERRATUM in out


async def test_the_screening_screen_shows_a_hostile_title_as_typed(tmp_path: Path) -> None:
    from textual.widgets import Static

    from review.importing import import_file
    from review.service import open_review
    from tui.app import LitsiftApp

    store = open_review(str(tmp_path / "app.db"))
    src = tmp_path / "hostile.ris"
    src.write_text(_ris((CLOSING, ESCAPES, *(f"Plain title {n}" for n in range(20)))))
    import_file(store, src)
    app = LitsiftApp(store, "ana", rank=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.screen.query_one("#record-title", Static).render())
        assert title == CLOSING
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.screen.query_one("#record-title", Static).render())
        assert "\x1b" not in title and "␛[8mconcealed␛[0m" in title
