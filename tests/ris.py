"""Small RIS files for tests: numbered records made from one template."""

from __future__ import annotations

from pathlib import Path


def numbered_ris(path: Path, template: str, count: int, *, first: int = 1) -> Path:
    """Write `count` records, `template` formatted with n = first, first + 1, …; returns `path`."""
    text = "".join(template.format(n=n) for n in range(first, first + count))
    path.write_text(text, encoding="utf-8")
    return path
