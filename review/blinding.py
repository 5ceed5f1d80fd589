"""Blinding: what one reviewer may see of the others' decisions.

In dual screening a reviewer never sees another reviewer's decision on a record before both
have decided it: another's decision on a record at a stage is hidden from a viewer while the
record has fewer standing decisions than the protocol needs and none of them is the viewer's.
Once the viewer has decided, or the record has all its decisions (it is settled or in
conflict), nothing is hidden. In single screening (one decision needed) nothing is ever hidden.

Every listing that shows decisions per record (`litsift show`, `litsift records`, the history
screen) filters through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from review import settings
from review.consensus import latest_resolutions, settle_all, standing_votes, votes_disagree
from review.db import Store
from review.decisions import DecisionView, check_stage, decision_view
from review.errors import InvalidInputError
from review.models import LABELS, Decision, Record
from review.service import HistoryRow


def hidden_from(store: Store, *, stage: str, viewer: str) -> set[int]:
    """Records whose decisions at `stage` by other reviewers `viewer` may not see yet."""
    needed = settings.protocol(store).decisions_per_record
    if needed < 2:
        return set()
    out = set()
    for rid, votes in standing_votes(store, stage).items():
        who = {v.reviewer for v in votes}
        if viewer not in who and len(who) < needed:
            out.add(rid)
    return out


def visible(store: Store, decisions: Iterable[DecisionView], viewer: str) -> list[DecisionView]:
    """`decisions` without the ones `viewer` may not see yet (their own always stay)."""
    rows = list(decisions)
    hidden = {
        stage: hidden_from(store, stage=stage, viewer=viewer)
        for stage in {d.stage for d in rows if d.reviewer != viewer}
    }
    return [d for d in rows if d.reviewer == viewer or d.record_id not in hidden[d.stage]]


def record_decisions(store: Store, record_id: int, *, viewer: str) -> list[DecisionView]:
    """The standing decisions on one record at every stage that `viewer` may see."""
    with store.session() as s:
        rows = s.exec(
            select(Decision, Record.source_key)
            .join(Record, col(Record.id) == Decision.record_id)
            .where(Decision.record_id == record_id, col(Decision.retracted_at).is_(None))
            .order_by(col(Decision.id))
        ).all()
        views = [decision_view(d, key) for d, key in rows]
    latest: dict[tuple[str, str], DecisionView] = {}
    for v in views:  # each reviewer's standing decision per stage
        latest[(v.stage, v.reviewer)] = v
    return visible(store, latest.values(), viewer)


@dataclass
class ScreenedRow:
    """A record in listings with what `viewer` may know of its decision at a stage.

    `status`: settled (reviewers agree), resolved (a lead decided), conflict, awaiting (the
    viewer decided; another decision is still due; `label` is the viewer's own) or "" (no
    decision the viewer may see)."""

    id: int
    source_key: str
    title: str
    year: int | None
    label: str | None
    status: str


def screened_rows(
    store: Store,
    *,
    stage: str = "title-abstract",
    viewer: str,
    label: str | None = None,
    limit: int | None = None,
) -> list[ScreenedRow]:
    """Every record with its settled label at `stage`, as `viewer` may see it. `label`
    filters: include, exclude, maybe, conflict, or none (nothing to show)."""
    check_stage(stage)
    if label is not None and label not in (*LABELS, "conflict", "none"):
        raise InvalidInputError(
            f"unknown label {label!r}",
            hint="one of: " + ", ".join((*LABELS, "conflict", "none")),
        )
    votes = standing_votes(store, stage)
    resolved = latest_resolutions(store, stage)
    final = settle_all(stage, votes, resolved, settings.protocol(store).decisions_per_record)
    out: list[ScreenedRow] = []
    with store.session() as s:
        q: Any = select(Record.id, Record.source_key, Record.title, Record.year)
        for rid, key, title, year in s.exec(q.order_by(col(Record.id))).all():
            shown, status = _shown(rid, stage, viewer, final, votes, resolved)
            if label is not None and (shown or "none") != label:
                continue
            out.append(ScreenedRow(rid, key, title, year, shown, status))
            if limit and len(out) >= limit:
                break
    return out


def _shown(
    rid: int,
    stage: str,
    viewer: str,
    final: dict[int, Any],
    votes: dict[int, Any],
    resolved: dict[int, Any],
) -> tuple[str | None, str]:
    if rid in final:
        return final[rid].label, "resolved" if rid in resolved else "settled"
    mine = [v for v in votes.get(rid, []) if v.reviewer == viewer]
    if len(votes.get(rid, [])) > 1 and votes_disagree(votes[rid], stage):
        return "conflict", "conflict"
    if mine:
        return mine[0].label, "awaiting"
    return None, ""


def visible_history(store: Store, rows: list[HistoryRow], viewer: str) -> list[HistoryRow]:
    """History rows (`review.service.decision_history`) without the decisions `viewer` may
    not see yet."""
    keep = {id(d) for d in visible(store, [r.decision for r in rows], viewer)}
    return [r for r in rows if id(r.decision) in keep]
