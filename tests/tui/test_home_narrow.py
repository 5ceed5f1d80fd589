"""On an 80-column terminal the home screen's import table shows how many records each file
brought and how many were quarantined: long file and source names come after the counts, so
they are what runs off the edge."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from review import service
from review.db import Store
from tests.tui.pilot import settle
from tui.app import LitsiftApp

RECORDS = "".join(f"TY  - JOUR\nTI  - Outcomes fund {n}\nER  - \n\n" for n in range(1, 4))


async def test_the_counts_of_each_import_fit_80_columns(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "scopus_export_outcomes_based_contracting_2026-11-29.ris"
    p.write_text(RECORDS)
    service.import_files(
        store, [p], source_name="Grey literature (organisations)", source_type="organisation"
    )
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#batches", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        widths = [c.get_render_width(table) for c in table.columns.values()]
        for name in ("records", "quarantined"):
            right_edge = sum(widths[: labels.index(name) + 1])
            assert right_edge <= table.size.width, (name, labels, widths, table.size.width)
