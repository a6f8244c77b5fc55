"""Small text helpers shared by the draft guards: sentences, words, and who a phrase is about.

The draft guards judge a word by its company: "aggressive" about a person ("she is aggressive")
is a personality critique, about a plan ("an aggressive timeline") it is not; "diabetes" after
"his" is a health fact about the person, before "-management app" it is the topic of the work.
These helpers answer those questions with a few cheap look-behinds, fast enough for the output
stage's budget (a few milliseconds for a page of text).

The words and patterns they read (pronouns, copulas, hedges, nouns for people, where a sentence
ends) are data, in ``guards/data/bias/text_en.toml``, read and checked by :func:`load_text_data`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from rai_assistant.guards._bias_lexicon import load_data

__all__ = [
    "ADVERBS",
    "CAP_STOP",
    "FUNCTION_WORDS",
    "PERSON_NOUNS",
    "PRONOUN_SUBJECTS",
    "TEXT_FILE",
    "THING_SUBJECTS",
    "TextData",
    "Word",
    "alternation",
    "clause_end",
    "clause_subject_is_person",
    "is_person_subject",
    "load_text_data",
    "looks_like_verb",
    "next_word",
    "person_predicate_before",
    "sentence_of",
    "sentences",
    "words_before",
]

#: The English grammar the helpers read: word lists and patterns, each explained in the file.
TEXT_FILE = Path(__file__).with_name("data") / "bias" / "text_en.toml"


class TextData(TypedDict):
    """The keys of ``text_en.toml`` and their types."""

    PRONOUN_SUBJECTS: frozenset[str]
    CAP_STOP: frozenset[str]
    PERSON_NOUNS: frozenset[str]
    ADVERBS: frozenset[str]
    ADVERBS_NOT_BEFORE_COPULA: frozenset[str]
    FUNCTION_WORDS: frozenset[str]
    COPULAS: frozenset[str]
    BARE_BE: frozenset[str]
    PERCEIVE: frozenset[str]
    OBJECT_PRONOUNS: frozenset[str]
    DETERMINERS: frozenset[str]
    AUXILIARIES: frozenset[str]
    COORDINATORS: frozenset[str]
    CLAUSE_MARKS: frozenset[str]
    HEDGES: tuple[str, ...]
    THING_SUBJECTS: frozenset[str]
    NOUN_SUFFIXES: tuple[str, ...]
    IRREGULAR_PAST: frozenset[str]
    PRESENT_VERBS: frozenset[str]
    ED_NOT_PAST: frozenset[str]
    QUOTES: frozenset[str]
    SENTENCE_END: re.Pattern[str]
    WORD: re.Pattern[str]
    CONTRACTED: re.Pattern[str]
    PLACEHOLDER: re.Pattern[str]
    CLAUSE_END: re.Pattern[str]


def load_text_data(path: Path = TEXT_FILE) -> TextData:
    """Read and check the grammar file: every key present, of its type, every pattern compiling.

    :raises ValueError: naming the file and each key that is missing, unknown or malformed.
    """
    return load_data(path, TextData)


_DATA = load_text_data()

# The lists and patterns of ``text_en.toml`` (its comments say what each is for).
_SENTENCE_END = _DATA["SENTENCE_END"]
_WORD = _DATA["WORD"]
PRONOUN_SUBJECTS = _DATA["PRONOUN_SUBJECTS"]
CAP_STOP = _DATA["CAP_STOP"]
PERSON_NOUNS = _DATA["PERSON_NOUNS"]
ADVERBS = _DATA["ADVERBS"]
FUNCTION_WORDS = _DATA["FUNCTION_WORDS"]
THING_SUBJECTS = _DATA["THING_SUBJECTS"]
_ADVERBS_NOT_BEFORE_COPULA = _DATA["ADVERBS_NOT_BEFORE_COPULA"]
_COPULAS_1 = _DATA["COPULAS"]
_BARE_BE = _DATA["BARE_BE"]
_PERCEIVE = _DATA["PERCEIVE"]
_OBJECT_PRONOUNS = _DATA["OBJECT_PRONOUNS"]
_CONTRACTED = _DATA["CONTRACTED"]
_DETERMINERS = _DATA["DETERMINERS"]
_AUXILIARIES = _DATA["AUXILIARIES"]
_COORDINATORS = _DATA["COORDINATORS"]
_CLAUSE_MARKS = _DATA["CLAUSE_MARKS"]
# Hedges of several words, matched backwards from the judged word, word by word.
_HEDGES: tuple[tuple[str, ...], ...] = tuple(tuple(h.split()) for h in _DATA["HEDGES"])
_HEDGE_WORDS = frozenset(w for h in _HEDGES for w in h)
_PARENTHETICAL_MAX = 8  # words between two commas that can be a hedge ("and I mean this kindly")
_NOUN_SUFFIXES = _DATA["NOUN_SUFFIXES"]
_IRREGULAR_PAST = _DATA["IRREGULAR_PAST"]
_PRESENT_VERBS = _DATA["PRESENT_VERBS"]
_ED_NOT_PAST = _DATA["ED_NOT_PAST"]
_PLACEHOLDER = _DATA["PLACEHOLDER"]
_QUOTES = _DATA["QUOTES"]
_CLAUSE_END = _DATA["CLAUSE_END"]


@dataclass(frozen=True, slots=True)
class Word:
    """A word (or punctuation mark) and its offsets in the text."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


