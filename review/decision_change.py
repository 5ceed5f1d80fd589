"""Changing an earlier decision from the history: a new decision by the same reviewer on the
same record and stage (the old one stays in the log). Only one's own decision can be changed
this way (another reviewer's would not be replaced, only contradicted: in dual screening a
conflict, in single screening one too), and a full-text exclusion needs its reason, as on the
screening screen."""

from __future__ import annotations

from review.db import Store
from review.decision_service import record_decision
from review.decisions import DecisionView
from review.errors import InvalidInputError


def change_decision(
    store: Store, decision: DecisionView, label: str, *, reviewer: str, reason: str = ""
) -> DecisionView:
    """Record `reviewer`'s new `label` for the record and stage of their earlier `decision`."""
    if decision.reviewer != reviewer:
        raise InvalidInputError(
            f"decision {decision.id} on #{decision.record_id} is {decision.reviewer}'s, "
            f"not {reviewer}'s: only your own decisions can be changed",
            hint="a disagreement between reviewers is settled in Conflicts (c on home)",
        )
    if label == "exclude" and decision.stage == "full-text" and not reason.strip():
        raise InvalidInputError(
            "a full-text exclusion needs a reason",
            hint="choose one of the protocol's exclusion reasons",
        )
    return record_decision(
        store,
        decision.record_id,
        label,
        stage=decision.stage,
        reviewer=reviewer,
        reason=reason,
        note="changed in history",
    )
