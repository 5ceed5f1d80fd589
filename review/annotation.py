"""Notes, tags and attached full texts on records, and searching the records.

An annotation is never deleted: removing a tag or an attachment sets its `removed_at`, and
every change is written to the audit log, like decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Text, cast, func, or_
from sqlmodel import col, select

from review.audited import add_audit, require_records
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.models import ANNOTATION_KINDS, Annotation, Record, utcnow
from review.records import RecordView, record_view
from review.search_terms import parse_query

URL = re.compile(r"^(https?|ftp)://\S+$", re.IGNORECASE)
TAG = re.compile(r"^[\w][\w .:/+-]{0,63}$")


@dataclass(frozen=True)
class AnnotationView:
    """An annotation as shown and exported."""

    id: int
    record_id: int
    kind: str
    value: str
    stage: str
    reviewer: str
    created_at: datetime
    removed_at: datetime | None


def _view(a: Annotation) -> AnnotationView:
    return AnnotationView(
        a.id or 0,
        a.record_id,
        a.kind,
        a.value,
        a.stage,
        a.reviewer,
        a.created_at,
        a.removed_at,
    )


def _add(store: Store, record_id: int, kind: str, value: str, stage: str, reviewer: str) -> Any:
    assert kind in ANNOTATION_KINDS
    with store.session() as s:
        require_records(s, [record_id])
        a = Annotation(record_id=record_id, kind=kind, value=value, stage=stage, reviewer=reviewer)
        s.add(a)
        s.flush()
        add_audit(
            s, reviewer, f"add {kind}", f"record {record_id}", {"annotation": a.id, "value": value}
        )
        s.commit()
        s.refresh(a)
        return _view(a)


def add_note(
    store: Store, record_id: int, text: str, *, reviewer: str = "", stage: str = ""
) -> AnnotationView:
    """Attach a free-text note to a record (committed when this returns)."""
    text = text.strip()
    if not text:
        raise InvalidInputError("an empty note", hint="write something, or press Escape")
    return _add(store, record_id, "note", text, stage, reviewer)


def normalize_tag(tag: str) -> str:
    """Tags compare case-insensitively and with single spaces."""
    t = " ".join(tag.split()).lower()
    if not TAG.match(t):
        raise InvalidInputError(
            f"bad tag {tag!r}", hint="letters, digits, spaces and . : / + - (up to 64 characters)"
        )
    return t


def _active(s: Any, record_id: int, kind: str, value: str) -> Annotation | None:
    q = select(Annotation).where(
        Annotation.record_id == record_id,
        Annotation.kind == kind,
        Annotation.value == value,
        col(Annotation.removed_at).is_(None),
    )
    return s.exec(q).first()


def remove_annotation(store: Store, annotation_id: int, *, reviewer: str = "") -> AnnotationView:
    """Mark an annotation removed (it stays in the database and the audit log)."""
    with store.session() as s:
        a = s.get(Annotation, annotation_id)
        if a is None or a.removed_at is not None:
            raise NotFoundError(f"no annotation {annotation_id} to remove")
        a.removed_at = utcnow()
        s.add(a)
        add_audit(
            s,
            reviewer,
            f"remove {a.kind}",
            f"record {a.record_id}",
            {"annotation": a.id, "value": a.value},
        )
        s.commit()
        s.refresh(a)
        return _view(a)


def toggle_tag(
    store: Store, record_id: int, tag: str, *, reviewer: str = "", stage: str = ""
) -> tuple[bool, AnnotationView]:
    """Tag a record, or remove the tag if it has it. Returns (tagged now, the annotation)."""
    t = normalize_tag(tag)
    with store.session() as s:
        existing = _active(s, record_id, "tag", t)
    if existing is not None:
        return False, remove_annotation(store, existing.id or 0, reviewer=reviewer)
    return True, _add(store, record_id, "tag", t, stage, reviewer)


def attach(
    store: Store,
    record_id: int,
    location: str,
    *,
    reviewer: str = "",
    stage: str = "full-text",
    base: Path | None = None,
) -> AnnotationView:
    """Attach a full text: an http(s) URL, or a local file (stored as an absolute path; it
    must exist, relative paths are taken from `base` or the working directory)."""
    if not location.strip():
        raise InvalidInputError("nothing to attach", hint="give a file path or a URL")
    url = _unquoted(location)
    loc = url if URL.match(url) else str(_local_file(location, base))
    with store.session() as s:
        if _active(s, record_id, "attachment", loc) is not None:
            raise InvalidInputError(f"{loc} is already attached to record {record_id}")
    return _add(store, record_id, "attachment", loc, stage, reviewer)


def _unquoted(text: str) -> str:
    """`text` without surrounding spaces and one pair of matching quotes around it."""
    inner = text.strip()
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
        return inner[1:-1]
    return inner


def _local_file(location: str, base: Path | None) -> Path:
    """The file `location` names, exactly as typed (quotes and spaces are part of a name);
    only when no such file exists, the name without surrounding spaces or one pair of
    matching quotes (a path pasted or dropped into a terminal arrives quoted)."""
    candidates = [location]
    inner = _unquoted(location)
    if inner != location:
        candidates.append(inner)
    shown = location if len(location) <= 200 else location[:200] + "..."
    for candidate in candidates:
        path = Path(candidate).expanduser()
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        try:
            if path.is_file():
                return path.resolve()
        except OSError as e:  # e.g. a name longer than the system allows
            raise InvalidInputError(
                f"{shown}: cannot be attached ({e.strerror or e})",
                hint="give the path of a PDF, or an http(s) URL",
            ) from e
    raise InvalidInputError(
        f"{shown}: no such file", hint="give the path of a PDF, or an http(s) URL"
    )


def list_annotations(
    store: Store,
    record_id: int | None = None,
    *,
    kind: str | None = None,
    include_removed: bool = False,
) -> list[AnnotationView]:
    """Annotations of one record (or all), oldest first."""
    with store.session() as s:
        q = select(Annotation)
        if record_id is not None:
            q = q.where(Annotation.record_id == record_id)
        if kind is not None:
            q = q.where(Annotation.kind == kind)
        if not include_removed:
            q = q.where(col(Annotation.removed_at).is_(None))
        return [_view(a) for a in s.exec(q.order_by(col(Annotation.id))).all()]


def all_tags(store: Store) -> list[tuple[str, int]]:
    """Tags in use with how many records carry each, most used first."""
    with store.session() as s:
        rows = s.exec(
            select(Annotation.value, func.count())
            .where(Annotation.kind == "tag", col(Annotation.removed_at).is_(None))
            .group_by(col(Annotation.value))
            .order_by(func.count().desc(), col(Annotation.value))
        ).all()
    return [(v, int(n)) for v, n in rows]


SEARCHED = ("title", "abstract", "journal", "doi", "source_key")


def search_records(store: Store, query: str, *, limit: int = 50) -> list[RecordView]:
    """Records matching every word of `query` (case-insensitive, in the title, abstract,
    journal, DOI, source key or authors); `#12` is record 12; `tag:NAME` (or `tag:"two words"`)
    filters by a tag. Phrases in double quotes match as written. Import order, at most `limit`."""
    terms = parse_query(query)
    if not terms:
        return []
    with store.session() as s:
        q = select(Record)
        for t in terms:
            if t.kind == "id":
                q = q.where(Record.id == int(t.value))
            elif t.kind == "tag":
                tagged = select(Annotation.record_id).where(
                    Annotation.kind == "tag",
                    Annotation.value == normalize_tag(t.value),
                    col(Annotation.removed_at).is_(None),
                )
                q = q.where(col(Record.id).in_(tagged))
            else:
                esc = t.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                like = f"%{esc}%"
                fields = [col(getattr(Record, f)).ilike(like, escape="\\") for f in SEARCHED]
                fields.append(cast(col(Record.authors), Text).ilike(like, escape="\\"))
                q = q.where(or_(*fields))
        rows = s.exec(q.order_by(col(Record.id)).limit(limit)).all()
        return [record_view(r) for r in rows]
