"""Fold obfuscated text into a plain form that guards can judge.

Guards judge the normalized text; the user's text is kept as typed. :func:`normalize_mapped`
also returns, for every character of the normalized text, its offset in the original, so a guard
can point at the offending words as the user wrote them.

Steps, in order: invisible and control characters removed; every non-ASCII character folded
(NFKC, Cyrillic/Greek look-alikes to Latin, accents dropped, casefold); ASCII lower-cased;
letters spread out with spaces or separators joined ("s e n d", "D-O-S-E", "r.e.c.o.r.d");
leetspeak undone inside tokens that mix letters with 0 1 3 4 5 7 @ $, only where the result is a
word ("wr1te", "p@ssw0rd") and never in numbers, ordinals, amounts or codes ("Q4", "7th",
"$400k", "ISO 9001").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rai_assistant.errors import ModelError
from rai_assistant.types import Span

__all__ = ["VOCABULARY_FILE", "Normalized", "default_vocabulary", "normalize", "normalize_mapped"]

# Characters that render as nothing (or almost nothing) and are used to split trigger words.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)

# Look-alikes that NFKC leaves alone: Cyrillic and Greek letters that render like Latin ones.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic lower case
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "һ": "h",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ɡ": "g",
    "ӏ": "l",
    "ү": "y",
    "ҽ": "e",
    "п": "n",
    "г": "r",
    "ь": "b",
    "ы": "bi",
    "з": "3",
    "ч": "4",
    "л": "n",
    "и": "u",
    "д": "d",
    # Cyrillic upper case
    "А": "a",
    "В": "b",
    "Е": "e",
    "Ё": "e",
    "К": "k",
    "М": "m",
    "Н": "h",
    "О": "o",
    "Р": "p",
    "С": "c",
    "Т": "t",
    "У": "y",
    "Х": "x",
    "Ѕ": "s",
    "І": "i",
    "Ї": "i",
    "Ј": "j",
    "Һ": "h",
    "Ԁ": "d",
    "Ԛ": "q",
    "Ԝ": "w",
    "Ӏ": "l",
    "Ү": "y",
    "П": "n",
    "Г": "r",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    "ϳ": "j",
    "μ": "u",
    "Α": "a",
    "Β": "b",
    "Ε": "e",
    "Ζ": "z",
    "Η": "h",
    "Ι": "i",
    "Κ": "k",
    "Μ": "m",
    "Ν": "n",
    "Ο": "o",
    "Ρ": "p",
    "Τ": "t",
    "Υ": "y",
    "Χ": "x",
    "Ϲ": "c",
    # Other common stand-ins
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ŀ": "l",
    "ſ": "s",
    "æ": "ae",
    "œ": "oe",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u3000": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One non-ASCII character in its judging form (may be empty or several characters)."""
    if ch in _CONFUSABLES:
        return _CONFUSABLES[ch]
    folded = unicodedata.normalize("NFKC", ch).casefold()
    out = []
    for c in unicodedata.normalize("NFD", folded):
        if unicodedata.combining(c):
            continue  # accents: "évaluation" and "evaluation" judge the same
        out.append(_CONFUSABLES.get(c, c))
    return "".join(out)


# Letters spread out by one separator used consistently: "D-O-S-E", "r.e.c.o.r.d", "k_i_l_l".
_SEPARATED = re.compile(r"(?<![a-z0-9])[a-z](?:([.\-_*·|/+])[a-z])(?:\1[a-z])+(?![a-z0-9])\.?")
# Single characters spread out by spaces: "s e n d   t h e   f i l e" (2+ spaces between words).
_SPACED = re.compile(r"(?<![a-z0-9])[a-z0-9@$](?: {1,4}[a-z0-9@$](?![a-z0-9@$]))+")

