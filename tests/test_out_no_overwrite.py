"""`--out` never replaces an existing file without `--force`: prisma and the synthesis
tables and map did, silently, while every export refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()
RIS = "".join(f"TY  - JOUR\nID  - k{n}\nTI  - Social impact bond {n}\nER  - \n\n" for n in range(3))


@pytest.fixture
def db(tmp_path: Path) -> str:
    db = str(tmp_path / "r.db")
    (tmp_path / "a.ris").write_text(RIS)
    assert runner.invoke(app, ["import", str(tmp_path / "a.ris"), "--db", db]).exit_code == 0
    return db


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "svg"])
def test_prisma_out_refuses_an_existing_file_unless_forced(
    db: str, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"kept.{fmt}"
    out.write_text("the lead's own file")
    res = runner.invoke(app, ["prisma", "--format", fmt, "--out", str(out), "--db", db])
    assert res.exit_code == 1
    assert "already exists" in res.stderr and "--force" in res.stderr
    assert out.read_text() == "the lead's own file"
    res = runner.invoke(app, ["prisma", "--format", fmt, "--out", str(out), "--force", "--db", db])
    assert res.exit_code == 0, res.output
    assert out.read_text() != "the lead's own file"


@pytest.mark.parametrize(
    "args",
    [
        ["synth", "table", "--rows", "country"],
        ["synth", "characteristics", "--fields", "country"],
        ["synth", "map", "--rows", "country", "--cols", "policy_area"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_synthesis_out_refuses_an_existing_file(db: str, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "kept.svg"
    out.write_text("the lead's own file")
    res = runner.invoke(app, [*args, "--out", str(out), "--db", db])
    assert res.exit_code == 1
    assert "already exists" in res.stderr and "--force" in res.stderr
    assert out.read_text() == "the lead's own file"
