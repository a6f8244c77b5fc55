"""Refusal messages for blocked requests, in the language the request was written in.

:func:`detect_language` is a cheap stop-word vote (English, Spanish, French, German; English when
unsure). :func:`refusal` says what is not allowed, under which clause, and how to ask for the
legitimate version of the task.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["DATA_FILE", "LANGUAGES", "detect_language", "load_messages", "refusal"]

LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de")

#: The texts: refusal template, "how to ask instead", stop words and one sentence per category.
DATA_FILE = Path(__file__).with_name("data") / "messages.toml"


def load_messages(path: Path = DATA_FILE) -> dict[str, Any]:
    """Read and check the messages file: every table has every language of :data:`LANGUAGES`.

    :raises ValueError: a table, language or placeholder is missing (names which).
    """
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    problems = []
    for table in ("template", "how", "stop_words", "what"):
        if table not in data:
            problems.append(f"table [{table}] is missing")
    for table in ("template", "how", "stop_words"):
        missing = [lang for lang in LANGUAGES if not str(data.get(table, {}).get(lang, "")).strip()]
        if missing:
            problems.append(f"[{table}] lacks {', '.join(missing)}")
    for lang, text in data.get("template", {}).items():
        for slot in ("{what}", "{clause}", "{how}"):
            if slot not in text:
                problems.append(f"[template] {lang} lacks {slot}")
    for category, texts in data.get("what", {}).items():
        missing = [lang for lang in LANGUAGES if not str(texts.get(lang, "")).strip()]
        if missing:
            problems.append(f"[what.{category}] lacks {', '.join(missing)}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return data



_DATA = load_messages()
_STOP: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _DATA["stop_words"].items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letters that belong to one language only: a strong hint in short texts.
_MARKS = {"es": re.compile(r"[ñ¿¡]"), "de": re.compile(r"[ßäöü]"), "fr": re.compile(r"[êèàçùœâî]")}


def detect_language(text: str) -> str:
    """Best guess of ``text``'s language among en/es/fr/de, by stop words; ``"en"`` when unsure."""
    words = [w.lower() for w in _WORD.findall(text[:2000])]
    score = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    for lang, pat in _MARKS.items():
        score[lang] += 2 * len(pat.findall(text[:2000].lower()))
    best = max(score, key=lambda k: score[k])
    return best if score[best] > score["en"] else "en"


# What is not allowed, per category; the sentence around it; how to ask instead.
_WHAT: dict[str, dict[str, str]] = _DATA["what"]
_TEMPLATE: dict[str, str] = _DATA["template"]
_HOW: dict[str, str] = _DATA["how"]


def refusal(category: str, clause: str, language: str) -> str:
    """The refusal for ``category`` under ``clause`` in ``language`` (English if unsupported)."""
    lang = language if language in _TEMPLATE else "en"
    what = _WHAT.get(category, {}).get(lang) or _WHAT.get(category, {}).get("en") or category
    what = what[:1].upper() + what[1:]
    return _TEMPLATE[lang].format(what=what, clause=clause, how=_HOW[lang])
