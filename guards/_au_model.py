"""The shipped acceptable-use classifier: sentence representations in, category probabilities out.

A request is cut into segments (:func:`rai_assistant.guards._au_features.segments`: sentences, and long run-on sentences cut in
pieces). Every segment is looked up once in two static tables (:mod:`rai_assistant.static_embeddings`;
a transformer pass would cost about 120 ms for 1,000 characters on one core): the word pieces
distilled from the offline MiniLM encoder, and the multilingual word vectors distilled from
multilingual-e5-small (when the model file says it reads them). The vector of any run of
segments (the whole request, or a window of one to three sentences) is, per table, the mean of
its rows, the two side by side, so windows cost no further lookups. A small multilayer perceptron
maps that vector to the probability of ``benign``
and of each block category; a linear model over hashed word and character n-grams
(:mod:`rai_assistant.guards._au_features`) gives a second opinion from exact surface cues (obfuscated spellings,
compounds the word pieces split badly), and the two are averaged.

The weights come from ``guards/data/acceptable_use/model.npz``, built by
``python training/train_request_guard.py``. A missing or unreadable file, or a missing encoder
package, raises :class:`rai_assistant.errors.ModelError`: the guard fails closed and the road blocks
the request.
"""

from __future__ import annotations

import threading
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rai_assistant.errors import ModelError
from rai_assistant.guards._au_features import BITS, text_features

__all__ = [
    "MODEL_FILE",
    "SECOND_OPINION_FILE",
    "Classifier",
    "Encoded",
    "SecondOpinion",
    "encode",
    "encode_pieces",
    "get_classifier",
    "get_second_opinion",
    "load_classifier",
    "load_second_opinion",
]

MODEL_FILE = Path(__file__).parent / "data" / "acceptable_use" / "model.npz"
_HINT = "reinstall rai-assistant or rebuild the file with `python training/train_request_guard.py`"

Array = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Encoded:
    """The segments of one text, their vector sums and counts, and hashed features.

    ``sums``/``counts`` are the MiniLM word pieces; ``wsums``/``wcounts`` the multilingual word
    vectors (zero columns when the classifier does not read them).
    """

    spans: tuple[tuple[int, int], ...]
    sums: Array
    counts: Array
    hashed: tuple[tuple[int, ...], ...]
    wsums: Array
    wcounts: Array

    def vectors(self, windows: list[tuple[int, int]]) -> Array:
        """Vectors of runs of segments ``(i, j)`` (inclusive): per table, the unit mean of the
        run's rows, the tables side by side."""
        out = _unit_means(self.sums, self.counts, windows)
        if self.wsums.shape[1]:
            out = np.hstack([out, _unit_means(self.wsums, self.wcounts, windows)])
        return out

    def features(self, i: int, j: int) -> list[int]:
        return [h for k in range(i, j + 1) for h in self.hashed[k]]

    def without_words(self) -> Encoded:
        """The same encoding for a classifier that reads the word pieces only."""
        wsums, wcounts = _no_words(len(self.spans))
        return replace(self, wsums=wsums, wcounts=wcounts)


