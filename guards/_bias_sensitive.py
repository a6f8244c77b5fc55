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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rai_assistant.guards._bias_lexicon import GROUPS, POSSESSED_ONLY, SENSITIVE_TERMS
from rai_assistant.guards._bias_text import (
    Word,
    alternation,
    is_person_subject,
    next_word,
    sentence_of,
    sentences,
    words_before,
)

__all__ = ["SensitiveHit", "find_sensitive", "is_topic_or_others", "loose_sensitive_terms"]


@dataclass(frozen=True, slots=True)
class SensitiveHit:
    """A sensitive term said about a person: offsets, the words, and the kind of fact."""

    start: int
    end: int
    text: str
    kind: str


# Acronyms and words whose lower-case form is an ordinary word ("aids", "add", "lent").
_CASE_SENSITIVE = frozenset(
    {
        "ADD",
        "AIDS",
        "IBS",
        "PTSD",
        "OCD",
        "ADHD",
        "HIV",
        "DUI",
        "IVF",
        "MS diagnosis",
        "H-1B",
        "H1B",
        "H-1B visa",
        "MS",
    }
)

# Extra race / ethnicity words, counted only with a linking verb ("she is Black").
_ETHNIC = {
    "Black": "ethnicity",
    "Asian": "ethnicity",
    "Hispanic": "ethnicity",
    "Latino": "ethnicity",
    "Latina": "ethnicity",
    "Latinx": "ethnicity",
    "Arab": "ethnicity",
    "African-American": "ethnicity",
    "African American": "ethnicity",
    "Indigenous": "ethnicity",
    "Native American": "ethnicity",
    "biracial": "ethnicity",
    "mixed-race": "ethnicity",
}

# Always a fact about someone, whatever the context.
_ALWAYS = (
    (
        r"\bexpecting (?:(?:a|her|their|his|another|the)\s+)?(?:(?:first|second|third|fourth|fifth|new|baby)\s+)?(?:baby|child|kid|twins|little one)\b",
        "pregnancy",
    ),
    (r"\b(?:is|was|['’]s)\s+(?:\w+\s+){0,2}months pregnant\b", "pregnancy"),
    (r"\b(?:came|coming|come) out as\b", "orientation_identity"),
    (
        r"\b(?:is|was|['’]s|been|went|goes|going|are)\s+(?:back\s+)?(?:in|into|to)\s+(?:therapy|rehab|counsell?ing|remission|hospice|detox)\b(?![\w-])",
        "health",
    ),
    (r"\b(?:legally|partially|completely|totally) (?:blind|deaf)\b", "disability"),
    (
        r"\b(?:blind|deaf) in (?:one|both|his|her|their|the left|the right) (?:eye|eyes|ear|ears)\b",
        "disability",
    ),
    (
        r"\b(?:is|was|['’]s|are|went|going|gone)\s+(?:profoundly\s+|partially\s+|completely\s+)?(?:deaf|blind)\b(?!\s+(?:to|spot|spots|eye))",
        "disability",
    ),
    (r"\b(?:mother|mom|mum|father|dad) of (?:two|three|four|five|six|\d|twins|young)\b", "family_status"),
)

_TOPIC_NOUNS = frozenset(
    """awareness research app apps application applications program programme programs clinic
    clinics campaign campaigns fundraiser fundraising policy policies training trainings group
    groups erg ergs network networks committee initiative initiatives support benefits benefit
    coverage claims claim screening screenings drive month day week event events services service
    unit units ward wards patients patient care rollout guidelines guideline law laws compliance
    audit audits project projects study studies trial trials drug drugs product products line
    market sector category education outreach resources resource portal module modules charity
    foundation society association center centre advocacy advocate advocates champion champions
    ally allies inclusion accessibility process processes workflow form forms request requests
    applicants case cases files file data records record community communities calendar
    calendars schedule schedules scheduling holidays holiday team teams students customers
    clients employees staff members users residents guests families parents children's
    accommodations accommodation requirements requirement questions question toolkit
    checklist handbook sessions session panel panels workshop workshop webinar webinars
    counselors counsellors nurses doctors specialists sponsorship sponsorships petitions
    petition paperwork documentation filings filing room rooms space spaces specialist
    specialists software tool tools device devices equipment ramp ramps lift lifts access
    management testing tests test screenings fund funds dashboard dashboards report reports
    survey surveys hall halls hospital hospitals school schools shop store booking bookings
    visit visits trip trips leaders leader festival festivals client customer supplier vendor
    contractor contractors partner partners office offices market markets account accounts
    company companies firm firms bank banks government authorities embassy consulate""".split()
)
_DETERMINER_STOP = frozenset(
    {
        "the",
        "this",
        "that",
        "these",
        "those",
        "our",
        "its",
        "your",
        "my",
        "which",
        "whose",
        "any",
        "every",
        "each",
        "some",
        "all",
    }
)
_WORK_VERBS = frozenset(
    """led leads lead ran runs run organized organised organizes organizes launched launches
    built builds designed designs wrote writes managed manages coordinated coordinates supported
    supports trained trains audited audits researched presented presents drafted drafts reviewed
    reviews administered administers treated treats handled handles processed processes
    developed develops created creates implemented implements rolled raised raises ran hosted
    hosts taught teaches advised advises covered covers reported reports analyzed analysed
    analyzes studied improved improves updated updates revised revises negotiated planned plans
    redesigned launched championed champions sponsored sponsors chaired chairs mapped documented
    staffed scheduled schedules investigated tested tests served serves assisted assists
    helped helps""".split()
)
_OTHER_PEOPLE = frozenset(
    """customer customers client clients patient patients student students user users member
    members employees people staff colleagues residents guests applicants candidates families
    parents veterans kids visitors callers travelers travellers passengers tenants learners
    children participants others someone anyone everyone""".split()
)
_LINKS = frozenset(
    """is was are were 's has had have been being be uses used use using takes took take taking
    lives living lived suffers suffering suffered diagnosed with on from for needs need needed
    requires required attends attended attend observes observed observe practices practiced
    practicing identifies identified wears wore wearing returned returning back recovering
    battling battles fights fighting struggles struggling leaves left goes went prays fasts
    because due to about gets got during at a an as became becomes still""".split()
)
_POSSESSIVE = frozenset({"his", "her", "their"})


