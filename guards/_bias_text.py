"""Small text helpers shared by the draft guards: sentences, words, and who a phrase is about.

The draft guards judge a word by its company: "aggressive" about a person ("she is aggressive")
is a personality critique, about a plan ("an aggressive timeline") it is not; "diabetes" after
"his" is a health fact about the person, before "-management app" it is the topic of the work.
These helpers answer those questions with a few cheap look-behinds, fast enough for the output
stage's budget (a few milliseconds for a page of text).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ADVERBS",
    "CAP_STOP",
    "FUNCTION_WORDS",
    "PERSON_NOUNS",
    "PRONOUN_SUBJECTS",
    "Word",
    "alternation",
    "clause_subject_is_person",
    "is_person_subject",
    "next_word",
    "person_predicate_before",
    "sentence_of",
    "sentences",
    "words_before",
]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+|;\s+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*|[^\sA-Za-z0-9]")


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
    return [Word(m.group(), start + m.start(), start + m.end()) for m in _WORD.finditer(text, start, end)]


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


PRONOUN_SUBJECTS = frozenset({"he", "she", "they", "you", "i", "we", "who", "someone", "somebody"})

# Capitalised words that start sentences but are not the name of a person.
CAP_STOP = frozenset(
    """the a an this that these those it its his her their our my your there here however also
    but and or so then when while if although though because since as at in on for with by from
    of to after before during overall sometimes often next last this going otherwise despite even
    being given unfortunately additionally moreover still yet now today meanwhile perhaps maybe
    monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays
    fridays saturdays sundays january february march april may june july august september october
    november december q1 q2 q3 q4 what which where why how all both each every many most some
    several no not one two three four five six ten more less team project company sales costs
    results revenue revenues numbers margins profits prices orders shipments tickets deliveries
    volumes scores figures metrics rates returns customers clients things times conditions
    markets people staff employees colleagues managers members users patients students
    students everyone everybody nobody someone anyone morale productivity quality output
    performance attendance inventory budgets budget expenses earnings growth demand supply
    turnover engagement participation feedback reviews reports deadlines schedules projects
    plans systems tools processes operations leadership management stakeholders
    vendors suppliers partners""".split()
)

# Words that refer to a person (or people) at work: an attributive trait before them describes a
# person ("an abrasive colleague"), unlike one before an object ("an aggressive timeline").
PERSON_NOUNS = frozenset(
    """person people individual individuals colleague colleagues coworker coworkers co-worker
    co-workers teammate teammates peer peers manager managers lead leads leader leaders boss
    bosses supervisor supervisors director directors executive executives employee employees
    worker workers staffer staffers hire hires engineer engineers developer developers analyst
    analysts rep reps representative associate associates presence personality character woman
    women man men guy guys girl girls lady ladies gal gals kid kids boy boys type types member
    members professional professionals candidate candidates recruit recruits negotiator
    negotiators salesperson seller sellers nurse nurses teacher teachers technician technicians
    clerk clerks agent agents officer officers specialist specialists consultant consultants
    designer designers accountant accountants coordinator coordinators administrator
    administrators assistant assistants intern interns trainee trainees apprentice apprentices
    team crew staff talent blood old-timer old-timers newcomer newcomers veteran veterans
    contributor contributors self soul one ones operator operators driver drivers cashier
    cashiers partner partners founder founders owner owners architect architects scientist
    scientists researcher researchers planner planners buyer buyers advisor advisors adviser
    mentor mentors coach coaches""".split()
)

# Words that sit between a copula and a trait without changing who the trait is about.
ADVERBS = frozenset(
    """sometimes often too very so quite rather really overly extremely incredibly always
    generally pretty somewhat fairly bit little kind sort more less increasingly frequently
    occasionally touch extra super way far unnecessarily needlessly excessively visibly noticeably
    perceived seen viewed regarded described considered known labeled labelled as not never also
    just being a an and or still usually typically constantly consistently naturally definitely
    clearly honestly frankly basically simply perhaps maybe probably come came across off
    a-bit overall tad slightly highly especially particularly quite rather even most""".split()
)

# Words after a trait that show it is a predicate ("she is bossy with ...") not an attribute.
FUNCTION_WORDS = frozenset(
    """and or but when whenever while with in at to toward towards around about during on for if
    because so than as which that who sometimes often under after before of by from since until
    even especially particularly too lately recently now then again is was are were has have had
    and/or nor yet also though although whereas whom whose where rather instead unless once it
    this these those her him them his their its the a an""".split()
)

_COPULAS_1 = frozenset(
    """is was are were gets got get getting becomes became become seems seemed seem appears
    appeared appear sounds sounded sound acts acted act remains remained remain grows grew grow
    turns turned goes went looks looked look looking feels felt comes came come coming""".split()
)
_BARE_BE = frozenset({"be", "being", "been"})
_PERCEIVE = frozenset(
    """find finds found consider considers considered call calls called think thinks thought
    describe describes described see sees saw label labels labeled labelled view views
    viewed""".split()
)
_OBJECT_PRONOUNS = frozenset({"him", "her", "them"})
_CONTRACTED = re.compile(r"^(he|she|they|you|who|i|we)['](s|re|m)$")
_DETERMINERS = frozenset(
    {
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "our",
        "his",
        "her",
        "their",
        "my",
        "your",
        "there",
    }
)


def is_person_subject(word: Word, people: frozenset[str] = frozenset()) -> bool:
    """True when ``word`` can be the subject naming a person: a pronoun, a name, a person noun."""
    low = word.lower
    if low in PRONOUN_SUBJECTS or low in PERSON_NOUNS:
        return True
    if word.text in people:
        return True
    t = word.text
    return t[:1].isupper() and low not in CAP_STOP and not low.endswith("'s") and not t.isupper()


def clause_subject_is_person(ws: list[Word], people: frozenset[str] = frozenset()) -> bool:
    """True when the clause these words belong to starts with a person ("She should ...").

    Used for bare "be"/"being" ("needs to be less bossy"), whose subject is further back.
    """
    start = 0
    for i, w in enumerate(ws):
        if w.text in {",", ":", ";", "—", "–"} or w.lower in {"but", "and"}:
            # a new clause may start here; only if a subject follows it
            if i + 1 < len(ws) and ws[i + 1].lower in PRONOUN_SUBJECTS:
                start = i + 1
    for w in ws[start:]:
        if w.text in {",", "-"}:
            continue
        low = w.lower
        if low in _DETERMINERS:
            return False
        if _CONTRACTED.match(low):
            return True
        return is_person_subject(w, people)
    return False


def person_predicate_before(
    ws: list[Word], people: frozenset[str] = frozenset(), extra_copulas: frozenset[str] = frozenset()
) -> bool:
    """True when the words end with a person and a copula: "Dana is often", "he comes across as".

    ``ws`` are the words of the sentence before the judged word. A few modifiers may sit between
    the copula and the word ("is a bit", "is smart and"), but no preposition or determiner:
    "responsible for the aggressive timeline" is not about the person.
    """
    i = len(ws) - 1
    skipped = 0
    while i >= 0 and skipped < 6:
        low = ws[i].lower
        if low in _COPULAS_1 or low in _BARE_BE or low in extra_copulas or _CONTRACTED.match(low):
            break
        if (
            i > 0
            and ws[i - 1].lower in _PERCEIVE
            and (low in _OBJECT_PRONOUNS or is_person_subject(ws[i], people))
        ):
            return True  # "people find her abrasive", "I find Joan difficult"
        if (
            ws[i].text == ","
            or low in ADVERBS
            or (low.isalpha() and low not in FUNCTION_WORDS and ws[i].text.islower())
        ):
            i -= 1
            skipped += 1
            continue
        return False
    if i < 0 or skipped >= 6:
        return False
    low = ws[i].lower
    m = _CONTRACTED.match(low)
    if m:
        return True
    if low in _BARE_BE:
        return clause_subject_is_person(ws[:i], people)
    # step back over auxiliaries and adverbs before the copula ("can be", "tends to be", "often is")
    j = i - 1
    while j >= 0 and ws[j].lower in ADVERBS | {
        "can",
        "could",
        "may",
        "might",
        "will",
        "would",
        "to",
        "tends",
        "tend",
        "does",
        "did",
        "has",
        "have",
        "had",
        "should",
        "must",
    }:
        j -= 1
    if j < 0:
        return False
    if ws[j].lower in {"but", "and", "yet"}:
        # an elided subject ("Dana shipped early but is bossy") is the clause's own subject
        return clause_subject_is_person(ws[:j], people)
    return is_person_subject(ws[j], people)
