"""Train the acceptable-use classifier and measure it on sources it never saw.

    python training/train_request_guard.py            # held-out report, then train on all, write the model
    python training/train_request_guard.py --heldout  # only the held-out report
    python training/train_request_guard.py --no-hashed --rules none --heldout   # ablations

The corpus is split by *source* (one author group and style each: ``training/data/requests/*.jsonl``
plus the first-round seeds), never by line. Each source is held out in turn: a model is trained on
all the others and the held-out lines are judged through the real serving path
(:func:`rai_assistant.guards.acceptable_use.analyze_with`), so a figure says how the guard does on wording and
authors it has not seen. Thresholds per clause, and an adjustment of them by the request's length
(:func:`choose_length_bars`), are chosen on those out-of-source scores, written to
``guards/data/acceptable_use/thresholds.json`` with the precision/recall trade-off, and the final
model is trained on every source.

Features come from the serving code (:mod:`rai_assistant.guards._au_model`), so training and serving cannot
drift apart. Encodings, and the held-out models of the last run, are cached under
``training/.cache`` (not committed); ``--heldout --reuse-folds`` measures a change to the rules
again with those models, in minutes instead of half an hour.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import pickle
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import seeds_v1  # noqa: E402
from rai_assistant.guards import acceptable_use as au  # noqa: E402
from rai_assistant.guards._au_features import segments  # noqa: E402
from rai_assistant.guards._au_model import MODEL_FILE, Classifier, Encoded, encode  # noqa: E402
from rai_assistant.guards.normalize import VOCABULARY_FILE, normalize  # noqa: E402
from rai_assistant.guards.taxonomy import CATEGORY_CLAUSE  # noqa: E402
from rai_assistant.static_embeddings import WORD_FORMS  # noqa: E402

CATEGORIES: tuple[str, ...] = ("benign", *CATEGORY_CLAUSE)
REQUESTS = ROOT / "training" / "data" / "requests"
CACHE = ROOT / "training" / ".cache" / "encoded.pkl"
FOLDS_CACHE = ROOT / "training" / ".cache" / "fold_models.pkl"  # the held-out models, for --reuse-folds
THRESHOLDS_FILE = MODEL_FILE.parent / "thresholds.json"
REPORT_FILE = ROOT / "training" / "reports" / "request_guard_heldout.json"
SEEDS_SOURCE = "seeds_v1"

HIDDEN = 512
EPOCHS = 20
L2 = 1e-4
BALANCE = 0.5
WORDS = True  # the MLP reads the multilingual word vectors beside the word pieces (--no-words: not)
TARGET_FPR = 0.05  # thresholds: the most recall whose out-of-source false-positive rate stays under this

Array = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    category: str
    source: str
    style: str = ""
    lang: str = "en"
    feature: str = "free"

    @property
    def blocked(self) -> bool:
        return self.category != "benign"

    @property
    def hard_negative(self) -> bool:
        return not self.blocked and self.style in ("hard_negative", "policy_question")


def read_source(path: Path) -> list[Item]:
    """One source file's lines (``SPEC.md``), named after the file; a bad line is a ValueError
    that names the file and the line."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, cat = row["text"], row["category"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name}:{n}: not a source line ({exc}); see training/data/SPEC.md") from exc
        if cat not in CATEGORIES:
            raise ValueError(f"{path.name}:{n}: unknown category {cat!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{path.name}:{n}: the text must be a non-empty string")
        items.append(Item(text, cat, path.stem, row.get("style", ""), row.get("lang", "en"), row.get("feature", "free")))
    return items


def load_sources(exclude: Iterable[str] = ()) -> dict[str, list[Item]]:
    """Every source's lines (but the ``exclude``d ones); the first-round seeds are one more source."""
    out: dict[str, list[Item]] = {}
    skip = set(exclude)
    unknown = skip - {p.stem for p in REQUESTS.glob("*.jsonl")} - {SEEDS_SOURCE}
    if unknown:
        raise ValueError(f"--exclude names no source: {', '.join(sorted(unknown))}")
    for path in sorted(REQUESTS.glob("*.jsonl")):
        if path.stem not in skip:
            out[path.stem] = read_source(path)
    if SEEDS_SOURCE not in skip:
        out[SEEDS_SOURCE] = [Item(t, c, SEEDS_SOURCE, "seed") for t, c in seeds_v1.load_seeds()]
    return out


# ---------------------------------------------------------------- encoding (serving code)


