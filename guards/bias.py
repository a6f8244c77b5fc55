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

Words are judged in context: "aggressive timeline", "emotional intelligence training" and
"her comments were abrupt" describe things, not a person's character, and pass.
The guard also judges a person's own text (``rai check``): it needs only the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from assistant.hookspecs import hookimpl
from assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict
from guards import _bias_lexicon as lex
from guards._bias_sensitive import find_sensitive
from guards._bias_text import (
    FUNCTION_WORDS,
    PERSON_NOUNS,
    alternation,
    is_person_subject,
    next_word,
    person_predicate_before,
    sentence_of,
    sentences,
    words_before,
)

__all__ = ["CATEGORIES", "CLAUSES", "GUARD", "BiasHit", "check_bias", "find_bias", "register_guards"]

GUARD = "bias"
CLAUSES = ("3.fairness",)
CATEGORIES = (
    "gendered_language",
    "personality_critique",
    "age_coded",
    "protected_characteristic",
    "appearance",
)

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


_INTENSIFIERS = frozenset(
    {"too", "overly", "so", "very", "less", "more", "really", "quite", "extremely", "excessively"}
)
_TOO = frozenset({"too", "overly", "excessively", "so"})
_THING_AFTER_PRETTY = frozenset(
    {"and", "or", "but", ",", ".", ";", "!", "face", "girl", "woman", "lady", "smile", "young"}
)


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    """Compile the patterns once, on first use (importing the guard costs nothing)."""
    groups = alternation(lex.GROUPS)
    sens = alternation(t for t in lex.SENSITIVE_TERMS if t not in lex.POSSESSED_ONLY)
    sens_all = alternation(lex.SENSITIVE_TERMS)
    poss = r"(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w-]*['’]s)"
    return {
        "gendered": re.compile("|".join(f"(?:{p})" for p in lex.GENDERED_PHRASES), re.IGNORECASE),
        "gendered_trait": re.compile(
            rf"(?<![\w-])(?:{alternation(lex.GENDERED_TRAITS)})(?![\w-])", re.IGNORECASE
        ),
        "family_gender": re.compile(r"\bfamily (?:man|woman|guy|girl|gal)\b", re.IGNORECASE),
        "personality_phrase": re.compile(
            "|".join(f"(?:\\b{p}\\b)" for p in lex.PERSONALITY_PHRASES), re.IGNORECASE
        ),
        "trait": re.compile(rf"(?<![\w-])(?:{alternation(lex.TRAITS)})(?![\w-])", re.IGNORECASE),
        "too_trait": re.compile(rf"(?<![\w-])(?:{alternation(lex.TOO_TRAITS)})(?![\w-])", re.IGNORECASE),
        "pers_noun": re.compile(rf"\b(?:{alternation(lex.PERSONALITY_NOUNS)})\b", re.IGNORECASE),
        "pers_noun_tail": re.compile(
            r"(?:\b(?:is|was|are|were|be|being|been|becomes?|became|seems?|seemed|like|of|such|call(?:ed|s)?)|['’]s)\s+"
            r"(?:(?:a|an|such|quite|rather|bit|real|total|complete|absolute|little|regular|classic|big|huge|kind|sort|of)\s+)*$",
            re.IGNORECASE,
        ),
        "trait_noun": re.compile(rf"\b{poss}\s+(?:[a-z]+\s+)?(?:{alternation(lex.TRAIT_NOUNS)})\b"),
        "age": re.compile("|".join(f"(?:{p})" for p in lex.AGE_PHRASES), re.IGNORECASE),
        "young": re.compile(
            rf"\byoung\b(?:\s+and\s+(?:{alternation(lex.AGE_AFTER_YOUNG)})\b)?", re.IGNORECASE
        ),
        "kid": re.compile(r"\b(?:a|the|this|that|our|some|new)\s+(?:[\w-]+\s+){0,2}?kid\b", re.IGNORECASE),
        "looks": re.compile(
            r"\b(?:looks?|looked|looking)\s+(?:(?:so|very|really|always|quite|pretty|rather|extremely|incredibly|more|less|a bit|a little|too|super)\s+)*"
            rf"(?:{alternation(lex.APPEARANCE_ADJ_LOOKS)})(?:\s+and\s+(?:{alternation(lex.APPEARANCE_ADJ_LOOKS)}))?\b",
            re.IGNORECASE,
        ),
        "looks_adj": re.compile(
            rf"(?<![\w-])(?:{alternation(lex.APPEARANCE_ADJ_IS)})(?![\w-])", re.IGNORECASE
        ),
        "looks_poss": re.compile(
            rf"\b{poss}\s+(?:[a-z]+\s+)?(?:{alternation(w for w in lex.APPEARANCE_POSSESSED if w != 'looks')})\b(?!\s+of\b)"
            rf"|\b{poss}\s+looks\b(?!\s+(?:at|into|like|for|over|after|to|as)\b)"
        ),
        "weight": re.compile(
            r"\b(?:lose|lost|losing|loses|shed|drop|gain|gained|gaining|put on|watch|watching)\s+(?:(?:some|a little|a bit of|a few|the|his|her|their|extra)\s+)*(?:weight|pounds|lbs|kilos|inches)\b",
            re.IGNORECASE,
        ),
        "dress": re.compile(
            r"\bdress(?:es|ed|ing)?\s+(?:up|down|better|sharper|nicer|the part|to impress|for success|more (?:professionally|appropriately|conservatively|femininely|modestly|stylishly))\b",
            re.IGNORECASE,
        ),
        "wear": re.compile(
            r"\b(?:wear|wears|wearing|wore)\s+(?:(?:more|less|some|a little|nicer|better|proper|a|any)\s+)*"
            rf"(?P<item>{alternation(lex.APPEARANCE_GENDERED)}|suits?|ties?|jeans|jewelry|jewellery|perfume)\b",
            re.IGNORECASE,
        ),
        "appearance_phrase": re.compile(
            r"\b(?:easy on the eyes|eye candy|pretty face|nice to look at|looks the part|(?:should|needs? to|could|try to|must) smile more)\b",
            re.IGNORECASE,
        ),
        "diversity_hire": re.compile(
            r"\b(?:diversity|token|quota|affirmative[- ]action|DEI|EEO)\s+(?:hire|pick|candidate|appointment|promotion|box)\b"
            r"|\b(?:ticks?|checks?|ticked|checked) (?:a|the|our) (?:diversity )?box(?:es)?\b"
            r"|\b(?:only|just) (?:got|landed|was given) (?:the|this|that|her|his) (?:job|role|position|promotion) because\b",
            re.IGNORECASE,
        ),
        "accent": re.compile(
            rf"\b(?:{poss}\s+(?:(?:thick|heavy|strong|foreign|noticeable|pronounced|[A-Z][a-z]+)\s+)?accent\b|(?:thick|heavy|strong|foreign|noticeable) accent\b|accented English\b)"
            r"(?:\s+(?:makes?|made|is|was)\s+(?:him|her|them|it)?\s*(?:hard|difficult|tough|tricky)\s+to\s+\w+)?"
        ),
        "native": re.compile(
            r"\b(?:non-?native|native)\s+(?:English\s+)?speakers?\b"
            r"|\bEnglish\s+(?:is\s+not|isn['’]t|is\s+not\s+(?:his|her|their))\s+(?:(?:his|her|their)\s+)?(?:first\s+language|native(?:\s+language|\s+tongue)?|mother\s+tongue)"
            r"|\b(?:broken|heavily accented|limited) English\b|\bnot a native\b|\bforeign[- ]sounding\b|\bwhere (?:he|she|they)(?:['’]s| is| are| comes?) from\b",
            re.IGNORECASE,
        ),
        "group": re.compile(
            rf"\b(?i:as|like)\s+(?:so\s+|a lot of\s+|lots of\s+)?(?:many|most|all|other|every|typical|the other|many other|most other)\s+(?:{groups})(?:\s+(?!(?:are|do|and|but|so|who|which|that)\b)[a-z][\w-]*)?(?:\s+(?:are|do|tend to be|seem to be|usually are|often are|typically are))?\b"
            rf"|\b(?i:typical(?:ly)?)\s+(?:{groups})\b"
            rf"|\b(?:{groups})\s+(?:people|folks|men|women|guys|girls|workers|employees|engineers|staff|culture|families|parents)\s+(?:are|tend|always|usually|often|never|typically|can['’]t|don['’]t)\b"
            rf"|\b(?:{groups})\s+(?:are|tend to be|tend to|always|usually|typically|generally)\b"
            rf"|\bfor an?\s+(?:{groups})\b(?:\s+(?:woman|man|person|guy|girl|employee|engineer|worker))?"
            rf"|\b(?:his|her|their)\s+(?:{groups})\s+(?:background|heritage|roots|culture|upbringing|side|blood|temper|temperament|genes|work ethic|mentality)\b"
            rf"|\b(?:[Bb]eing|[Aa]s an?)\s+(?:{groups})\b"
            rf"|\b(?:because|since)\s+(?:he|she|they)(?:['’]s| is| are)\s+(?:{groups})\b"
            rf"|\b(?:{groups})\s+(?:work ethic|mentality|temper|temperament|time)\b"
            r"|\b(?:his|her|their) (?:race|ethnicity|ethnic background|cultural background|national origin|nationality|religion|caste|skin colou?r)\b"
        ),
        "frame": re.compile(
            rf"\b(?:despite|in spite of|even with|regardless of|notwithstanding)\s+(?:{poss}\s+)?(?:[\w-]+\s+){{0,2}}?(?P<t1>{sens_all})\b"
            rf"|\b(?:even though|although|though|even if)\s+(?:he|she|they|[A-Z][\w-]*)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<t2>{sens})\b"
            rf"|\b(?:[Bb]eing|[Aa]s an?)\s+(?:[\w-]+\s+)?(?P<t3>{sens})\b"
            rf"|\bfor (?:someone|a person|somebody|an employee|a man|a woman) (?:with|in|of|on)\s+(?:[\w-]+\s+){{0,2}}?(?P<t4>{sens_all})\b"
            rf"|\b(?:because of|due to|given|with)\s+{poss}\s+(?:[\w-]+\s+)?(?P<t5>{sens_all})\b",
            re.IGNORECASE,
        ),
        "judgement": re.compile("|".join(f"(?:\\b{p}\\b)" for p in lex.JUDGEMENT_PHRASES), re.IGNORECASE),
    }


