"""Records removed before screening: automation rules, removals for other reasons, and the
record of screening stopped under the stopping rule.

An automation rule is a filter the lead defines (years, languages, publication types); it is
stored with the review and re-run at will (`run_rules`): records it newly matches get a
`record_removal` row, records it no longer matches get theirs undone. Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import col, select

from review.audited import add_audit, require_records
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.models import DedupCluster, DedupMember, Record, utcnow
from review.prisma_tables import RecordRemoval
from review.setting_values import get_setting, set_setting

RULES_KEY = "automation_rules"
STOP_KEY = "screening_stopped:{stage}"


class AutomationRule(BaseModel):
    """A filter marking records ineligible before screening. A record matches when its year
    is outside [year_min, year_max], its language is not one of `languages`, or its type is
    one of `exclude_types` (unknown years and languages never match)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    year_min: int | None = None
    year_max: int | None = None
    languages: list[str] = Field(default_factory=list)
    exclude_types: list[str] = Field(default_factory=list)

    def matches(self, year: int | None, language: str, rtype: str) -> bool:
        """Whether a record with these fields is marked ineligible by this rule."""
        if year is not None and self.year_min is not None and year < self.year_min:
            return True
        if year is not None and self.year_max is not None and year > self.year_max:
            return True
        langs = {x.strip().lower() for x in self.languages}
        if langs and language.strip() and language.strip().lower() not in langs:
            return True
        types = {x.strip().lower() for x in self.exclude_types}
        return bool(types) and rtype.strip().lower() in types

    def describe(self) -> str:
        """The rule in words, for listings and the PRISMA notes."""
        parts = []
        if self.year_min is not None or self.year_max is not None:
            parts.append(f"years {self.year_min or '…'}–{self.year_max or '…'}")
        if self.languages:
            parts.append("languages " + ", ".join(self.languages))
        if self.exclude_types:
            parts.append("not types " + ", ".join(self.exclude_types))
        return "; ".join(parts) or "matches nothing"


def list_rules(store: Store) -> list[AutomationRule]:
    """The review's automation rules, in the order they were added."""
    raw = get_setting(store, RULES_KEY) or {}
    return [AutomationRule.model_validate(r) for r in raw.get("rules", [])]


def add_rule(store: Store, rule: dict[str, Any], *, actor: str = "") -> AutomationRule:
    """Store a new rule (replacing one of the same name). Run it with `run_rules`."""
    try:
        new = AutomationRule.model_validate(rule)
    except ValidationError as e:
        raise InvalidInputError(
            f"invalid automation rule: {e.errors()[0]['msg']}", hint="see `litsift rule add --help`"
        ) from e
    if (
        new.year_min is None
        and new.year_max is None
        and not new.languages
        and not new.exclude_types
    ):
        raise InvalidInputError(
            f"rule {new.name!r} filters nothing",
            hint="give --year-min, --year-max, --language or --exclude-type",
        )
    rules = [r for r in list_rules(store) if r.name != new.name] + [new]
    value = {"version": 1, "rules": [r.model_dump() for r in rules]}
    set_setting(store, RULES_KEY, value, actor=actor)
    return new


def delete_rule(store: Store, name: str, *, actor: str = "") -> int:
    """Drop a rule and undo the removals it made; returns how many records came back."""
    rules = list_rules(store)
    if name not in {r.name for r in rules}:
        raise NotFoundError(f"no automation rule {name!r}", hint="see `litsift rule list`")
    kept = [r.model_dump() for r in rules if r.name != name]
    set_setting(store, RULES_KEY, {"version": 1, "rules": kept}, actor=actor)
    return _sync_rule(store, name, set(), actor)[1]


@dataclass
class RuleRun:
    """What running one rule changed."""

    rule: str
    added: int
    undone: int
    total: int


def run_rules(store: Store, *, actor: str = "") -> list[RuleRun]:
    """Apply every rule to every record: mark new matches, undo stale ones."""
    with store.session() as s:
        rows = s.exec(select(Record.id, Record.year, Record.language, Record.type)).all()
    out = []
    for rule in list_rules(store):
        matched = {int(i or 0) for i, y, lang, t in rows if rule.matches(y, lang or "", t or "")}
        added, undone = _sync_rule(store, rule.name, matched, actor)
        out.append(RuleRun(rule.name, added, undone, len(matched)))
    return out


