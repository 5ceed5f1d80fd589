"""The duplicates screen after an import made in the app: it says deduplication has not looked
at the new records (an empty queue is not "no duplicates"), and `r` runs it from there."""

from __future__ import annotations

from pathlib import Path

from review import service
from review.db import Store
from review.dedup.pending import records_not_deduplicated
from review.dedup.queries import dedup_status
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.duplicates import DuplicatesScreen

RECORD = (
    "TY  - JOUR\nTI  - Social impact bonds and recidivism among young offenders\n"
    "AU  - de Vries, S\nPY  - 2018\nJO  - European Journal of Criminology\nVL  - 56\n"
    "SP  - 788\nDO  - 10.5555/ejc.2018.3293\nER  - \n\n"
)


async def test_r_finds_duplicates_the_screen_said_were_not_looked_for(
    store: Store, tmp_path: Path
) -> None:
    for name, db in (("scopus.ris", "Scopus"), ("wos.ris", "Web of Science")):
        (tmp_path / name).write_text(RECORD.replace("ER  -", f"DB  - {db}\nER  -"))
        service.import_files(store, [tmp_path / name])
    assert records_not_deduplicated(store) == 2
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "d")
        assert isinstance(app.screen, DuplicatesScreen)
        pair = str(app.screen.query_one("#dup-pair").render())
        assert "2 records have not been compared" in pair and "press r" in pair
        await press(app, pilot, "r")
        status = str(app.screen.query_one("#dup-status").render())
        assert "duplicates merged" in status
    assert records_not_deduplicated(store) == 0
    assert dedup_status(store).duplicates_removed == 1
