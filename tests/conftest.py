"""Shared fixtures: the ../shared data (skipped cleanly when absent) and temporary stores."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

from review.db import Store

# pytest-xdist's workers inherit COLUMNS=80/LINES=24, and Rich fixes a console's width from
# COLUMNS when the console is made (at import): tests that widen the terminal per call
# (CliRunner(env={"COLUMNS": ...})) then see 80 columns. One process sees no COLUMNS; so do workers.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

# CI runs the same examples every time (a failure found there can be reproduced);
# locally hypothesis explores new ones on each run.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SHARED = Path(os.environ.get("LITSIFT_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FORMATS = SHARED / "formats"
CORPORA = SHARED / "corpora" / "synergy"
DEDUP = SHARED / "dedup"


def shared_file(rel: str) -> Path:
    """A file under ../shared, or skip the test when the data is not there."""
    p = SHARED / rel
    if not p.exists():
        pytest.skip(f"shared data not available: {p}")
    return p


def load_module(path: Path) -> ModuleType:
    """A Python file that is not part of a package (a script, a reference tool) as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared_tool(rel: str) -> ModuleType:
    """A reference tool under ../shared (e.g. tools/dedup_score.py), or skip without the data."""
    return load_module(shared_file(rel))


@pytest.fixture
def formats_dir() -> Path:
    if not FORMATS.exists():
        pytest.skip(f"shared formats not available: {FORMATS}")
    return FORMATS


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A new, initialised SQLite review in a temporary directory."""
    from review.service import open_review

    s = open_review(str(tmp_path / "review.db"), name="test review")
    yield s
    s.dispose()
