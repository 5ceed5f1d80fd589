"""`RecordFields`: the fields of a bibliographic record, in their one order (ids, then
`BIBLIO_FIELDS`), declared once for the stored record (`review.models.Record`, a table) and its
read model (`review.records.RecordView`, frozen).

Each of the two redeclares only what it holds differently (a field keeps its place): the table
its keys and TEXT/JSON columns, and the read model its ids as ints and the lists as tuples.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import SQLModel


class RecordFields(SQLModel):
    """A record's ids and normalised bibliographic fields (no table of its own)."""

    id: int | None = None
    batch_id: int
    position: int = 0
    source_key: str = ""
    title: str = ""
    abstract: str = ""
    authors: Sequence[str] = ()
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""
    keywords: Sequence[str] = ()
    language: str = ""
    type: str = ""
