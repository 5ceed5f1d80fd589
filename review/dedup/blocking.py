"""Candidate generation: which pairs of records are worth scoring.

Comparing every pair is quadratic; instead each record gets a few blocking keys and only
records sharing a key are compared:

- identifiers: DOI, PMID;
- title prefix and title suffix (first / last 24 letters of the compact title), which survive
  truncation and typos at one end;
- rare-word keys: the pairs among a title's three rarest significant words (a cheap
  locality-sensitive hash that ignores word order, case, punctuation and most typos);
- the citation: first author + first page, first author + year + volume (these catch a
  title and its translation);
- a sorted neighbourhood over the compact titles (window `window`).

Blocks larger than `max_block` are compared by sorted neighbourhood only, so the number of
candidate pairs grows near-linearly with the number of records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from review.dedup.normalize import MatchRecord

Pair = tuple[int, int]


def _keys(r: MatchRecord, df: Counter[str]) -> Iterable[str]:
    if r.doi:
        yield "d:" + r.doi
    if r.pmid:
        yield "p:" + r.pmid
    compact = "".join(r.tokens)
    if len(compact) >= 12:
        yield "tp:" + compact[:24]
        yield "ts:" + compact[-24:]
    long_tokens = [t for t in set(r.tokens) if len(t) > 2]
    if len(long_tokens) >= 2:
        rare = sorted(long_tokens, key=lambda t: (df[t], t))[:3]
        for i in range(len(rare)):
            for j in range(i + 1, len(rare)):
                a, b = sorted((rare[i], rare[j]))
                yield f"w:{a}|{b}"
    if r.authors:  # the citation: same first author and first page, or year and volume
        first = r.authors[0][0]
        if r.page:
            yield f"ap:{first}|{r.page}"
        if r.year and r.volume:
            yield f"ayv:{first}|{r.year}|{r.volume}"


def candidate_pairs(
    records: Sequence[MatchRecord],
    *,
    window: int = 4,
    max_block: int = 40,
    only: set[int] | None = None,
) -> set[Pair]:
    """Index pairs (i < j) of records worth scoring. With `only`, keep pairs touching it."""
    df: Counter[str] = Counter()
    for r in records:
        df.update({t for t in r.tokens if len(t) > 2})
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for k in _keys(r, df):
            blocks[k].append(i)
    pairs: set[Pair] = set()

    def add(i: int, j: int) -> None:
        if i == j:
            return
        if i > j:
            i, j = j, i
        if only is None or i in only or j in only:
            pairs.add((i, j))

    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            _neighbourhood(records, members, window, add)
            continue
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                add(members[a], members[b])
    _neighbourhood(records, range(len(records)), window, add)
    return pairs


def _neighbourhood(
    records: Sequence[MatchRecord],
    members: Iterable[int],
    window: int,
    add: Callable[[int, int], None],
) -> None:
    """Pair each record with the next `window` records in compact-title order."""
    order = sorted(members, key=lambda i: "".join(records[i].tokens))
    for pos, i in enumerate(order):
        for j in order[pos + 1 : pos + 1 + window]:
            add(i, j)
