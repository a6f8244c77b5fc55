"""Hashed features for the acceptable-use classifier, shared by training and inference.

Features of normalized text: word unigrams, word bigrams and character 3-5-grams inside each
word (padded with spaces). Character grams carry most of the weight across languages and for
half-undone obfuscation; words and bigrams carry intent ("take off", "no ai"). Each feature is
hashed with CRC-32 (stable across processes, unlike ``hash``) into ``2**BITS`` buckets.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

__all__ = ["BITS", "SEGMENT_WORDS", "WORD", "segments", "sentences", "text_features", "word_features"]

BITS = 20
_MASK = (1 << BITS) - 1
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Sentence ends, line breaks and the brackets that open pasted or injected parts.
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+|(?=\[)|(?=<!--)|(?=###)|(?<=\])\s*|(?<=-->)\s*")


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & _MASK


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[int, ...]:
    """The hashed unigram and character n-grams of one word (cached: words repeat a lot)."""
    out = [_h("w:" + word)]
    padded = f" {word} "
    n = len(padded)
    for k in (3, 4, 5):
        for i in range(n - k + 1):
            out.append(_h("c:" + padded[i : i + k]))
    return tuple(out)


def text_features(text: str) -> list[int]:
    """All hashed features of one (normalized) piece of text."""
    words = WORD.findall(text)
    out: list[int] = []
    for w in words:
        out.extend(word_features(w))
    for a, b in zip(words, words[1:], strict=False):
        out.append(_bigram(a, b))
    return out


@lru_cache(maxsize=65536)
def _bigram(a: str, b: str) -> int:
    return _h(f"b:{a} {b}")


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences (and bracketed parts) of ``text``, non-empty."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start and text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = max(start, m.end())
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans


#: Longest piece (in words) encoded as one segment: the encoder truncates long input, and a harmful
#: ask at the end of a long unpunctuated message must not be cut off.
SEGMENT_WORDS = 48
_TOKEN = re.compile(r"\S+")


def segments(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text``, with any longer than :data:`SEGMENT_WORDS` words cut in pieces."""
    out: list[tuple[int, int]] = []
    for a, b in sentences(text):
        words = list(_TOKEN.finditer(text, a, b))
        if len(words) <= SEGMENT_WORDS:
            out.append((a, b))
            continue
        for k in range(0, len(words), SEGMENT_WORDS):
            chunk = words[k : k + SEGMENT_WORDS]
            out.append((chunk[0].start(), chunk[-1].end()))
    return out
