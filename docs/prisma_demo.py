"""Draw docs/prisma.png: the demo review taken through a whole review, scripted.

    python docs/prisma_demo.py [OUT.png]

Builds `litsift demo`'s review in a temporary folder, removes duplicates, adds an automation
rule (English only), screens titles and abstracts with the demo's labels (the includes first,
as a good ranking would serve them, then excludes until screening is stopped under the
stopping rule), assesses the full texts of the includes (one not retrievable, a few excluded
with the protocol's reasons), links two reports of one study, and renders the diagram.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from corpora.service import DEMO_DIR, create_demo_review
from review import automation, service, studies
from review.conflicts import list_conflicts, resolve_conflict
from review.consensus import final_labels
from review.db import Store
from review.dedup.service import run_dedup
from review.prisma import prisma_counts
from review.prisma_svg import to_png, to_svg
from screening.stop import stop_screening

REVIEWERS = ("rosa", "kofi")


def build(directory: Path) -> Store:
    """The demo review in `directory`, taken through screening and full text by its two
    reviewers (rosa and kofi, blind, dual screening as the demo's protocol asks), with the
    lead settling their conflicts."""
    store = create_demo_review(directory).store
    run_dedup(store, actor="lead")
    automation.add_rule(store, {"name": "English only", "languages": ["English"]}, actor="lead")
    automation.run_rules(store, actor="lead")
    with (DEMO_DIR / "labels.csv").open(encoding="utf-8") as f:
        label = {r["source_key"]: r["label_included"] == "1" for r in csv.DictReader(f)}
    keys = {r.id: r.source_key for r in service.list_records(store)}
    for c in list_conflicts(store):  # the demo's own blind decisions disagree on a few
        truth = "include" if label[keys[c.record_id]] else "exclude"
        resolve_conflict(store, c.record_id, truth, resolved_by="lead")
    done = {(d.record_id, d.reviewer) for d in service.list_decisions(store)}
    queue = service.undecided_ids(store, reviewer="rosa")
    ranked = sorted(queue, key=lambda rid: not label[keys[rid]])  # includes first
    for rid in ranked[: len(ranked) - 40]:  # the last 40 excludes are never screened
        decision = "include" if label[keys[rid]] else "exclude"
        for reviewer in REVIEWERS:
            if (rid, reviewer) not in done:
                service.record_decision(store, rid, decision, reviewer=reviewer)
    stop_screening(store, reviewer="rosa", force=True)
    included = [rid for rid, fl in final_labels(store, "title-abstract").items()
                if fl.label == "include"]  # fmt: skip
    reasons = ["wrong study design", "no outcome data", "secondary research (review)"]
    for i, rid in enumerate(included):
        decision, reason = "include", ""
        if i == 0:
            decision, reason = "exclude", "not retrievable"
        elif i <= len(reasons):
            decision, reason = "exclude", reasons[i - 1]
        for reviewer in REVIEWERS:
            service.record_decision(
                store, rid, decision, stage="full-text", reviewer=reviewer, reason=reason
            )
    studies.link_reports(store, included[-2:], name="two reports of one study", actor="lead")
    return store


def main(out: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="litsift-prisma-"))
    out.write_bytes(to_png(to_svg(prisma_counts(build(folder)))))
    print(f"wrote {out} (review in {folder / 'review.db'})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("prisma.png"))
