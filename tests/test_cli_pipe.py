"""A listing piped into a reader that stops early (`litsift records | head -1`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tui.cli import app

RIS = "".join(f"TY  - JOUR\nID  - k{n}\nTI  - Social impact bond {n}\nER  - \n\n" for n in range(5))


def test_a_closed_pipe_is_not_reported_as_a_database_error(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    (tmp_path / "a.ris").write_text(RIS)
    assert CliRunner().invoke(app, ["import", str(tmp_path / "a.ris"), "--db", db]).exit_code == 0
    cmd = [sys.executable, "-m", "tui.cli", "export", "records", "--db", db]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()  # the reader is gone before litsift writes its first line
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert p.returncode == 1
    assert "database" not in err and "Traceback" not in err and "Broken pipe" not in err, err
