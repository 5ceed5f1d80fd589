"""The code stays ruff-clean and type-checks (mypy, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> Path:
    exe = Path(sys.executable).with_name(name)
    if not exe.exists():
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return exe


def test_ruff_is_clean() -> None:
    out = subprocess.run(
        [str(_tool("ruff")), "check", "."], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_types_check() -> None:
    out = subprocess.run(
        [str(_tool("mypy")), "review", "screening", "tui", "corpora"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
