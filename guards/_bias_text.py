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
    "THING_SUBJECTS",
    "Word",
    "alternation",
    "clause_end",
    "clause_subject_is_person",
    "is_person_subject",
    "looks_like_verb",
    "next_word",
    "person_predicate_before",
    "sentence_of",
    "sentences",
    "words_before",
]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+|;\s+")
# Letters of any script, so that "José" or "Łukasz" is one word, not three.
_WORD = re.compile(r"\[[A-Z]+_\d+\]|[^\W_][\w'’-]*|[^\w\s]|_")


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
    turns turned goes went looks looked look looking feels felt comes came come coming stays
    stayed stay proves proved prove""".split()
)
_BARE_BE = frozenset({"be", "being", "been"})
_PERCEIVE = frozenset(
    """find finds found consider considers considered call calls called think thinks thought
    describe describes described see sees saw label labels labeled labelled view views
    viewed deem deems deemed""".split()
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
_AUXILIARIES = frozenset(
    """can could may might will would to tends tend tended does did do has have had should must
    shall 'll 'd""".split()
)
# Words that join two predicates of one subject: "shipped early but is bossy".
_COORDINATORS = frozenset(
    {"and", "but", "yet", "or", "though", "although", "while", "whereas", "plus", "if", "albeit", "though,"}
)
# Marks that open a clause of their own in notes: bullets, dashes, a colon.
_CLAUSE_MARKS = frozenset({"-", "*", "•", "–", "—", "·", "‣", "▪", "●", ":", ";", "(", ">", "+"})
# Hedges and fillers of several words that sit between a person and the judgement
# ("she is, in my view, a bit too ..."); matched backwards from the judged word.
_HEDGES: tuple[tuple[str, ...], ...] = tuple(
    tuple(h.split())
    for h in (
        "in my view",
        "in my opinion",
        "in my experience",
        "to be honest",
        "to be fair",
        "to be frank",
        "if i'm honest",
        "if i am honest",
        "if i'm being honest",
        "let's be honest",
        "let's face it",
        "at times",
        "at least",
        "of late",
        "these days",
        "i think",
        "i feel",
        "i find",
        "i'd say",
        "i would say",
        "i guess",
        "i suppose",
        "i mean",
        "you know",
        "if anything",
        "kind of",
        "sort of",
        "a bit",
        "a little",
        "a touch",
        "a tad",
        "a little bit",
        "more and more",
        "more often than not",
        "on occasion",
        "from time to time",
        "now and then",
        "every so often",
        "as ever",
        "as usual",
        "as always",
        "if i'm being frank",
        "to put it mildly",
        "to put it kindly",
        "to say the least",
        "by all accounts",
        "by nature",
        "at heart",
        "deep down",
        "it seems",
        "it must be said",
        "in general",
        "on the whole",
        "all too",
        "much too",
        "far too",
        "way too",
        "just too",
        "a lot",
        "the most",
        "the least",
    )
)
_HEDGE_WORDS = frozenset(w for h in _HEDGES for w in h)
_PARENTHETICAL_MAX = 8  # words between two commas that can be a hedge ("and I mean this kindly")

# Capitalised words that name a thing, not a person, when they open a note ("Pricing is
# aggressive", "Timeline aggressive but doable").
THING_SUBJECTS = frozenset(
    """timeline timelines schedule plan target targets goal goals deadline market competition
    workload pace price pricing quarter year week month scope roadmap release launch rollout
    approach strategy tone language email emails review meeting meetings discussion negotiation
    negotiations client customer vendor supplier account deal contract demand role job work
    code design process environment weather traffic season response situation deadline tender
    bid offer proposal budget forecast sprint backlog estimate estimates timetable delivery
    incident outage audit""".split()
)
_NOUN_SUFFIXES = ("tion", "sion", "ment", "ness", "ship", "ism", "ings")

# Verbs a subjectless feedback note opens with ("Fixed the build and is abrasive",
# "owns the release train; can be pushy").
_IRREGULAR_PAST = frozenset(
    """led ran built wrote made took gave got kept held brought sent sold won met set put cut
    shut spent drove left lost found told taught caught bought fought began did went came saw
    knew grew drew threw flew rode spoke broke chose stood understood withdrew undertook overcame
    oversaw shook stuck struck swore tore wore woke dealt meant read heard paid laid said
    handled""".split()
)
_PRESENT_VERBS = frozenset(
    """owns runs leads handles manages works ships builds writes delivers keeps takes gets makes
    does has is was seems needs tends knows brings drives supports covers helps reviews owns
    mentors coaches sells closes opens answers responds struggles misses joins attends speaks
    talks listens communicates produces cleans stocks serves treats teaches trains plans
    organises organizes tracks reports checks fixes maintains""".split()
)


_PLACEHOLDER = re.compile(r"\[PERSON_\d+\]")
_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "«", "»", "„"})


def looks_like_verb(word: Word) -> bool:
    """A lower-case (or sentence-initial) word that is most likely a finite verb."""
    low = word.lower
    if not low.isalpha():
        return False
    return (
        low in _IRREGULAR_PAST
        or low in _PRESENT_VERBS
        or low in _COPULAS_1
        or (low.endswith("ed") and len(low) > 4 and low not in {"need", "speed", "seed", "breed"})
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
        if lj in _AUXILIARIES or (lj in ADVERBS and lj not in {"and", "or", "a", "an", "as"}):
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


_CLAUSE_END = re.compile(r"[,;:!?()\n]|[.](?!\d)|\s[-–—]\s")