def _unit_means(sums: Array, counts: Array, windows: list[tuple[int, int]]) -> Array:
    total = np.cumsum(np.vstack([np.zeros((1, sums.shape[1]), np.float32), sums]), axis=0)
    n = np.cumsum(np.concatenate([[0.0], counts]))
    lo = np.asarray([i for i, _ in windows])
    hi = np.asarray([j + 1 for _, j in windows])
    means = (total[hi] - total[lo]) / np.maximum(n[hi] - n[lo], 1.0)[:, None]
    out: Array = (means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return out


def encode(text: str, spans: list[tuple[int, int]], words: bool = True) -> Encoded:
    """Encode the segments ``spans`` of ``text`` (offsets into it) in one batch; ``words`` adds
    the multilingual word vectors."""
    pieces = [text[a:b] for a, b in spans] or [text]
    return encode_pieces(pieces, tuple(spans) or ((0, len(text)),), words)


def encode_pieces(pieces: list[str], spans: tuple[tuple[int, int], ...], words: bool = True) -> Encoded:
    """Encode ``pieces`` (already in judging form), one per span, in one batch."""
    from rai_assistant.static_embeddings import get_static_embedder, get_word_embedder

    sums, counts = get_static_embedder().sums(pieces)
    wsums, wcounts = get_word_embedder().sums(pieces) if words else _no_words(len(pieces))
    hashed = tuple(tuple(text_features(p)) for p in pieces)
    return Encoded(spans, sums, counts, hashed, wsums, wcounts)


def _no_words(n: int) -> tuple[Array, Array]:
    return np.zeros((n, 0), np.float32), np.zeros(n, np.float32)


@dataclass(frozen=True, slots=True)
class Classifier:
    """Two members averaged: an MLP over the sentence vector, a linear model over hashed
    n-grams. Class 0 is benign."""

    categories: tuple[str, ...]
    words: bool  # the MLP reads the multilingual word vectors beside the word pieces
    w1: Array
    b1: Array
    w2: Array
    b2: Array
    rows: npt.NDArray[np.int32]  # bucket -> row of ``hashed``, -1 where the bucket has no weight
    hashed: Array
    hashed_bias: Array

    def window_probabilities(self, enc: Encoded, windows: list[tuple[int, int]]) -> Array:
        """Probabilities for runs of segments ``(i, j)`` of one text, in one batch: the mean of the
        two members, the MLP over the run's vector and the linear model over its hashed n-grams
        (when the file has one)."""
        hidden = np.maximum(enc.vectors(windows) @ self.w1 + self.b1, 0.0)
        out = _softmax_rows(hidden @ self.w2 + self.b2)
        if len(self.hashed):
            # Each segment's n-gram weights are summed once; a window adds its segments' sums.
            seg = np.zeros((len(enc.hashed) + 1, len(self.categories)), dtype=np.float32)
            nfeat = np.zeros(len(enc.hashed) + 1)
            for k, feats in enumerate(enc.hashed):
                if feats:
                    r = self.rows[np.asarray(feats, dtype=np.int64)]
                    r = r[r >= 0]
                    seg[k + 1] = self.hashed[r].sum(axis=0) if len(r) else 0.0
                nfeat[k + 1] = len(feats)
            seg, nfeat = np.cumsum(seg, axis=0), np.cumsum(nfeat)
            lo = np.asarray([i for i, _ in windows])
            hi = np.asarray([j + 1 for _, j in windows])
            n = np.maximum(nfeat[hi] - nfeat[lo], 1.0)
            z = (seg[hi] - seg[lo]) / np.sqrt(n)[:, None] + self.hashed_bias
            out = (out + _softmax_rows(z)) / 2.0
        result: Array = out.astype(np.float32)
        return result


def _softmax_rows(z: Array) -> Array:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: Array = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def load_classifier(path: Path = MODEL_FILE, *, what: str = "acceptable-use model", hint: str = _HINT) -> Classifier:
    """Read the weights file; raise :class:`ModelError` with the fix (``hint``) when it is missing
    or broken. ``what`` names the model in the message (the bias guard reads the same format)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            categories = tuple(str(c) for c in data["categories"])
            w1 = data["w1"].astype(np.float32)
            b1 = data["b1"].astype(np.float32)
            w2 = data["w2"].astype(np.float32)
            b2 = data["b2"].astype(np.float32)
            hashes = data["hashes"].astype(np.int64)
            hashed = data["hashed"].astype(np.float32)
            hashed_bias = data["hashed_bias"].astype(np.float32)
            inputs = str(data["inputs"]) if "inputs" in data.files else "minilm"
    except FileNotFoundError as exc:
        raise ModelError(f"{what} missing at {path}: {hint}") from exc
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{what} at {path} is unreadable ({exc}): {hint}") from exc
    n = len(categories)
    if (
        categories[:1] != ("benign",)
        or w1.ndim != 2
        or w2.shape != (w1.shape[1], n)
        or b1.shape != (w1.shape[1],)
        or b2.shape != (n,)
        or hashed.shape != (len(hashes), n)
        or hashed_bias.shape != (n,)
        or inputs not in ("minilm", "minilm+words")
    ):
        raise ModelError(f"{what} at {path} has the wrong shape: {hint}")
    from rai_assistant.static_embeddings import get_static_embedder, get_word_embedder

    words = inputs == "minilm+words"
    width = get_static_embedder().dimensions + (get_word_embedder().dimensions if words else 0)
    if w1.shape[0] != width:
        raise ModelError(
            f"{what} at {path} reads {w1.shape[0]} inputs but the vector tables give {width}: {hint}"
        )
    rows = np.full(1 << BITS, -1, dtype=np.int32)
    rows[hashes] = np.arange(len(hashes), dtype=np.int32)
    return Classifier(categories, words, w1, b1, w2, b2, rows, hashed, hashed_bias)


_lock = threading.Lock()
_cached: Classifier | None = None


def get_classifier() -> Classifier:
    """The shared classifier, loaded on first use (never at import)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_classifier()
    return _cached


# ---------------------------------------------------------------- the second opinion

SECOND_OPINION_FILE = MODEL_FILE.parent / "second_opinion.npz"
_SECOND_HINT = (
    "reinstall rai-assistant or rebuild the file with `python training/train_second_opinion.py`"
)


@dataclass(frozen=True, slots=True)
class SecondOpinion:
    """A multilingual reading for requests the first stage is unsure about.

    An MLP over the request's multilingual-e5 sentence vector (the model shipped for policy
    questions) gives the probability that it must be blocked. :meth:`combine` lets it raise the
    first stage's score, never lower it, to ``(1 - weight) * first + weight * second``; averaging
    both ways let the head veto confident blocks of workplace requests it reads poorly. It is
    asked only for ``band <= first < keep``, so e5's cost is paid only by the uncertain. Built and measured by held-out source in
    ``training/train_second_opinion.py``; the bars in ``thresholds.json`` were chosen for the
    combined score.
    """

    w1: Array
    b1: Array
    w2: Array
    b2: float
    band: float
    weight: float
    keep: float

    def probability(self, text: str) -> float:
        from rai_assistant.embeddings import get_multilingual_embedder

        vec = get_multilingual_embedder().embed_queries([text])[0]
        h = np.maximum(0.0, vec @ self.w1 + self.b1)
        return float(1.0 / (1.0 + np.exp(-(float(h @ self.w2) + self.b2))))

    def combine(self, first: float, text: str) -> float:
        """The score the bars apply to; e5 runs only for ``band <= first < keep``."""
        if first >= self.keep or first < self.band or not text.strip():
            return first
        return max(first, (1.0 - self.weight) * first + self.weight * self.probability(text))


def load_second_opinion(path: Path = SECOND_OPINION_FILE) -> SecondOpinion:
    """Read the head's weights; raise :class:`ModelError` with the fix when missing or broken."""
    try:
        with np.load(path) as data:
            w1 = data["w1"].astype(np.float32)
            b1 = data["b1"].astype(np.float32)
            w2 = data["w2"].astype(np.float32)
            b2, band, weight = float(data["b2"][0]), float(data["band"]), float(data["weight"])
            keep = float(data["keep"])
    except FileNotFoundError as exc:
        raise ModelError(f"acceptable-use second opinion missing at {path}: {_SECOND_HINT}") from exc
    except (OSError, KeyError, ValueError, IndexError, zipfile.BadZipFile) as exc:
        raise ModelError(f"acceptable-use second opinion at {path} is unreadable ({exc}): {_SECOND_HINT}") from exc
    if w1.ndim != 2 or w1.shape[1] != b1.shape[0] or w2.shape != b1.shape or not 0.0 < weight < 1.0 or not band < keep:
        raise ModelError(f"acceptable-use second opinion at {path} has the wrong shape: {_SECOND_HINT}")
    return SecondOpinion(w1, b1, w2, b2, band, weight, keep)


_second: SecondOpinion | None = None


def get_second_opinion() -> SecondOpinion:
    """The shared second opinion, loaded on first use (never at import)."""
    global _second
    if _second is None:
        with _lock:
            if _second is None:
                _second = load_second_opinion()
    return _second