# Tokens that mix letters with the leet characters.
_LEET_TOKEN = re.compile(r"[a-z0-9@$']*(?:[a-z][013457@$]|[013457@$][a-z])[a-z0-9@$']*")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
# Numbers with units or ordinals, and letter+number codes: never leet ("7th", "400k", "q4", "fy24").
_NUMBER_UNIT = re.compile(
    r"\$?\d+(?:st|nd|rd|th|s|k|m|bn|b|x|am|pm|h|hr|hrs|yr|yrs|min|mins|px|gb|mb|tb|kg|km|ml|mg|mm|cm"
    r"|d|g|v|w|kw|mw|fte|ftes|pct|ish|er|ers)"
)
_CODE = re.compile(r"[a-z]{1,4}\d+|[a-z]\d[a-z]?|\d+[a-z]|v\d+(?:\.\d+)*")
# Alphanumeric names that look like leet but are not.
_KEEP = frozenset(
    {
        "h1b",
        "h-1b",
        "a1c",
        "hba1c",
        "b2b",
        "b2c",
        "p2p",
        "i18n",
        "l10n",
        "k8s",
        "w3c",
        "s3",
        "ec2",
        "mp3",
        "mp4",
        "4x4",
        "1on1",
        "1o1",
        "1x1",
        "co2",
        "h2o",
        "g7",
        "g20",
        "a11y",
        "m365",
        "o365",
        "3m",
        "7up",
        "4g",
        "5g",
        "3d",
        "2fa",
        "mfa",
        "ssl",
        "tls",
        "q1",
        "q2",
        "q3",
        "q4",
        "ipv4",
        "ipv6",
    }
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalized text plus, for each of its characters, the offset of its source in the original."""

    text: str
    original: str
    offsets: tuple[int, ...] | None  # None: identity (nothing moved)

    def source_span(self, start: int, end: int) -> Span:
        """The part of the original text that produced normalized characters ``[start, end)``."""
        if self.offsets is None:
            lo, hi = start, end
        else:
            if not self.offsets:
                return Span(0, 0, "")
            start = max(0, min(start, len(self.offsets) - 1))
            last = max(start, min(end - 1, len(self.offsets) - 1))
            lo, hi = self.offsets[start], self.offsets[last] + 1
        lo = max(0, min(lo, len(self.original)))
        hi = max(lo, min(hi, len(self.original)))
        return Span(lo, hi, self.original[lo:hi])


def _word_ok(word: str, vocabulary: frozenset[str]) -> bool:
    return word in vocabulary or word.rstrip("s") in vocabulary


def _deleet(token: str, vocabulary: frozenset[str]) -> str:
    """Undo leetspeak in one token, or return it unchanged when the result is not plausibly a word."""
    bare = token.strip("'")
    if bare in _KEEP or bare.isdigit() or sum(c.isalpha() for c in bare) < 2:
        return token  # "q4", "$400k", "3d": too few letters to be a disguised word
    if _NUMBER_UNIT.fullmatch(bare):
        return token  # "7th", "400k", "5am", "12mg"
    candidate = token.translate(_LEET)
    if _word_ok(candidate.strip("'"), vocabulary):
        return candidate
    if "1" in token:
        alt = token.replace("1", "l").translate(_LEET)
        if _word_ok(alt.strip("'"), vocabulary):
            return alt  # "ki11" is "kill", not "kiii"
    if _CODE.fullmatch(bare) and not _interior(bare):
        return token  # "fy24", "iso9001", "sha256"
    if _interior(bare):
        return candidate  # "wr1te", "p@ssw0rd": a leet character between letters
    if bare[0] in "0134" and bare[1:].isalpha() and len(bare) >= 4:
        return candidate  # "0wen", "3mployee": one leading digit on a long alphabetic tail
    return token


def _sub_leet(m: re.Match[str], vocabulary: frozenset[str]) -> str:
    token = m.group(0)
    if "@" in token:
        s = m.string
        if (m.end() < len(s) - 1 and s[m.end()] == "." and s[m.end() + 1].isalpha()) or (
            m.start() > 0 and s[m.start() - 1] in "._-+"
        ):
            return token  # part of an e-mail address
    return _deleet(token, vocabulary)


def _interior(token: str) -> bool:
    return re.search(r"[a-z][013457@$]+[a-z]", token) is not None


VOCABULARY_FILE = Path(__file__).parent / "data" / "acceptable_use" / "vocabulary.txt"


@lru_cache(maxsize=1)
def default_vocabulary() -> frozenset[str]:
    """The known words used to decide whether undoing leetspeak makes a word (loaded once)."""
    try:
        text = VOCABULARY_FILE.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelError(
            f"normalizer vocabulary missing at {VOCABULARY_FILE}: reinstall rai-assistant "
            "or rebuild it with `python training/train_request_guard.py`"
        ) from exc
    return frozenset(w for w in text.split() if w)


def normalize_mapped(text: str, vocabulary: frozenset[str] | None = None) -> Normalized:
    """Normalize ``text`` for judging and keep the way back to the original offsets.

    :param vocabulary: known words; leetspeak at the edge of a token is undone only when it
        yields one of them (leet between letters is always undone). ``None`` uses the vocabulary
        shipped with the guards.
    """
    if vocabulary is None:
        vocabulary = default_vocabulary()
    chars: list[str] | None = None
    offs: list[int] | None = None
    work = text
    # 1. Invisible characters and non-ASCII folding (the only steps that change lengths per char).
    if not work.isascii() or _INVISIBLE.search(work):
        chars, offs = [], []
        for i, ch in enumerate(work):
            if ch.isascii():
                if _INVISIBLE.match(ch):
                    continue
                chars.append(ch.lower())
                offs.append(i)
                continue
            if _INVISIBLE.match(ch):
                continue
            folded = _fold_char(ch)
            for c in folded:
                chars.append(c)
                offs.append(i)
        work = "".join(chars)
        if len(work) != len(offs):  # a folded character gave several code points in one str
            flat: list[int] = []
            for c, o in zip(chars, offs, strict=True):
                flat.extend([o] * len(c))
            offs = flat
    else:
        work = work.lower()

    # 2. Letters spread out with separators or spaces: join them (removes characters).
    if _SEPARATED.search(work) or _SPACED.search(work):
        work, offs = _join_spread(work, offs)

    # 3. Leetspeak inside mixed tokens (same length, offsets unchanged).
    if _LEET_TOKEN.search(work):
        work = _LEET_TOKEN.sub(lambda m: _sub_leet(m, vocabulary), work)

    return Normalized(work, text, None if offs is None else tuple(offs))


def _join_spread(work: str, offs: list[int] | None) -> tuple[str, list[int]]:
    base = list(range(len(work))) if offs is None else offs
    drop: set[int] = set()  # positions of separators to remove
    for m in _SEPARATED.finditer(work):
        for j in range(m.start(), m.end()):
            if not work[j].isalnum():
                drop.add(j)
    for m in _SPACED.finditer(work):
        run = m.group(0)
        singles = sum(1 for c in run if c != " ")
        if singles < 3:
            continue  # "a b" or "Q 4": not a spread-out word
        # One space inside a word, two or more between words ("s e n d   t h e").
        j = m.start()
        while j < m.end():
            if work[j] == " ":
                k = j
                while k < m.end() and work[k] == " ":
                    k += 1
                if k - j == 1 or " " * 2 not in run:
                    drop.update(range(j, k))  # a single gap joins letters
                else:
                    drop.update(range(j + 1, k))  # a wide gap becomes one space
                j = k
            else:
                j += 1
    new_chars = [c for j, c in enumerate(work) if j not in drop]
    new_offs = [o for j, o in enumerate(base) if j not in drop]
    return "".join(new_chars), new_offs


def normalize(text: str, vocabulary: frozenset[str] | None = None) -> str:
    """The judging form of ``text``: folded, de-obfuscated and case-folded (see module docstring)."""
    return normalize_mapped(text, vocabulary).text
