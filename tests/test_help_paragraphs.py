"""`litsift --help` lists each command with its summary as one paragraph."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from tui.cli import app
from tui.help_format import one_paragraph

GROUPS = [[], ["dedup"], ["export"], ["conflicts"], ["extract"], ["synth"]]


def _summaries(path: list[str]) -> dict[str, str]:
    group = typer.main.get_command(app)
    for name in path:
        group = group.commands[name]  # type: ignore[attr-defined]
    return {
        name: " ".join(one_paragraph(cmd.help or "").split("\n\n")[0].split())
        for name, cmd in group.commands.items()  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "litsift")
def test_each_summary_is_one_line_where_there_is_room(path: list[str]) -> None:
    res = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "300"})
    assert res.exit_code == 0
    lines = res.output.splitlines()
    multi_line = [name for name, text in _summaries(path).items() if "\n" in text]
    assert not multi_line
    broken = [
        name
        for name, text in _summaries(path).items()
        if len(text) < 240 and not any(f" {name} " in ln and text in ln for ln in lines)
    ]
    assert not broken, broken


def test_a_paragraph_click_is_told_to_keep_stays_as_written() -> None:
    assert one_paragraph("\bline one\nline two") == "\bline one\nline two"
    assert one_paragraph("a\n  b\n\nc\nd") == "a b\n\nc\nd"
