"""What the app's export screen offers, and which use-case each choice runs: the same
functions as `litsift export records|decisions|extraction` and `litsift prisma --out`
(`review.export_files`, `extraction.export_files`). The file's extension picks the format,
as a file name does for a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from review.db import Store
from review.errors import InvalidInputError
from review.export_files import Exported, extensions
from review.export_view import ExportFilter

RECORD_FORMATS = extensions("ris", "csv", "bibtex", "json")
FORMAT_NAMES = {"ris": "RIS", "csv": "CSV", "bibtex": "BibTeX", "json": "JSON", "md": "Markdown"}


@dataclass(frozen=True)
class ExportChoice:
    """One thing to export: `kind` (records, decisions, prisma, extraction), the formats by
    extension (the first is the default), a slug for the default file name, and for records
    the stage and label they are chosen by."""

    id: str
    label: str
    kind: str
    slug: str
    formats: dict[str, str] = field(default_factory=lambda: dict(RECORD_FORMATS))
    stage: str | None = None
    decision: str | None = None

    def format_for(self, path: Path) -> str:
        """The format the file name's extension asks for; refused when it is not one of ours."""
        fmt = self.formats.get(path.suffix.lower())
        if fmt is None:
            ends = ", ".join(self.formats)
            raise InvalidInputError(
                f"{path.name}: its extension names no format for {self.label.lower()}",
                hint=f"end the file name in one of {ends}",
            )
        return fmt

    def formats_line(self) -> str:
        """The extensions and what each writes, e.g. ".ris RIS · .csv CSV"."""
        return " · ".join(
            f"{ext} {FORMAT_NAMES.get(f, f.upper())}" for ext, f in self.formats.items()
        )


def _records(stage: str, decision: str, words: str) -> ExportChoice:
    return ExportChoice(
        f"records-{decision}-{stage}",
        f"Records {words} at {stage}",
        "records",
        f"{words}-{stage}",
        stage=stage,
        decision=decision,
    )


CHOICES: tuple[ExportChoice, ...] = (
    ExportChoice("records-all", "All records", "records", "records"),
    _records("title-abstract", "include", "included"),
    _records("title-abstract", "exclude", "excluded"),
    _records("full-text", "include", "included"),
    _records("full-text", "exclude", "excluded"),
    ExportChoice(
        "decisions",
        "Decisions (the log)",
        "decisions",
        "decisions",
        extensions("csv", "json"),
    ),
    ExportChoice(
        "prisma",
        "PRISMA 2020 counts",
        "prisma",
        "prisma",
        extensions("csv", "md", "json", "svg", "png"),
    ),
    ExportChoice(
        "extraction",
        "Extracted data (with its codebook)",
        "extraction",
        "extraction",
        extensions("csv", "xlsx", "json"),
    ),
)


def default_path(store: Store, choice: ExportChoice) -> Path:
    """A file in the review's folder (the working folder for a server's review), named for
    the review and the choice, in the choice's first format."""
    folder = store.path.parent if store.path is not None else Path.cwd()
    stem = store.path.stem if store.path is not None else "review"
    return folder / f"{stem}-{choice.slug}{next(iter(choice.formats))}"


def run_export(
    store: Store, choice: ExportChoice, path: Path, *, canonical_only: bool, force: bool
) -> Exported:
    """Write `choice` to `path` through the CLI's use-case for it."""
    from extraction.export_files import export_extraction
    from review import export_files

    fmt = choice.format_for(path)
    if choice.kind == "records":
        flt = ExportFilter(choice.stage, choice.decision, canonical_only)
        return export_files.export_records(store, fmt, path, flt, force=force)
    if choice.kind == "decisions":
        return export_files.export_decisions(store, fmt, path, force=force)
    if choice.kind == "prisma":
        return export_files.export_prisma(store, fmt, path, force=force)
    return export_extraction(store, None, "wide", fmt, path, force=force)