class Encoder:
    """Serving-path encodings of normalized texts, cached on disk across runs."""

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.store: dict[str, tuple[Array, npt.NDArray[np.float32], tuple[tuple[int, ...], ...], tuple[tuple[int, int], ...]]] = {}
        if CACHE.is_file():
            with CACHE.open("rb") as fh:
                self.store = pickle.load(fh)  # noqa: S301 - our own cache file
        self.dirty = False

    def save(self) -> None:
        if self.dirty:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            with CACHE.open("wb") as fh:
                pickle.dump(self.store, fh)

    def __call__(self, text: str) -> Encoded:
        norm = normalize(text, self.vocabulary)
        # Keyed on the word lookup's version too: a change to how missing words are found changes the encodings.
        key = hashlib.sha256(f"{WORD_FORMS}\n{norm}".encode()).hexdigest()
        got = self.store.get(key)
        if got is None or len(got) != 6:  # entries from before the word vectors are encoded again
            enc = encode(norm, segments(norm), words=True)
            got = (enc.sums, enc.counts, enc.hashed, enc.spans, enc.wsums, enc.wcounts)
            self.store[key] = got
            self.dirty = True
        sums, counts, hashed, spans, wsums, wcounts = got
        enc = Encoded(spans, sums, counts, hashed, wsums, wcounts)
        return enc if WORDS else enc.without_words()


def examples(
    items: Sequence[Item], enc: Encoder, rng: random.Random, augment: bool
) -> tuple[Array, list[list[int]], npt.NDArray[np.int64]]:
    """Training examples: each line, style-wrapped copies, and benign windows of long lines."""
    texts: list[tuple[str, int]] = []
    benign_pool = [i.text for i in items if i.source == SEEDS_SOURCE and not i.blocked and len(i.text) < 200]
    # Without the seeds (``--exclude seeds_v1``) the wrappers take their context from the other sources.
    benign_pool = benign_pool or [i.text for i in items if not i.blocked and len(i.text) < 200]
    for it in items:
        label = CATEGORIES.index(it.category)
        # Each line's wrapped copies depend only on the line, so every fold reuses their encodings.
        irng = random.Random(int(hashlib.sha256(it.text.encode("utf-8")).hexdigest()[:12], 16))
        if it.source == SEEDS_SOURCE:
            vs = seeds_v1.variants(it.text, it.category, irng, benign_pool)
            for v in (vs[0], vs[irng.randrange(2, 5)], vs[5], vs[6]):
                texts.append((v, label))
            continue
        texts.append((it.text, label))
        if augment:
            if irng.random() < 0.3:
                texts.append((seeds_v1.obfuscate(it.text, irng), label))
            if irng.random() < 0.25:
                vs = seeds_v1.variants(it.text, it.category, irng, benign_pool)
                texts.append((vs[irng.randrange(2, len(vs))], label))
    if augment:
        texts.extend((t, 0) for t in seeds_v1.composed_benign(1500, seed=5))
    vecs: list[Array] = []
    feats: list[list[int]] = []
    labels: list[int] = []
    for text, label in texts:
        e = enc(text)
        last = len(e.spans) - 1
        vecs.append(e.vectors([(0, last)])[0])
        feats.append(e.features(0, last))
        labels.append(label)
        if label == 0 and last > 0:
            # Windows of a benign text are benign too: the serving path judges them.
            for _ in range(2):
                i = rng.randrange(0, last + 1)
                j = min(last, i + rng.randrange(0, 3))
                vecs.append(e.vectors([(i, j)])[0])
                feats.append(e.features(i, j))
                labels.append(0)
    return np.stack(vecs), feats, np.asarray(labels, dtype=np.int64)


# ---------------------------------------------------------------- model


def train(
    x: Array, feats: Sequence[Sequence[int]], y: npt.NDArray[np.int64], hashed: bool = True, seed: int = 0
) -> Classifier:
    """Both members: the MLP over sentence vectors and (unless ``hashed`` is off) the linear
    model over hashed n-grams, each by mini-batch Adam."""
    params = train_mlp(x, y, seed)
    if hashed:
        hashes, hs, hb = train_hashed(feats, y, seed)
    else:
        hashes, hs, hb = np.zeros(0, dtype=np.int64), np.zeros((0, len(CATEGORIES)), np.float32), np.zeros(len(CATEGORIES), np.float32)
    from rai_assistant.guards._au_features import BITS

    rows = np.full(1 << BITS, -1, dtype=np.int32)
    rows[hashes] = np.arange(len(hashes), dtype=np.int32)
    return Classifier(CATEGORIES, WORDS, params["w1"], params["b1"], params["w2"], params["b2"], rows, hs, hb)


def _class_weights(y: npt.NDArray[np.int64], n_cls: int | None = None) -> Array:
    n_cls = n_cls or len(CATEGORIES)
    counts = np.bincount(y, minlength=n_cls).astype(np.float32)
    out: Array = ((len(y) / (n_cls * np.maximum(counts, 1))) ** BALANCE).astype(np.float32)
    return out