def _next_is_thing(text: str, end: int, limit: int) -> tuple[bool, bool]:
    """(followed by a non-person noun, followed by a person noun) for an adjective ending at ``end``."""
    nw = next_word(text, end, limit)
    if nw is None:
        return False, False
    low = nw.lower
    if low in PERSON_NOUNS:
        return False, True
    if not low.isalpha() or low in FUNCTION_WORDS or nw.text[:1].isupper():
        return False, False
    if low in {
        "sometimes",
        "often",
        "lately",
        "recently",
        "again",
        "at",
        "around",
        "toward",
        "towards",
        "now",
        "today",
    }:
        return False, False
    return True, False


_TOPIC_AFTER_GENDERED = frozenset(
    """health care leave ward wards benefits benefit product products hygiene line brand mortality
    nutrition clinic unit units fashion clothing apparel fragrance fragrances wellness medicine
    screening screenings program programs""".split()
)


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
    bounds = sentences(text)
    hits: list[BiasHit] = []
    add = hits.append

    def each(name: str, category: str, keep: Callable[[re.Match[str]], bool] | None = None) -> None:
        for m in rx[name].finditer(text):
            if m.end() > m.start() and (keep is None or keep(m)):
                add(BiasHit(category, m.start(), m.end()))

    # -- gender named outright
    each("gendered", "gendered_language")
    each("gendered_trait", "gendered_language", lambda m: not _topic_after(text, m.end()))
    each("family_gender", "gendered_language")
    each("family_gender", "protected_characteristic")

    # -- personality critique
    each("personality_phrase", "personality_critique")
    for m in rx["trait"].finditer(text):
        sent = sentence_of(bounds, m.start())
        if _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("personality_critique", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in rx["too_trait"].finditer(text):
        start = _extend_left(text, m.start(), _TOO)
        if start == m.start():
            continue  # "nice" alone is no critique; "too nice" is
        sent = sentence_of(bounds, m.start())
        if _trait_about_person(text, start, m.end(), sent, people):
            add(BiasHit("personality_critique", start, m.end()))
    for m in rx["pers_noun"].finditer(text):
        tail = text[max(0, m.start() - 40) : m.start()]
        t = rx["pers_noun_tail"].search(tail)
        if t and re.search(r"\ban?\s", t.group(), re.IGNORECASE):
            add(BiasHit("personality_critique", m.start(), m.end()))
    each("trait_noun", "personality_critique")

    # -- age
    each("age", "age_coded")
    for m in rx["young"].finditer(text):
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
        lambda m: not re.search(r"\bkid (?:gloves|brother|sister)\b", text[m.end() - 3 : m.end() + 10]),
    )

    # -- appearance
    for m in rx["looks"].finditer(text):
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.start())
        while ws and ws[-1].lower in {
            "always",
            "often",
            "really",
            "also",
            "usually",
            "still",
            "never",
            "sometimes",
        }:
            ws.pop()
        if ws and (is_person_subject(ws[-1], people) or re.match(r"^(he|she|they)'s$", ws[-1].lower)):
            add(BiasHit("appearance", m.start(), m.end()))
    for m in rx["looks_adj"].finditer(text):
        word = m.group().lower()
        sent = sentence_of(bounds, m.start())
        if word == "pretty":
            nw = next_word(text, m.end(), sent[1])
            if nw is not None and nw.lower not in _THING_AFTER_PRETTY:
                continue  # "pretty good" is an adverb
        if _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("appearance", m.start(), m.end()))
    each("looks_poss", "appearance")
    each("weight", "appearance")
    each("dress", "appearance")
    each("appearance_phrase", "appearance")
    for m in rx["wear"].finditer(text):
        add(BiasHit("appearance", m.start(), m.end()))
        if m.group("item").lower() in lex.APPEARANCE_GENDERED:
            add(BiasHit("gendered_language", m.start(), m.end()))

    # -- protected characteristics used as a judgement
    each("diversity_hire", "protected_characteristic")
    each("accent", "protected_characteristic")
    each("native", "protected_characteristic")
    each("group", "protected_characteristic")
    for m in rx["frame"].finditer(text):
        term = next(
            g for g in (m.group("t1"), m.group("t2"), m.group("t3"), m.group("t4"), m.group("t5")) if g
        )
        key = re.sub(r"\s+", " ", term).lower()
        if key in lex.POSSESSED_ONLY and not re.search(
            r"\b(?:his|her|their)\b|['’]s\b", m.group(), re.IGNORECASE
        ):
            continue
        if m.end() < len(text) and text[m.end()] == "-":
            continue  # "despite the disability-inclusion ..." is a topic
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    protected_sentences = {
        sentence_of(bounds, h.start) for h in hits if h.category == "protected_characteristic"
    }
    protected_sentences |= {sentence_of(bounds, h.start) for h in find_sensitive(text, people)}
    for m in rx["judgement"].finditer(text):
        if sentence_of(bounds, m.start()) in protected_sentences:
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            add(BiasHit("protected_characteristic", start, m.end()))
    return _merge(text, hits)


