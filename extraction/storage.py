"""Forms, extractions and values in the review database.

Each field write is its own transaction with its audit row (durable the moment a field is left).
A changed form is a new version: extractions under the old version stay, and are copied to the
new one with every value whose field still exists with a compatible type; the rest is reported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, type_coerce
from sqlalchemy import select as sa_select
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from extraction.forms import FieldDef, FieldValueError, FormDef, ValueIssue, coerce, parse_form
from extraction.validation import validate_record
from review.audited import add_audit
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.extraction_tables import (
    EXTRACTION_STATUSES,
    Extraction,
    ExtractionForm,
    ExtractionValue,
)
from review.models import utcnow
from review.prisma_tables import Study

# (old type, new type) pairs whose values carry over (same type always does)
COMPATIBLE = {
    ("integer", "number"),
    ("text", "long_text"),
    ("long_text", "text"),
    ("choice", "multi_choice"),
    ("choice", "text"),
    ("country", "text"),
    ("date", "text"),
}


@dataclass(frozen=True)
class FormVersion:
    """A stored form version."""

    id: int
    name: str
    version: int
    created_at: datetime
    form: FormDef


@dataclass(frozen=True)
class Uncarried:
    """A value left under the old form version, and why."""

    study: int
    reviewer: str
    field: str
    row: int
    value: Any
    reason: str


@dataclass(frozen=True)
class FormAdded:
    """The outcome of adding a form file: the version, whether it is new, what was carried."""

    form: FormVersion
    new_version: bool
    carried_extractions: int = 0
    carried_values: int = 0
    uncarried: tuple[Uncarried, ...] = ()


@dataclass(frozen=True)
class ExtractionData:
    """One extraction with its values: scalars by field, group rows by group (row number to
    column to value), and who wrote each (field, row)."""

    id: int
    study: int
    reviewer: str
    status: str
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    actors: dict[tuple[str, int], str] = field(default_factory=dict)

    def record(self, form: FormDef) -> dict[str, Any]:
        """The shape `validate_record` takes (group rows in row order)."""
        data: dict[str, Any] = {k: v for k, v in self.values.items() if v is not None}
        for g in form.groups:
            rows = self.rows.get(g.name, {})
            data[g.name] = [rows[i] for i in sorted(rows)]
        return data


@lru_cache(maxsize=32)
def _parsed(text: str, source: str) -> FormDef:
    """A stored form's definition parsed once per process (FormDef is immutable)."""
    return parse_form(text, source=source)


def _version(row: ExtractionForm) -> FormVersion:
    assert row.id is not None
    form = _parsed(row.definition, f"form {row.name} v{row.version}")
    return FormVersion(row.id, row.name, row.version, row.created_at, form)


def list_forms(store: Store) -> list[FormVersion]:
    """Every stored form version, by name then version."""
    with store.session() as s:
        rows = s.exec(
            select(ExtractionForm).order_by(col(ExtractionForm.name), col(ExtractionForm.version))
        ).all()
    return [_version(r) for r in rows]


def get_form(store: Store, name: str | None = None, version: int | None = None) -> FormVersion:
    """A form's latest version (or the given one); with no name, the only form there is."""
    forms = list_forms(store)
    names = sorted({f.name for f in forms})
    if name is None:
        if len(names) != 1:
            raise InvalidInputError(
                "name the form with --form" if names else "this review has no extraction form",
                hint="`litsift form list`" if names else "`litsift form add FILE`",
            )
        name = names[0]
    hits = [f for f in forms if f.name == name and (version is None or f.version == version)]
    if not hits:
        raise NotFoundError(
            f"no form {name!r}" + (f" version {version}" if version else ""),
            hint="`litsift form list` shows the forms; `litsift form add FILE` adds one",
        )
    return hits[-1]


