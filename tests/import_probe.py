"""Import each named module in a fresh interpreter state and report which UI libraries it
loaded: `python -m tests.import_probe MODULE...` prints one JSON object {module: result}.

Starting one Python per module costs a second or more each (NumPy, SciPy, scikit-learn,
SQLAlchemy load again every time). Here one process first loads the *other* modules that the
core loads (a first child imports the whole core to list them), then forks one child per
module: each child starts with no core module loaded, imports its module as a fresh
interpreter would, and reports. Without fork (not Linux/macOS) each module gets its own Python.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

UI = ("textual",)
ROOT = Path(__file__).resolve().parents[1]


def _loaded_ui() -> str:
    return ",".join(m for m in UI if m in sys.modules)


def _import(module: str) -> str:
    """'' when `module` imports cleanly without a UI library, else what went wrong."""
    try:
        importlib.import_module(module)
    except BaseException:
        return "error: " + traceback.format_exc()
    return _loaded_ui()


def _in_child(work: Callable[[], str]) -> str:
    """Run `work` in a forked child and return what it wrote (the parent stays as it was)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, report, leave without running any cleanup
        os.close(read)
        with os.fdopen(write, "w") as out:
            out.write(work())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as inp:
        result = inp.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 and not result:
        return f"error: the child ended with status {status}"
    return result


def _third_party(modules: list[str]) -> list[str]:
    """The other modules that importing all of `modules` loads, in the order they load; none
    when a UI library is among them (then each child loads everything itself)."""
    core = {m.split(".")[0] for m in modules}

    def scout() -> str:
        for module in modules:
            _import(module)
        if _loaded_ui():
            return "[]"
        return json.dumps([m for m in sys.modules if m.split(".")[0] not in core])

    return json.loads(_in_child(scout) or "[]")


def _forked(modules: list[str]) -> dict[str, str]:
    for name in _third_party(modules):
        try:
            importlib.import_module(name)
        except Exception:  # the child importing the core module reports it
            continue
    core = {m.split(".")[0] for m in modules}
    assert not _loaded_ui() and not core & set(sys.modules), "the preload is not clean"
    return {m: _in_child(lambda m=m: _import(m)) for m in modules}  # type: ignore[misc]


def _subprocesses(modules: list[str]) -> dict[str, str]:
    code = "import sys; from tests.import_probe import _import; print(_import(sys.argv[1]), end='')"
    return {
        m: subprocess.run(
            [sys.executable, "-c", code, m], capture_output=True, text=True, cwd=ROOT
        ).stdout
        for m in modules
    }


if __name__ == "__main__":
    names = sys.argv[1:]
    print(json.dumps(_forked(names) if hasattr(os, "fork") else _subprocesses(names)))
