"""A small review for app tests: records imported from a RIS file, some of them decided."""

from __future__ import annotations

from pathlib import Path

from review import service
from review.db import Store


def decided(
    store: Store,
    tmp_path: Path,
    titles: list[str],
    labels: dict[int, str],
    notes: dict[int, str] | None = None,
) -> None:
    """Import one record per title (ids 1, 2, ...), then record `labels` (id → label) by
    "ana" in that order, with the decision's note from `notes` (id → note)."""
    p = tmp_path / "records.ris"
    p.write_text(
        "".join(f"TY  - JOUR\nID  - k{n}\nTI  - {t}\nER  - \n\n" for n, t in enumerate(titles))
    )
    service.import_files(store, [p])
    for rid, label in labels.items():
        note = (notes or {}).get(rid, "")
        service.record_decision(store, rid, label, reviewer="ana", note=note)
