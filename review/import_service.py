"""Importing files into a review: each file one transaction; a refused file is reported, not
raised, so the other files still import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Unpack

from review.db import Store
from review.errors import DuplicateImportError, ImportFormatError, InvalidInputError
from review.importing import ImportOptions, ImportReport, ProgressFn, import_file


def import_files(
    store: Store,
    paths: Sequence[str | Path],
    *,
    progress: Callable[[str], ProgressFn] | None = None,
    **options: Unpack[ImportOptions],
) -> list[ImportReport]:
    """Import each file in its own transaction. A refused file yields a report with `error`
    set (and nothing written); the other files still import. `options` are `import_file`'s
    (fmt, source_name, source_type, again, encoding, actor, labels_as)."""
    reports = []
    for p in paths:
        try:
            reports.append(
                import_file(store, p, progress=progress(str(p)) if progress else None, **options)
            )
        except (ImportFormatError, DuplicateImportError, InvalidInputError) as e:
            reports.append(ImportReport(file=str(p), error=str(e)))
    return reports