def _merge(text: str, hits: list[BiasHit]) -> list[BiasHit]:
    """Merge same-category hits that overlap or are joined by "and" / a comma."""
    hits.sort(key=lambda h: (h.category, h.start, -h.end))
    out: list[BiasHit] = []
    for h in hits:
        if out and out[-1].category == h.category:
            prev = out[-1]
            gap = text[prev.end : h.start]
            if h.start <= prev.end or re.fullmatch(r"\s*(?:,|and|or|, and)\s*", gap):
                out[-1] = BiasHit(h.category, prev.start, max(prev.end, h.end))
                continue
        out.append(h)
    out.sort(key=lambda h: (h.start, h.category))
    return out


def check_bias(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """Findings for biased wording in ``text`` (a draft, or a person's own text)."""
    people = frozenset(ctx.people)
    findings = []
    for h in find_bias(text, people):
        words = text[h.start : h.end]
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.FLAG,
                message=_MESSAGES[h.category].format(words),
                category=h.category,
                span=Span(h.start, h.end, words),
                suggestion=_SUGGESTIONS[h.category],
            )
        )
    return findings


@hookimpl
def register_guards(register: Callable[[GuardSpec], None]) -> None:
    register(
        GuardSpec(
            name=GUARD,
            clauses=CLAUSES,
            stages=(Stage.DRAFT,),
            check=check_bias,
            description="Flags gendered, age-coded, appearance and personality judgements and protected characteristics used as judgements.",
        )
    )
