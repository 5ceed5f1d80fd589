"""Clustering scored pairs into publications, and the verdict on each pair.

Strong pairs (score at or above the automatic threshold, no conflict) are joined strongest
first. Two clusters that already hold several records are joined only when *every* pair
across them is at least a possible duplicate and none conflicts, so a chain A–B–C never
merges A with an unrelated C through one weak link. Pairs a person marked `same` are joined
first (they still respect `different`); pairs marked `different` never end in one cluster.

Verdicts: `merged` (same cluster), `queued` (for a person: between the thresholds, or a strong
pair refused by the linkage check; at most a few per record), `distinct`; a person's `same` /
`different` is kept as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from review.dedup.scoring import PairScore

Pair = tuple[int, int]
QUEUE_LIMIT_NOTE = "not queued: likelier candidates for these records are queued"


@dataclass
class Clustering:
    """Clusters (lists of record indices, size ≥ 2) and a verdict per scored pair."""

    clusters: list[list[int]] = field(default_factory=list)
    verdicts: dict[Pair, tuple[str, str]] = field(default_factory=dict)  # pair -> (verdict, note)


class _Clusters:
    """Union-find that keeps member lists and the 'never together' pairs."""

    def __init__(self, cannot: Iterable[Pair]) -> None:
        self.root: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.cannot: dict[int, set[int]] = {}
        for i, j in cannot:
            self.cannot.setdefault(i, set()).add(j)
            self.cannot.setdefault(j, set()).add(i)

    def find(self, i: int) -> int:
        path = []
        while self.root.get(i, i) != i:
            path.append(i)
            i = self.root[i]
        for p in path:
            self.root[p] = i
        return i

    def group(self, r: int) -> list[int]:
        return self.members.get(r, [r])

    def blocked(self, ga: list[int], gb: list[int]) -> bool:
        other = set(gb)
        return any(self.cannot.get(x, set()) & other for x in ga)

    def join(self, ra: int, rb: int) -> None:
        ga, gb = self.group(ra), self.group(rb)
        if len(ga) < len(gb):
            ra, rb, ga, gb = rb, ra, gb, ga
        self.root[rb] = ra
        self.members[ra] = ga + gb
        self.members.pop(rb, None)


def cluster(
    scored: Sequence[tuple[int, int, PairScore]],
    *,
    auto_threshold: float,
    queue_threshold: float,
    rescore: Callable[[int, int], PairScore],
    same: Iterable[Pair] = (),
    different: Iterable[Pair] = (),
    max_cluster: int = 50,
    max_queue_per_record: int = 3,
) -> Clustering:
    """Join records into clusters and give every scored pair its verdict."""
    same_pairs = sorted({(min(p), max(p)) for p in same})
    same_set = set(same_pairs)
    different = {(min(p), max(p)) for p in different}
    by_pair = {(i, j): s for i, j, s in scored}
    cannot = set(different) | {p for p, s in by_pair.items() if s.conflict}
    uf = _Clusters(cannot)
    refused: dict[Pair, str] = {}

    def cross_ok(ga: list[int], gb: list[int]) -> str:
        if len(ga) + len(gb) > max_cluster:
            return f"would make a cluster of more than {max_cluster} records"
        if len(ga) == 1 and len(gb) == 1:
            return ""
        for x in ga:
            for y in gb:
                p = (x, y) if x < y else (y, x)
                if p in same_set:
                    continue
                s = by_pair.get(p) or rescore(*p)
                by_pair.setdefault(p, s)
                if not s.mergeable(auto_threshold):
                    return "would join records that would not be merged as a pair"
        return ""

    strong = sorted(
        ((i, j) for i, j, s in scored if s.score >= auto_threshold and not s.conflict),
        key=lambda p: -by_pair[p].score,
    )
    for i, j, person in [(i, j, True) for i, j in same_pairs] + [(i, j, False) for i, j in strong]:
        if (i, j) in different:
            continue
        ra, rb = uf.find(i), uf.find(j)
        if ra == rb:
            continue
        ga, gb = uf.group(ra), uf.group(rb)
        if uf.blocked(ga, gb):
            refused[(i, j)] = "conflicts with a record already in the other cluster"
            continue
        why = "" if person else cross_ok(ga, gb)
        if why:
            refused[(i, j)] = why
            continue
        uf.join(ra, rb)
    out = Clustering()
    out.clusters = [sorted(m) for m in uf.members.values() if len(m) > 1]
    decided = same_set | different
    for p, s in list(by_pair.items()):
        if p in decided:
            out.verdicts[p] = (_person(p, different), "")
            continue
        i, j = p
        if uf.find(i) == uf.find(j):
            out.verdicts[p] = ("merged", "")
        elif p in refused:
            out.verdicts[p] = ("queued", refused[p])
        elif s.ask:
            out.verdicts[p] = ("queued", s.ask)
        elif s.score >= queue_threshold:
            out.verdicts[p] = ("queued", "")
        else:
            out.verdicts[p] = ("distinct", "")
    for p in decided - set(by_pair):
        out.verdicts[p] = (_person(p, different), "")
    _cap_queue(out, by_pair, max_queue_per_record)
    return out


def _cap_queue(out: Clustering, by_pair: dict[Pair, PairScore], cap: int) -> None:
    """Keep at most `cap` queued pairs per record (the likeliest): a record resembling many
    others (a series, a replicated entry) must not flood the person's queue."""
    kept: dict[int, int] = {}
    queued = [p for p, (v, _) in out.verdicts.items() if v == "queued" and not by_pair[p].ask]
    for p in sorted(queued, key=lambda q: -by_pair[q].score):
        i, j = p
        if kept.get(i, 0) >= cap or kept.get(j, 0) >= cap:
            out.verdicts[p] = ("distinct", QUEUE_LIMIT_NOTE)
            continue
        kept[i] = kept.get(i, 0) + 1
        kept[j] = kept.get(j, 0) + 1


def _person(p: Pair, different: set[Pair]) -> str:
    return "different" if p in different else "same"