def _carry(old: FieldDef, new: FieldDef, value: Any) -> Any:
    if old.type != new.type and (old.type, new.type) not in COMPATIBLE:
        raise ValueError(f"type changed from {old.type} to {new.type}")
    if isinstance(value, list) and new.type == "text":
        value = "; ".join(value)
    return coerce(new, [value] if new.type == "multi_choice" and isinstance(value, str) else value)


def add_form(store: Store, text: str, *, actor: str = "", source: str = "form") -> FormAdded:
    """Store a form file: a new form, a new version of a changed one (carrying extractions
    over), or nothing when the same text is stored already."""
    form = parse_form(text, source=source)
    sha = hashlib.sha256(text.encode()).hexdigest()
    with store.session() as s:
        prev = s.exec(
            select(ExtractionForm)
            .where(ExtractionForm.name == form.name)
            .order_by(col(ExtractionForm.version).desc())
        ).first()
        if prev is not None and prev.sha256 == sha:
            return FormAdded(_version(prev), False)
        row = ExtractionForm(
            name=form.name,
            version=(prev.version + 1) if prev else 1,
            title=form.title,
            definition=text,
            sha256=sha,
            actor=actor,
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        added = FormVersion(row.id, row.name, row.version, row.created_at, form)
        n_ext, n_val, lost = (0, 0, []) if prev is None else _carry_all(s, prev, added, actor)
        add_audit(
            s,
            actor,
            "form-add",
            f"form:{form.name}:{row.version}",
            {
                "sha256": sha,
                "carried_extractions": n_ext,
                "carried_values": n_val,
                "uncarried": [
                    {
                        "study": u.study,
                        "reviewer": u.reviewer,
                        "field": u.field,
                        "row": u.row,
                        "value": u.value,
                        "reason": u.reason,
                    }
                    for u in lost
                ],
            },
        )
    return FormAdded(added, True, n_ext, n_val, tuple(lost))


def _carry_all(
    s: Session, prev: ExtractionForm, new: FormVersion, actor: str
) -> tuple[int, int, list[Uncarried]]:
    old_form = _version(prev).form
    old_fields = {f.path: f for f in old_form.leaves()}
    new_fields = {f.path: f for f in new.form.leaves()}
    lost: list[Uncarried] = []
    n_ext = n_val = 0
    exts = s.exec(select(Extraction).where(Extraction.form_id == prev.id)).all()
    for ext in exts:
        copy = Extraction(
            study_id=ext.study_id,
            form_id=new.id,
            reviewer=ext.reviewer,
            status=ext.status,
            carried_from=ext.id,
        )
        s.add(copy)
        s.flush()
        assert copy.id is not None
        n_ext += 1
        vals = s.exec(select(ExtractionValue).where(ExtractionValue.extraction_id == ext.id))
        for v in vals:
            if v.value is None:
                continue
            target = new_fields.get(v.field)
            try:
                if target is None:
                    raise ValueError("the field is not in the new version")
                value = _carry(old_fields[v.field], target, v.value)
            except ValueError as e:
                lost.append(Uncarried(ext.study_id, ext.reviewer, v.field, v.row, v.value, str(e)))
                copy.status = "in_progress"
                continue
            s.add(
                ExtractionValue(
                    extraction_id=copy.id, field=v.field, row=v.row, value=value, actor=v.actor
                )
            )
            n_val += 1
        s.add(copy)
    return n_ext, n_val, lost


def get_extraction(
    s: Session, study: int, form_id: int, reviewer: str, *, create: bool = True
) -> Extraction:
    """`reviewer`'s extraction of `study` on one form version, made in progress when there is
    none yet (with `create=False`, NotFoundError instead)."""
    ext = s.exec(
        select(Extraction).where(
            Extraction.study_id == study,
            Extraction.form_id == form_id,
            Extraction.reviewer == reviewer,
        )
    ).first()
    if ext is not None:
        return ext
    if not create:
        raise NotFoundError(f"{reviewer or 'nobody'} has not extracted study {study}")
    if s.get(Study, study) is None:
        raise NotFoundError(f"no study {study}", hint="see `litsift study list`")
    ext = Extraction(study_id=study, form_id=form_id, reviewer=reviewer)
    s.add(ext)
    s.flush()
    return ext


def check_value(fv: FormVersion, path: str, raw: Any, row: int = 0) -> Any:
    """The typed value of `raw` for a field, or FieldValueError naming field and reason."""
    f = fv.form.field(path)
    if f.is_group:
        raise InvalidInputError(
            f"{path} is a group: set its columns, e.g. {path}.{f.fields[0].name} --row 1"
        )
    if "." in path and row < 1:
        raise InvalidInputError(f"{path} is a column of a group: give --row N (from 1)")
    if "." not in path and row:
        raise InvalidInputError(f"{path} is not in a group: it has no rows")
    try:
        return coerce(f, raw)
    except ValueError as e:
        raise FieldValueError([ValueIssue(path, str(e), row)]) from None


def write_value(s: Session, ext: Extraction, path: str, value: Any, row: int, actor: str) -> bool:
    """Store one typed value (with its audit row) in an open session; returns whether the
    stored value changed."""
    assert ext.id is not None
    cur = s.exec(
        select(ExtractionValue).where(
            ExtractionValue.extraction_id == ext.id,
            ExtractionValue.field == path,
            ExtractionValue.row == row,
        )
    ).first()
    old = None if cur is None else cur.value
    cur = cur or ExtractionValue(extraction_id=ext.id, field=path, row=row)
    cur.value, cur.actor, cur.updated_at = value, actor, utcnow()
    ext.updated_at = cur.updated_at
    s.add(cur)
    s.add(ext)
    add_audit(
        s,
        actor,
        "extraction-value",
        f"extraction:{ext.id}",
        {
            "study": ext.study_id,
            "reviewer": ext.reviewer,
            "field": path,
            "row": row,
            "old": old,
            "new": value,
        },
    )
    return bool(old != value or type(old) is not type(value))


def set_value(
    store: Store,
    fv: FormVersion,
    study: int,
    path: str,
    raw: Any,
    *,
    reviewer: str,
    row: int = 0,
    actor: str | None = None,
) -> Any:
    """Validate and store one field's value in one transaction; returns the typed value.
    Changing a value of a complete (or reconciled) extraction returns it to in progress: it
    must be marked complete again, so its required fields are checked again."""
    value = check_value(fv, path, raw, row)
    with store.session() as s:
        ext = get_extraction(s, study, fv.id, reviewer)
        changed = write_value(s, ext, path, value, row, actor or reviewer)
        if changed and ext.status != "in_progress":
            add_audit(
                s,
                actor or reviewer,
                "extraction-status",
                f"extraction:{ext.id}",
                {"old": ext.status, "new": "in_progress", "edited": path, "row": row},
            )
            ext.status = "in_progress"
            s.add(ext)
    return value


def load(
    store: Store, fv: FormVersion, *, study: int | None = None, reviewer: str | None = None
) -> list[ExtractionData]:
    """Extractions under a form version with their values, by study then reviewer.

    One pass over two set-based queries; values were validated on write, so they are read
    back as stored (on SQLite the JSON texts are decoded together, in one call)."""
    eq = (
        sa_select(
            col(Extraction.id),
            col(Extraction.study_id),
            col(Extraction.reviewer),
            col(Extraction.status),
        )
        .where(col(Extraction.form_id) == fv.id)
        .order_by(col(Extraction.study_id), col(Extraction.reviewer))
    )
    vq = (
        sa_select(
            col(ExtractionValue.extraction_id),
            col(ExtractionValue.field),
            col(ExtractionValue.row),
            type_coerce(col(ExtractionValue.value), NullType()),
            col(ExtractionValue.actor),
        )
        .join(Extraction, col(Extraction.id) == ExtractionValue.extraction_id)
        .where(col(Extraction.form_id) == fv.id)
        .order_by(
            col(ExtractionValue.extraction_id), col(ExtractionValue.field), col(ExtractionValue.row)
        )
    )
    if study is not None:
        eq = eq.where(col(Extraction.study_id) == study)
        vq = vq.where(col(Extraction.study_id) == study)
    if reviewer is not None:
        eq = eq.where(col(Extraction.reviewer) == reviewer)
        vq = vq.where(col(Extraction.reviewer) == reviewer)
    with store.begin() as conn:
        exts = conn.execute(eq).all()
        res = conn.execute(vq)
        try:  # the driver's plain tuples: no result objects for hundreds of thousands of values
            vals: Sequence[Any] = res.cursor.fetchall()
        finally:
            res.close()
        decode = _json_decoder(conn)
    out: dict[int, ExtractionData] = {}
    for eid, sid, who, status in exts:
        assert eid is not None
        out[eid] = ExtractionData(eid, sid, who, status)
    values = decode([v[3] for v in vals])
    column: dict[str, tuple[str, str]] = {}  # "group.column" -> (group, column)
    cur_id, d = -1, ExtractionData(-1, 0, "", "")
    for (ext_id, path, row, _, actor), value in zip(vals, values, strict=True):
        if ext_id != cur_id:  # values come ordered by extraction
            cur_id, d = ext_id, out[ext_id]
        d.actors[(path, row)] = actor
        if "." not in path:
            d.values[path] = value
            continue
        where = column.get(path)
        if where is None:
            g, _, c = path.partition(".")
            where = column[path] = (g, c)
        rows = d.rows.get(where[0])
        if rows is None:
            rows = d.rows[where[0]] = {}
        cells = rows.get(row)
        if cells is None:
            cells = rows[row] = {}
        cells[where[1]] = value
    for d in out.values():
        for grp in d.rows.values():  # a removed group row is left with only cleared cells
            for i in [i for i, r in grp.items() if all(v is None for v in r.values())]:
                del grp[i]
    return list(out.values())


def _json_decoder(conn: Connection) -> Callable[[list[Any]], list[Any]]:
    """How stored JSON values come back from this backend: as Python values (a driver that
    decodes JSON, PostgreSQL's) or, on SQLite, as JSON text (numbers as numbers)."""
    typ = ExtractionValue.__table__.c.value.type  # type: ignore[attr-defined]
    if typ.dialect_impl(conn.dialect).result_processor(conn.dialect, None) is None:
        return lambda raw: raw

    def decode(raw: list[Any]) -> list[Any]:
        texts = [v for v in raw if type(v) is str]
        if not texts:
            return raw
        it = iter(json.loads("[" + ",".join(texts) + "]"))
        return [next(it) if type(v) is str else v for v in raw]

    return decode


def set_status(
    store: Store,
    fv: FormVersion,
    study: int,
    reviewer: str,
    status: str,
    *,
    actor: str | None = None,
) -> ExtractionData:
    """Change an extraction's status; `complete`/`reconciled` need every required value."""
    if status not in EXTRACTION_STATUSES:
        raise InvalidInputError(f"status {status!r}: use one of {', '.join(EXTRACTION_STATUSES)}")
    data = load(store, fv, study=study, reviewer=reviewer)
    if not data:
        raise NotFoundError(f"{reviewer} has not extracted study {study} with form {fv.name}")
    if status != "in_progress":
        validate_record(fv.form, data[0].record(fv.form), complete=True)
    with store.session() as s:
        ext = s.get(Extraction, data[0].id)
        assert ext is not None
        old, ext.status, ext.updated_at = ext.status, status, utcnow()
        s.add(ext)
        add_audit(
            s,
            actor or reviewer,
            "extraction-status",
            f"extraction:{ext.id}",
            {"old": old, "new": status},
        )
    return replace(data[0], status=status)