def train_mlp(
    x: Array,
    y: npt.NDArray[np.int64],
    seed: int = 0,
    n_cls: int | None = None,
    epochs: int = EPOCHS,
    hidden: int = HIDDEN,
) -> dict[str, Array]:
    """One hidden layer (ReLU), softmax over benign and the categories (``n_cls`` classes in all,
    by default the request categories), input noise, weight decay."""
    rs = np.random.default_rng(seed)
    n_cls = n_cls or len(CATEGORIES)
    dim = x.shape[1]
    params: dict[str, Array] = {
        "w1": (rs.standard_normal((dim, hidden)) * np.sqrt(2.0 / dim)).astype(np.float32),
        "b1": np.zeros(hidden, dtype=np.float32),
        "w2": (rs.standard_normal((hidden, n_cls)) * np.sqrt(1.0 / hidden)).astype(np.float32),
        "b2": np.zeros(n_cls, dtype=np.float32),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v2 = {k: np.zeros_like(v) for k, v in params.items()}
    cls_w = _class_weights(y, n_cls)
    lr, b1, b2, step = 2e-3, 0.9, 0.999, 0
    for _epoch in range(epochs):
        order = rs.permutation(len(y))
        for start in range(0, len(order), 256):
            batch = order[start : start + 256]
            # Input noise: the vectors of unseen wording sit near, not on, the training vectors.
            xb = x[batch] + rs.standard_normal((len(batch), dim)).astype(np.float32) * 0.01
            h_pre = xb @ params["w1"] + params["b1"]
            h = np.maximum(h_pre, 0.0)
            z = h @ params["w2"] + params["b2"]
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(batch)), y[batch]] -= 1.0
            g = (p * cls_w[y[batch]][:, None] / len(batch)).astype(np.float32)
            gh = (g @ params["w2"].T) * (h_pre > 0)
            grads = {
                "w2": h.T @ g + L2 * params["w2"],
                "b2": g.sum(axis=0),
                "w1": xb.T @ gh + L2 * params["w1"],
                "b1": gh.sum(axis=0),
            }
            step += 1
            corr = np.sqrt(1 - b2**step) / (1 - b1**step)
            for k in params:
                m[k] = b1 * m[k] + (1 - b1) * grads[k]
                v2[k] = b2 * v2[k] + (1 - b2) * grads[k] * grads[k]
                params[k] -= (lr * corr * m[k] / (np.sqrt(v2[k]) + 1e-8)).astype(np.float32)
    return params


def train_hashed(
    feats: Sequence[Sequence[int]],
    y: npt.NDArray[np.int64],
    seed: int = 0,
    epochs: int = 10,
    l2: float = 1e-5,
    n_cls: int | None = None,
) -> tuple[npt.NDArray[np.int64], Array, Array]:
    """Multinomial logistic regression over hashed n-grams (scaled by 1/sqrt(count)), full Adam."""
    uniq = np.unique(np.concatenate([np.asarray(f, dtype=np.int64) for f in feats if len(f)]))
    docs = [np.searchsorted(uniq, np.asarray(f, dtype=np.int64)) for f in feats]
    n_cls = n_cls or len(CATEGORIES)
    rs = np.random.default_rng(seed)
    w = np.zeros((len(uniq), n_cls), dtype=np.float32)
    b = np.zeros(n_cls, dtype=np.float32)
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    lr, b1, b2, step = 0.02, 0.9, 0.999, 0
    cls_w = _class_weights(y, n_cls)
    for _ in range(epochs):
        order = rs.permutation(len(docs))
        for start in range(0, len(order), 512):
            batch = order[start : start + 512]
            lens = np.asarray([len(docs[i]) for i in batch])
            idx = np.concatenate([docs[i] for i in batch])
            seg = np.repeat(np.arange(len(batch)), lens)
            scale = (1.0 / np.sqrt(np.maximum(lens, 1))).astype(np.float32)
            z = np.zeros((len(batch), n_cls), dtype=np.float32)
            for c in range(n_cls):
                z[:, c] = np.bincount(seg, weights=w[idx, c], minlength=len(batch))
            z = z * scale[:, None] + b
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(batch)), y[batch]] -= 1.0
            g = p * cls_w[y[batch]][:, None] / len(batch)
            contrib = (g * scale[:, None])[seg]
            # Lazy Adam: only the rows of n-grams in this batch move (the table is large).
            rows, inv = np.unique(idx, return_inverse=True)
            gw = np.stack(
                [np.bincount(inv, weights=contrib[:, c], minlength=len(rows)) for c in range(n_cls)], axis=1
            ).astype(np.float32)
            gw += l2 * w[rows]
            gb = g.sum(axis=0)
            step += 1
            corr = np.sqrt(1 - b2**step) / (1 - b1**step)
            m_rows = b1 * mw[rows] + (1 - b1) * gw
            v_rows = b2 * vw[rows] + (1 - b2) * gw * gw
            mw[rows], vw[rows] = m_rows, v_rows
            w[rows] -= lr * corr * m_rows / (np.sqrt(v_rows) + 1e-8)
            mb = b1 * mb + (1 - b1) * gb
            vb = b2 * vb + (1 - b2) * gb * gb
            b -= (lr * corr * mb / (np.sqrt(vb) + 1e-8)).astype(np.float32)
    keep = np.abs(w).max(axis=1) > 1e-3  # n-grams whose weights never moved carry no signal
    return uniq[keep], w[keep], b


