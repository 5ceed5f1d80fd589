"""The attachment opener of the extraction screen, tested without launching anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.errors import InvalidInputError
from tui.opener import launch_target, open_attachment


def test_opener_checks_what_it_opens(tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert launch_target(f" {pdf} ") == str(pdf)
    assert launch_target("https://example.org/a.pdf") == "https://example.org/a.pdf"
    with pytest.raises(InvalidInputError, match="only http"):
        launch_target("ftp://example.org/a.pdf")
    with pytest.raises(InvalidInputError, match="not there any more"):
        launch_target(str(tmp_path / "gone.pdf"))
    with pytest.raises(InvalidInputError, match="not there any more"):
        launch_target("relative/paper.pdf")
    opened: list[str] = []
    assert open_attachment(str(pdf), launcher=lambda t: opened.append(t) or 0) == str(pdf)
    assert opened == [str(pdf)]
    with pytest.raises(InvalidInputError, match="no system viewer"):
        open_attachment(str(pdf), launcher=lambda t: 127)
