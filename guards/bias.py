"""The "bias" guard: wording in a draft that judges a person by who they are, not what they did.

Clause 3.fairness. Five kinds of finding, each pointing at the exact words and suggesting a
behaviour-based rewording:

* ``gendered_language``: gender named as a yardstick ("for a woman", "man up", "the ladies",
  "den mother") or gender-coded diminutives ("feisty", "bubbly");
* ``personality_critique``: character judged instead of behaviour ("abrasive", "bossy",
  "shrill", "too nice", "a pushover"), the pattern Snyder (2014) found in reviews of women;
* ``age_coded``: wording the EEOC treats as evidence of age bias ("digital native",
  "overqualified", "set in his ways", "close to retirement", "at 58, ...");
* ``protected_characteristic``: religion, ethnicity, national origin, accent, disability,
  pregnancy or family status, orientation used as a judgement ("despite his stutter", "as many
  X engineers are", "diversity hire");
* ``appearance``: looks, weight, clothing.

Words are judged by the shape of the sentence around them, not by a list of sentences:

* a judgement word counts when a person is its subject, whatever sits between ("she is,
  frankly, a bit too emotional"; hedges, asides between commas, "kind of", "can be", "comes
  across as"), when the note has no subject at all ("Fixed the build and is abrasive", "- bossy
  in stand-ups"), or next to a noun for a person ("an abrasive manager");
* a protected characteristic that is only mentioned ("Ramadan", "the twins", "the accent")
  counts when a doubt about the person sits in the same or a neighbouring sentence ("is he
  really going to manage the early opens?");
* a judgement of character in the same sentence completes a characteristic too ("he's from
  Lagos and the team finds his manner a bit much"); in one sentence the characteristic and the
  doubt are one biased phrase, and the span covers both ("with Ramadan coming up, is he really
  going to manage the early opens");
* a person labelled or graded by a characteristic ("the deaf guy", "very Catholic",
  "hijab-wearing"), gender used as a yardstick or a generalisation ("better than most of the
  guys", "the women on the team tend to"), and a bare note with no article or subject
  ("Total airhead.") count as well;
* Spanish, French and German work the same way, from ``guards/data/bias/*.toml``
  (``rai_assistant.guards._bias_lang``): copulas, gender agreement and declension, prepositional phrases.

"aggressive timeline", "emotional intelligence training", "her comments were abrupt" and words
quoted as what someone said describe things or behaviour, and pass. The phrase lists are searched
in one pass over the words (``rai_assistant.guards._bias_scan``). The guard also judges a person's own text
(``rai check``): it needs only the text.

The English words and patterns it reads (what may sit between a person and a judgement, what makes
a word a thing rather than a person, the phrase patterns) are data, in
``guards/data/bias/bias_en.toml``, read and checked on import by :func:`load_bias_data`; the
patterns are compiled on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.guards import _bias_lexicon as lex
from rai_assistant.guards._bias_lang import CATEGORIES as _BIAS_CATEGORIES
from rai_assistant.guards._bias_lang import find_bias_lang, judgement_starts
from rai_assistant.guards._bias_lexicon import LazyPattern, load_data
from rai_assistant.guards._bias_scan import Scanner
from rai_assistant.guards._bias_sensitive import find_sensitive, is_topic_or_others, loose_sensitive_terms
from rai_assistant.guards._bias_text import (
    FUNCTION_WORDS,
    PERSON_NOUNS,
    Word,
    alternation,
    clause_end,
    is_person_subject,
    looks_like_verb,
    next_word,
    person_predicate_before,
    sentence_of,
    sentences,
    words_before,
)
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

if TYPE_CHECKING:
    from rai_assistant.guards._bias_model import SentenceHit

__all__ = [
    "BIAS_FILE",
    "CATEGORIES",
    "CLAUSES",
    "GUARD",
    "BiasData",
    "BiasHit",
    "check_bias",
    "filled_patterns",
    "find_bias",
    "learned_reading",
    "load_bias_data",
    "register_guards",
]

GUARD = "bias"
CLAUSES = ("3.fairness",)
CATEGORIES = _BIAS_CATEGORIES  # one list, shared with the es/fr/de data loader

_MESSAGES = {
    "gendered_language": "Names or codes gender as part of the judgement ('{}').",
    "personality_critique": "Judges the person's personality ('{}') rather than a behaviour.",
    "age_coded": "Age-coded wording ('{}') can read as a judgement based on age.",
    "protected_characteristic": "Ties the judgement to a protected characteristic ('{}').",
    "appearance": "Comments on appearance ('{}'), which is not job performance.",
}
_SUGGESTIONS = {
    "gendered_language": (
        "Leave gender out and describe what the person did and its effect: "
        "'presented the forecast to the CFO and answered every question with data'."
    ),
    "personality_critique": (
        "Describe the specific behaviour and its effect, then the change you want: "
        "'interrupted two colleagues in Tuesday's review; next time, let presenters finish first'."
    ),
    "age_coded": (
        "Describe skills and results, not age or career stage: 'learned the new system in a week' "
        "or 'needs hands-on practice with the cloud tools by the end of Q2'."
    ),
    "protected_characteristic": (
        "Remove the reference and judge the work against the role's requirements: "
        "'two of five reports needed rework; use the checklist before submitting'."
    ),
    "appearance": (
        "Remove the comment on looks; describe what the person does with clients: "
        "'prepared a tailored agenda for each client meeting'."
    ),
}


@dataclass(frozen=True, slots=True)
class BiasHit:
    """One biased phrase: its category and offsets in the text."""

    category: str
    start: int
    end: int


#: The English words and patterns of the guard, each explained in the file.
BIAS_FILE = Path(__file__).with_name("data") / "bias" / "bias_en.toml"


class BiasData(TypedDict):
    """The keys of ``bias_en.toml`` and their types; the patterns are compiled on first use."""

    INTENSIFIERS: frozenset[str]
    TOO: frozenset[str]
    INTENSIFIERS_BEFORE_PRETTY: frozenset[str]
    THING_AFTER_PRETTY: frozenset[str]
    BARE_TOPIC_NOUNS: frozenset[str]
    TRAIT_CARRIERS: frozenset[str]
    NOT_A_NOUN: frozenset[str]
    TOPIC_AFTER_GENDERED: frozenset[str]
    ADVERBS_BEFORE_LOOKS: frozenset[str]
    BODY_NOUNS: frozenset[str]
    NOT_BODY_AFTER: frozenset[str]
    COLLECTIVE: frozenset[str]
    BIT_OF_THINGS: frozenset[str]
    # patterns of the whole text, named in _rx() by their key in lower case
    GENDERED_TRAIT: LazyPattern
    FAMILY_GENDER: LazyPattern
    TRAIT: LazyPattern
    TOO_TRAIT: LazyPattern
    PERS_NOUN: LazyPattern
    TRAIT_NESS: LazyPattern
    CLOTHES: LazyPattern
    AGE_NOUN: LazyPattern
    ARTICLE_TAIL: LazyPattern
    TRAIT_NOUN: LazyPattern
    YOUNG: LazyPattern
    KID: LazyPattern
    LOOKS: LazyPattern
    LOOKS_ADJ: LazyPattern
    LOOKS_POSS: LazyPattern
    WEIGHT: LazyPattern
    DRESS: LazyPattern
    WEAR: LazyPattern
    APPEARANCE_PHRASE: LazyPattern
    DIVERSITY_HIRE: LazyPattern
    ACCENT: LazyPattern
    NATIVE: LazyPattern
    GROUP: LazyPattern
    FRAME: LazyPattern
    AGE_TRAIT: LazyPattern
    AGE_NUMBER: LazyPattern
    SIZE: LazyPattern
    LOOKING: LazyPattern
    WISE: LazyPattern
    DRESS_LIKE: LazyPattern
    SMILE: LazyPattern
    SKIN: LazyPattern
    APP_NOUN: LazyPattern
    HAIRCUT: LazyPattern
    IMAGE: LazyPattern
    PARENT_FRAME: LazyPattern
    CULTURE_FIT: LazyPattern
    ORIGIN: LazyPattern
    CODED: LazyPattern
    TOKEN: LazyPattern
    ACCENT_DET: LazyPattern
    BIT_OF: LazyPattern
    SPECULATION: LazyPattern
    ORIGIN_TRAIT: LazyPattern
    ORIENTATION_CODED: LazyPattern
    A_LOT: LazyPattern
    # other patterns
    NOTE_OPENS: LazyPattern
    QUOTE: LazyPattern
    SAID: LazyPattern
    INCIDENT_DATE: LazyPattern
    OTHERS_CHILDREN: LazyPattern
    PERSON_WORD: LazyPattern
    POSSESSOR: LazyPattern
    NOT_BARE_NOUN_AFTER: LazyPattern
    KID_COMPOUND: LazyPattern
    PRONOUN_IS: LazyPattern
    POSSESSIVE_MARK: LazyPattern
    JOINER: LazyPattern


#: The lists a pattern may name in braces ("{GROUPS}"): an alternation of the lexicon's list of that
#: name, or of a list derived from one (see :func:`_fills`).
_PLACEHOLDERS = frozenset(
    {
        "AGE_AFTER_YOUNG",
        "AGE_NOUNS",
        "AGE_TRAITS",
        "APPEARANCE_ADJ_IS",
        "APPEARANCE_ADJ_LOOKS",
        "APPEARANCE_GENDERED",
        "APPEARANCE_NOUNS",
        "APPEARANCE_POSSESSED_BUT_LOOKS",
        "GENDERED_TRAITS",
        "GROUPS",
        "ORIGIN_TRAITS",
        "PERSONALITY_NOUNS",
        "POSSESSOR",
        "SENSITIVE",
        "SENSITIVE_ALL",
        "SIZE_WORDS",
        "TOO_TRAITS",
        "TRAIT_NOUNS",
        "TRAIT_STEMS",
        "TRAITS",
    }
)


def load_bias_data(path: Path = BIAS_FILE) -> BiasData:
    """Read and check ``bias_en.toml``: every key of its type, no empty entry, every pattern table
    well formed with known flags and placeholders (the patterns are compiled on first use).

    :raises ValueError: naming the file and every problem.
    """
    data = load_data(path, BiasData)
    problems = [
        f"{key}.pattern: unknown placeholder(s) {', '.join(sorted(unknown))}"
        for key, value in data.items()
        if isinstance(value, LazyPattern) and (unknown := value.placeholders() - _PLACEHOLDERS)
    ]
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return data


def _fills(data: BiasData) -> dict[str, str]:
    """What each placeholder stands for: an alternation of a lexicon list (built on first use)."""
    fills = {
        "POSSESSOR": data["POSSESSOR"].pattern,
        "SENSITIVE": alternation(t for t in lex.SENSITIVE_TERMS if t not in lex.POSSESSED_ONLY),
        "SENSITIVE_ALL": alternation(lex.SENSITIVE_TERMS),
        "TRAIT_STEMS": alternation(
            t[:-1] + "i" if t.endswith("y") else t for t in lex.TRAITS if " " not in t
        ),
        "APPEARANCE_POSSESSED_BUT_LOOKS": alternation(w for w in lex.APPEARANCE_POSSESSED if w != "looks"),
    }
    for name in _PLACEHOLDERS - fills.keys():  # the others: a lexicon list of that name
        fills[name] = alternation(getattr(lex, name))
    return fills


def filled_patterns(data: BiasData) -> dict[str, LazyPattern]:
    """Every pattern of ``data`` by key, its placeholders filled in, not yet compiled."""
    fills = _fills(data)
    return {key: value.fill(fills) for key, value in data.items() if isinstance(value, LazyPattern)}


_DATA = load_bias_data()

_INTENSIFIERS = _DATA["INTENSIFIERS"]
_TOO = _DATA["TOO"]
_INTENSIFIERS_BEFORE_PRETTY = _DATA["INTENSIFIERS_BEFORE_PRETTY"]
_THING_AFTER_PRETTY = _DATA["THING_AFTER_PRETTY"]
_BARE_TOPIC_NOUNS = _DATA["BARE_TOPIC_NOUNS"]
_TRAIT_CARRIERS = _DATA["TRAIT_CARRIERS"]
_NOT_A_NOUN = _DATA["NOT_A_NOUN"]
_TOPIC_AFTER_GENDERED = _DATA["TOPIC_AFTER_GENDERED"]
_ADVERBS_BEFORE_LOOKS = _DATA["ADVERBS_BEFORE_LOOKS"]
_BODY_NOUNS = _DATA["BODY_NOUNS"]
_NOT_BODY_AFTER = _DATA["NOT_BODY_AFTER"]
_COLLECTIVE = _DATA["COLLECTIVE"]
_BIT_OF_THINGS = _DATA["BIT_OF_THINGS"]
_NOTE_OPENS = _DATA["NOTE_OPENS"]
_QUOTE = _DATA["QUOTE"]
_SAID = _DATA["SAID"]
_INCIDENT_DATE = _DATA["INCIDENT_DATE"]
_OTHERS_CHILDREN = _DATA["OTHERS_CHILDREN"]
_PERSON_WORD = _DATA["PERSON_WORD"]
_NOT_BARE_NOUN_AFTER = _DATA["NOT_BARE_NOUN_AFTER"]
_KID_COMPOUND = _DATA["KID_COMPOUND"]
_PRONOUN_IS = _DATA["PRONOUN_IS"]
_POSSESSIVE_MARK = _DATA["POSSESSIVE_MARK"]
_JOINER = _DATA["JOINER"]


# Patterns that are not searched over the whole text (they look behind a given position).
_NOT_SCANNED = frozenset({"article_tail"})


@cache
def _scanner() -> Scanner:
    """All whole-text patterns, searched in one pass (see ``rai_assistant.guards._bias_scan``)."""
    return Scanner({k: (v.pattern, v.flags) for k, v in _rx().items() if k not in _NOT_SCANNED})


def _any(patterns: Sequence[str], name: str, *, tail: bool = True) -> LazyPattern:
    """One case-insensitive regex for many phrases, each starting at a word boundary.

    Each phrase stays a branch of its own, so that the scanner (``rai_assistant.guards._bias_scan``) files it
    under the letters it can start with and tries it only where such a word starts.
    """
    end = r"\b" if tail else ""
    pattern = "|".join(rf"\b(?:{p.removeprefix(chr(92) + 'b')}){end}" for p in patterns)
    return LazyPattern(pattern, re.IGNORECASE, f"{lex.LEXICON_FILE}: {name}")


@cache
def _rx() -> dict[str, LazyPattern]:
    """The patterns, filled in once on first use (importing the guard costs nothing) and compiled
    only where searched whole; the scanner compiles the branches it needs."""
    p = filled_patterns(_DATA)
    return {
        "gendered": _any(lex.GENDERED_PHRASES, "GENDERED_PHRASES", tail=False),
        "gendered_trait": p["GENDERED_TRAIT"],
        "family_gender": p["FAMILY_GENDER"],
        "personality_phrase": _any(lex.PERSONALITY_PHRASES, "PERSONALITY_PHRASES"),
        "trait": p["TRAIT"],
        "too_trait": p["TOO_TRAIT"],
        "pers_noun": p["PERS_NOUN"],
        "trait_ness": p["TRAIT_NESS"],
        "clothes": p["CLOTHES"],
        "age_noun": p["AGE_NOUN"],
        "article_tail": p["ARTICLE_TAIL"],
        "trait_noun": p["TRAIT_NOUN"],
        "age": _any(lex.AGE_PHRASES, "AGE_PHRASES", tail=False),
        "young": p["YOUNG"],
        "kid": p["KID"],
        "looks": p["LOOKS"],
        "looks_adj": p["LOOKS_ADJ"],
        "looks_poss": p["LOOKS_POSS"],
        "weight": p["WEIGHT"],
        "dress": p["DRESS"],
        "wear": p["WEAR"],
        "appearance_phrase": p["APPEARANCE_PHRASE"],
        "diversity_hire": p["DIVERSITY_HIRE"],
        "accent": p["ACCENT"],
        "native": p["NATIVE"],
        "group": p["GROUP"],
        "frame": p["FRAME"],
        "judgement": _any(lex.JUDGEMENT_PHRASES, "JUDGEMENT_PHRASES"),
        "age_trait": p["AGE_TRAIT"],
        "age_number": p["AGE_NUMBER"],
        "size": p["SIZE"],
        "looking": p["LOOKING"],
        "wise": p["WISE"],
        "dress_like": p["DRESS_LIKE"],
        "smile": p["SMILE"],
        "skin": p["SKIN"],
        "app_noun": p["APP_NOUN"],
        "app_judge": _any(lex.APPEARANCE_JUDGEMENTS, "APPEARANCE_JUDGEMENTS"),
        "haircut": p["HAIRCUT"],
        "image": p["IMAGE"],
        "parent_frame": p["PARENT_FRAME"],
        "culture_fit": p["CULTURE_FIT"],
        "origin": p["ORIGIN"],
        "coded": p["CODED"],
        "token": p["TOKEN"],
        "accent_det": p["ACCENT_DET"],
        "bit_of": p["BIT_OF"],
        "speculation": p["SPECULATION"],
        "origin_trait": p["ORIGIN_TRAIT"],
        "orientation_coded": p["ORIENTATION_CODED"],
        "a_lot": p["A_LOT"],
    }


def _next_is_thing(text: str, end: int, limit: int) -> tuple[bool, bool]:
    """(followed by a non-person noun, followed by a person noun) for an adjective ending at ``end``."""
    nw = next_word(text, end, limit)
    if nw is None:
        return False, False
    low = nw.lower
    if low in PERSON_NOUNS or low in _TRAIT_CARRIERS:
        return False, True
    if not low.isalpha() or low in FUNCTION_WORDS or nw.text[:1].isupper():
        return False, False
    if low in _NOT_A_NOUN or (low.endswith("ly") and len(low) > 4):
        return False, False
    return True, False


def _topic_after(text: str, end: int) -> bool:
    """A gender-coded word modifying a topic ("maternal health program"), not a person."""
    nw = next_word(text, end, len(text))
    return nw is not None and nw.lower in _TOPIC_AFTER_GENDERED


def _trait_about_person(
    text: str, start: int, end: int, sent: tuple[int, int], people: frozenset[str]
) -> bool:
    """The adjective at [start, end) describes a person: "she is bossy", "an abrasive manager"."""
    thing, person_noun = _next_is_thing(text, end, sent[1])
    if person_noun:
        return True
    if thing:
        return False
    ws = words_before(text, sent[0], start)
    return person_predicate_before(ws, people)


def _extend_left(text: str, start: int, words: frozenset[str]) -> int:
    """Move ``start`` left over one intensifier ("too nice", "less emotional")."""
    m = re.search(r"(\w+)\s+$", text[max(0, start - 20) : start])
    if m and m.group(1).lower() in words:
        return start - (len(m.group(0)))
    return start


def find_bias(text: str, people: frozenset[str] = frozenset()) -> list[BiasHit]:
    """Every biased phrase in ``text``, merged and in order of position."""
    rx = _rx()
    found = _scanner().scan(text)
    bounds = sentences(text)
    hits: list[BiasHit] = []
    add = hits.append

    def each(name: str, category: str, keep: Callable[[re.Match[str]], bool] | None = None) -> None:
        for m in found[name]:
            if m.end() > m.start() and (keep is None or keep(m)):
                add(BiasHit(category, m.start(), m.end()))

    # -- gender named outright
    each("gendered", "gendered_language")
    each("gendered_trait", "gendered_language", lambda m: not _topic_after(text, m.end()))
    each("family_gender", "gendered_language")
    each("family_gender", "protected_characteristic")

    # -- personality critique
    each("personality_phrase", "personality_critique")
    for m in found["trait"]:
        sent = sentence_of(bounds, m.start())
        if _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("personality_critique", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["too_trait"]:
        start = _extend_left(text, m.start(), _TOO)
        if start == m.start():
            continue  # "nice" alone is no critique; "too nice" is
        sent = sentence_of(bounds, m.start())
        if _trait_about_person(text, start, m.end(), sent, people):
            add(BiasHit("personality_critique", start, m.end()))
    for m in found["pers_noun"]:
        art = rx["article_tail"].search(text, max(0, m.start() - 40), m.start())
        ambiguous = re.sub(r"\s+", " ", m.group().lower()) in lex.AMBIGUOUS_PERSONALITY_NOUNS
        if art is None:
            # "a diva", "bit of a hothead", "such a pushover"; not "chronic pain". A note may drop
            # the article and the subject: "Total airhead.", "- Pushover with vendors".
            sent = sentence_of(bounds, m.start())
            if (
                ambiguous
                or m.group().lower() in _BARE_TOPIC_NOUNS
                or not _NOTE_OPENS.fullmatch(text, sent[0], m.start())
                or _NOT_BARE_NOUN_AFTER.match(text[m.end() :])
                or _next_is_thing(text, m.end(), sent[1])[0]
            ):
                continue
            add(BiasHit("personality_critique", m.start(), m.end()))
            continue
        if ambiguous:
            sent = sentence_of(bounds, m.start())
            if not person_predicate_before(words_before(text, sent[0], art.start()), people):
                continue  # "the migration was a nightmare"
        add(BiasHit("personality_critique", m.start(), m.end()))
    each("trait_noun", "personality_critique")
    for m in found["age_noun"]:
        # "a bit of a dinosaur", "such a fuddy-duddy", "like a child": said of a person
        art = rx["article_tail"].search(text, max(0, m.start() - 40), m.start())
        if art is None:
            continue
        sent = sentence_of(bounds, m.start())
        before = words_before(text, sent[0], art.start())
        if (before and before[-1].lower in {"like", "than"}) or person_predicate_before(before, people):
            add(BiasHit("age_coded", m.start(), m.end()))

    # -- age
    each("age", "age_coded")
    for m in found["young"]:
        sent = sentence_of(bounds, m.start())
        nw = next_word(text, m.end(), sent[1])
        if (
            m.end() - m.start() == 5
            and nw is not None
            and nw.lower in PERSON_NOUNS
            and nw.lower.endswith("s")
        ):
            continue  # "mentored two young analysts" describes other people, not the reviewee
        if m.end() - m.start() > 5 or _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("age_coded", m.start(), m.end()))
    each(
        "kid",
        "age_coded",
        lambda m: not _KID_COMPOUND.search(text[m.end() - 3 : m.end() + 10]),
    )

    # -- appearance
    for m in found["looks"]:
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.start())
        while ws and ws[-1].lower in _ADVERBS_BEFORE_LOOKS:
            ws.pop()
        if ws and (is_person_subject(ws[-1], people) or _PRONOUN_IS.match(ws[-1].lower)):
            add(BiasHit("appearance", m.start(), m.end()))
    for m in found["looks_adj"]:
        word = m.group().lower()
        sent = sentence_of(bounds, m.start())
        if word == "pretty":
            nw = next_word(text, m.end(), sent[1])
            prev = text[max(0, m.start() - 6) : m.start()].lower().split()
            if (
                nw is not None
                and nw.lower not in _THING_AFTER_PRETTY
                and not (prev and prev[-1] in _INTENSIFIERS_BEFORE_PRETTY)
            ):
                continue  # "pretty good" is an adverb
        if _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("appearance", m.start(), m.end()))
    each("looks_poss", "appearance")
    each("weight", "appearance")
    each("dress", "appearance")
    each("appearance_phrase", "appearance")
    for m in found["wear"]:
        add(BiasHit("appearance", m.start(), m.end()))
        if m.group("item").lower() in lex.APPEARANCE_GENDERED:
            add(BiasHit("gendered_language", m.start(), m.end()))

    _structural(text, bounds, people, rx, found, hits)

    # -- protected characteristics used as a judgement
    each("diversity_hire", "protected_characteristic")
    each("accent", "protected_characteristic")
    each("native", "protected_characteristic")
    each("group", "protected_characteristic")
    for m in found["frame"]:
        term = next(g for g in (m.groupdict().get(k) for k in ("t1", "t2", "t3", "t4", "t5")) if g)
        key = re.sub(r"\s+", " ", term).lower()
        if key in lex.POSSESSED_ONLY and not _POSSESSIVE_MARK.search(m.group()):
            continue
        if m.end() < len(text) and text[m.end()] == "-":
            continue  # "despite the disability-inclusion ..." is a topic
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    _protected_judgements(text, bounds, people, found, hits)
    hits.extend(BiasHit(h.category, h.start, h.end) for h in find_bias_lang(text))
    quoted = _quoted(text)
    if quoted:
        # words someone said, quoted as the behaviour ("told him 'you're useless'"), are evidence
        hits = [h for h in hits if not any(qs <= h.start and h.end <= qe for qs, qe in quoted)]
    dated = _dated_sentences(text, bounds)
    if dated:
        # "rude to the new starter on 3 Feb" names an incident: behaviour, not character; and
        # "maternity leave from 3 March", "Altersteilzeit ab 1.3." with no doubt beside them are
        # agreed facts, not a judgement
        doubted = {sentence_of(bounds, m.start()) for m in found["judgement"]}
        doubted.update(sentence_of(bounds, i) for i in judgement_starts(text))
        hits = [h for h in hits if not _incident_or_fact(h.category, sentence_of(bounds, h.start), dated, doubted)]
    return _merge(text, hits)


#: Kinds that, in a dated sentence with no doubt in it, state an agreed fact (a leave, a retirement).
_FACT_KINDS = frozenset({"protected_characteristic", "age_coded"})


def _incident_or_fact(category: str, sent: tuple[int, int], dated: set[tuple[int, int]], doubted: set[tuple[int, int]]) -> bool:
    """Whether a hit of ``category`` in sentence ``sent`` describes a dated incident or agreed fact."""
    if sent not in dated:
        return False
    return category == "personality_critique" or (category in _FACT_KINDS and sent not in doubted)


def _dated_sentences(text: str, bounds: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The sentences of ``text`` that name a date ("on 3 Feb", "le 12 mai", "am 8.11.")."""
    if not any(c.isdigit() for c in text) and "day" not in text.lower():
        return set()
    return {sentence_of(bounds, m.start()) for m in _INCIDENT_DATE.compiled().finditer(text)}