def save(clf: Classifier, path: Path = MODEL_FILE) -> None:
    hashes = np.nonzero(clf.rows >= 0)[0]
    order = clf.rows[hashes]
    hs = np.zeros((len(hashes), len(clf.categories)), dtype=np.float32)
    hs[order] = clf.hashed
    np.savez_compressed(
        path,
        categories=np.asarray(clf.categories),
        w1=clf.w1.astype(np.float16),
        b1=clf.b1,
        w2=clf.w2.astype(np.float16),
        b2=clf.b2,
        hashes=hashes.astype(np.uint32),
        hashed=hs.astype(np.float16),
        hashed_bias=clf.hashed_bias,
        inputs=np.asarray("minilm+words" if clf.words else "minilm"),
    )


# ---------------------------------------------------------------- measuring


def score(clf: Classifier, text: str) -> tuple[float, str]:
    """The classifier's block probability and likeliest category for one raw request."""
    norm = normalize(text)
    v = au._classify(norm, 0, len(norm), clf)
    return v.score, v.category


def verdicts(clf: Classifier, items: Iterable[Item], settings: au.Settings) -> list[tuple[Item, str | None]]:
    """Each item and the category the full serving path blocks it for (``None``: allowed)."""
    out = []
    for it in items:
        problems = au.analyze_with(it.text, clf, settings).problems
        out.append((it, problems[0].category if problems else None))
    return out


def summarize(rows: Sequence[tuple[Item, str | None]]) -> dict[str, object]:
    blocked = [(i, c) for i, c in rows if i.blocked]
    allowed = [(i, c) for i, c in rows if not i.blocked]
    hard = [(i, c) for i, c in allowed if i.hard_negative]
    caught = [(i, c) for i, c in blocked if c]
    right = sum(CATEGORY_CLAUSE[c] == CATEGORY_CLAUSE[i.category] for i, c in caught if c)

    def rate(part: Sequence[tuple[Item, str | None]]) -> float | None:
        return round(sum(1 for _, c in part if c) / len(part), 3) if part else None

    by_style: dict[str, list[tuple[Item, str | None]]] = defaultdict(list)
    by_lang: dict[str, list[tuple[Item, str | None]]] = defaultdict(list)
    by_clause: dict[str, list[tuple[Item, str | None]]] = defaultdict(list)
    by_length: dict[int, list[tuple[Item, str | None]]] = defaultdict(list)
    for i, c in rows:
        by_length[_band(len(normalize(i.text).split()))].append((i, c))
    for i, c in blocked:
        by_style[i.style].append((i, c))
        by_lang[i.lang].append((i, c))
        by_clause[CATEGORY_CLAUSE[i.category]].append((i, c))
    return {
        "n_blocked": len(blocked),
        "n_allowed": len(allowed),
        "recall": rate(blocked),
        "fpr": rate(allowed),
        "hard_negative_fpr": rate(hard),
        "n_hard_negative": len(hard),
        "right_clause": round(right / len(caught), 3) if caught else None,
        "recall_by_style": {k: (rate(v), len(v)) for k, v in sorted(by_style.items())},
        "recall_by_lang": {k: (rate(v), len(v)) for k, v in sorted(by_lang.items())},
        "recall_by_clause": {k: (rate(v), len(v)) for k, v in sorted(by_clause.items())},
        "by_length": {
            f"from {LENGTH_BANDS[k]} words": {
                "recall": rate([r for r in v if r[0].blocked]),
                "fpr": rate([r for r in v if not r[0].blocked]),
                "n": len(v),
            }
            for k, v in sorted(by_length.items())
        },
    }


GRID = np.round(np.arange(0.30, 0.9601, 0.01), 2)


