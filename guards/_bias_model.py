"""The bias guard's learned reading: sentences the phrase rules did not catch.

The rules in :mod:`rai_assistant.guards.bias` point at exact words, and stay precise; what they
miss is wording nobody listed (a coded doubt, a judgement spread over a sentence, a language's
own turn of phrase). This classifier reads every sentence of a draft, and every pair of
neighbouring sentences, through the same static vectors as the request guard (MiniLM word
pieces and the multilingual e5 word table, side by side, plus hashed word and character
n-grams: :mod:`rai_assistant.guards._au_model`) and gives the probability of each bias category.
A sentence (or pair) whose probability of some bias reaches the category's bar is a finding,
with the sentence as its span, unless a rule already found something there.

The weights and bars come from ``guards/data/bias/model.npz`` and ``model.json``, built and
measured by held-out source with ``python training/train_bias_model.py``. A missing or broken
file raises :class:`rai_assistant.errors.ModelError`: the guard fails closed.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rai_assistant.errors import ModelError
from rai_assistant.guards._au_features import sentences
from rai_assistant.guards._au_model import Classifier, Encoded, encode_pieces, load_classifier

__all__ = [
    "BARS_FILE",
    "MODEL_FILE",
    "LearnedBias",
    "SentenceHit",
    "encode_sentences",
    "get_learned_bias",
    "load_learned_bias",
    "split",
    "windows_of",
]

MODEL_FILE = Path(__file__).parent / "data" / "bias" / "model.npz"
BARS_FILE = MODEL_FILE.with_name("model.json")
_HINT = "reinstall rai-assistant or rebuild the files with `python training/train_bias_model.py`"
#: A pair of sentences must clear the bar by this much more: it has two chances to look biased.
PAIR_MARGIN = 0.1
#: Drafts are short; a long text is read in its first sentences (the rules read all of it).
MAX_SENTENCES = 200
_LEAD = re.compile(r"[\s\-*•·>#]+")


@dataclass(frozen=True, slots=True)
class SentenceHit:
    category: str
    start: int
    end: int
    score: float


def split(text: str) -> list[tuple[int, int]]:
    """Sentences and lines of ``text`` (offsets), without leading bullets or blanks."""
    out: list[tuple[int, int]] = []
    for a, b in sentences(text)[:MAX_SENTENCES]:
        lead = _LEAD.match(text, a, b)
        if lead:
            a = lead.end()
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def encode_sentences(text: str, spans: list[tuple[int, int]], words: bool = True) -> Encoded:
    """Each sentence ``text[a:b]`` in its judging form, looked up in the static tables."""
    from rai_assistant.guards.normalize import normalize

    return encode_pieces([normalize(text[a:b]) for a, b in spans], tuple(spans), words)


def windows_of(n: int) -> list[tuple[int, int]]:
    """Every sentence, then every pair of neighbouring sentences."""
    return [(i, i) for i in range(n)] + [(i, i + 1) for i in range(n - 1)]


@dataclass(frozen=True, slots=True)
class LearnedBias:
    classifier: Classifier
    bars: dict[str, float]
    #: A rule hit whose reading is below this is left as advice (0: never; see bias.fair_rule_hits).
    fair_bar: float = 0.0

    def window_scores(self, enc: Encoded, windows: list[tuple[int, int]]) -> list[SentenceHit]:
        """Each window's likeliest bias category and its score (the probability of some bias,
        less :data:`PAIR_MARGIN` for a pair), whatever the bar."""
        if not windows:
            return []
        cats = self.classifier.categories
        out: list[SentenceHit] = []
        for (i, j), p in zip(windows, self.classifier.window_probabilities(enc, windows), strict=True):
            k = int(np.argmax(p[1:])) + 1
            score = float(1.0 - p[0]) - (PAIR_MARGIN if j > i else 0.0)
            out.append(SentenceHit(cats[k], enc.spans[i][0], enc.spans[j][1], score))
        return out

    def read(self, text: str, spans: list[tuple[int, int]]) -> list[SentenceHit]:
        """Each span of ``text`` read alone, as a sentence, whatever the bar."""
        enc = encode_sentences(text, spans, words=self.classifier.words)
        return self.window_scores(enc, [(i, i) for i in range(len(spans))])

    def scores(self, text: str) -> list[SentenceHit]:
        """Every sentence and neighbouring pair of ``text``, scored, whatever the bar."""
        spans = split(text)
        enc = encode_sentences(text, spans, words=self.classifier.words)
        return self.window_scores(enc, windows_of(len(spans)))


def load_learned_bias(model: Path = MODEL_FILE, bars: Path = BARS_FILE) -> LearnedBias:
    clf = load_classifier(model, what="bias model", hint=_HINT)
    try:
        data = json.loads(bars.read_text(encoding="utf-8"))
        got = {str(k): float(v) for k, v in data["bars"].items()}
        fair_bar = float(data.get("fair_bar", 0.0))
    except FileNotFoundError as exc:
        raise ModelError(f"bias model bars missing at {bars}: {_HINT}") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"bias model bars at {bars} are unreadable ({exc}): {_HINT}") from exc
    missing = [c for c in clf.categories[1:] if c not in got]
    if missing:
        raise ModelError(f"bias model bars at {bars} lack {', '.join(missing)}: {_HINT}")
    return LearnedBias(clf, got, fair_bar)


_lock = threading.Lock()
_cached: LearnedBias | None = None


def get_learned_bias() -> LearnedBias:
    """The shared model, loaded on first use (never at import)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_learned_bias()
    return _cached
