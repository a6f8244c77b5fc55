"""Word lists for the fairness and sensitive-fact guards, written from the research, not the evals.

Sources, and what each list draws on:

* Personality critique: Snyder (2014, Fortune, 248 reviews) found "abrasive", "bossy",
  "aggressive", "strident", "emotional", "irrational" almost only in reviews of women; Textio's
  follow-ups add "shrill", "hysterical", "dramatic", "temperamental", "intimidating", "pushy",
  "too nice", "soft". Critique of the person's character rather than of a behaviour.
* Gender named outright and gender-coded diminutives ("feisty", "sassy", "bubbly"): Textio and
  Gaucher, Friesen & Kay (2011) on gendered wording.
* Age-coded terms: EEOC guidance and age-discrimination case law ("digital native",
  "overqualified", "young and energetic", "new blood", "set in one's ways", "close to retirement").
* Protected characteristics (Title VII, ADA, PDA, ADEA and their equivalents): religion,
  race/ethnicity, national origin and accent, disability and health, pregnancy and family status,
  sexual orientation and gender identity, immigration status.
* Appearance: looks, weight, clothing and grooming, which say nothing about work.

Matching is case-insensitive unless a list says otherwise; spaces in a phrase match any
whitespace. Lists hold inflections explicitly rather than stemming, so a hit is always a word a
reviewer would recognise.

The lists live in ``guards/data/lexicon_en.toml`` (the other languages in
``guards/data/bias/``); :func:`load_lexicon` reads and checks them, and this module exposes each
as a constant of its type.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

__all__ = [
    "LEXICON_FILE",
    "load_lexicon",
    "AGE_AFTER_YOUNG",
    "AGE_PHRASES",
    "APPEARANCE_ADJ_IS",
    "APPEARANCE_ADJ_LOOKS",
    "APPEARANCE_GENDERED",
    "APPEARANCE_POSSESSED",
    "GENDER_WORDS",
    "GENDERED_PHRASES",
    "GENDERED_TRAITS",
    "GROUPS",
    "JUDGEMENT_PHRASES",
    "LOOSE_TRIGGERS",
    "PERSONALITY_NOUNS",
    "AMBIGUOUS_PERSONALITY_NOUNS",
    "AGE_TRAITS",
    "ORIGIN_TRAITS",
    "AGE_NOUNS",
    "SIZE_WORDS",
    "APPEARANCE_NOUNS",
    "APPEARANCE_JUDGEMENTS",
    "PERSONALITY_PHRASES",
    "POSSESSED_ONLY",
    "SENSITIVE_TERMS",
    "TOO_TRAITS",
    "TRAIT_NOUNS",
    "TRAITS",
]

#: The English word lists.
LEXICON_FILE = Path(__file__).with_name("data") / "lexicon_en.toml"

# Each list and its type: ``tuple`` (ordered: alternations try entries in order), ``frozenset``,
# ``str`` (one pattern), ``dict_str`` (term -> kind), ``dict_tuple`` (kind -> patterns).
_KINDS: dict[str, str] = {
    "AGE_AFTER_YOUNG": "tuple",
    "AGE_PHRASES": "tuple",
    "APPEARANCE_ADJ_IS": "tuple",
    "APPEARANCE_ADJ_LOOKS": "tuple",
    "APPEARANCE_GENDERED": "tuple",
    "APPEARANCE_POSSESSED": "tuple",
    "GENDER_WORDS": "str",
    "GENDERED_PHRASES": "tuple",
    "GENDERED_TRAITS": "tuple",
    "GROUPS": "tuple",
    "JUDGEMENT_PHRASES": "tuple",
    "LOOSE_TRIGGERS": "dict_tuple",
    "PERSONALITY_NOUNS": "tuple",
    "AMBIGUOUS_PERSONALITY_NOUNS": "frozenset",
    "AGE_TRAITS": "tuple",
    "ORIGIN_TRAITS": "tuple",
    "AGE_NOUNS": "tuple",
    "SIZE_WORDS": "tuple",
    "APPEARANCE_NOUNS": "tuple",
    "APPEARANCE_JUDGEMENTS": "tuple",
    "PERSONALITY_PHRASES": "tuple",
    "POSSESSED_ONLY": "frozenset",
    "SENSITIVE_TERMS": "dict_str",
    "TOO_TRAITS": "tuple",
    "TRAIT_NOUNS": "tuple",
    "TRAITS": "tuple",
}


def load_lexicon(path: Path = LEXICON_FILE) -> dict[str, Any]:
    """Read and check the lexicon: every list present, of its type, with no empty entry.

    :raises ValueError: names each list that is missing, of the wrong type, or has an empty entry.
    """
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    problems: list[str] = []
    lists: dict[str, Any] = {}

    def words(name: str, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            problems.append(f"{name} must be a list of non-empty strings")
            return None
        return tuple(value)

    for name, kind in _KINDS.items():
        if name not in data:
            problems.append(f"{name} is missing")
            continue
        value = data[name]
        if kind == "str":
            if not isinstance(value, str) or not value:
                problems.append(f"{name} must be a non-empty string")
            lists[name] = value
        elif kind in ("tuple", "frozenset"):
            got = words(name, value)
            lists[name] = got if kind == "tuple" or got is None else frozenset(got)
        elif not isinstance(value, dict):
            problems.append(f"{name} must be a table")
        elif kind == "dict_str":
            if not all(isinstance(v, str) and v for v in value.values()):
                problems.append(f"{name}: every term needs a kind")
            lists[name] = dict(value)
        else:
            lists[name] = {k: words(f"{name}.{k}", v) for k, v in value.items()}
    unknown = sorted(set(data) - set(_KINDS))
    if unknown:
        problems.append(f"unknown list(s) {', '.join(unknown)}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return lists


_LISTS = load_lexicon()

AGE_AFTER_YOUNG: tuple[str, ...] = _LISTS["AGE_AFTER_YOUNG"]
AGE_PHRASES: tuple[str, ...] = _LISTS["AGE_PHRASES"]
APPEARANCE_ADJ_IS: tuple[str, ...] = _LISTS["APPEARANCE_ADJ_IS"]
APPEARANCE_ADJ_LOOKS: tuple[str, ...] = _LISTS["APPEARANCE_ADJ_LOOKS"]
APPEARANCE_GENDERED: tuple[str, ...] = _LISTS["APPEARANCE_GENDERED"]
APPEARANCE_POSSESSED: tuple[str, ...] = _LISTS["APPEARANCE_POSSESSED"]
GENDER_WORDS: str = _LISTS["GENDER_WORDS"]
GENDERED_PHRASES: tuple[str, ...] = _LISTS["GENDERED_PHRASES"]
GENDERED_TRAITS: tuple[str, ...] = _LISTS["GENDERED_TRAITS"]
GROUPS: tuple[str, ...] = _LISTS["GROUPS"]
JUDGEMENT_PHRASES: tuple[str, ...] = _LISTS["JUDGEMENT_PHRASES"]
LOOSE_TRIGGERS: dict[str, tuple[str, ...]] = _LISTS["LOOSE_TRIGGERS"]
PERSONALITY_NOUNS: tuple[str, ...] = _LISTS["PERSONALITY_NOUNS"]
AMBIGUOUS_PERSONALITY_NOUNS: frozenset[str] = _LISTS["AMBIGUOUS_PERSONALITY_NOUNS"]
AGE_TRAITS: tuple[str, ...] = _LISTS["AGE_TRAITS"]
ORIGIN_TRAITS: tuple[str, ...] = _LISTS["ORIGIN_TRAITS"]
AGE_NOUNS: tuple[str, ...] = _LISTS["AGE_NOUNS"]
SIZE_WORDS: tuple[str, ...] = _LISTS["SIZE_WORDS"]
APPEARANCE_NOUNS: tuple[str, ...] = _LISTS["APPEARANCE_NOUNS"]
APPEARANCE_JUDGEMENTS: tuple[str, ...] = _LISTS["APPEARANCE_JUDGEMENTS"]
PERSONALITY_PHRASES: tuple[str, ...] = _LISTS["PERSONALITY_PHRASES"]
POSSESSED_ONLY: frozenset[str] = _LISTS["POSSESSED_ONLY"]
SENSITIVE_TERMS: dict[str, str] = _LISTS["SENSITIVE_TERMS"]
TOO_TRAITS: tuple[str, ...] = _LISTS["TOO_TRAITS"]
TRAIT_NOUNS: tuple[str, ...] = _LISTS["TRAIT_NOUNS"]
TRAITS: tuple[str, ...] = _LISTS["TRAITS"]