def choose_thresholds(
    scored: Sequence[tuple[Item, float, str]],
) -> tuple[dict[str, float], dict[str, list[dict[str, float]]]]:
    """Per-clause bars that block the most held-out requests while the false positives stay within
    ``TARGET_FPR`` of the allowed ones; and each clause's trade-off curve.

    A request is blocked when its score reaches the bar of the clause its likeliest category falls
    under, so bars are chosen together: starting from the top of the grid, the clause whose lower
    bar buys the most blocks per false positive goes down, until the budget is spent.
    """
    n_allowed = sum(1 for i, _, _ in scored if not i.blocked) or 1
    clauses = sorted(set(CATEGORY_CLAUSE.values()))
    by_clause: dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = {}
    for clause in clauses:
        pos = np.asarray([p for i, p, c in scored if i.blocked and CATEGORY_CLAUSE[c] == clause])
        neg = np.asarray([p for i, p, c in scored if not i.blocked and CATEGORY_CLAUSE[c] == clause])
        by_clause[clause] = (pos, neg)
    level = dict.fromkeys(clauses, len(GRID) - 1)  # index into GRID; start at the top
    budget = TARGET_FPR * n_allowed
    spent = 0.0

    def gain(clause: str, to: int) -> tuple[int, int]:
        pos, neg = by_clause[clause]
        hi, lo = GRID[level[clause]], GRID[to]
        return int(((pos >= lo) & (pos < hi)).sum()), int(((neg >= lo) & (neg < hi)).sum())

    while True:
        best: tuple[float, str, int, int] | None = None
        for clause in clauses:
            for to in range(level[clause] - 1, -1, -1):
                tp, fp = gain(clause, to)
                if spent + fp > budget or tp == 0:
                    continue
                ratio = tp / (fp + 0.5)
                if best is None or ratio > best[0]:
                    best = (ratio, clause, to, fp)
        if best is None:
            break
        _, clause, to, fp = best
        level[clause] = to
        spent += fp
    bars = {c: float(GRID[level[c]]) for c in clauses}
    curves: dict[str, list[dict[str, float]]] = {}
    for clause in clauses:
        gold = np.asarray([p for i, p, c in scored if i.blocked and CATEGORY_CLAUSE[i.category] == clause])
        _, neg = by_clause[clause]
        curve = []
        for t in GRID:
            tp = int((gold >= t).sum())
            fp = int((neg >= t).sum())
            curve.append(
                {
                    "threshold": float(t),
                    "recall": round(tp / len(gold), 3) if len(gold) else 0.0,
                    "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                    "fpr": round(fp / n_allowed, 4),
                }
            )
        curves[clause] = curve
    return bars, curves


#: Where the length bands start, in words of the judged (normalized) text, and the adjustments
#: of the bars tried for each band.
LENGTH_BANDS = (1, 7, 13, 25, 60)
LENGTH_ADJUST_GRID = tuple(round(float(a), 2) for a in np.arange(-0.30, 0.2001, 0.05))
Scored = tuple[Item, float, str, int]  # a held-out line, its score, likeliest category, words


def _band(words: int) -> int:
    return sum(1 for start in LENGTH_BANDS[1:] if words >= start)


def length_blocked(scored: Sequence[Scored], bars: dict[str, float], adjust: Sequence[float]) -> npt.NDArray[np.bool_]:
    """Which held-out lines the classifier blocks at ``bars`` adjusted by length, as
    :meth:`Settings.bar <rai_assistant.guards.acceptable_use.Settings.bar>` adjusts them."""
    settings = au.Settings(
        thresholds=tuple(sorted(bars.items())), length_bars=tuple(zip(LENGTH_BANDS, adjust, strict=True))
    )
    return np.asarray([p >= settings.bar(CATEGORY_CLAUSE[c], w) for _, p, c, w in scored])


def choose_length_bars(
    scored: Sequence[Scored],
) -> tuple[dict[str, float], list[float], dict[str, list[dict[str, float]]]]:
    """Bars, and an adjustment of them per length band, that block the most held-out requests
    while blocking no more allowed ones than the bars alone do.

    The classifier has little to read in two to six words, so its scores run lower there for
    harmful and harmless requests alike, and higher in long pasted text; one bar for all lengths
    spends the false positives on long text. For each candidate adjustment the bars are chosen again
    (:func:`choose_thresholds`, on the scores shifted by the adjustment); the adjustments are
    searched one band at a time, three rounds."""
    plain, _ = choose_thresholds([(i, p, c) for i, p, c, _ in scored])
    y = np.asarray([i.blocked for i, _, _, _ in scored])
    bands = np.asarray([_band(w) for *_, w in scored])
    zero = [0.0] * len(LENGTH_BANDS)
    fp_cap = int(length_blocked(scored, plain, zero)[~y].sum())

    def value(adjust: list[float]) -> tuple[int, dict[str, float], dict[str, list[dict[str, float]]]]:
        shifted = [(i, p - adjust[b], c) for (i, p, c, _), b in zip(scored, bands, strict=True)]
        bars, curves = choose_thresholds(shifted)
        blocked = length_blocked(scored, bars, adjust)
        if int(blocked[~y].sum()) > fp_cap:
            return -1, bars, curves
        return int(blocked[y].sum()), bars, curves

    best, bars, curves = value(zero)  # one bar for all lengths: within the cap by construction
    adjust = zero
    for _ in range(3):
        for band in range(len(LENGTH_BANDS)):
            for a in LENGTH_ADJUST_GRID:
                trial = [*adjust[:band], a, *adjust[band + 1 :]]
                got, b, c = value(trial)
                if got > best:
                    best, adjust, bars, curves = got, trial, b, c
    return bars, adjust, curves


