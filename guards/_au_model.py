"""The shipped acceptable-use classifier: loaded once, scores sentences and windows of sentences.

The weights come from ``guards/data/acceptable_use/model.npz`` (built by ``python -m
guards._au_train``). A missing or unreadable file raises :class:`assistant.errors.ModelError`:
the guard fails closed and the road blocks the request.
"""

from __future__ import annotations

import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.errors import ModelError
from guards._au_features import BITS, text_features

__all__ = ["MODEL_FILE", "Classifier", "get_classifier"]

MODEL_FILE = Path(__file__).parent / "data" / "acceptable_use" / "model.npz"
_HINT = "reinstall rai-assistant or rebuild the file with `python -m guards._au_train`"


@dataclass(frozen=True, slots=True)
class Classifier:
    """Multinomial logistic regression over hashed features; class 0 is ``benign``."""

    categories: tuple[str, ...]
    rows: npt.NDArray[np.int32]  # bucket -> weight row, -1 where the bucket has no weight
    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]

    def raw(self, text: str) -> tuple[npt.NDArray[np.float32], int]:
        """Unscaled sum of feature weights of ``text`` and its feature count (windows add these)."""
        feats = text_features(text)
        if not feats:
            return np.zeros(len(self.categories), dtype=np.float32), 0
        r = self.rows[np.asarray(feats, dtype=np.int64)]
        r = r[r >= 0]
        return self.weights[r].sum(axis=0), len(feats)

    def probabilities(self, raw: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.float32]:
        z = raw / np.sqrt(max(count, 1)) + self.bias
        z = z - z.max()
        e = np.exp(z)
        out: npt.NDArray[np.float32] = e / e.sum()
        return out


_lock = threading.Lock()
_cached: Classifier | None = None


def load_classifier(path: Path = MODEL_FILE) -> Classifier:
    """Read the weights file; raise :class:`ModelError` with the fix when it is missing or broken."""
    try:
        with np.load(path, allow_pickle=False) as data:
            hashes = data["hashes"].astype(np.int64)
            weights = data["weights"].astype(np.float32)
            bias = data["bias"].astype(np.float32)
            categories = tuple(str(c) for c in data["categories"])
    except FileNotFoundError as exc:
        raise ModelError(f"acceptable-use model missing at {path}: {_HINT}") from exc
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"acceptable-use model at {path} is unreadable ({exc}): {_HINT}") from exc
    if categories[:1] != ("benign",) or weights.shape != (len(hashes), len(categories)):
        raise ModelError(f"acceptable-use model at {path} has the wrong shape: {_HINT}")
    rows = np.full(1 << BITS, -1, dtype=np.int32)
    rows[hashes] = np.arange(len(hashes), dtype=np.int32)
    return Classifier(categories, rows, weights, bias)


def get_classifier() -> Classifier:
    """The shared classifier, loaded on first use (never at import)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_classifier()
    return _cached
