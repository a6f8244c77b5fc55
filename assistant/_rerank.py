"""The learned reranker of policy retrieval: a linear scorer over per-(question, clause) signals.

No cross-encoder with usable weights installs offline from PyPI, so the second stage is learned
fusion: for each candidate clause, :func:`features` turns the raw signals of the first stage
(MiniLM and multilingual-e5 similarities to the clause text and to its hints, BM25, the part
scores of a two-part question, rank positions, the question's language) into a feature row, and
:class:`LinearReranker` scores the rows with weights learned by a softmax (listwise) loss.

The weights are a small JSON file beside this module, written by
``training/retrieval/train_reranker.py`` from our own question sets; they load on first use. A
missing or mismatched file raises :class:`rai_assistant.errors.ModelError` naming the fix: retrieval
never silently falls back to the untrained fusion.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rai_assistant.errors import ModelError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "FEATURES",
    "FORMAT",
    "WEIGHTS_FILE",
    "LinearReranker",
    "Signals",
    "features",
    "is_english",
    "load_reranker",
]

FORMAT = "rai-linear-reranker/1"
WEIGHTS_FILE = Path(__file__).with_name("_rerank_weights.json")
_RETRAIN = "python training/retrieval/train_reranker.py"

#: The encoders whose similarities are features, by short name (``Signals.dense`` keys).
ENCODERS = ("minilm", "e5")

_BASE: tuple[str, ...] = tuple(
    f"{enc}_{name}"
    for enc in ENCODERS
    for name in ("max", "gap", "z", "rr", "text_gap", "hint_gap", "top2_gap")
) + ("minilm_part_gap", "lex", "lex_gap", "lex_rr", "lex_part_gap", "fused", "fused_rr")

#: Every feature is given twice: once for English questions and once for the others, so that the
#: weights of the English-only signals (MiniLM, BM25) can differ by language.
FEATURES: tuple[str, ...] = tuple(f"en_{n}" for n in _BASE) + tuple(f"xx_{n}" for n in _BASE)


# ---------------------------------------------------------------- language

# A cheap stop-word vote (the same idea as the request guards' language detection, kept here so
# that the core does not import a guard): is the question English?
_STOP: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and for with that this to of is are you your my his her it be in on can what who how "
        "does do will i we our if when which should must".split()
    ),
    "es": frozenset(
        "el la los las de del que y para con por una un su sus es mi mis como pero al lo se más le "
        "me si este esta sin sobre tu qué hay está son yo puedo quién cómo cuál se puede".split()
    ),
    "fr": frozenset(
        "le la les des du de et pour avec que qui une un est sur au aux son sa ses mon mes il elle "
        "pas ce cette je tu nous vous dans est-ce puis-je peut-on quels quelles quel quelle".split()
    ),
    "de": frozenset(
        "der die das und für mit ist ein eine einen zu den dem nicht sie er ich ihr sein seine auf "
        "dass im mir du wie was wer zum zur von bei auch nach wird hat haben kann soll darf dürfen "
        "mein meine uns oder aber wenn muss werden welche welcher welches diese dieser dieses".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_MARKS = {"es": re.compile(r"[ñ¿¡áíóú]"), "de": re.compile(r"[ßäöü]"), "fr": re.compile(r"[êèàçùœâîû]")}


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English rather than Spanish, French or German (English if unsure)."""
    sample = text[:2000].lower()
    words = _WORD.findall(sample)
    score = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    for lang, pattern in _MARKS.items():
        score[lang] += 2 * len(pattern.findall(sample))
    best = max(score, key=lambda k: score[k])
    return score[best] <= score["en"]


# ---------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class Signals:
    """What the first stage measured for each candidate clause of one question.

    Arrays have one entry per candidate. ``dense[encoder]`` holds four arrays of cosine
    similarities: ``max`` (best chunk), ``text`` (the clause text itself), ``hint`` (best hint, or
    the text when there is none) and ``top2`` (mean of the two best chunks); ``part[encoder]``
    the best similarity of each part of a two-part question, shape ``(parts, candidates)``
    (empty when the question has one part, and always for e5, which embeds the whole only). ``lexical`` is the scaled BM25 score (0 to 1) and
    ``part_lexical`` that of each part alone, ``(parts, candidates)``; ``fused`` the first
    stage's fused score.
    """

    dense: dict[str, dict[str, npt.NDArray[np.float32]]]
    part: dict[str, npt.NDArray[np.float32]]
    lexical: npt.NDArray[np.float32]
    part_lexical: npt.NDArray[np.float32]
    fused: npt.NDArray[np.float32]
    english: bool


def _rr(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Reciprocal rank of each value among the candidates (1 for the best)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float32)
    ranks[order] = np.arange(1, len(values) + 1, dtype=np.float32)
    out: npt.NDArray[np.float32] = (1.0 / ranks).astype(np.float32)
    return out