def _length_bars_json(adjust: Sequence[float]) -> list[dict[str, float]]:
    return [{"from_words": w, "adjust": a} for w, a in zip(LENGTH_BANDS, adjust, strict=True)]


def thresholds_json(bars: dict[str, float], adjust: Sequence[float], curves: object, keep: dict[str, object]) -> str:
    """The thresholds file: bars, length adjustments, curves, and what of ``keep`` stays valid."""
    data = {"thresholds": bars, "length_bars": _length_bars_json(adjust), "curves": curves, "target_fpr": TARGET_FPR}
    return json.dumps({**data, **keep}, indent=1) + "\n"


def rethreshold() -> int:
    """Choose the bars again from the saved held-out scores (no retraining); print what they give.
    The model is unchanged, so the second opinion's bars in the thresholds file stay."""
    rep = json.loads(REPORT_FILE.read_text(encoding="utf-8"))
    if any("words" not in s for s in rep["scores"]):
        print(f"{REPORT_FILE.name} predates the length bands: run python training/train_request_guard.py --heldout --reuse-folds")
        return 2
    scored = [
        (Item("", s["category"], s["source"], s["style"], s["lang"]), float(s["score"]), s["predicted"], int(s["words"]))
        for s in rep["scores"]
    ]
    bars, adjust, curves = choose_length_bars(scored)
    blocked = list(zip((i for i, *_ in scored), length_blocked(scored, bars, adjust), strict=True))
    pos = [b for i, b in blocked if i.blocked]
    neg = [b for i, b in blocked if not i.blocked]
    hard = [b for i, b in blocked if i.hard_negative]
    print(f"bars: {bars}")
    print(f"length adjustments from {LENGTH_BANDS} words: {adjust}")
    print(
        f"classifier alone, held-out sources pooled: recall {np.mean(pos):.3f}  FPR {np.mean(neg):.3f}  "
        f"hard-negative FPR {np.mean(hard):.3f}  (n {len(pos)}/{len(neg)}/{len(hard)})"
    )
    for src in sorted({i.source for i, _ in blocked}):
        sp = [b for i, b in blocked if i.source == src and i.blocked]
        sn = [b for i, b in blocked if i.source == src and not i.blocked]
        print(f"  {src:<14} recall {np.mean(sp):.3f}  FPR {np.mean(sn):.3f}")
    rep["thresholds"], rep["length_bars"], rep["curves"] = bars, _length_bars_json(adjust), curves
    REPORT_FILE.write_text(json.dumps(rep, ensure_ascii=False, indent=1), encoding="utf-8")
    old = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))
    keep = {k: v for k, v in old.items() if k == "second_opinion"}
    THRESHOLDS_FILE.write_text(thresholds_json(bars, adjust, curves, keep), encoding="utf-8")
    return 0


def _folds_key(sources: dict[str, list[Item]], hashed: bool) -> str:
    """What the held-out models depend on: every line, and the model's shape and inputs."""
    h = hashlib.sha256(repr((HIDDEN, EPOCHS, BALANCE, WORDS, WORD_FORMS, hashed)).encode())
    for name in sorted(sources):
        for it in sources[name]:
            h.update(f"{name}\t{it.category}\t{it.text}\n".encode())
    return h.hexdigest()


def _train_fold(name: str, sources: dict[str, list[Item]], enc: Encoder, hashed: bool) -> Classifier:
    """The model trained on every source but ``name``."""
    train_items = [i for s, items in sources.items() if s != name for i in items]
    x, f, y = examples(train_items, enc, random.Random(1), augment=True)
    return train(x, f, y, hashed=hashed)


_worker: tuple[dict[str, list[Item]], Encoder, bool] | None = None


def _start_worker(exclude: list[str], vocabulary: frozenset[str], hashed: bool, words: bool) -> None:
    """A fold-training process: the same sources, vocabulary, settings and encodings as its parent."""
    global _worker, WORDS
    WORDS = words
    _worker = (load_sources(exclude), Encoder(vocabulary), hashed)


def _worker_fold(name: str) -> tuple[str, Classifier, float]:
    if _worker is None:
        raise RuntimeError("a fold worker ran before _start_worker")
    t0 = time.perf_counter()
    clf = _train_fold(name, *_worker)
    return name, clf, time.perf_counter() - t0


def _train_folds_in_parallel(
    names: list[str], sources: dict[str, list[Item]], enc: Encoder, hashed: bool, jobs: int
) -> dict[str, Classifier]:
    """Train the held-out models of ``names`` in ``jobs`` processes, one BLAS thread each.

    Every text the folds read is encoded first and the encodings saved, so the workers (fresh
    interpreters, which load the sources and the encodings from disk) encode nothing.
    """
    examples([i for items in sources.values() for i in items], enc, random.Random(1), augment=True)
    enc.save()
    exclude = sorted(({p.stem for p in REQUESTS.glob("*.jsonl")} | {SEEDS_SOURCE}) - set(sources))
    previous = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read by the workers' numpy when it loads
    out: dict[str, Classifier] = {}
    try:
        ctx = mp.get_context("spawn")
        with ctx.Pool(jobs, initializer=_start_worker, initargs=(exclude, enc.vocabulary, hashed, WORDS)) as pool:
            for name, clf, took in pool.imap_unordered(_worker_fold, names):
                out[name] = clf
                print(f"  held out {name}: trained in {took:.0f} s", flush=True)
    finally:
        if previous is None:
            os.environ.pop("OPENBLAS_NUM_THREADS", None)
        else:
            os.environ["OPENBLAS_NUM_THREADS"] = previous
    return out


