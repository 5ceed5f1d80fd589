"""Importing files into a review: each file one transaction; a refused file is reported, not
raised, so the other files still import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from review.db import Store
from review.errors import DuplicateImportError, ImportFormatError, InvalidInputError
from review.importing import ImportReport, ProgressFn, import_file


def import_files(
    store: Store,
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    source_name: str = "",
    source_type: str = "database",
    again: bool = False,
    encoding: str | None = None,
    actor: str = "",
    progress: Callable[[str], ProgressFn] | None = None,
    labels_as: str | None = None,
) -> list[ImportReport]:
    """Import each file in its own transaction. A refused file yields a report with `error`
    set (and nothing written); the other files still import."""
    reports = []
    for p in paths:
        try:
            reports.append(
                import_file(
                    store,
                    p,
                    fmt=fmt,
                    source_name=source_name,
                    source_type=source_type,
                    again=again,
                    encoding=encoding,
                    actor=actor,
                    progress=progress(str(p)) if progress else None,
                    labels_as=labels_as,
                )
            )
        except (ImportFormatError, DuplicateImportError, InvalidInputError) as e:
            reports.append(ImportReport(file=str(p), error=str(e)))
    return reports
