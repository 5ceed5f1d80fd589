"""`ScreeningSession`: the one use-case the CLI (`next`/`decide`/`undo`) and the app drive."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from review import service
from review.dedup import service as dedup_service
from review.importing import import_file
from screening.session import ScreeningSession
from tui.app import LitsiftApp
from tui.cli import app as cli
from tui.screens.screening import ScreeningScreen

RECORD = (
    "TY  - JOUR\nID  - k{n}\nTI  - {title}\nAU  - Doe, J\nPY  - 2020\nDO  - {doi}\n"
    "AB  - A payment by results contract, record {n}.\nER  - \n\n"
)
LABELS = ["include", "exclude", "maybe", "exclude", "include", "exclude"]
KEYS = {"include": "i", "exclude": "e", "maybe": "m"}


def make_review(path: Path, n: int = 8) -> str:
    ris = path.parent / f"{path.stem}.ris"
    ris.write_text(
        "".join(
            RECORD.format(n=i, title=f"Social impact bond study {i}", doi=f"10.1/{i}")
            for i in range(1, n + 1)
        )
    )
    store = service.open_review(str(path))
    import_file(store, ris)
    store.dispose()
    return str(path)


def test_session_steps_return_typed_cards(tmp_path: Path) -> None:
    store = service.open_review(make_review(tmp_path / "r.db"))
    s = ScreeningSession(store, "ana")
    card = s.next()
    assert card.record is not None and card.record.id == 1 and card.advice is not None
    assert card.progress.screened == 0 and card.progress.total == 8
    card = s.decide("include")
    assert card.decision is not None and card.decision.record_id == 1
    assert card.record is not None and card.record.id == 2 and card.progress.include == 1
    card = s.skip()
    assert card.record is not None and card.record.id == 3 and card.note == "skipped #2"
    card = s.undo()
    assert card.record is not None and card.record.id == 1 and card.progress.screened == 0
    assert json.loads(json.dumps(card.to_json()))["record"]["id"] == 1


def test_deciding_a_merged_duplicate_warns_and_names_the_canonical(tmp_path: Path) -> None:
    store = service.open_review(make_review(tmp_path / "r.db", n=3))
    twin = tmp_path / "twin.ris"
    twin.write_text(RECORD.format(n=9, title="Social impact bond study 2", doi="10.1/2"))
    import_file(store, twin)
    dedup_service.run_dedup(store)
    membership = service.cluster_of(store, 4)
    assert membership is not None and membership.merged(4)
    card = ScreeningSession(store, "ana").decide("exclude", record_id=4)
    assert card.warnings and f"#{membership.canonical_record_id}" in card.warnings[0]
    runner = CliRunner()
    r = runner.invoke(cli, ["decide", "4", "include", "--db", store.path.as_posix()])
    assert r.exit_code == 0 and "merged as a duplicate" in r.stderr
    shown = runner.invoke(cli, ["show", "4", "--db", store.path.as_posix(), "--json"])
    assert json.loads(shown.stdout)["cluster"]["canonical_record_id"] == 2


def cli_run(db: str, n: int) -> list[int]:
    runner, seen = CliRunner(), []
    for label in LABELS[:n]:
        out = runner.invoke(
            cli, ["next", "--order", "import", "--json", "--db", db, "--reviewer", "ana"]
        )
        rid = json.loads(out.stdout)["record"]["id"]
        seen.append(rid)
        assert (
            runner.invoke(
                cli, ["decide", str(rid), label, "--db", db, "--reviewer", "ana"]
            ).exit_code
            == 0
        )
    undone = runner.invoke(cli, ["undo", "--json", "--db", db, "--reviewer", "ana"])
    seen.append(json.loads(undone.stdout)["record_id"])
    return seen


async def app_run(db: str, n: int) -> list[int]:
    store = service.open_review(db)
    app = LitsiftApp(store, "ana", rank=False)
    seen: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScreeningScreen)
        for label in LABELS[:n]:
            assert screen.current is not None
            seen.append(screen.current.id)
            await pilot.press(KEYS[label])
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.current is not None
        seen.append(screen.current.id)
    return seen


async def test_cli_and_app_drive_the_same_session_to_the_same_records(tmp_path: Path) -> None:
    by_cli = cli_run(make_review(tmp_path / "cli.db"), 6)
    by_app = await app_run(make_review(tmp_path / "app.db"), 6)
    assert by_cli == by_app == [1, 2, 3, 4, 5, 6, 6]
    for db in ("cli.db", "app.db"):
        store = service.open_review(str(tmp_path / db))
        labels = [
            (d.record_id, d.label) for d in service.list_decisions(store, include_retracted=False)
        ]
        assert labels == list(zip(range(1, 6), LABELS[:5], strict=True))