def heldout(
    sources: dict[str, list[Item]], enc: Encoder, hashed: bool, rules: str, reuse: bool = False, jobs: int = 1
) -> dict[str, object]:
    """Leave-one-source-out: train without each source, judge it, pool the scores, pick thresholds.

    The held-out models are kept in ``training/.cache``; with ``reuse`` they are loaded from there
    when the sources and the model's settings are unchanged, so a change to the rules alone is
    measured again in minutes.
    """
    scored: list[Scored] = []
    models: dict[str, Classifier] = {}
    key = _folds_key(sources, hashed)
    if reuse and FOLDS_CACHE.is_file():
        with FOLDS_CACHE.open("rb") as fh:
            saved_key, saved = pickle.load(fh)  # noqa: S301 - our own cache file
        if saved_key == key:
            models = saved
            print(f"  reusing the held-out models in {FOLDS_CACHE.name}", flush=True)
        else:
            print("  the sources or settings changed since the held-out models were saved: training again", flush=True)
    todo = [name for name in sources if name != SEEDS_SOURCE and name not in models]
    if jobs > 1 and len(todo) > 1:
        models.update(_train_folds_in_parallel(todo, sources, enc, hashed, jobs))
    for name in sources:
        if name == SEEDS_SOURCE:
            continue  # seeds stay in training: their wrappers carry the attack styles
        t0 = time.perf_counter()
        clf = models.get(name)
        if clf is None:
            clf = _train_fold(name, sources, enc, hashed)
            models[name] = clf
            print(f"  held out {name}: trained in {time.perf_counter() - t0:.0f} s", flush=True)
        for it in sources[name]:
            p, c = score(clf, it.text)
            scored.append((it, p, c, len(normalize(it.text).split())))
    enc.save()
    FOLDS_CACHE.parent.mkdir(parents=True, exist_ok=True)
    with FOLDS_CACHE.open("wb") as fh:
        pickle.dump((key, models), fh)
    bars, adjust, curves = choose_length_bars(scored)
    length_bars = tuple(zip(LENGTH_BANDS, adjust, strict=True))
    settings = au.Settings(
        thresholds=tuple(sorted(bars.items())), rules=rules, second_opinion=False, length_bars=length_bars
    )
    per_source: dict[str, object] = {}
    pooled: list[tuple[Item, str | None]] = []
    worst: list[dict[str, object]] = []
    for name, clf in models.items():
        rows = verdicts(clf, sources[name], settings)
        pooled.extend(rows)
        per_source[name] = summarize(rows)
        for it, c in rows:
            if (it.blocked and c is None) or (not it.blocked and c is not None):
                worst.append(
                    {"source": name, "text": it.text[:300], "expected": it.category, "got": c or "allow",
                     "style": it.style, "lang": it.lang}
                )
    ablations = {}
    for mode in ("exact", "all", "strong", "none"):
        if mode != rules:
            other = au.Settings(
                thresholds=settings.thresholds, rules=mode, second_opinion=False, length_bars=length_bars
            )
            ablations[mode] = summarize([r for name, clf in models.items() for r in verdicts(clf, sources[name], other)])
    return {
        "thresholds": bars,
        "length_bars": _length_bars_json(adjust),
        "curves": curves,
        "per_source": per_source,
        "overall": summarize(pooled),
        "ablations_by_rules": ablations,
        "scores": [
            {"source": i.source, "category": i.category, "score": round(p, 4), "predicted": c, "style": i.style,
             "lang": i.lang, "words": w}
            for i, p, c, w in scored
        ],
        "misses": worst,
        "settings": {"hashed": hashed, "words": WORDS, "rules": rules, "target_fpr": TARGET_FPR, "hidden": HIDDEN, "epochs": EPOCHS},
    }


