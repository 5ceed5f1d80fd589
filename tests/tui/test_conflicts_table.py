"""The conflicts table shows every reviewer's decision whole (reasons too), a title or a
reason from a file as typed (never a raw terminal escape), and counts in words that agree
with the number ("1 conflict")."""

from __future__ import annotations

from pathlib import Path

from review import service, settings
from review.db import Store
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.conflicts import ConflictsScreen
from tui.widgets.agreement_panel import AgreementPanel

ESC_TITLE = "Outcomes \x1b[2J\x1b]0;owned\x07fund"
LONG_REASON = "wrong setting or population (not a publicly funded human service)"


async def test_conflicts_show_whole_decisions_and_safe_titles(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "one.ris"
    p.write_text(f"TY  - JOUR\nTI  - {ESC_TITLE}\nER  - \n\n", encoding="utf-8")
    service.import_files(store, [p])
    settings.set_protocol_value(store, "screening_mode", "dual", actor="lead")
    for who in ("ana", "bob"):
        service.record_decision(store, 1, "include", reviewer=who)
    service.record_decision(store, 1, "exclude", stage="full-text", reviewer="ana", reason="x")
    service.record_decision(
        store, 1, "exclude", stage="full-text", reviewer="bob", reason=LONG_REASON
    )
    app = LitsiftApp(store, "lead", start="home", rank=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "1 conflict to resolve (c)" in str(app.screen.query_one(AgreementPanel).render())
        await press(app, pilot, "c")
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        assert str(screen.query_one("#conflicts-summary").render()) == "1 conflict to resolve"
        table = screen.query_one("#conflicts")
        _, stage, votes, title = (getattr(c, "plain", c) for c in table.get_row_at(0))  # type: ignore[attr-defined]
        assert stage == "full-text"
        assert votes == f"ana: exclude (x) · bob: exclude ({LONG_REASON})"
        widths = [c.width for c in table.columns.values()]  # type: ignore[attr-defined]
        assert widths[2] >= len(votes)  # the decisions column is not cut
        assert "\x1b" not in title and "\x07" not in title and "␛[2J" in title