def sentences(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences (and ``;`` clauses) of ``text``, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def sentence_of(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence that holds offset ``pos``."""
    i = bisect.bisect_right(bounds, (pos, len(bounds) and 1 << 62)) - 1
    if i >= 0 and bounds[i][0] <= pos < bounds[i][1]:
        return bounds[i]
    return 0, 0


def words_before(text: str, start: int, end: int) -> list[Word]:
    """The words of ``text[start:end]`` (a sentence prefix), last one last."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def next_word(text: str, pos: int, limit: int) -> Word | None:
    """The first word or punctuation mark at or after ``pos`` (before ``limit``)."""
    m = _WORD.search(text, pos, limit)
    if m is None:
        return None
    return Word(m.group(), m.start(), m.end())


_Trie = dict[str, "_Trie"]


def alternation(terms: Iterable[str]) -> str:
    """A regex matching any of the literal phrases; spaces match any whitespace.

    Built as a trie ("ab(?:c|d)" rather than "abc|abd") so that the regex engine rejects a
    position after one character instead of trying every phrase: ten times faster on long lists.
    The longest phrase wins at a position because longer branches are tried first.
    """
    trie: _Trie = {}
    for term in set(terms):
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: _Trie) -> str:
    ends = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        branches.append(piece + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body


def looks_like_verb(word: Word) -> bool:
    """A lower-case (or sentence-initial) word that is most likely a finite verb."""
    low = word.lower
    if not low.isalpha():
        return False
    return (
        low in _IRREGULAR_PAST
        or low in _PRESENT_VERBS
        or low in _COPULAS_1
        or (low.endswith("ed") and len(low) > 4 and low not in _ED_NOT_PAST)
    )


def is_person_subject(word: Word, people: frozenset[str] = frozenset()) -> bool:
    """True when ``word`` can be the subject naming a person: a pronoun, a name, a person noun."""
    low = word.lower
    if low in PRONOUN_SUBJECTS or low in PERSON_NOUNS:
        return True
    if word.text in people or _PLACEHOLDER.fullmatch(word.text):
        return True  # a name, or its placeholder in a model's draft ("[PERSON_1]")
    t = word.text
    if not t[:1].isupper() or low in CAP_STOP or low in THING_SUBJECTS or low.endswith("'s") or t.isupper():
        return False
    # "Pricing", "Collaboration", "Management": capitalised nouns, not names
    return not (len(low) > 5 and (low.endswith(_NOUN_SUFFIXES) or (low.endswith("ing") and len(low) > 6)))


def _hedge_len(ws: list[Word], i: int) -> int:
    """Length of a hedge phrase ending at ``ws[i]`` ("in my view"), or 0."""
    if ws[i].lower not in _HEDGE_WORDS:
        return 0
    best = 0
    for h in _HEDGES:
        n = len(h)
        if n > best and i + 1 >= n and all(ws[i - n + 1 + k].lower == h[k] for k in range(n)):
            best = n
    return best


def _parenthetical_start(ws: list[Word], i: int) -> int:
    """Index of the comma (or dash) that opens a short aside closed at ``ws[i]``, or -1."""
    close = ws[i].text
    opens = {",": {","}, "—": {"—"}, "–": {"–"}, ")": {"("}}.get(close)
    if not opens:
        return -1
    for k in range(i - 1, max(-1, i - _PARENTHETICAL_MAX - 2), -1):
        if ws[k].text in opens:
            return k if k > 0 else -1
        if ws[k].text in {".", ";", ":", "!", "?"}:
            return -1
    return -1


def _clause_start(ws: list[Word], people: frozenset[str]) -> bool | None:
    """Who the clause these words open with is about: True (a person, or no subject at all,
    which in feedback is the person reviewed), False (a thing), None (cannot tell)."""
    start = 0
    for i, w in enumerate(ws):
        if w.text in {",", ":", ";", "—", "–"} or w.lower in {"but", "and"}:
            # a new clause may start here; only if a subject follows it
            if i + 1 < len(ws) and (
                ws[i + 1].lower in PRONOUN_SUBJECTS or _CONTRACTED.match(ws[i + 1].lower)
            ):
                start = i + 1
    for w in ws[start:]:
        if w.text in {",", "-"} or w.text in _CLAUSE_MARKS:
            continue
        low = w.lower
        if low in _DETERMINERS:
            return False
        if _CONTRACTED.match(low):
            return True
        if is_person_subject(w, people):
            return True
        if looks_like_verb(w):
            return True  # "Fixed the build and is abrasive": the reviewee did it
        if w.text[:1].isupper() or low.isalpha():
            return False
        return None
    return True


def clause_subject_is_person(ws: list[Word], people: frozenset[str] = frozenset()) -> bool:
    """True when the clause these words belong to is about a person ("She should ...").

    Used for bare "be"/"being" ("needs to be less bossy") and for elided subjects ("shipped early
    but is bossy"), whose subject is further back. A clause with no subject at all (a note that
    opens with a verb) is about the person reviewed.
    """
    return bool(_clause_start(ws, people))


def person_predicate_before(
    ws: list[Word], people: frozenset[str] = frozenset(), extra_copulas: frozenset[str] = frozenset()
) -> bool:
    """True when the words end with a person and a copula: "Dana is often", "he comes across as".

    ``ws`` are the words of the sentence before the judged word. Between the copula and the word
    may sit modifiers ("is a bit", "is smart and"), hedges ("is, in my view, rather") and short
    asides between commas, but no preposition or determiner: "responsible for the aggressive
    timeline" is not about the person. With no subject at all ("Bossy in stand-ups.", "Can be
    pushy.", "- gets defensive"), the note is about the person reviewed.
    """
    i = len(ws) - 1
    steps = 0
    coordinated = False  # the word to the right is "and", "but" or a comma
    adjacent = False  # a content word sits right before the judgement chain: maybe its subject
    content: Word | None = None
    while i >= 0 and steps < 10:
        w = ws[i]
        low = w.lower
        if low in _COPULAS_1 or low in _BARE_BE or low in extra_copulas or _CONTRACTED.match(low):
            break
        if (
            i > 0
            and ws[i - 1].lower in _PERCEIVE
            and (low in _OBJECT_PRONOUNS or is_person_subject(ws[i], people))
        ):
            return True  # "people find her abrasive", "I find Joan difficult"
        n = _hedge_len(ws, i)
        if n:
            i -= n
            steps += 1
            continue
        if w.text in _QUOTES:
            i -= 1  # 'described her as "difficult"'
            continue
        if w.text in {",", "—", "–", ")"}:
            if (
                w.text == ","
                and content is None
                and i > 0
                and (
                    ws[i - 1].lower in PERSON_NOUNS
                    or (ws[i - 1].text[:1].isupper() and is_person_subject(ws[i - 1], people))
                )
                and ws[i - 1].lower not in PRONOUN_SUBJECTS
            ):
                return True  # "Dana, abrasive as ever, ...", "Big lad, a bit scruffy"
            k = _parenthetical_start(ws, i)
            i = k - 1 if k > 0 else i - 1
            coordinated = True
            steps += 1
            continue
        if low in _COORDINATORS:
            coordinated = True
            i -= 1
            steps += 1
            continue
        if low in ADVERBS or (
            low.endswith("ly") and low.isalpha() and len(low) > 4 and not w.text[:1].isupper()
        ):
            i -= 1
            steps += 1
            continue
        if w.text in _CLAUSE_MARKS:
            i = -1  # a bullet or a colon opens the note
            break
        if low.isalpha() and low not in FUNCTION_WORDS and (w.text.islower() or i == 0):
            if i == 0 and not coordinated:
                # the note opens with its subject: "Dana abrasive in meetings", "Timeline aggressive"
                return is_person_subject(w, people) and low not in ADVERBS
            if not coordinated:
                adjacent = True  # "pricing aggressive", "a hard worker": not a list of descriptors
            content = w
            coordinated = False
            i -= 1
            steps += 1
            continue
        return False
    if steps >= 10 and i >= 0:
        return False
    if i < 0:
        # no copula: a subjectless note ("Bossy in stand-ups", "chatty, scatterbrained")
        return not adjacent
    low = ws[i].lower
    m = _CONTRACTED.match(low)
    if m:
        return True
    if low in _BARE_BE:
        return clause_subject_is_person(ws[:i], people)
    # step back over auxiliaries, adverbs and hedges before the copula ("can be", "tends to be",
    # "often is", "is, frankly,")
    j = i - 1
    while j >= 0:
        lj = ws[j].lower
        if lj in _AUXILIARIES or (lj in ADVERBS and lj not in _ADVERBS_NOT_BEFORE_COPULA):
            j -= 1
            continue
        n = _hedge_len(ws, j)
        if n:
            j -= n
            continue
        break
    if j < 0 or ws[j].text in _CLAUSE_MARKS:
        return True  # "Seems hysterical", "Can be pushy", "- gets defensive": no subject
    if ws[j].lower in _COORDINATORS or ws[j].text == ",":
        # an elided subject ("Dana shipped early but is bossy") is the clause's own subject
        return clause_subject_is_person(ws[:j], people)
    if _CONTRACTED.match(ws[j].lower):
        return True  # "he's become", "she's been"
    return is_person_subject(ws[j], people)


def clause_end(text: str, end: int, limit: int) -> int:
    """``end`` moved to the end of its clause (before ",", ";", a dash or the sentence end) when
    that is near, so that a phrase is not cut mid-way ("unlikely to adapt to the new scanners")."""
    m = _CLAUSE_END.search(text, end, limit)
    stop = m.start() if m else limit
    stop = len(text[end:stop].rstrip()) + end
    return stop if stop - end <= 60 else end