def print_report(rep: dict[str, object]) -> None:
    print(f"thresholds: {rep['thresholds']}")
    print(f"{'held-out source':<16} {'recall':>7} {'FPR':>7} {'hardneg':>8} {'clause':>7}  n(block/allow)")
    per = dict(rep["per_source"])  # type: ignore[call-overload]
    for name, s in [*per.items(), ("OVERALL", rep["overall"])]:
        s = dict(s)
        print(
            f"{name:<16} {s['recall']!s:>7} {s['fpr']!s:>7} {s['hard_negative_fpr']!s:>8} {s['right_clause']!s:>7}"
            f"  {s['n_blocked']}/{s['n_allowed']}"
        )
    for mode, a in dict(rep.get("ablations_by_rules", {})).items():  # type: ignore[call-overload]
        a = dict(a)
        print(f"  rules={mode}: recall {a['recall']} FPR {a['fpr']} hardneg {a['hard_negative_fpr']} clause {a['right_clause']}")
    o = dict(rep["overall"])  # type: ignore[call-overload]
    print("recall by style:", {k: v[0] for k, v in o["recall_by_style"].items()})
    print("recall by lang: ", {k: v[0] for k, v in o["recall_by_lang"].items()})
    print("recall by clause:", {k: v[0] for k, v in o["recall_by_clause"].items()})


def score_files(paths: Sequence[Path]) -> int:
    """Judge source files the model has not been trained on with the shipped model and bars,
    through the serving path; print the figures, write nothing."""
    from rai_assistant.guards._au_model import load_classifier

    try:
        sources = {path.stem: read_source(path) for path in paths}
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    clf = load_classifier()
    settings = au.settings_from(None)
    pooled: list[tuple[Item, str | None]] = []
    for name, items in sources.items():
        rows = verdicts(clf, items, settings)
        pooled.extend(rows)
        s = summarize(rows)
        print(f"{name:<18} recall {s['recall']}  FPR {s['fpr']}  hard negatives {s['hard_negative_fpr']}  "
              f"({s['n_blocked']} to block / {s['n_allowed']} to allow)")
    if len(sources) > 1:
        s = summarize(pooled)
        print(f"{'pooled':<18} recall {s['recall']}  FPR {s['fpr']}  hard negatives {s['hard_negative_fpr']}")
    for key in ("recall_by_lang", "recall_by_style", "recall_by_clause", "by_length"):
        print(f"{key.replace('_', ' ')}: {s[key]}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", action="store_true", help="only the held-out report; write no model")
    ap.add_argument("--no-hashed", action="store_true", help="sentence vectors only, no hashed n-grams")
    ap.add_argument("--no-words", action="store_true", help="word pieces only, no multilingual word vectors")
    ap.add_argument("--report", type=Path, help="with --heldout: also write the held-out report here")
    ap.add_argument("--rules", choices=("exact", "all", "strong", "none"), default="exact")
    ap.add_argument("--rethreshold", action="store_true", help="choose the bars again from the saved report")
    ap.add_argument("--reuse-folds", action="store_true",
                    help="load the held-out models saved by the last run when nothing they depend on changed "
                         "(to measure a change to the rules)")
    ap.add_argument("--jobs", type=int, default=1, metavar="N",
                    help="train the held-out models in N processes (one per core; about 2x faster with 2)")
    ap.add_argument("--exclude", action="append", default=[], metavar="SOURCE",
                    help="leave a source out entirely (repeatable), e.g. to measure what a new source adds")
    ap.add_argument("--score", nargs="+", type=Path, metavar="FILE",
                    help="judge source files the model was not trained on (same format) with the shipped "
                         "model and bars; write nothing")
    args = ap.parse_args(argv)
    if args.score:
        return score_files(args.score)
    if args.rethreshold:
        return rethreshold()
    global WORDS
    WORDS = not args.no_words
    sources = load_sources(args.exclude)
    print({k: len(v) for k, v in sources.items()})
    rows = [(i.text, i.category) for items in sources.values() for i in items]
    vocab = seeds_v1.build_vocabulary(rows)
    enc = Encoder(vocab)
    rep = heldout(sources, enc, hashed=not args.no_hashed, rules=args.rules, reuse=args.reuse_folds, jobs=args.jobs)
    print_report(rep)
    if args.heldout:
        if args.report:
            args.report.write_text(json.dumps(rep, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(json.dumps(rep, ensure_ascii=False, indent=1), encoding="utf-8")
    VOCABULARY_FILE.write_text("\n".join(sorted(vocab)) + "\n", encoding="utf-8")
    x, f, y = examples([i for items in sources.values() for i in items], enc, random.Random(1), augment=True)
    clf = train(x, f, y, hashed=not args.no_hashed)
    enc.save()
    save(clf)
    adjust = [float(e["adjust"]) for e in rep["length_bars"]]  # type: ignore[index,union-attr]
    THRESHOLDS_FILE.write_text(thresholds_json(rep["thresholds"], adjust, rep["curves"], {}), encoding="utf-8")  # type: ignore[arg-type]
    print(f"{len(y)} examples -> {MODEL_FILE}, thresholds -> {THRESHOLDS_FILE}, report -> {REPORT_FILE}")
    print(
        "The second opinion's bars were chosen for the previous first stage and are no longer in "
        f"{THRESHOLDS_FILE.name}: run python training/train_second_opinion.py before shipping this model."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
