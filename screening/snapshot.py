"""The screening features of a review, prepared once (right after an import) and stored in the
review's database, so that opening a large review loads a matrix instead of fitting one.

A snapshot holds, for one stage and one feature setting (the preset's features and title
weight, and the tokeniser's version): the record ids in matrix order, the TF-IDF matrix, and the
BM25 cold-start order with a digest of the protocol query it was computed for. It is used only
when the review's records are exactly those ids (records are never edited, so the same ids mean
the same texts) and is otherwise rebuilt; a cold-start order for another query is recomputed.
The arrays are stored with `numpy.save` (no pickles: a review file may come from someone else).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import select

from review import settings
from review.batches import visible_record
from review.blob_store import get_blob, put_blob
from review.db import Store
from review.models import Record
from screening.bm25 import cold_start_order, protocol_query
from screening.features import TOKENS_VERSION, TextFeatures, TokenCache, record_text
from screening.presets import Preset

log = logging.getLogger(__name__)

_RECORD = Record.__table__  # type: ignore[attr-defined]
FORMAT = "features-1"  # change when what a snapshot holds changes (part of the key)
LAYOUT = "features-1-raw"  # how it is laid out in bytes (`FORMAT` itself: an .npz archive)


@dataclass
class FeatureSnapshot:
    """Feature rows of `ids` (in that order) and the cold-start order for `query_digest`."""

    ids: np.ndarray
    matrix: sp.csr_matrix
    cold_start: np.ndarray | None = None
    query_digest: str = ""

    def to_bytes(self) -> bytes:
        """The snapshot as bytes: a JSON header naming each array's dtype, shape and place,
        then the arrays' raw bytes (no pickles), so loading them is a view, not a copy."""
        m = self.matrix
        arrays: dict[str, np.ndarray] = {
            "ids": self.ids.astype(np.int64),
            "data": m.data,
            "indices": m.indices,
            "indptr": m.indptr,
            "shape": np.asarray(m.shape, dtype=np.int64),
        }
        if self.cold_start is not None:
            arrays["cold_start"] = self.cold_start.astype(np.int64)
        layout, offset = {}, 0
        for name, a in arrays.items():
            a = np.ascontiguousarray(a)
            arrays[name] = a
            layout[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset}
            offset += a.nbytes + -a.nbytes % 8  # each array starts 8-byte aligned
        header = json.dumps({"format": LAYOUT, "query": self.query_digest, "arrays": layout})
        head = header.encode()
        head += b" " * (-(4 + len(head)) % 8)
        parts = [len(head).to_bytes(4, "little"), head]
        for a in arrays.values():
            parts += [a.tobytes(), bytes(-a.nbytes % 8)]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, raw: bytes | bytearray) -> FeatureSnapshot | None:
        """The snapshot in `raw` (its arrays are views into it), or None when it is of
        another format."""
        n = int.from_bytes(raw[:4], "little")
        header = json.loads(bytes(raw[4 : 4 + n]))
        if header.get("format") == FORMAT:  # the first layout: a numpy .npz archive
            return cls._from_npz(raw[4 + n :], header)
        if header.get("format") != LAYOUT:
            return None
        z: dict[str, np.ndarray] = {}
        for name, a in header["arrays"].items():
            dtype = np.dtype(a["dtype"])
            count = int(np.prod(a["shape"], dtype=np.int64))
            at = 4 + n + int(a["offset"])
            z[name] = np.frombuffer(raw, dtype, count, at).reshape(a["shape"])
        return cls._from_arrays(z, header)

    @classmethod
    def _from_npz(cls, raw: bytes | bytearray, header: dict[str, Any]) -> FeatureSnapshot:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            return cls._from_arrays({k: z[k] for k in z.files}, header)

    @classmethod
    def _from_arrays(cls, z: dict[str, np.ndarray], header: dict[str, Any]) -> FeatureSnapshot:
        shape = (int(z["shape"][0]), int(z["shape"][1]))
        matrix = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=shape, copy=False)
        return cls(z["ids"], matrix, z.get("cold_start"), header.get("query", ""))


def snapshot_key(preset: Preset, stage: str) -> str:
    """The blob key of `stage`'s snapshot for `preset`'s features."""
    feats = json.dumps(
        {"features": preset.features, "title_weight": preset.title_weight}, sort_keys=True
    )
    return hashlib.sha256(f"{FORMAT}|{TOKENS_VERSION}|{stage}|{feats}".encode()).hexdigest()


def query_digest(query: tuple[str, str]) -> str:
    """A digest of the cold start's (positive, negative) protocol query."""
    return hashlib.sha256("\0".join(query).encode()).hexdigest()


def record_texts(store: Store, preset: Preset) -> tuple[list[int], list[str]]:
    """Record ids (import order, loading imports hidden) and the text the ranker sees."""
    rec = _RECORD
    q = select(rec.c.id, rec.c.title, rec.c.abstract).where(visible_record(rec))
    with store.begin() as conn:
        rows = conn.execute(q.order_by(rec.c.id)).all()
    tw = preset.title_weight
    return [int(i) for i, _, _ in rows], [record_text(t, a, tw) for _, t, a in rows]


def build_snapshot(
    store: Store,
    preset: Preset,
    ids: list[int],
    texts: list[str],
    tokens: TokenCache | None,
    *,
    stage: str = "title-abstract",
    save: bool = True,
) -> tuple[FeatureSnapshot, TextFeatures]:
    """Fit `preset`'s features and the BM25 cold start on `texts` (the rows of `ids`), and
    store them as the review's snapshot (unless `save` is false). Returns the snapshot and
    the fitted features."""
    features = preset.make_features()
    features.token_cache = tokens
    matrix = features.fit_transform(texts)
    protocol = settings.protocol(store).model_dump()
    cold = cold_start_order(texts, protocol, tokens)
    snap = FeatureSnapshot(
        np.asarray(ids, dtype=np.int64), matrix, cold, query_digest(protocol_query(protocol))
    )
    if save:
        save_snapshot(store, preset, stage, snap)
    return snap, features


def record_ids(store: Store) -> np.ndarray:
    """The ids of the review's records (loading imports hidden), in import order: the rows
    `open_ranker` builds features for."""
    rec = _RECORD  # a Core query: 100,000 ids in milliseconds, not through the ORM
    with store.begin() as conn:
        ids = conn.execute(select(rec.c.id).where(visible_record(rec)).order_by(rec.c.id))
        return np.fromiter((i for (i,) in ids), dtype=np.int64)


def save_snapshot(store: Store, preset: Preset, stage: str, snap: FeatureSnapshot) -> None:
    """Store `snap` as the review's snapshot for `preset`'s features at `stage`."""
    put_blob(store, snapshot_key(preset, stage), snap.to_bytes())


def load_snapshot(store: Store, preset: Preset, stage: str, ids: Any) -> FeatureSnapshot | None:
    """The stored snapshot when it covers exactly `ids` (in order), else None."""
    raw = get_blob(store, snapshot_key(preset, stage))
    if raw is None:
        return None
    try:
        snap = FeatureSnapshot.from_bytes(raw)
    except (ValueError, KeyError, OSError) as e:  # a damaged blob is rebuilt, not fatal
        log.warning("feature snapshot unreadable (%s); features will be fitted", e)
        return None
    if snap is None or not np.array_equal(snap.ids, np.asarray(ids, dtype=np.int64)):
        return None
    return snap