def _quoted(text: str) -> list[tuple[int, int]]:
    """Offsets of words quoted as what someone said ("told him 'you're useless'"), not of
    scare quotes ("a bit 'emotional'"), which stay judged."""
    if not any(q in text for q in "\"“‘'"):
        return []
    return [
        (m.start(), m.end())
        for m in _QUOTE.finditer(text)
        if _SAID.search(text, max(0, m.start() - 40), m.start())
    ]


def _protected_judgements(
    text: str,
    bounds: list[tuple[int, int]],
    people: frozenset[str],
    found: dict[str, list[re.Match[str]]],
    hits: list[BiasHit],
) -> None:
    """A doubt about capacity, commitment or fit next to a protected characteristic completes it.

    "with the twins arriving, is he really going to want the partnership track?", "the accent
    worries some patients. Maybe not the best fit for the desk.": the characteristic may sit in
    the same sentence as the doubt or in the one before, and need not be possessed ("Ramadan").
    Either alone passes: "swapped shifts for Ramadan", "I doubt the vendor will deliver".
    A judgement of character in the same sentence completes it too ("he's from Lagos and the team
    finds his manner a bit much"): the characteristic is then part of the judgement.
    """
    doubts = found["judgement"]
    traits = [h for h in hits if h.category == "personality_critique"]
    if not doubts and not traits:
        return
    index = {b: i for i, b in enumerate(bounds)}
    wanted: set[int] = set()
    for m in doubts:
        i = index.get(sentence_of(bounds, m.start()))
        if i is not None:
            wanted.update((i - 1, i, i + 1))
    trait_sents = {index.get(sentence_of(bounds, h.start)) for h in traits} - {None}
    wanted |= {i for i in trait_sents if i is not None}
    wanted -= {-1, len(bounds)}
    triggers: dict[int, list[tuple[int, int, str]]] = {}

    def trigger(start: int, end: int, category: str) -> None:
        i = index.get(sentence_of(bounds, start))
        if i in wanted:
            triggers.setdefault(i, []).append((start, end, category))

    for h in hits:
        if h.category in {"protected_characteristic", "age_coded", "gendered_language"}:
            trigger(h.start, h.end, h.category)
    for sh in find_sensitive(text, people):
        trigger(sh.start, sh.end, "protected_characteristic")
    for st, en in loose_sensitive_terms(text, bounds):
        trigger(st, en, "protected_characteristic")
    for i in sorted(wanted):
        s_start, s_end = bounds[i]
        for category, pattern in _loose_triggers():
            for m in pattern.finditer(text, s_start, s_end):
                if not is_topic_or_others(text, m.start(), m.end(), s_end):
                    trigger(m.start(), m.end(), category)
    if not triggers:
        return
    for i in trait_sents:
        if i is not None and _mentions_person(text, bounds[i], people):
            hits.extend(
                BiasHit(c, a, b)
                for a, b, c in triggers.get(i, [])
                if c == "protected_characteristic" and not _OTHERS_CHILDREN.fullmatch(text[a:b])
            )
    for m in doubts:
        sent = sentence_of(bounds, m.start())
        i = index.get(sent)
        if i is None:
            continue
        near = triggers.get(i, []) + triggers.get(i - 1, []) + triggers.get(i + 1, [])
        if not near:
            continue
        if not _mentions_person(text, sent, people):
            continue  # "I'm not sure the visa will come through": a doubt about a thing
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        cats = {c for _, _, c in near}
        category = next(
            c
            for c in ("protected_characteristic", "age_coded", "gendered_language", "appearance")
            if c in cats
        )
        hits.append(BiasHit(category, start, m.end()))
        for t_start, t_end, t_cat in near:
            hits.append(BiasHit(t_cat, t_start, t_end))
            # in one sentence, the characteristic and the doubt are one biased phrase ("with
            # Ramadan coming up, is he really going to manage"): point at all of it
            if t_cat == category and sent[0] <= t_start < sent[1]:
                a, b = min(start, t_start), clause_end(text, max(m.end(), t_end), sent[1])
                if b - a <= _PHRASE_MAX:
                    hits.append(BiasHit(category, a, b))


