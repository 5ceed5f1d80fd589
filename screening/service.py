"""The screening service: which record to show next, live ranking, and simulation.

`next_record` serves records in import order, or by a `ReviewRanker` (model ranking with the
BM25 cold start) when one is given. `simulate` runs simulations on labelled CSV files; it
needs no database.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.exc import IntegrityError, OperationalError

from review import leases, settings
from review import service as review_service
from review.consensus import final_labels
from review.db import Store
from review.models import utcnow
from review.output import open_output
from review.owed import owed_needed
from review.records import RecordView
from review.text_cache import get_texts, put_texts
from screening.bm25 import cold_start_order, protocol_query
from screening.dataset import read_labelled_csv
from screening.dual_queue import next_owed
from screening.errors import DatasetError, ScreeningError
from screening.features import FeatureCache, record_text
from screening.live import LiveRanker
from screening.presets import Preset, get_preset
from screening.recall import StoppingAdvice, advise
from screening.simulate import SimulationResult, featurize
from screening.simulate import simulate as run_simulation
from screening.snapshot import (
    FeatureSnapshot,
    build_snapshot,
    load_snapshot,
    query_digest,
    record_ids,
    record_texts,
    save_snapshot,
)
from screening.stopping import DEFAULT_RULE, StoppingRule
from screening.stopping_switch import SWITCH_SUFFIX, second_preset, switch_start

log = logging.getLogger(__name__)


# --- live screening ------------------------------------------------------------------------


@dataclass
class ReviewRanker:
    """A review stage's live ranker and the map between record ids and feature rows."""

    ranker: LiveRanker
    record_ids: list[int]
    cache: FeatureCache
    stage: str = "title-abstract"
    reviewer: str = ""
    row_of: dict[int, int] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)
    spec: settings.RankerSpec = field(default_factory=settings.RankerSpec)

    @property
    def model_version(self) -> str:
        """The spec's tag and the number of the fit behind the current ranking (stored with
        each decision, so a live review can be replayed)."""
        switched = SWITCH_SUFFIX if self.ranker.preset.name.endswith(SWITCH_SUFFIX) else ""
        return f"{self.spec.tag()}{switched}@{self.ranker.version}"

    def __post_init__(self) -> None:
        self.row_of = {rid: i for i, rid in enumerate(self.record_ids)}

    def decide(self, record_id: int, label: str | None) -> None:
        """Tell the ranker about a decision (include/exclude trains the model; maybe hides the
        record from the queue; None, an undo, puts it back)."""
        y = {"include": 1, "exclude": 0}.get(label or "")
        if label is None:
            self.hidden.discard(record_id)
        elif y is None:
            self.hidden.add(record_id)
        self.ranker.decide(self.row_of[record_id], y)

    def hide(self, record_id: int) -> None:
        """Leave a record out of the queue (decided elsewhere, or merged as a duplicate)."""
        self.hidden.add(record_id)

    def next_record_id(self, skip: Sequence[int] = ()) -> int | None:
        passed = [self.row_of[s] for s in (*skip, *self.hidden) if s in self.row_of]
        row = self.ranker.next_row(passed)
        return None if row is None else self.record_ids[row]

    def refresh(self, store: Store) -> int:
        """Take in records imported since the ranker was opened: their features are computed
        with the fitted vocabulary (earlier rows are unchanged). Returns how many were added."""
        records = list(review_service.iter_records(store, stage=self.stage))
        new = [r for r in records if int(r["id"]) not in self.row_of]
        if not new:
            return 0
        ids = self.record_ids + [int(r["id"]) for r in new]
        tw = self.ranker.preset.title_weight
        text_of = {
            int(r["id"]): record_text(r.get("title"), r.get("abstract"), tw) for r in records
        }
        texts = [text_of.get(i, "") for i in ids]  # old rows' texts refit the vocabulary if needed
        self.ranker.extend(self.cache.update(ids, texts))
        self.record_ids = ids
        self.row_of = {rid: i for i, rid in enumerate(ids)}
        return len(new)

    def close(self) -> None:
        self.ranker.close()


@dataclass
class ReviewTokenCache:
    """Tokens kept in the review's database, so that reopening a review skips tokenising."""

    store: Store

    def get(self, keys: Collection[str]) -> dict[str, str]:
        return get_texts(self.store, keys)

    def put(self, items: dict[str, str]) -> None:
        put_texts(self.store, items)


