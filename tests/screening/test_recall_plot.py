"""`litsift simulate --plot`: recall curves as SVG/PNG, refused formats and existing files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from screening.recall_plot import recall_curve
from tests.screening.test_simulate import synthetic, write_csv


def test_recall_curve_counts_includes_found() -> None:
    curve = recall_curve([1, 0, 1, 0])
    assert curve.tolist() == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert np.all(np.diff(curve) >= 0)


def test_cli_draws_png_and_svg(tmp_path: Path) -> None:
    from tui.cli import app

    data = write_csv(tmp_path / "d.csv", *synthetic(n=200, k=10))
    png = tmp_path / "plots" / "recall.png"
    res = CliRunner().invoke(
        app, ["simulate", str(data), "--seeds", "2", "--stop", "rate", "--plot", str(png)]
    )
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "recall.svg"
    res = CliRunner().invoke(app, ["simulate", str(data), "--plot", str(svg), "--stop", "none"])
    assert res.exit_code == 0, res.output
    text = svg.read_text()
    assert "<svg" in text and "random order" in text and "d (10 of 200 included)" in text
    assert not list(tmp_path.glob(".*.tmp")) and not list(png.parent.glob(".*.tmp"))


def test_cli_refuses_unknown_format_and_existing_file(tmp_path: Path) -> None:
    from tui.cli import app

    data = write_csv(tmp_path / "d.csv", *synthetic())
    res = CliRunner().invoke(app, ["simulate", str(data), "--plot", str(tmp_path / "r.gif")])
    assert res.exit_code == 1
    assert "r.gif" in res.stderr and ".svg, .png or .pdf" in res.stderr
    kept = tmp_path / "r.png"
    kept.write_bytes(b"mine")
    res = CliRunner().invoke(app, ["simulate", str(data), "--plot", str(kept)])
    assert res.exit_code == 1 and "already exists" in res.stderr
    assert kept.read_bytes() == b"mine"
    res = CliRunner().invoke(app, ["simulate", str(data), "--plot", str(kept), "--force"])
    assert res.exit_code == 0, res.output
    assert kept.read_bytes()[:4] == b"\x89PNG"
