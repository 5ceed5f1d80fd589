"""py3langid's language identification for many texts at once, with the same answers.

py3langid walks a byte automaton over each text in a Python loop (about 2 ms for an abstract,
200 s for 100,000 records). The automaton is an Aho-Corasick one: its state after any byte
depends only on the last `depth` bytes (the longest byte n-gram it knows), so the states at
every position of a batch are found by walking all positions' last `depth` bytes at once with
numpy. The naive Bayes scores are then computed per text exactly as py3langid does (features
in order of first occurrence, `log1p(counts) @ ptc + pc`, aliased labels folded), so the label
is the one `py3langid.classify` gives (tests/screening/test_langid_batch.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

BATCH_BYTES = 4_000_000  # positions walked at once (a few arrays of this many int64)


@lru_cache(maxsize=1)
def _model() -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    from py3langid.langid import _get_identifier

    ide = _get_identifier()
    nextmove = np.asarray(ide.tk_nextmove).astype(np.int32)
    rowbase = np.asarray(ide._rowbase, dtype=np.int32)
    output = np.asarray(ide.tk_output, dtype=np.int64)
    # the feature weights as float32: what py3langid's float16 table is cast to for its product
    ptc = np.asarray(ide.nb_ptc, dtype=np.float32)
    return ide, nextmove, rowbase, output, _depth(nextmove, rowbase), ptc


def _depth(nextmove: np.ndarray, rowbase: np.ndarray) -> int:
    """The longest path from the start state to a state first reached on it (breadth first):
    the length of the longest n-gram a state stands for."""
    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        nxt = np.unique(nextmove[(rowbase[frontier][:, None] + np.arange(256)).ravel()])
        nxt = nxt[~seen[nxt]]
        if not len(nxt):
            return depth
        seen[nxt] = True
        frontier, depth = nxt, depth + 1


def detect_languages(texts: Sequence[str], max_chars: int = 2000) -> list[str]:
    """The language of each text as `screening.language.detect_language` gives it ("" for an
    empty text): py3langid on the first `max_chars` characters of the stripped text."""
    ide, nextmove, rowbase, output, depth, ptc = _model()
    encoded = [ide._encode(t.strip()[:max_chars]) if t.strip() else b"" for t in texts]
    out = [""] * len(texts)
    start = 0
    while start < len(encoded):
        end, size = start, 0
        while end < len(encoded) and (size == 0 or size + len(encoded[end]) <= BATCH_BYTES):
            size += len(encoded[end])
            end += 1
        batch = encoded[start:end]
        for i, lang in enumerate(_classify(batch, ide, nextmove, rowbase, output, depth, ptc)):
            out[start + i] = lang
        start = end
    return out


def _classify(
    batch: list[bytes],
    ide: Any,
    nextmove: np.ndarray,
    rowbase: np.ndarray,
    output: np.ndarray,
    depth: int,
    ptc: np.ndarray,
) -> list[str]:
    lengths = np.fromiter((len(b) for b in batch), dtype=np.int64, count=len(batch))
    pad = depth - 1  # zero bytes before the batch: only read for the first bytes of a text
    buf = np.frombuffer(bytes(pad) + b"".join(batch), dtype=np.uint8).astype(np.int32)
    n = len(buf) - pad
    ends = np.cumsum(lengths)
    starts = ends - lengths
    state = np.zeros(n, dtype=np.int32)
    for back in range(depth - 1, -1, -1):  # walk each position's last `depth` bytes
        state = nextmove[rowbase[state] + buf[pad - back : pad - back + n]]
    # the first `depth - 1` positions of a text saw bytes of the text before it: walk them
    # from the text's start instead
    for k in range(min(depth - 1, int(lengths.max(initial=0)))):
        rows = starts[lengths > k] + k
        s = np.zeros(len(rows), dtype=np.int32)
        for j in range(k, -1, -1):
            s = nextmove[rowbase[s] + buf[pad + rows - j]]
        state[rows] = s
    feats = output[state]
    text = np.repeat(np.arange(len(batch)), lengths)
    keep = feats >= 0
    # (text, feature) pairs with their counts, each text's features by first occurrence
    # (py3langid's Counter order)
    key = text[keep] * np.int64(len(output)) + feats[keep]
    uniq, first_at, counts = np.unique(key, return_index=True, return_counts=True)
    pair_text = uniq // len(output)
    order = np.lexsort((first_at, pair_text))
    pair_text, feat, counts = pair_text[order], (uniq % len(output))[order], counts[order]
    bounds = np.searchsorted(pair_text, np.arange(len(batch) + 1))
    floor = float(np.finfo(np.float32).min)
    labels = []
    for t, raw in enumerate(batch):
        if not raw:
            labels.append("")
            continue
        a, b = bounds[t], bounds[t + 1]
        if a == b:
            scores = np.full(len(ide.nb_classes), floor, dtype=np.float32)
        else:
            c = counts[a:b].astype(np.float32)
            scores = np.log1p(c) @ ptc[feat[a:b].astype(np.intp)] + ide.nb_pc
        for i, j in ide._alias_pairs:
            scores[i] = max(scores[i], scores[j])
            scores[j] = floor
        labels.append(str(ide.nb_classes[int(scores.argmax())]))
    return labels