def _part_gap(parts: npt.NDArray[np.float32], whole: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """How close each clause comes to being the best answer to some part of the question (0 for
    the best of a part); for a one-part question, its gap to the best answer to the whole."""
    if not parts.size:
        gap: npt.NDArray[np.float32] = (whole - whole.max()).astype(np.float32)
        return gap
    out: npt.NDArray[np.float32] = (parts - parts.max(axis=1, keepdims=True)).max(axis=0)
    return out


def features(signals: Signals) -> npt.NDArray[np.float32]:
    """One row of :data:`FEATURES` per candidate clause."""
    cols: list[npt.NDArray[np.float32]] = []
    for enc in ENCODERS:
        d = signals.dense[enc]
        best = float(d["max"].max())
        spread = float(d["max"].std()) or 1.0
        cols += [
            d["max"],
            d["max"] - best,
            (d["max"] - float(d["max"].mean())) / spread,
            _rr(d["max"]),
            d["text"] - float(d["text"].max()),
            d["hint"] - float(d["hint"].max()),
            d["top2"] - float(d["top2"].max()),
        ]
    lex = signals.lexical
    cols += [
        _part_gap(signals.part["minilm"], signals.dense["minilm"]["max"]),
        lex,
        lex - float(lex.max()),
        np.where(lex > 0, _rr(lex), 0.0).astype(np.float32),
        _part_gap(signals.part_lexical, lex),
        signals.fused,
        _rr(signals.fused),
    ]
    base = np.stack(cols, axis=1).astype(np.float32)
    zeros = np.zeros_like(base)
    both = [base, zeros] if signals.english else [zeros, base]
    out: npt.NDArray[np.float32] = np.concatenate(both, axis=1)
    return out


# ---------------------------------------------------------------- the model


class LinearReranker:
    """Scores feature rows with standardised linear weights; higher is better.

    :param weights: one weight per feature of :data:`FEATURES`, for standardised features.
    :param mean: per-feature mean of the training rows (subtracted before weighting).
    :param scale: per-feature standard deviation of the training rows (divided by).
    :param embedders: the model ids whose similarities the weights were trained on.
    """

    def __init__(
        self,
        weights: Sequence[float],
        mean: Sequence[float],
        scale: Sequence[float],
        embedders: Sequence[str],
    ) -> None:
        n = len(FEATURES)
        if not (len(weights) == len(mean) == len(scale) == n):
            raise ModelError(
                f"the reranker has {len(weights)} weights for {n} features; retrain it: {_RETRAIN}"
            )
        self._w = np.asarray(weights, dtype=np.float64)
        self._mean = np.asarray(mean, dtype=np.float64)
        self._scale = np.clip(np.asarray(scale, dtype=np.float64), 1e-6, None)
        self.embedders = tuple(embedders)

    def scores(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """The score of each row (any real number; only the order and the gaps matter)."""
        out: npt.NDArray[np.float64] = ((rows - self._mean) / self._scale) @ self._w
        return out

    def to_json(self, **extra: Any) -> dict[str, Any]:
        """The weights file's content (``extra`` records how it was trained)."""
        return {
            "format": FORMAT,
            "features": list(FEATURES),
            "embedders": list(self.embedders),
            "weights": [round(float(v), 6) for v in self._w],
            "mean": [round(float(v), 6) for v in self._mean],
            "scale": [round(float(v), 6) for v in self._scale],
            **extra,
        }

    @classmethod
    def from_file(cls, path: str | Path) -> LinearReranker:
        """Load weights written by :meth:`to_json`.

        :raises ModelError: the file is missing, unreadable, or for other features.
        """
        file = Path(path)
        if not file.is_file():
            raise ModelError(
                f"the retrieval reranker's weights are missing ({file}); reinstall rai-assistant "
                f"or train them: {_RETRAIN}"
            )
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"cannot read the reranker's weights {file}: {exc}; retrain: {_RETRAIN}"
            ) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{file} is not a {FORMAT} weights file; retrain: {_RETRAIN}")
        if data.get("features") != list(FEATURES):
            raise ModelError(
                f"{file} was trained for other retrieval features than this version computes; "
                f"retrain: {_RETRAIN}"
            )
        try:
            return cls(data["weights"], data["mean"], data["scale"], data["embedders"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{file} is incomplete ({exc}); retrain: {_RETRAIN}") from exc


_lock = threading.Lock()
_loaded: dict[Path, LinearReranker] = {}


def load_reranker(path: str | Path | None = None) -> LinearReranker:
    """The reranker shipped with the package (or at ``path``), loaded once per process.

    :raises ModelError: the weights file is missing or does not fit this version.
    """
    file = Path(path) if path is not None else WEIGHTS_FILE
    with _lock:
        if file not in _loaded:
            _loaded[file] = LinearReranker.from_file(file)
        return _loaded[file]
