"""Tables behind PRISMA's boxes (schema version 4): records removed before screening (by an
automation rule or for another reason) and studies linking their reports.

Nothing is deleted: undoing a removal sets `undone_at`, unlinking a report sets `removed_at`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

REMOVAL_KINDS = ("automation", "other")


def _now() -> datetime:
    return datetime.now(UTC)


class RecordRemoval(SQLModel, table=True):
    """A record taken out before screening: marked ineligible by an automation rule (`rule`
    names it) or removed by a person for another reason. Active while `undone_at` is null."""

    __tablename__ = "record_removal"
    __table_args__ = (Index("ix_record_removal_record", "record_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    kind: str  # automation | other
    rule: str = ""
    reason: str = ""
    actor: str = ""
    created_at: datetime = Field(default_factory=_now)
    undone_at: datetime | None = None
    undone_by: str = ""


class Study(SQLModel, table=True):
    """A study: the unit PRISMA counts as "new studies included"; its reports are records."""

    __tablename__ = "study"
    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    actor: str = ""
    created_at: datetime = Field(default_factory=_now)


class StudyReport(SQLModel, table=True):
    """A record (a report) belonging to a study. Active while `removed_at` is null."""

    __tablename__ = "study_report"
    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="study.id", index=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    actor: str = ""
    created_at: datetime = Field(default_factory=_now)
    removed_at: datetime | None = None
