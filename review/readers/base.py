"""What every reader yields: parsed entries and rejected ones, each with its line and raw text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from review.biblio import BIBLIO_FIELDS
from review.readers.source import SourceFile

# Normalised record fields a reader may fill; everything else stays in `raw`.
LIST_FIELDS = ("authors", "keywords")
TEXT_FIELDS = tuple(f for f in BIBLIO_FIELDS if f not in (*LIST_FIELDS, "year"))


@dataclass(slots=True)
class ParsedEntry:
    """One entry turned into record fields. `fields` uses the names in TEXT_FIELDS/LIST_FIELDS
    plus `year` (int or None); `year_raw` keeps the year as written for a warning."""

    line: int
    raw: str
    source_key: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RejectedEntry:
    """An entry that could not be read; kept verbatim in the quarantine."""

    line: int
    reason: str
    raw: str


Entry = ParsedEntry | RejectedEntry


def first_nonblank(values: Mapping[str, Iterable[str]], *names: str) -> str:
    """The first value that is not blank, trying `names` in order ("" when none is)."""
    for n in names:
        for v in values.get(n, ()):
            if v.strip():
                return v
    return ""


def names_pubmed(database: str) -> bool:
    """Whether a record's database name or provider is PubMed/MEDLINE, so that a numeric
    accession number is a PMID (EndNote names PubMed's provider "NLM")."""
    text = database.lower()
    return "pubmed" in text or "medline" in text or "nlm" in text.replace(",", " ").split()


class Reader(Protocol):
    """A file format. `sniff` looks at the decoded start of a file; `read` yields every entry."""

    name: str
    description: str

    def sniff(self, head: str, source: SourceFile) -> bool: ...

    def read(self, source: SourceFile) -> Iterator[Entry]: ...
