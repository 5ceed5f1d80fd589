"""Which study of this review a spreadsheet row is about: by study id, then by the source key
of one of its reports (records), then by DOI, then by title. A spreadsheet from another review
or tool seldom has this review's study ids, but it has keys, DOIs or titles.

A row whose identifiers name two different studies, or a key shared by reports of several
studies, is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from review.db import Store
from review.models import Record
from review.normalize import normalize_doi
from review.prisma_tables import Study, StudyReport

# kind -> the column names that carry it (compared lower-case, spaces and dashes as _)
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "study": ("study", "study_id"),
    "source_key": ("source_key", "record_key"),
    "doi": ("doi",),
    "title": ("title",),
}
KIND_LABEL = {"study": "study", "source_key": "source key", "doi": "DOI", "title": "title"}
_NOT_WORD = re.compile(r"[\W_]+")


def column_key(name: str) -> str:
    """A column name as compared: lower-case, spaces and dashes as underscores."""
    return re.sub(r"[\s-]+", "_", str(name).strip().lower())


def id_columns(columns: list[str]) -> dict[str, str]:
    """kind -> the spreadsheet column that carries it, for the identifier columns present."""
    by_key = {column_key(c): c for c in columns if c}
    out: dict[str, str] = {}
    for kind, names in ID_COLUMNS.items():
        hit = next((by_key[n] for n in names if n in by_key), None)
        if hit is not None:
            out[kind] = hit
    return out


def _title_key(title: str) -> str:
    return _NOT_WORD.sub(" ", title.casefold()).strip()


def _norm(kind: str, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if kind == "doi":
        return normalize_doi(text)
    if kind == "title":
        return _title_key(text)
    if kind == "study" and isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 3.0
    return text


class StudyMatchError(ValueError):
    """A row that matches no study, or is ambiguous; the message says which identifiers."""


@dataclass
class StudyMatcher:
    """Identifier -> study ids, for the identifier kinds a spreadsheet has."""

    index: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    unlinked: dict[str, set[str]] = field(default_factory=dict)  # kind -> values of lone reports
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def build(cls, store: Store, kinds: set[str]) -> StudyMatcher:
        """Read the review's studies and, for the kinds asked, their reports' identifiers."""
        m = cls()
        with store.session() as s:
            if "study" in kinds:
                ids = s.exec(select(Study.id)).all()
                m.index["study"] = {str(i): {int(i)} for i in ids if i is not None}
            wanted = [k for k in ("source_key", "doi", "title") if k in kinds]
            if not wanted:
                return m
            links = {
                lk.record_id: lk.study_id
                for lk in s.exec(
                    select(StudyReport).where(col(StudyReport.removed_at).is_(None))
                ).all()
            }
            rows = s.exec(select(Record.id, Record.source_key, Record.doi, Record.title)).all()
        for k in wanted:
            m.index[k] = defaultdict(set)
            m.unlinked[k] = set()
        for rid, key, doi, title in rows:
            for k, raw in (("source_key", key), ("doi", doi), ("title", title)):
                if k not in m.index or not (v := _norm(k, raw)):
                    continue
                sid = links.get(rid)  # type: ignore[arg-type]
                if sid is None:
                    m.unlinked[k].add(v)
                else:
                    m.index[k][v].add(sid)
        return m

    def match(self, row: Mapping[str, Any], columns: dict[str, str]) -> int:
        """The study a row is about, or StudyMatchError saying why there is none."""
        found: tuple[str, str, int] | None = None
        tried: list[tuple[str, str]] = []
        for kind, column in columns.items():
            value = _norm(kind, row.get(column))
            if not value:
                raw = row.get(column)
                if raw is not None and str(raw).strip():
                    tried.append((kind, f"{KIND_LABEL[kind]} {raw!r} (not a {KIND_LABEL[kind]})"))
                continue
            label = (
                f"{KIND_LABEL[kind]} {row.get(column)!r}" if kind != "study" else f"study {value}"
            )
            hits = self.index.get(kind, {}).get(value, set())
            if found is not None:
                if hits and found[2] not in hits:
                    raise StudyMatchError(
                        f"{found[1]} is study {found[2]} but {label} is "
                        f"study {', '.join(map(str, sorted(hits)))}"
                    )
                continue
            if len(hits) > 1:
                raise StudyMatchError(
                    f"{label} belongs to several studies ({', '.join(map(str, sorted(hits)))})"
                )
            if hits:
                found = (kind, label, next(iter(hits)))
                continue
            if value in self.unlinked.get(kind, ()):
                tried.append((kind, f"{label} (a record in no study: `litsift study link`)"))
            else:
                tried.append((kind, label))
        if found is None:
            if not tried:
                names = ", ".join(n[0] for n in ID_COLUMNS.values())
                raise StudyMatchError(f"no study identifier in the row (columns {names})")
            if len(tried) == 1 and tried[0][0] == "study":
                raise StudyMatchError(f"no {tried[0][1]} in this review")
            raise StudyMatchError(
                f"no study in this review matches {'; '.join(t for _, t in tried)}"
            )
        self.counts[found[0]] += 1
        return found[2]