def _sync_rule(store: Store, name: str, matched: set[int], actor: str) -> tuple[int, int]:
    with store.session() as s:
        active = s.exec(
            select(RecordRemoval).where(
                RecordRemoval.kind == "automation",
                RecordRemoval.rule == name,
                col(RecordRemoval.undone_at).is_(None),
            )
        ).all()
        have = {r.record_id for r in active}
        now = utcnow()
        undone = [r for r in active if r.record_id not in matched]
        for r in undone:
            r.undone_at, r.undone_by = now, actor
            s.add(r)
        new = sorted(matched - have)
        for rid in new:
            s.add(RecordRemoval(record_id=rid, kind="automation", rule=name, actor=actor))
        if new or undone:
            add_audit(
                s,
                actor,
                "automation-rule",
                f"rule:{name}",
                {"added": new, "undone": [r.record_id for r in undone]},
            )
    return len(new), len(undone)


def remove_records(store: Store, ids: list[int], reason: str, *, actor: str = "") -> int:
    """Remove records before screening for another reason (PRISMA "removed for other
    reasons"). Returns how many were newly removed."""
    if not reason.strip():
        raise InvalidInputError("a removal needs a reason", hint="give --reason")
    with store.session() as s:
        require_records(s, ids)
        have = set(
            s.exec(
                select(RecordRemoval.record_id).where(
                    RecordRemoval.kind == "other", col(RecordRemoval.undone_at).is_(None)
                )
            ).all()
        )
        new = [rid for rid in dict.fromkeys(ids) if rid not in have]
        for rid in new:
            s.add(RecordRemoval(record_id=rid, kind="other", reason=reason.strip(), actor=actor))
        add_audit(s, actor, "remove-record", "records", {"ids": new})
    return len(new)


def restore_records(store: Store, ids: list[int], *, actor: str = "") -> int:
    """Undo removals for other reasons of these records; returns how many came back."""
    with store.session() as s:
        rows = s.exec(
            select(RecordRemoval).where(
                RecordRemoval.kind == "other",
                col(RecordRemoval.undone_at).is_(None),
                col(RecordRemoval.record_id).in_(ids),
            )
        ).all()
        now = utcnow()
        for r in rows:
            r.undone_at, r.undone_by = now, actor
            s.add(r)
        add_audit(s, actor, "restore-record", "records", {"ids": [r.record_id for r in rows]})
    return len(rows)


@dataclass(frozen=True)
class Removal:
    """An active removal before screening."""

    record_id: int
    kind: str
    rule: str
    reason: str


def active_removals(store: Store) -> list[Removal]:
    """Every standing removal, oldest first."""
    with store.session() as s:
        rows = s.exec(
            select(RecordRemoval)
            .where(col(RecordRemoval.undone_at).is_(None))
            .order_by(col(RecordRemoval.id))
        ).all()
        return [Removal(r.record_id, r.kind, r.rule, r.reason) for r in rows]


def removed_before_screening() -> Any:
    """A subquery of record ids removed before screening (by a rule or for another reason):
    they are not served for screening."""
    return select(RecordRemoval.record_id).where(col(RecordRemoval.undone_at).is_(None))


def duplicate_ids(store: Store) -> dict[int, int]:
    """Records removed as duplicates → the canonical record of their cluster."""
    with store.session() as s:
        rows = s.exec(
            select(DedupMember.record_id, DedupCluster.canonical_record_id)
            .join(DedupCluster, col(DedupCluster.id) == DedupMember.cluster_id)
            .where(col(DedupCluster.dissolved_at).is_(None))
            .where(DedupMember.record_id != DedupCluster.canonical_record_id)
        ).all()
    return {int(r): int(c) for r, c in rows}


# --- screening stopped under the stopping rule --------------------------------------------


def record_stop(store: Store, stage: str, info: dict[str, Any], *, actor: str = "") -> None:
    """Note that screening at `stage` stopped under the stopping rule (`info`: the recall
    estimate and the rule's state when it stopped). Records still unscreened then are
    reported as never screened."""
    set_setting(store, STOP_KEY.format(stage=stage), {**info, "actor": actor}, actor=actor)


def clear_stop(store: Store, stage: str, *, actor: str = "") -> None:
    """Screening at `stage` resumes: unscreened records are pending again."""
    if get_stop(store, stage) is None:
        raise NotFoundError(f"screening at {stage} was not stopped", hint="see `litsift prisma`")
    set_setting(store, STOP_KEY.format(stage=stage), None, actor=actor)


def get_stop(store: Store, stage: str) -> dict[str, Any] | None:
    """How screening at `stage` stopped, or None while it goes on."""
    value = get_setting(store, STOP_KEY.format(stage=stage))
    return value or None
