"""The duplicates screen shows both abstracts whole (the pair scrolls), and marks them as
different when they differ anywhere - not only in their first 600 characters."""

from __future__ import annotations

from rich.console import Console

from tui.screens.duplicates import side_by_side


def test_long_abstracts_are_whole_and_compared_whole() -> None:
    start = "Outcome payments were made for each participant. " * 14  # 700 characters
    a = {"id": 1, "title": "T", "abstract": start + "Reconviction fell by 9 points."}
    b = {"id": 2, "title": "T", "abstract": start + "Reconviction fell by 2 points."}
    table = side_by_side(a, b)
    abstract_row = [r for r in table.rows][-1]
    assert abstract_row.style == "yellow"
    console = Console(record=True, width=400, color_system=None)
    console.print(table)
    out = console.export_text()
    assert "by 9 points." in out and "by 2 points." in out
