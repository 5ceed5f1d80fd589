"""What every change to review data shares: the records it names must exist, and the row it
appends is written with its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlmodel import Session

from review.errors import NotFoundError
from review.models import AuditEntry, Record

T = TypeVar("T")


def require_records(s: Session, ids: Iterable[int]) -> None:
    """Raise `NotFoundError` naming the first of `ids` that is no record."""
    for rid in ids:
        if s.get(Record, rid) is None:
            raise NotFoundError(f"no record with id {rid}", hint="see `litsift records`")


def add_audit(s: Session, actor: str, action: str, target: str, detail: dict[str, Any]) -> None:
    """Append the audit entry of a change made in `s` (so in the same transaction)."""
    s.add(AuditEntry(actor=actor, action=action, target=target, detail=detail))


def add_audited(
    s: Session,
    row: T,
    *,
    actor: str,
    action: str,
    target: str,
    detail: Callable[[T], dict[str, Any]],
) -> T:
    """Add `row` and, once it has its id, the audit entry `detail(row)` describes."""
    s.add(row)
    s.flush()
    add_audit(s, actor, action, target, detail(row))
    return row