def open_ranker(
    store: Store,
    *,
    reviewer: str = "",
    stage: str = "title-abstract",
    model: str | None = None,
    background: bool = True,
) -> ReviewRanker:
    """Build the features of the review (once) and a live ranker primed with the settled
    labels at `stage` (`review.consensus.final_labels`) and, on records not settled yet, the
    reviewer's own standing decisions; cold start from the review's "protocol" setting."""
    stored = settings.load(store, settings.RankerSpec)
    preset = get_preset(model or stored.preset)
    spec = stored.model_copy(update={"preset": preset.name})
    if spec != stored:  # the spec actually used is kept with the review (audit-logged)
        settings.save(store, spec, actor=reviewer)
    tokens = ReviewTokenCache(store)
    protocol = settings.protocol(store).model_dump()
    ids = [int(i) for i in record_ids(store)]
    features = preset.make_features()
    features.token_cache = tokens
    snap = load_snapshot(store, preset, stage, ids)
    if snap is None:  # not prepared at import (or records changed since): fit, and keep it
        ids, texts = record_texts(store, preset)
        snap, features = build_snapshot(store, preset, ids, texts, tokens, stage=stage, save=False)
        _keep_snapshot(store, preset, stage, snap)
    elif snap.query_digest != query_digest(protocol_query(protocol)):
        snap.cold_start = None  # the protocol changed since: the cold start is recomputed
    cache = FeatureCache(features, list(ids), snap.matrix)
    cold = snap.cold_start
    if cold is None:
        cold = cold_start_order(record_texts(store, preset)[1], protocol, tokens)
    live = LiveRanker(snap.matrix, preset, cold_start=cold, seed=spec.seed, background=background)
    rr = ReviewRanker(live, ids, cache, stage, reviewer, spec=spec)
    # settled labels (reviewers agree, or a lead resolved), else the reviewer's own
    standing = {rid: fl.label for rid, fl in final_labels(store, stage).items()}
    own = review_service.list_decisions(
        store, stage=stage, reviewer=reviewer, include_retracted=False
    )
    mine = {d.record_id: d.label for d in own}  # in decision order: the latest wins
    standing |= {rid: label for rid, label in mine.items() if rid not in standing}
    first = {rid: i for i, rid in enumerate(mine)}  # labelling order (view selection uses it)
    for rid in sorted(standing, key=lambda r: (first.get(r, -1), r)):
        label = standing[rid]
        y = {"include": 1, "exclude": 0}.get(label)
        if y is not None and rid in rr.row_of:
            live.labels[rr.row_of[rid]] = y
    if standing:
        live.retrain()
    follow_switch(store, rr)
    return rr


def follow_switch(
    store: Store, rr: ReviewRanker, protocol: settings.Protocol | None = None
) -> bool:
    """Under the `switch` stopping rule, rank with the second model once the decay bound has
    held on this reviewer's decisions (screening.stopping_switch). True when it switched now
    (`protocol`: the review's protocol when the caller has just read it)."""
    if protocol is None:
        protocol = settings.protocol(store)
    rule = StoppingRule.parse(protocol.stopping_rule or DEFAULT_RULE)
    if rule.name != "switch" or rr.ranker.preset.name.endswith(SWITCH_SUFFIX):
        return False
    standing = review_service.standing_in_order(store, stage=rr.stage, reviewer=rr.reviewer)
    ranked = [0 if label == "exclude" else 1 for _, label, _ in standing]
    total = review_service.screening_progress(store, stage=rr.stage, reviewer=rr.reviewer).total
    if switch_start(ranked, total, rule.target) is None:
        return False
    rr.ranker.use(second_preset(rr.ranker.preset))
    return True


def _keep_snapshot(store: Store, preset: Preset, stage: str, snap: FeatureSnapshot) -> None:
    """Store the features fitted on opening, so the next open loads them (another session
    storing them at the same moment is not an error: either copy is the same)."""
    try:
        save_snapshot(store, preset, stage, snap)
    except (IntegrityError, OperationalError) as e:
        log.warning("feature snapshot not stored (%s); the next open fits again", e)


def next_record(
    store: Store,
    *,
    reviewer: str = "",
    stage: str = "title-abstract",
    ranker: ReviewRanker | None = None,
    skip: Sequence[int] = (),
    protocol: settings.Protocol | None = None,
) -> RecordView | None:
    """The next record this reviewer should screen at `stage`, or None when all are done:
    the next record of the random check when one is under way (see `start_check`), else
    import order, or the ranker's best undecided record when a ranker is given. In dual
    screening only the records this reviewer still owes are served (`review.owed`); in single
    screening the record is leased to the reviewer (review/leases.py): a teammate asking at
    the same time gets another one. `protocol`: the review's protocol when the caller has
    just read it (it is read once per step, not once per question)."""
    if protocol is None:
        protocol = settings.protocol(store)
    needed = owed_needed(store, protocol)  # None in single screening
    if needed is not None:
        check = get_check(store, stage=stage, reviewer=reviewer)
        return next_owed(
            store, needed, stage=stage, reviewer=reviewer, ranker=ranker, skip=skip, check=check
        )
    return leases.claim_next(
        store,
        lambda passed: _pick_next(store, reviewer, stage, ranker, list(passed)),
        stage=stage,
        reviewer=reviewer,
        skip=skip,
        protocol=protocol,
    )


