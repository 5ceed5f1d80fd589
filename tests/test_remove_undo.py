"""`litsift remove --undo` brings removed records back; no command name is registered twice
(the second `restore`, the records', shadowed the backup's, and was never reachable)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()
RIS = "".join(f"TY  - JOUR\nID  - k{n}\nTI  - Social impact bond {n}\nER  - \n\n" for n in range(4))


def _prisma(db: str) -> dict[str, int]:
    res = runner.invoke(app, ["prisma", "--db", db])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_remove_undo_brings_the_records_back(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    (tmp_path / "a.ris").write_text(RIS)
    assert runner.invoke(app, ["import", str(tmp_path / "a.ris"), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["remove", "1", "2", "--reason", "retracted", "--db", db])
    assert res.exit_code == 0, res.output
    assert _prisma(db)["excluded_other"] == 2
    res = runner.invoke(app, ["remove", "2", "--undo", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"restored": 1}
    assert _prisma(db)["excluded_other"] == 1


def test_no_command_name_is_registered_twice() -> None:
    groups = [app, *(g.typer_instance for g in app.registered_groups)]
    for group in groups:
        assert group is not None
        names = Counter(
            c.name or (c.callback.__name__ if c.callback else "") for c in group.registered_commands
        )
        assert not [n for n, k in names.items() if k > 1], names
