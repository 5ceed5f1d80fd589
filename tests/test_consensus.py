"""The settled label per record: in single screening the latest standing decision wins."""

from __future__ import annotations

from pathlib import Path

from review import service
from review.consensus import final_labels


def test_latest_standing_decision_is_final(tmp_path: Path) -> None:
    ris = tmp_path / "a.ris"
    ris.write_text(
        "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n", encoding="utf-8"
    )
    store = service.open_review(str(tmp_path / "r.db"))
    service.import_files(store, [ris])
    ids = [r["id"] for r in service.iter_records(store)]
    service.record_decision(store, ids[0], "include", reviewer="ana")
    service.record_decision(store, ids[0], "exclude", reviewer="ana", reason="wrong outcome")
    service.record_decision(store, ids[1], "include", reviewer="ana")
    service.undo_decision(store, reviewer="ana")
    labels = final_labels(store, "title-abstract")
    assert set(labels) == {ids[0]}
    assert labels[ids[0]].label == "exclude" and labels[ids[0]].reason == "wrong outcome"