def _pick_next(
    store: Store, reviewer: str, stage: str, ranker: ReviewRanker | None, skip: Sequence[int]
) -> RecordView | None:
    check = get_check(store, stage=stage, reviewer=reviewer)
    if check is not None:
        skipped = set(skip)
        todo = [rid for rid in check.pool if rid not in skipped]
        for i in range(0, len(todo), 64):  # one query per 64 draws, in draw order
            chunk = todo[i : i + 64]
            open_ids = review_service.undecided_among(store, chunk, stage=stage, reviewer=reviewer)
            for drawn in chunk:
                if drawn in open_ids:
                    return review_service.get_record(store, drawn)
    if ranker is None:
        return review_service.first_undecided(store, stage=stage, reviewer=reviewer, skip=skip)
    while (rid := ranker.next_record_id(skip)) is not None:
        record = review_service.undecided_record(store, rid, stage=stage, reviewer=reviewer)
        if record is not None:
            return record
        ranker.hide(rid)  # decided already (maybe, another session, a duplicate's decision)
    return None


# --- stopping: the random check and the advice -------------------------------------------


@dataclass
class Check:
    """A random check under way: the records unscreened when it began, in draw order."""

    started_at: datetime
    pool: list[int]
    seed: int
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "pool": self.pool,
            "seed": self.seed,
            "rule": self.rule,
        }


def _aware(t: datetime) -> datetime:
    """Times come back from SQLite without a zone; all of them are UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _check_key(stage: str, reviewer: str) -> str:
    return f"stopping-check:{stage}:{reviewer}"


def get_check(store: Store, *, stage: str = "title-abstract", reviewer: str = "") -> Check | None:
    """The reviewer's random check at `stage`, if one was started."""
    v = review_service.get_setting(store, _check_key(stage, reviewer))
    if not v:
        return None
    return Check(datetime.fromisoformat(v["started_at"]), list(v["pool"]), v["seed"], v["rule"])


def start_check(
    store: Store,
    *,
    stage: str = "title-abstract",
    reviewer: str = "",
    seed: int | None = None,
    rule: str | None = None,
) -> Check:
    """Begin the random check: from now on `next_record` serves the records unscreened now in
    a random order (drawn with `seed`), and `stopping_advice` tests recall on them."""
    if get_check(store, stage=stage, reviewer=reviewer) is not None:
        raise ScreeningError(
            f"{reviewer or 'this reviewer'} already started a random check at {stage}",
            hint="carry on screening, or cancel it with `litsift stopping --cancel-check`",
        )
    rule = rule or settings.protocol(store).stopping_rule or DEFAULT_RULE
    StoppingRule.parse(rule)
    pool = review_service.undecided_ids(store, stage=stage, reviewer=reviewer)
    if not pool:
        raise ScreeningError("nothing left to screen", hint="every record has a decision")
    seed = int.from_bytes(os.urandom(4), "little") if seed is None else seed
    order = [pool[i] for i in np.random.default_rng(seed).permutation(len(pool))]
    check = Check(utcnow(), order, seed, rule)
    review_service.set_setting(store, _check_key(stage, reviewer), check.to_json(), actor=reviewer)
    return check


def cancel_check(store: Store, *, stage: str = "title-abstract", reviewer: str = "") -> None:
    """Abandon the random check (its decisions stay; screening goes back to ranked order)."""
    if get_check(store, stage=stage, reviewer=reviewer) is None:
        raise ScreeningError(
            f"no random check under way for {reviewer or 'this reviewer'} at {stage}",
            hint="see `litsift stopping --reviewer NAME`",
        )
    review_service.set_setting(store, _check_key(stage, reviewer), None, actor=reviewer)


def stopping_advice(
    store: Store, *, stage: str = "title-abstract", reviewer: str = "", rule: str | None = None
) -> StoppingAdvice:
    """Where this reviewer stands against the stopping rule at `stage`, with the recall
    estimate (see `screening.recall`)."""
    check = get_check(store, stage=stage, reviewer=reviewer)
    chosen = check.rule if check else settings.protocol(store).stopping_rule or DEFAULT_RULE
    parsed = StoppingRule.parse(rule or chosen)
    total = review_service.screening_progress(store, stage=stage, reviewer=reviewer).total
    standing = review_service.standing_in_order(store, stage=stage, reviewer=reviewer)

    def y(label: str) -> int:
        return 0 if label == "exclude" else 1

    if check is None:
        return advise([y(label) for _, label, _ in standing], total, parsed)
    in_pool, began = set(check.pool), _aware(check.started_at)
    ranked = [y(lb) for rid, lb, at in standing if rid not in in_pool or _aware(at) < began]
    sample = [y(lb) for rid, lb, at in standing if rid in in_pool and _aware(at) >= began]
    return advise(ranked, total, parsed, sample_labels=sample, pool=len(check.pool))