# The longest span a characteristic and its doubt are joined into, in characters.
_PHRASE_MAX = 160


def _mentions_person(text: str, sent: tuple[int, int], people: frozenset[str]) -> bool:
    """The sentence names or points at a person: a pronoun, a name, a title."""
    if _PERSON_WORD.search(text, sent[0], sent[1]):
        return True
    return any(
        w.text in people
        or (
            w.text[:1].isupper()
            and w.text.isalpha()
            and is_person_subject(w, people)
            and not looks_like_verb(w)
            and w.text not in _GROUP_WORDS
        )
        for w in words_before(text, sent[0], sent[1])
    )


_GROUP_WORDS = frozenset(lex.GROUPS)


@cache
def _loose_triggers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (category, re.compile(rf"(?<![\w-])(?:{'|'.join(frags)})(?![\w-])", re.IGNORECASE))
        for category, frags in lex.LOOSE_TRIGGERS.items()
    )


def _structural(
    text: str,
    bounds: list[tuple[int, int]],
    people: frozenset[str],
    rx: dict[str, LazyPattern],
    found: dict[str, list[re.Match[str]]],
    hits: list[BiasHit],
) -> None:
    """Judgements found by their shape around a person, beyond the fixed phrases."""
    add = hits.append

    def about_person(start: int, end: int) -> bool:
        return _trait_about_person(text, start, end, sentence_of(bounds, start), people)

    # age words said of a person ("old-school", "menopausal"), a person's age ("she is 58")
    for m in found["age_trait"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("age_coded", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["age_number"]:
        add(BiasHit("age_coded", m.start(), m.end()))

    # body size and "-looking" said of a person ("quite large", "a big lad", "polished-looking")
    for m in found["size"]:
        sent = sentence_of(bounds, m.start())
        nw = next_word(text, m.end(), sent[1])
        if nw is not None and nw.lower in _BODY_NOUNS:
            add(BiasHit("appearance", _extend_left(text, m.start(), _INTENSIFIERS), nw.end))
            continue
        if nw is not None and nw.lower in _NOT_BODY_AFTER:
            continue
        ws = words_before(text, sent[0], m.start())
        if any(w.lower in _COLLECTIVE for w in ws):
            continue  # "our team is large"
        thing, _ = _next_is_thing(text, m.end(), sent[1])
        if not thing and person_predicate_before(ws, people):
            add(BiasHit("appearance", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["looking"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("appearance", m.start(), m.end()))
    for m in found["trait_ness"]:
        add(BiasHit("personality_critique", m.start(), m.end()))
    for name in ("wise", "dress_like", "smile", "haircut", "image", "clothes"):
        for m in found[name]:
            add(BiasHit("appearance", m.start(), m.end()))
    for m in found["skin"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))
        add(BiasHit("appearance", m.start(), m.end()))
    # a thing about looks with a judgement in the same sentence ("the earrings are distracting")
    judged = {sentence_of(bounds, m.start()) for m in found["app_judge"]}
    if judged:
        for m in found["app_noun"]:
            if sentence_of(bounds, m.start()) in judged:
                add(BiasHit("appearance", m.start(), m.end()))

    # family status and parenthood as a frame ("as a new mum", "with two kids at home")
    for m in found["parent_frame"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))

    # origin, culture and accent ("not a culture fit", "the culture he's from", "the accent")
    for name in ("culture_fit", "origin", "token", "coded"):
        for m in found[name]:
            add(BiasHit("protected_characteristic", m.start(), m.end()))
    for m in found["accent_det"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    for m in found["speculation"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    for m in found["origin_trait"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("protected_characteristic", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["orientation_coded"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("protected_characteristic", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))

    # "a bit of a [anything]" said of a person ("bit of an old woman", "a bit of a lone wolf")
    for m in found["bit_of"]:
        noun = m.group("noun").lower().split()
        if noun[0] in _BIT_OF_THINGS or noun[0] in FUNCTION_WORDS:
            continue
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.start())
        if person_predicate_before(ws, people):
            end = (
                m.end()
                if len(noun) == 1 or noun[1] not in FUNCTION_WORDS
                else m.start("noun") + len(m.group("noun").split()[0])
            )
            add(BiasHit("personality_critique", m.start(), end))
    for m in found["a_lot"]:
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.end())
        if ws and person_predicate_before(ws[:-2], people) or _starts_with_person(ws, people):
            add(BiasHit("personality_critique", m.start(), m.end()))


def _starts_with_person(ws: list[Word], people: frozenset[str]) -> bool:
    """The clause opens with a person ("He is a lot")."""
    return bool(ws) and is_person_subject(ws[0], people) and ws[0].text[:1].isupper()


def _merge(text: str, hits: list[BiasHit]) -> list[BiasHit]:
    """Merge same-category hits that overlap or are joined by "and" / a comma."""
    hits.sort(key=lambda h: (h.category, h.start, -h.end))
    out: list[BiasHit] = []
    for h in hits:
        if out and out[-1].category == h.category:
            prev = out[-1]
            gap = text[prev.end : h.start]
            if h.start <= prev.end or _JOINER.fullmatch(gap):
                out[-1] = BiasHit(h.category, prev.start, max(prev.end, h.end))
                continue
        out.append(h)
    out.sort(key=lambda h: (h.start, h.category))
    return out


_FAIR_MESSAGE = (
    "'{}' is often used to judge people, but this sentence reads as about the work or a fact; "
    "check it before you send."
)
_LEARNED_MESSAGES = {
    "gendered_language": "This passage reads as judging the person by gender ('{}').",
    "personality_critique": "This passage reads as a verdict on the person's character ('{}'), with no behaviour described.",
    "age_coded": "This passage reads as judging the person by age or career stage ('{}').",
    "protected_characteristic": "This passage reads as tying a doubt to a protected characteristic ('{}').",
    "appearance": "This passage reads as judging the person's looks or clothing ('{}').",
}


def _without_work_phrases(text: str) -> str:
    """``text`` with the phrases the rules read as about the work blanked out, offsets unchanged.

    "It was a bit of a slog, but the migration finished": the learned reading has seen "a bit of
    a diva" and "a bit of a stretch for him at his age" far more often than work called a slog, so
    it does not read the words the rules have already explained (``BIT_OF_THINGS``).
    """
    if "bit of" not in text.lower():
        return text
    spans = [
        (m.start(), m.end())
        for m in _rx()["bit_of"].compiled().finditer(text)
        if m.group("noun").lower().split()[0] in _BIT_OF_THINGS
    ]
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def learned_reading(
    text: str, rule_hits: Sequence[BiasHit]
) -> tuple[list[tuple[BiasHit, float, float]], list[tuple[BiasHit, float, float]]]:
    """What the learned reading adds to the rules' ``rule_hits`` (:func:`select_learned`), and
    the rule hits it reads as fair (:func:`fair_rule_hits`); each ``(hit, score, bar)``. Quoted
    words (what someone said) stay evidence."""
    from rai_assistant.guards._bias_model import get_learned_bias

    model = get_learned_bias()
    served = _without_work_phrases(text)
    added, fair, _ = judge_with_rules(
        text, rule_hits, model.scores(served), model.bars, model.fair_bar, lambda spans: model.read(served, spans)
    )
    return added, fair


def judge_with_rules(
    text: str,
    rule_hits: Sequence[BiasHit],
    scored: Sequence[SentenceHit],
    bars: Mapping[str, float],
    fair_bar: float,
    read: Callable[[list[tuple[int, int]]], list[SentenceHit]] | None,
) -> tuple[list[tuple[BiasHit, float, float]], list[tuple[BiasHit, float, float]], list[BiasHit]]:
    """The learned reading's windows (``scored``) judged beside the rules' ``rule_hits``: what it
    adds (:func:`select_learned`), the rule hits it reads as fair (:func:`fair_rule_hits`), and
    the rule hits that stay flags. The guard and the trainer both judge with this."""
    fair = fair_rule_hits(rule_hits, scored, fair_bar)
    kept = [h for h in rule_hits if all(h is not f for f, _, _ in fair)]
    cleared = [h for h in scored if h.score >= bars[h.category]]
    return select_learned(text, cleared, kept, bars, read), fair, kept


#: The kinds a sure fair reading may turn into advice. A protected characteristic or gender
#: named beside praise ("despite his dyslexia, he writes clear reports", "a diversity hire but
#: doing fine", "for a woman she negotiates well") is a backhanded compliment: the praise reads
#: as fair to the learned reading, and the rule is right. Those stay flags whatever it reads.
FAIR_KINDS = frozenset({"personality_critique", "age_coded", "appearance"})


def fair_rule_hits(
    rule_hits: Sequence[BiasHit], scored: Sequence[SentenceHit], fair_bar: float
) -> list[tuple[BiasHit, float, float]]:
    """The rule hits of :data:`FAIR_KINDS` that the learned reading is sure are fair, as
    ``(hit, score, fair_bar)``: "Jack, 17, is on the young worker risk assessment", "we set
    aggressive cost targets". A phrase list cannot see that the words are about a scheme or the
    work; the reading can, and where it is sure, the hit is shown as advice rather than flagged.

    Sure means every window holding the hit (its sentence, and each pair of it with a neighbour,
    judged without the pair margin) scores below ``fair_bar``: a doubt in the next sentence ("She
    turned 60 in March. The committee would rather go with someone with a longer runway") keeps
    the flag. A hit whose sentence was not read (past the reading's sentence limit) stays a flag.
    The trainer chooses ``fair_bar`` on held-out drafts so that hardly any gold span a rule
    found is lost."""
    from rai_assistant.guards._bias_model import PAIR_MARGIN

    if fair_bar <= 0:
        return []
    out = []
    for h in rule_hits:
        if h.category not in FAIR_KINDS:
            continue
        holding = [s for s in scored if s.start <= h.start < s.end]
        if not holding:
            continue
        sentence = min(holding, key=lambda s: s.end - s.start)  # sentences do not overlap; pairs hold them
        reading = max(s.score if s is sentence else s.score + PAIR_MARGIN for s in holding)
        if reading < fair_bar:
            out.append((h, reading, fair_bar))
    return out


#: A learned window on a sentence where a rule has already pointed at words is kept only when it
#: reads another kind of bias than the rule found there (a personality word found, the sentence
#: also read as age-coded) and clears its bar by this much more. Of the same kind it would only
#: repeat the rule's finding over the whole sentence.
RULE_SENTENCE_MARGIN = 0.1


_WORD = re.compile(r"\w+")
#: Where a clause ends: a comma, semicolon, colon, dash or bracket, or a sentence's end.
_CLAUSE_END = re.compile(r"[,;:—–()]|\s-\s|(?<=[.!?])\s+")
_PART_TRIM = " \t\n,.;:!?—–-()\"'“”‘’…"
#: A part of a sentence is read alone only when it has at least this many words.
MIN_PART_WORDS = 3
#: A part that runs straight into a rule's words, with no clause end between ("Ola is a bit"
#: before "bossy"), is mostly the frame of the rule's phrase; it is read alone only with at least
#: this many words. Out of source such short heads found 4 more gold spans in 209 findings.
MIN_HEAD_WORDS = 9


def rule_free_parts(
    text: str, a: int, b: int, rule_hits: Sequence[BiasHit], quoted: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The runs of ``text[a:b]`` between the words of ``rule_hits`` and any ``quoted`` words,
    trimmed, of at least :data:`MIN_PART_WORDS` words (:data:`MIN_HEAD_WORDS` for a run that
    leads straight into a rule's words): "The ladies in the kitchen can be a bit catty with new
    starters" less "The ladies"."""
    rules = [(max(a, h.start), min(b, h.end)) for h in rule_hits if h.start < b and a < h.end]
    rule_starts = {x for x, _ in rules}
    cuts = sorted(rules + [(max(a, x), min(b, y)) for x, y in quoted if x < b and a < y])
    runs: list[tuple[int, int]] = []
    at = a
    for x, y in cuts:
        if x > at:
            runs.append((at, x))
        at = max(at, y)
    if at < b:
        runs.append((at, b))
    pieces: list[tuple[int, int, int]] = []  # a run, and the words it needs
    for x, y in runs:
        if y in rule_starts:
            # the words since the run's last clause end lead straight into the rule's words
            ends = list(_CLAUSE_END.finditer(text, x, y))
            frame = ends[-1].end() if ends else x
            if frame > x:
                pieces.append((x, frame, MIN_PART_WORDS))
            pieces.append((frame, y, MIN_HEAD_WORDS))
        else:
            pieces.append((x, y, MIN_PART_WORDS))
    parts = []
    for x, y, need in pieces:
        while x < y and text[x] in _PART_TRIM:
            x += 1
        while y > x and text[y - 1] in _PART_TRIM:
            y -= 1
        if len(_WORD.findall(text, x, y)) >= need:
            parts.append((x, y))
    return parts


def select_learned(
    text: str,
    cleared: Sequence[SentenceHit],
    rule_hits: Sequence[BiasHit],
    bars: Mapping[str, float],
    read: Callable[[list[tuple[int, int]]], list[SentenceHit]] | None = None,
) -> list[tuple[BiasHit, float, float]]:
    """Of the windows that ``cleared`` their bar, what becomes findings.

    - None inside quoted words (what someone said).
    - On a rule's sentence, the window itself only when it reads another kind of bias and is
      surer by :data:`RULE_SENTENCE_MARGIN`. Otherwise, with ``read`` (which scores spans of
      ``text`` alone), the parts of it around the rules' words (:func:`rule_free_parts`, quoted
      words left out) that clear their bar read alone.
    - Overlapping windows (a sentence and a pair that holds it) make one finding over both,
      with the kind and score of the surest.

    The trainer judges held-out drafts with this too, so its figures are the serving path's."""
    quoted = _quoted(text)

    def in_quotes(a: int, b: int) -> bool:
        return any(qs <= a and b <= qe for qs, qe in quoted)

    kept: list[SentenceHit] = []
    parts: dict[tuple[int, int], SentenceHit] = {}  # a part and the window it was cut from
    for s in cleared:
        if in_quotes(s.start, s.end):
            continue
        under = [h for h in rule_hits if h.start < s.end and s.start < h.end]
        if not under or (
            s.score >= bars[s.category] + RULE_SENTENCE_MARGIN and all(h.category != s.category for h in under)
        ):
            kept.append(s)
        elif read is not None:
            for part in rule_free_parts(text, s.start, s.end, rule_hits, quoted):
                if part not in parts or s.score > parts[part].score:
                    parts[part] = s
    if parts and read is not None:
        # a clause read alone says whether there is more bias; which kind is better read in its
        # sentence (the window's kind is one of the draft's gold kinds 97 % of the time out of
        # source, the clause's own 66 %), so the finding takes the window's kind and must clear
        # both bars
        for p in read(sorted(parts)):
            window = parts[(p.start, p.end)]
            if p.score >= max(bars[p.category], bars[window.category]):
                kept.append(replace(p, category=window.category))
    groups: list[tuple[int, int, SentenceHit]] = []
    for s in sorted(kept, key=lambda h: (h.start, -h.score)):
        if groups and s.start < groups[-1][1]:
            a, b, best = groups[-1]
            groups[-1] = (a, max(b, s.end), s if s.score > best.score else best)
        else:
            groups.append((s.start, s.end, s))
    return [(BiasHit(best.category, a, b), best.score, bars[best.category]) for a, b, best in groups]


def _finding(
    text: str,
    hit: BiasHit,
    message: str,
    score: float | None = None,
    bar: float | None = None,
    verdict: Verdict = Verdict.FLAG,
) -> Finding:
    words = text[hit.start : hit.end]
    return Finding(
        guard=GUARD,
        clauses=CLAUSES,
        verdict=verdict,
        message=message.format(words),
        category=hit.category,
        span=Span(hit.start, hit.end, words),
        suggestion=_SUGGESTIONS[hit.category],
        score=None if score is None else round(score, 3),
        threshold=bar,
    )


def check_bias(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """Findings for biased wording in ``text`` (a draft, or a person's own text): the phrase
    rules' exact words, then the sentences the learned reading flags beyond them."""
    hits = find_bias(text, frozenset(ctx.people))
    added, fair = learned_reading(text, hits)
    findings = []
    for h in hits:
        read_fair = next(((score, bar) for f, score, bar in fair if f is h), None)
        if read_fair is None:
            findings.append(_finding(text, h, _MESSAGES[h.category]))
        else:
            findings.append(_finding(text, h, _FAIR_MESSAGE, *read_fair, verdict=Verdict.ADVICE))
    findings += [_finding(text, h, _LEARNED_MESSAGES[h.category], score, bar) for h, score, bar in added]
    return findings


def warm_up() -> None:
    """Load the phrase rules and the learned reading (:func:`learned_reading` loads it on every
    check) by judging one fair sentence."""
    check_bias("The report shipped on time and the team presented it well.", GuardContext("feedback", Stage.DRAFT))


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    register(
        GuardSpec(
            name=GUARD,
            clauses=CLAUSES,
            stages=(Stage.DRAFT,),
            check=check_bias,
            warm=warm_up,
            description="Flags gendered, age-coded, appearance and personality judgements and protected characteristics used as judgements.",
        )
    )
