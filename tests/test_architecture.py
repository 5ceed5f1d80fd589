"""Layering: only tui imports Textual or Typer; imports point one way (import-linter).

The subprocess check looks for Textual only: spaCy imports Typer for its own CLI and
scikit-learn imports Rich, so those can be loaded by the core through its dependencies;
import-linter still forbids the core from importing them itself."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("review", "screening", "extraction", "corpora")


def _modules() -> list[str]:
    names = []
    for pkg in CORE:
        names.append(pkg)
        for info in pkgutil.walk_packages([str(ROOT / pkg)], prefix=f"{pkg}."):
            names.append(info.name)
    return names


@pytest.fixture(scope="module")
def imported() -> dict[str, str]:
    """Each core module imported as in a fresh interpreter (tests/import_probe.py forks one
    child per module from a process that holds only third-party modules): module -> '' when it
    imports cleanly without Textual, else what it loaded or the error."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.import_probe", *_modules()],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("module", _modules())
def test_core_module_does_not_import_ui_libraries(module: str, imported: dict[str, str]) -> None:
    result = imported[module]
    assert not result.startswith("error: "), result
    assert result == "", f"{module} imports {result}"


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