# --- simulation ----------------------------------------------------------------------------


@dataclass
class SimulationRun:
    """One simulation of one data set with one seed."""

    dataset: str
    result: SimulationResult

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, **self.result.to_dict()}


@dataclass
class SimulationReport:
    runs: list[SimulationRun]
    model: str
    stop: str
    out: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "stop": self.stop,
            "out": self.out,
            "runs": [r.to_dict() for r in self.runs],
        }


def write_order(
    path: Path, order: Sequence[int], labels: np.ndarray, *, force: bool = True
) -> None:
    """`rank,row,label_included`, written through review.output (a temporary file moved into
    place; an existing file only replaced with `force`)."""
    path.parent.mkdir(parents=True, exist_ok=True)  # simulate has always made its folder
    with open_output(path, force=force) as f:
        w = csv.writer(f)
        w.writerow(["rank", "row", "label_included"])
        for rank, row in enumerate(order, 1):
            w.writerow([rank, row, int(labels[row])])


def simulate(
    path: Path,
    *,
    model: str | None = None,
    seed: int = 0,
    seeds: int = 1,
    prior_included: int = 1,
    prior_excluded: int = 1,
    stop: str = "hypergeom",
    out: Path | None = None,
    force: bool = False,
    on_step: Callable[[str, int, int], None] | None = None,
) -> SimulationReport:
    """Simulate screening a labelled CSV (or every CSV in a folder) with seeds
    `seed` .. `seed + seeds - 1`. `out` (one file, one seed): where to write the order.
    `on_step(what, done, total)` is told before each step (features, then each run)."""
    preset = get_preset(model)
    rule = StoppingRule.parse(stop)
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        if not files:
            raise DatasetError(f"{path}: no .csv files in this folder", hint="pass a labelled CSV")
    elif path.exists():
        files = [path]
    else:
        raise DatasetError(f"{path}: no such file or folder", hint="check the path")
    if out is not None and (len(files) > 1 or seeds > 1):
        raise DatasetError(
            "--out writes one order: give one CSV and one seed", hint="drop --out or --seeds"
        )
    runs = []
    total = len(files) * (seeds + 1)
    step = on_step or (lambda what, done, total: None)
    for i, f in enumerate(files):
        step(f"{f.name}: features", i * (seeds + 1), total)
        data = read_labelled_csv(f)
        X = featurize(preset, data.titles, data.abstracts)
        for s in range(seed, seed + seeds):
            step(f"{f.name}: seed {s}", i * (seeds + 1) + 1 + s - seed, total)
            res = run_simulation(
                X,
                data.labels,
                preset,
                seed=s,
                prior_included=prior_included,
                prior_excluded=prior_excluded,
                stop=rule,
            )
            log.info("%s seed %d: %s", f.name, s, res.metrics)
            runs.append(SimulationRun(f.stem, res))
            if out is not None:
                write_order(out, res.order, data.labels, force=force)
    step("done", total, total)
    return SimulationReport(runs, preset.name, stop, None if out is None else str(out))


def summarize(report: SimulationReport) -> list[dict[str, Any]]:
    """Per data set means over seeds, then the mean over data sets (dataset = "mean")."""
    by: dict[str, list[SimulationRun]] = {}
    for r in report.runs:
        by.setdefault(r.dataset, []).append(r)
    rows = []
    for name, runs in by.items():
        rows.append({"dataset": name, **_means(runs)})
    if len(rows) > 1:
        keys = [k for k in rows[0] if k != "dataset"]
        rows.append({"dataset": "mean", **{k: float(np.mean([r[k] for r in rows])) for k in keys}})
    return rows


def _means(runs: list[SimulationRun]) -> dict[str, float]:
    res = [r.result for r in runs]
    m: dict[str, float] = {
        "n": float(res[0].metrics.n),
        "k": float(res[0].metrics.k),
        "seeds": float(len(res)),
        "wss95": float(np.mean([r.metrics.wss95 for r in res])),
        "recall10": float(np.mean([r.metrics.recall10 for r in res])),
        "atd": float(np.mean([r.metrics.atd for r in res])),
        "last": float(np.mean([r.metrics.last for r in res])),
        "seconds": float(np.mean([r.seconds for r in res])),
    }
    stops = [r.stopping for r in res if r.stopping is not None]
    if stops:
        m["stop_recall"] = float(np.mean([s.recall for s in stops]))
        m["stop_work_saved"] = float(np.mean([s.work_saved for s in stops]))
        m["stop_ok"] = float(np.mean([s.recall >= 0.95 for s in stops]))
    return m
