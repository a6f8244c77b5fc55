"""Stage 2 of the request guard: a multilingual second opinion for requests the first stage is
unsure about, trained and measured by held-out source like stage 1.

The first stage (``train_request_guard.py``) scores a request in a few milliseconds from static
word-piece vectors. Its weak spots are wording it has not seen and languages other than English.
Here a small MLP reads the request's multilingual-e5 sentence vector (the model already shipped
for policy questions) and says how likely it is to be blocked. At serving time it can only raise
the first stage's score, to ``(1 - weight) * first + weight * second``: averaging both ways let
the head veto confident first-stage blocks of workplace requests it reads poorly, which cost
recall on workplace wording. It is asked only when the first stage's score is at least ``band``
and below ``keep`` (above every bar), so the ~20-60 ms of e5 are spent only on the uncertain.

Steps, all outside the runtime package and through the serving code:

1. embed every line of every source with ``get_multilingual_embedder().embed_queries`` (cached in
   ``training/.cache/e5.pkl``);
2. leave one source out: train the head without it, score it; combine with stage 1's
   out-of-source scores saved in ``training/reports/request_guard_heldout.json``;
3. choose the per-clause bars on the combined out-of-source scores (stage 1's greedy search, same
   false-positive budget) and write them, with ``band``, ``weight`` and ``keep``, under
   ``second_opinion`` in ``guards/data/acceptable_use/thresholds.json`` (stage 1's bars, the
   default, stay as they are);
4. train the head on every source and write ``guards/data/acceptable_use/second_opinion.npz``.

The mode is off by default: e5 costs about 0.7 ms a character on one core (70 ms for 100
characters, 750 ms for 1,000), far over the request stage's 10 ms budget, and ordinary notes
often land in the band. Turn it on with ``[plugins.acceptable_use] second_opinion = true``.

Run after stage 1: ``python training/train_second_opinion.py`` (about 10 minutes with the cache).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import train_request_guard as stage1  # noqa: E402
from rai_assistant.embeddings import get_multilingual_embedder  # noqa: E402
from rai_assistant.guards._au_model import SECOND_OPINION_FILE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "training" / ".cache" / "e5.pkl"
REPORT = ROOT / "training" / "reports" / "request_guard_second_opinion.json"
BAND = 0.3
WEIGHT = 0.4
KEEP = 0.97  # above every bar: a first stage this sure needs no second opinion
HIDDEN = 256
EPOCHS = 60

Array = npt.NDArray[np.float32]


def embed_all(texts: Sequence[str]) -> Array:
    """e5 query vectors of ``texts``, cached by text hash."""
    store: dict[str, Array] = {}
    if CACHE.is_file():
        with CACHE.open("rb") as fh:
            store = pickle.load(fh)  # noqa: S301 - our own cache file
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in store]
    if todo:
        e5 = get_multilingual_embedder()
        for n in range(0, len(todo), 32):
            part = todo[n : n + 32]
            for i, v in zip(part, e5.embed_queries([texts[i] for i in part]), strict=True):
                store[keys[i]] = v
            print(f"  embedded {min(n + 32, len(todo))}/{len(todo)}", flush=True)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        with CACHE.open("wb") as fh:
            pickle.dump(store, fh)
    return np.vstack([store[k] for k in keys]).astype(np.float32)


def train_head(x: Array, y: npt.NDArray[np.int64], seed: int = 0) -> dict[str, Array]:
    """A one-hidden-layer MLP (ReLU, sigmoid out), class-balanced, Adam, L2."""
    rng = np.random.default_rng(seed)
    n, dim = x.shape
    params = {
        "w1": rng.normal(0, 1 / np.sqrt(dim), (dim, HIDDEN)).astype(np.float32),
        "b1": np.zeros(HIDDEN, np.float32),
        "w2": rng.normal(0, 1 / np.sqrt(HIDDEN), HIDDEN).astype(np.float32),
        "b2": np.zeros(1, np.float32),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v2 = {k: np.zeros_like(v) for k, v in params.items()}
    pos = float(y.mean())
    weights = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos)).astype(np.float32)
    lr, l2, step = 0.01, 1e-4, 0
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for s in range(0, n, 64):
            b = order[s : s + 64]
            h = np.maximum(0, x[b] @ params["w1"] + params["b1"])
            p = 1 / (1 + np.exp(-(h @ params["w2"] + params["b2"][0])))
            g = (p - y[b]) * weights[b] / len(b)
            gh = np.outer(g, params["w2"]) * (h > 0)
            grads = {
                "w1": x[b].T @ gh + l2 * params["w1"],
                "b1": gh.sum(0),
                "w2": h.T @ g + l2 * params["w2"],
                "b2": np.asarray([g.sum()], np.float32),
            }
            step += 1
            for k, gk in grads.items():
                m[k] = 0.9 * m[k] + 0.1 * gk
                v2[k] = 0.999 * v2[k] + 0.001 * gk * gk
                params[k] -= (lr * (m[k] / (1 - 0.9**step)) / (np.sqrt(v2[k] / (1 - 0.999**step)) + 1e-8)).astype(
                    np.float32
                )
    return params


def head_scores(params: dict[str, Array], x: Array) -> npt.NDArray[np.float64]:
    h = np.maximum(0, x @ params["w1"] + params["b1"])
    return np.asarray(1 / (1 + np.exp(-(h @ params["w2"] + params["b2"][0]))), dtype=np.float64)


def combine(first: float, second: float | None) -> float:
    """The serving formula (see ``rai_assistant.guards._au_model.SecondOpinion``)."""
    if first >= KEEP or first < BAND or second is None:
        return first
    return max(first, (1 - WEIGHT) * first + WEIGHT * second)


def main() -> int:
    sources = stage1.load_sources()
    items = [it for s in sources.values() for it in s]
    x = embed_all([it.text for it in items])
    y = np.asarray([1 if it.blocked else 0 for it in items], dtype=np.int64)
    src = np.asarray([it.source for it in items])
    rep = json.loads(stage1.REPORT_FILE.read_text(encoding="utf-8"))
    saved = iter(rep["scores"])
    second = np.zeros(len(items))
    for name in sources:
        if name == stage1.SEEDS_SOURCE:
            continue
        held = src == name
        second[held] = head_scores(train_head(x[~held], y[~held]), x[held])
        print(f"  held out {name}", flush=True)
    scored: list[tuple[stage1.Item, float, str]] = []
    first_only: list[tuple[stage1.Item, float, str]] = []
    for i, it in enumerate(items):
        if it.source == stage1.SEEDS_SOURCE:
            continue
        s = next(saved)
        if s["source"] != it.source or s["category"] != it.category:
            raise SystemExit("stage 1's saved scores do not match the sources: run train_request_guard.py --heldout first")
        scored.append((it, combine(float(s["score"]), float(second[i])), s["predicted"]))
        first_only.append((it, float(s["score"]), s["predicted"]))
    bars, curves = stage1.choose_thresholds(scored)

    def figures(rows: Sequence[tuple[stage1.Item, float, str]], bars: dict[str, float]) -> dict[str, object]:
        hit = [(i, p >= bars[stage1.CATEGORY_CLAUSE[c]]) for i, p, c in rows]
        out: dict[str, object] = {
            "recall": round(float(np.mean([b for i, b in hit if i.blocked])), 3),
            "fpr": round(float(np.mean([b for i, b in hit if not i.blocked])), 3),
            "hard_negative_fpr": round(float(np.mean([b for i, b in hit if i.hard_negative])), 3),
        }
        per: dict[str, object] = {}
        for name in sorted({i.source for i, _ in hit}):
            per[name] = {
                "recall": round(float(np.mean([b for i, b in hit if i.source == name and i.blocked])), 3),
                "fpr": round(float(np.mean([b for i, b in hit if i.source == name and not i.blocked])), 3),
            }
        langs: dict[str, object] = {}
        for lang in sorted({i.lang for i, _ in hit}):
            langs[lang] = round(float(np.mean([b for i, b in hit if i.lang == lang and i.blocked] or [0.0])), 3)
        out["per_source"], out["recall_by_lang"] = per, langs
        return out

    with_second = figures(scored, bars)
    alone = figures(first_only, stage1.choose_thresholds(first_only)[0])
    asked = float(np.mean([p >= BAND for (_i, p, _c) in first_only if not _i.blocked]))
    print(f"first stage alone:     {alone}")
    print(f"with second opinion:   {with_second}")
    print(f"second opinion asked for {asked:.2f} of allowed held-out requests; bars {bars}")
    head = train_head(x, y)
    np.savez_compressed(SECOND_OPINION_FILE, **head, band=np.float32(BAND), weight=np.float32(WEIGHT),
                        keep=np.float32(KEEP))
    # Stage 1's bars stay as they are (the default); this mode's bars go beside them.
    data = json.loads(stage1.THRESHOLDS_FILE.read_text(encoding="utf-8"))
    data["second_opinion"] = {"band": BAND, "weight": WEIGHT, "keep": KEEP, "thresholds": bars, "curves": curves}
    stage1.THRESHOLDS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    REPORT.write_text(
        json.dumps({"first_stage_alone": alone, "with_second_opinion": with_second, "asked_share_of_allowed": asked,
                    "bars": bars, "band": BAND, "weight": WEIGHT, "keep": KEEP}, indent=1) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