@cache
def _patterns() -> tuple[
    re.Pattern[str], re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...], re.Pattern[str]
]:
    terms = [t for t in SENSITIVE_TERMS if t not in _CASE_SENSITIVE]
    # plurals count too ("three miscarriages", "his migraines")
    insensitive = re.compile(rf"(?<![\w-])(?:{alternation(terms)})(?:s|es)?(?![\w])", re.IGNORECASE)
    exact = sorted(_CASE_SENSITIVE | set(_ETHNIC))
    sensitive = re.compile(rf"(?<![\w-])(?:{alternation(exact)})(?![\w])")
    always = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in _ALWAYS)
    origin = re.compile(
        rf"(?<![\w-])(?:{alternation(g for g in GROUPS if g[:1].isupper() and not g.endswith('s'))})(?![\w-])"
    )
    return insensitive, sensitive, always, origin


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
        if low in _POSSESSIVE or (
            low.endswith("'s") and w.text[:1].isupper() and low not in {"it's", "that's", "there's", "what's"}
        ):
            return True
        if not (w.text.islower() and w.text.isalpha()) and not w.text.isdigit():
            return False
        if (
            low in _LINKS
            or low in _WORK_VERBS
            or low in _DETERMINER_STOP
            or low in {"of", "in", "on", "to", "for", "and", "or", "but"}
        ):
            return False  # "his team was blind to ...": the possessive belongs to another noun
    return False


# Family words that count after "has"/"had" too ("has three kids at home").
_HAS_ONLY = frozenset(
    {
        "kids",
        "children",
        "child",
        "baby",
        "babies",
        "husband",
        "wife",
        "family",
        "spouse",
        "boyfriend",
        "girlfriend",
    }
)
_HAD = re.compile(
    r"\b(?:has|have|had|having)\s+(?:(?:a|an|two|three|four|five|six|\d+|young|small|little|new|newborn|grown|sick|elderly|school-age)\s+){0,2}$",
    re.IGNORECASE,
)


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
    return low == "of" and term.lower() in {
        "diagnosis",
        "treatment",
        "condition",
        "transition",
        "heritage",
        "family",
    }


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
        contracted = re.match(r"^(he|she|they|who)'(s|re)$", low)
        if contracted:
            return True
        if low in _LINKS:
            linked = True
            continue
        if is_person_subject(w, people) and (w.text[:1].isupper() or low in {"he", "she", "they", "who"}):
            return linked
    return False


def _copula_person(ws: list[Word], people: frozenset[str]) -> bool:
    """ "Carlos is", "she's originally": a person and a copula right before the word."""
    i = len(ws) - 1
    while i >= 0 and ws[i].lower in {"originally", "half", "partly", "a", "an", "actually", "also"}:
        i -= 1
    if i < 0:
        return False
    low = ws[i].lower
    if re.match(r"^(he|she|they)'(s|re)$", low):
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


# Terms too general to stand for a protected characteristic on their own ("the transition to
# SAP worries clients"): they count as loose triggers only when possessed (``find_sensitive``).
_NOT_LOOSE = frozenset(
    """condition treatment transition transitioning therapy family child children kids baby
    babies partner's husband wife spouse accommodation accommodations prescription faith beliefs
    race heritage tribe lent fasting stroke cane breakdown arrest arrested conviction convicted
    prison jail probation parole sober trans deaf blind depression depressed anxiety
    medication meds surgery illness diagnosis diagnosed married divorce caregiver church
    temple prayer prayers pray praying ethnic nationality citizenship visa sponsorship
    insulin lithium sick days sick leave medical leave""".split()
) | {"sick days", "sick leave", "medical leave", "mental health", "school run", "due in"}
_LOOSE_EXTRA = re.compile(
    r"(?<![\w-])(?:accent|accented|culture he|culture she|background|roots|origins?)(?![\w-])"
    r"|\b(?:with|and) (?:the|her|his|their|two|three|four|young|small|little|a) (?:young )?(?:kids|children|little ones|baby|twins|toddlers?|newborn|family)\b"
    r"|\b(?:is|['’]s|are|comes|came|moved|arrived|immigrated) (?:here |over )?(?:originally )?from (?-i:[A-Z])[\w-]+",
    re.IGNORECASE,
)


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


_OTHERS_BEFORE = re.compile(
    r"\b(?:customers?|clients?|patients?|students?|users?|members|people|residents|guests|applicants|"
    r"candidates|families|parents|visitors|callers|passengers|tenants|learners|children|participants|"
    r"others|staff|employees|colleagues)\s+(?:with|who|whose|from|on|in|using|needing)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def is_topic_or_others(text: str, start: int, end: int, limit: int) -> bool:
    """The term at ``text[start:end]`` is the topic of the work ("wheelchair ramp", "the
    diabetes-clinic rota") or about other people ("customers with hearing loss")."""
    if _is_topic(text, end, limit, text[start:end]):
        return True
    return _OTHERS_BEFORE.search(text, max(0, start - 60), start) is not None
