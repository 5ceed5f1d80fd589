"""Records as the layers above read them: `RecordView`, a frozen, typed copy of a record's
normalised fields (ids as ints), listings with the current decision, and one record by id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select
from sqlmodel.main import SQLModelConfig

from review.biblio import BIBLIO_FIELDS
from review.db import Store
from review.decisions import check_stage, current_decisions_subquery
from review.errors import InvalidInputError, NotFoundError
from review.models import LABELS, Decision, Record
from review.raw_entry import record_raw
from review.record_fields import RecordFields

RECORD_FIELDS = ("id", "batch_id", "position", "source_key", *BIBLIO_FIELDS)


class RecordView(RecordFields):
    """One record's normalised fields, frozen; `raw` (its entry as in its file) is filled only
    where asked for (`get_record`) and left out of comparisons. It also reads like the mapping
    records used to be (`r["title"]`, `r.get("doi")`, `dict(r.items())`) so that older callers
    keep working."""

    model_config = SQLModelConfig(frozen=True)

    id: int
    position: int
    source_key: str
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    raw: str | None = None

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, k) for k in RECORD_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecordView):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys():
            raise KeyError(key)
        value = getattr(self, key)
        return list(value) if isinstance(value, tuple) else value

    def get(self, key: str, default: Any = None) -> Any:
        """The field `key`, or `default` when a record has no such field."""
        return self[key] if key in self.keys() else default

    def keys(self) -> list[str]:
        """The field names, in the order of `RECORD_FIELDS` (`raw` last, only when it was read)."""
        return [*RECORD_FIELDS, "raw"] if self.raw is not None else list(RECORD_FIELDS)

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # a mapping's keys
        return iter(self.keys())

    def items(self) -> list[tuple[str, Any]]:
        return [(k, self[k]) for k in self.keys()]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (lists, not tuples)."""
        return dict(self.items())

    def with_raw(self, raw: str) -> RecordView:
        return self.model_copy(update={"raw": raw})


def record_view(r: Record) -> RecordView:
    """The read model of a stored record (without its raw entry)."""
    values = {k: getattr(r, k) for k in RECORD_FIELDS}
    values["id"] = int(r.id or 0)
    values["authors"] = tuple(r.authors or ())
    values["keywords"] = tuple(r.keywords or ())
    return RecordView(**values)


def record_dict(r: Record) -> dict[str, Any]:
    """A stored record's fields as a plain dict (the rows exports and feature builders stream)."""
    return {k: getattr(r, k) for k in RECORD_FIELDS}


@dataclass
class RecordRow:
    """A record in listings: id, source key, title, current decision at the listed stage."""

    id: int
    source_key: str
    title: str
    year: int | None
    label: str | None


def list_records(
    store: Store,
    *,
    stage: str = "title-abstract",
    label: str | None = None,
    limit: int | None = None,
) -> list[RecordRow]:
    """Records with their current decision at `stage`; `label` filters (`none` = undecided)."""
    check_stage(stage)
    if label is not None and label != "none" and label not in LABELS:
        raise InvalidInputError(
            f"unknown label {label!r}", hint="one of: " + ", ".join((*LABELS, "none"))
        )
    with store.session() as s:
        sub = current_decisions_subquery(stage)
        q = (
            select(  # type: ignore[call-overload]
                Record.id, Record.source_key, Record.title, Record.year, Decision.label
            )
            .outerjoin(sub, sub.c.record_id == Record.id)
            .outerjoin(Decision, col(Decision.id) == sub.c.decision_id)
        )
        if label == "none":
            q = q.where(col(Decision.label).is_(None))
        elif label:
            q = q.where(Decision.label == label)
        q = q.order_by(col(Record.id))
        if limit:
            q = q.limit(limit)
        return [RecordRow(*row) for row in s.exec(q).all()]


def get_record(store: Store, record_id: int) -> RecordView:
    """All normalised fields of one record, plus its raw source entry."""
    with store.session() as s:
        r = s.get(Record, record_id)
        if r is None:
            raise NotFoundError(f"no record with id {record_id}", hint="see `litsift records`")
        return record_view(r).with_raw(record_raw(r.raw, r.abstract))
