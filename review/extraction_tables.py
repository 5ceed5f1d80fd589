"""Tables of structured extraction (schema version 5): forms (every version kept with its file
text), extractions (one per study, form version and reviewer) and their typed values.

Nothing is deleted: a cleared value is stored as null, every write also goes to the audit log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

EXTRACTION_STATUSES = ("in_progress", "complete", "reconciled")
CONSENSUS = "consensus"  # the reviewer name of a reconciled extraction


def _now() -> datetime:
    return datetime.now(UTC)


class ExtractionForm(SQLModel, table=True):
    """One version of an extraction form, with the YAML it was read from."""

    __tablename__ = "extraction_form"
    __table_args__ = (Index("ux_extraction_form_version", "name", "version", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    name: str
    version: int = 1
    title: str = ""
    definition: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = ""
    actor: str = ""
    created_at: datetime = Field(default_factory=_now)


class Extraction(SQLModel, table=True):
    """One reviewer's extraction of one study under one form version."""

    __tablename__ = "extraction"
    __table_args__ = (
        Index("ux_extraction", "study_id", "form_id", "reviewer", unique=True),
        Index("ix_extraction_form", "form_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="study.id")
    form_id: int = Field(foreign_key="extraction_form.id")
    reviewer: str
    status: str = "in_progress"
    carried_from: int | None = None  # the extraction under an earlier form version
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class ExtractionValue(SQLModel, table=True):
    """A field's typed value (JSON) in an extraction; `row` numbers a group's rows from 1
    (0 for a field outside groups)."""

    __tablename__ = "extraction_value"
    __table_args__ = (Index("ux_extraction_value", "extraction_id", "field", "row", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    extraction_id: int = Field(foreign_key="extraction.id")
    field: str
    row: int = 0
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    actor: str = ""
    updated_at: datetime = Field(default_factory=_now)
