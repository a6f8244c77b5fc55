"""Find health, religion, family, orientation and immigration facts said ABOUT a person.

The same words are often the topic of someone's work: "ran the diabetes-awareness drive",
"led the disability-inclusion group", "rolled out the parental-leave policy". A term counts as
a fact about the person only when the sentence ties it to them:

* a possessive: "his diabetes", "Kevin's ADHD", "her second pregnancy";
* a frame: "Being gay, ...", "As a single mom, ...", "Despite his migraines ...";
* a predicate with a linking word: "she uses a wheelchair", "he is on medication",
  "leaves early for prayers", "is a single dad".

It is the topic of work when it modifies a work noun ("diabetes-management app", "disability
claims"), sits after a determiner ("the", "our") or an action verb ("led", "organized"), or is
about other people ("customers with hearing loss").

The terms are in ``guards/data/lexicon_en.toml``; the words and patterns that tie a term to a
person or to the work are in ``guards/data/bias/sensitive_en.toml``, read and checked by
:func:`load_sensitive_data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypedDict

from rai_assistant.guards._bias_lexicon import GROUPS, POSSESSED_ONLY, SENSITIVE_TERMS, load_data
from rai_assistant.guards._bias_text import (
    Word,
    alternation,
    is_person_subject,
    next_word,
    sentence_of,
    sentences,
    words_before,
)

__all__ = [
    "SENSITIVE_FILE",
    "SensitiveData",
    "SensitiveHit",
    "find_sensitive",
    "is_topic_or_others",
    "load_sensitive_data",
    "loose_sensitive_terms",
]

#: The words and patterns that tell a fact about a person from the topic of the work.
SENSITIVE_FILE = Path(__file__).with_name("data") / "bias" / "sensitive_en.toml"


class SensitiveData(TypedDict):
    """The keys of ``sensitive_en.toml`` and their types."""

    CASE_SENSITIVE: frozenset[str]
    TOPIC_NOUNS: frozenset[str]
    TOPIC_BEFORE_OF: frozenset[str]
    DETERMINER_STOP: frozenset[str]
    WORK_VERBS: frozenset[str]
    OTHER_PEOPLE: frozenset[str]
    LINKS: frozenset[str]
    POSSESSIVE: frozenset[str]
    NOT_POSSESSIVE: frozenset[str]
    POSSESSION_BREAKS: frozenset[str]
    PERSON_PRONOUNS: frozenset[str]
    ORIGIN_HEDGES: frozenset[str]
    HAS_ONLY: frozenset[str]
    NOT_LOOSE: frozenset[str]
    ETHNIC: dict[str, str]
    ALWAYS: tuple[tuple[re.Pattern[str], str], ...]
    HAD: re.Pattern[str]
    LOOSE_EXTRA: re.Pattern[str]
    OTHERS_BEFORE: re.Pattern[str]
    CONTRACTED_SUBJECT: re.Pattern[str]
    CONTRACTED_COPULA: re.Pattern[str]


def load_sensitive_data(path: Path = SENSITIVE_FILE) -> SensitiveData:
    """Read and check the file: every key present, of its type, every pattern compiling.

    :raises ValueError: naming the file and each key that is missing, unknown or malformed.
    """
    return load_data(path, SensitiveData)


_DATA = load_sensitive_data()


@dataclass(frozen=True, slots=True)
class SensitiveHit:
    """A sensitive term said about a person: offsets, the words, and the kind of fact."""

    start: int
    end: int
    text: str
    kind: str


# The lists and patterns of ``sensitive_en.toml`` (its comments say what each is for).
_CASE_SENSITIVE = _DATA["CASE_SENSITIVE"]
_ETHNIC = _DATA["ETHNIC"]
_ALWAYS = _DATA["ALWAYS"]  # (pattern, kind of fact): always a fact about someone
_TOPIC_NOUNS = _DATA["TOPIC_NOUNS"]
_TOPIC_BEFORE_OF = _DATA["TOPIC_BEFORE_OF"]
_DETERMINER_STOP = _DATA["DETERMINER_STOP"]
_WORK_VERBS = _DATA["WORK_VERBS"]
_OTHER_PEOPLE = _DATA["OTHER_PEOPLE"]
_LINKS = _DATA["LINKS"]
_POSSESSIVE = _DATA["POSSESSIVE"]
_NOT_POSSESSIVE = _DATA["NOT_POSSESSIVE"]
_POSSESSION_BREAKS = _DATA["POSSESSION_BREAKS"]
_PERSON_PRONOUNS = _DATA["PERSON_PRONOUNS"]
_ORIGIN_HEDGES = _DATA["ORIGIN_HEDGES"]
_CONTRACTED_SUBJECT = _DATA["CONTRACTED_SUBJECT"]
_CONTRACTED_COPULA = _DATA["CONTRACTED_COPULA"]
_HAS_ONLY = _DATA["HAS_ONLY"]  # family words that count after "has"/"had" too
_HAD = _DATA["HAD"]
_NOT_LOOSE = _DATA["NOT_LOOSE"]  # too general to be a loose trigger unless possessed
_LOOSE_EXTRA = _DATA["LOOSE_EXTRA"]
_OTHERS_BEFORE = _DATA["OTHERS_BEFORE"]


@cache
def _patterns() -> tuple[
    re.Pattern[str], re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...], re.Pattern[str]
]:
    terms = [t for t in SENSITIVE_TERMS if t not in _CASE_SENSITIVE]
    # plurals count too ("three miscarriages", "his migraines")
    insensitive = re.compile(rf"(?<![\w-])(?:{alternation(terms)})(?:s|es)?(?![\w])", re.IGNORECASE)
    exact = sorted(_CASE_SENSITIVE | set(_ETHNIC))
    sensitive = re.compile(rf"(?<![\w-])(?:{alternation(exact)})(?![\w])")
    origin = re.compile(
        rf"(?<![\w-])(?:{alternation(g for g in GROUPS if g[:1].isupper() and not g.endswith('s'))})(?![\w-])"
    )
    return insensitive, sensitive, _ALWAYS, origin


def _kind(term: str) -> str:
    key = re.sub(r"\s+", " ", term)
    for k in (key, key[:-1], key[:-2]):
        kind = SENSITIVE_TERMS.get(k.lower()) or SENSITIVE_TERMS.get(k)
        if kind:
            return kind
    return _ETHNIC.get(key, "ethnicity")


def _singular(key: str) -> str:
    """The listed form of a matched term ("miscarriages" -> "miscarriage")."""
    if key in SENSITIVE_TERMS:
        return key
    for cut in (1, 2):
        if key[:-cut] in SENSITIVE_TERMS:
            return key[:-cut]
    return key


def _possessed(ws: list[Word]) -> bool:
    """The words just before the term are "his", "her", "their" or "Name's" (two modifiers allowed)."""
    for back in range(min(3, len(ws))):
        w = ws[len(ws) - 1 - back]
        low = w.lower
        if low in _POSSESSIVE or (low.endswith("'s") and w.text[:1].isupper() and low not in _NOT_POSSESSIVE):
            return True
        if not (w.text.islower() and w.text.isalpha()) and not w.text.isdigit():
            return False
        if low in _LINKS or low in _WORK_VERBS or low in _DETERMINER_STOP or low in _POSSESSION_BREAKS:
            return False  # "his team was blind to ...": the possessive belongs to another noun
    return False


def _had(ws: list[Word]) -> bool:
    tail = " ".join(w.text for w in ws[-4:]) + " "
    return _HAD.search(tail) is not None


def _is_topic(text: str, end: int, limit: int, term: str) -> bool:
    """The term modifies a work noun ("-management app", "awareness drive", "claims")."""
    if end < len(text) and text[end] in "-–" and end + 1 < len(text) and text[end + 1].isalpha():
        return True
    nw = next_word(text, end, limit)
    if nw is None:
        return False
    low = nw.lower
    if low in _TOPIC_NOUNS:
        return True
    return low == "of" and term.lower() in _TOPIC_BEFORE_OF


def _about_person(ws: list[Word], people: frozenset[str]) -> bool:
    """A person is the subject before the term, with a linking word between ("she uses a ...")."""
    if ws and ws[-1].lower == "being":
        return True  # "Being gay, ..."
    if len(ws) >= 2 and ws[-2].lower == "as" and ws[-1].lower in {"a", "an"}:
        return True  # "As a single dad, ..."
    if ws and ws[-1].lower in {"despite", "given"}:
        return True
    linked = False
    for w in reversed(ws[-9:]):
        low = w.lower
        if w.text in {",", ";", ":", "(", ")", "—", "–", '"', "“", "”"}:
            return False
        if low in _DETERMINER_STOP or low in _WORK_VERBS or low in _OTHER_PEOPLE:
            return False
        contracted = _CONTRACTED_SUBJECT.match(low)
        if contracted:
            return True
        if low in _LINKS:
            linked = True
            continue
        if is_person_subject(w, people) and (w.text[:1].isupper() or low in _PERSON_PRONOUNS):
            return linked
    return False


def _copula_person(ws: list[Word], people: frozenset[str]) -> bool:
    """ "Carlos is", "she's originally": a person and a copula right before the word."""
    i = len(ws) - 1
    while i >= 0 and ws[i].lower in _ORIGIN_HEDGES:
        i -= 1
    if i < 0:
        return False
    low = ws[i].lower
    if _CONTRACTED_COPULA.match(low):
        return True
    return low in {"is", "was", "being"} and i > 0 and is_person_subject(ws[i - 1], people)


def find_sensitive(text: str, people: frozenset[str] = frozenset()) -> list[SensitiveHit]:
    """Sensitive facts said about a person in ``text``, in order of position."""
    insensitive, sensitive, always, origin = _patterns()
    bounds = sentences(text)
    hits: list[SensitiveHit] = []
    for pattern, kind in always:
        for m in pattern.finditer(text):
            hits.append(SensitiveHit(m.start(), m.end(), m.group(), kind))
    for m in origin.finditer(text):
        s_start, _ = sentence_of(bounds, m.start())
        if _copula_person(words_before(text, s_start, m.start()), people):
            hits.append(SensitiveHit(m.start(), m.end(), m.group(), "ethnicity"))
    for pattern in (insensitive, sensitive):
        for m in pattern.finditer(text):
            term = m.group()
            s_start, s_end = sentence_of(bounds, m.start())
            if _is_topic(text, m.end(), s_end, term):
                continue
            ws = words_before(text, s_start, m.start())
            key = _singular(re.sub(r"\s+", " ", term).lower())
            if _possessed(ws):
                hits.append(SensitiveHit(m.start(), m.end(), term, _kind(term)))
            elif (key not in POSSESSED_ONLY or (key in _HAS_ONLY and _had(ws))) and _about_person(ws, people):
                hits.append(SensitiveHit(m.start(), m.end(), term, _kind(term)))
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[SensitiveHit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue  # overlapping: keep the first, longest
        out.append(h)
    return out


def loose_sensitive_terms(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets of protected-characteristic terms anywhere, possessed or not ("Ramadan", "the
    accent", "pregnant"), except where they are the topic of the work. Not a finding on their
    own: the fairness guard pairs them with a doubt about the person nearby."""
    insensitive, sensitive, _, _ = _patterns()
    out: list[tuple[int, int]] = []
    for pattern in (insensitive, sensitive):
        for m in pattern.finditer(text):
            key = _singular(re.sub(r"\s+", " ", m.group()).lower())
            if key in _NOT_LOOSE:
                continue
            _, s_end = sentence_of(bounds, m.start())
            if is_topic_or_others(text, m.start(), m.end(), s_end):
                continue
            out.append((m.start(), m.end()))
    for m in _LOOSE_EXTRA.finditer(text):
        _, s_end = sentence_of(bounds, m.start())
        if not _is_topic(text, m.end(), s_end, m.group()):
            out.append((m.start(), m.end()))
    return out


def is_topic_or_others(text: str, start: int, end: int, limit: int) -> bool:
    """The term at ``text[start:end]`` is the topic of the work ("wheelchair ramp", "the
    diabetes-clinic rota") or about other people ("customers with hearing loss")."""
    if _is_topic(text, end, limit, text[start:end]):
        return True
    return _OTHERS_BEFORE.search(text, max(0, start - 60), start) is not None
