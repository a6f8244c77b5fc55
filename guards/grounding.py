"""The "grounding" guard: facts in a draft that the request's notes do not support.

Clause 4.2 (no false or misleading content). A model drafting a review from notes tends to
invent the specifics that make feedback look concrete: a percentage, an amount, a date, a quote,
a project name. Each number, percentage, amount, date, quotation and capitalised multi-word name
in the draft is looked up in the notes (``GuardContext.notes``), after normalising both sides
("30%" = "30 percent" = "thirty percent", "three" = "3", "$1.2M" = "$1,200,000",
"March 3" = "3 March", "Q3" = "third quarter"). What the notes do not contain is flagged as
possibly false, for the person to check.

A small model also invents whole events ("notes about a checkout redesign" became "a story about
changing jobs") with no number or name in them. So each draft sentence is also checked as a whole:
when few of its content words (stop words, courtesy words, placeholders and the people's names
left out; simple stemming on both sides) occur in the notes, the sentence is flagged. The test is
lexical on purpose: it runs in well under a millisecond, where an embedding model would take
tens. With no notes there is nothing to compare: no findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = [
    "CATEGORY",
    "CLAUSES",
    "GUARD",
    "MIN_CONTENT_WORDS",
    "MIN_SUPPORT",
    "Claim",
    "check_grounding",
    "content_stems",
    "extract_claims",
    "register_guards",
    "unsupported_sentences",
]

GUARD = "grounding"
CLAUSES = ("4.2",)
CATEGORY = "unsupported_claim"

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
_FRACTIONS = {
    "half": 50.0,
    "a third": 100 / 3,
    "a quarter": 25.0,
    "two thirds": 200 / 3,
    "three quarters": 75.0,
}
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINAL_Q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

# Capitalised words that start sentences or are ordinary in reviews: not product names.
_NAME_STOP = frozenset(
    """the a an this that these those our his her their my your its in on at for with by from of
    to and or but next last this q1 q2 q3 q4 i we he she they it overall also however great good
    excellent strong going as after before during when while since""".split()
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A checkable specific in the draft: its kind, offsets, text and normalised keys."""

    kind: str  # number, percent, money, date, quote, name
    start: int
    end: int
    text: str
    keys: frozenset[str]


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|two|three|four|five|six|seven|eight|nine|ten|zero)(?:\s+(?:hundred|thousand|million|billion))?"
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    return {
        "date": re.compile(
            rf"\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?"
            rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\b(?:,?\s+(?P<y2>(?:19|20)\d{{2}}))?"
            rf"|\b(?P<m3>{_MONTH})\s+(?P<y3>(?:19|20)\d{{2}})\b"
            rf"|\b(?:(?<=in )|(?<=since )|(?<=by )|(?<=until )|(?<=from )|(?<=of )|(?<=early )|(?<=late )|(?<=mid-)|(?<=mid )|(?<=during )|(?<=through )|(?<=before )|(?<=after ))(?P<m4>{_MONTH})\b"
            rf"|\b(?P<iy>(?:19|20)\d{{2}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b"
            rf"|\b(?P<sm>\d{{1,2}})/(?P<sd>\d{{1,2}})(?:/(?P<sy>\d{{2,4}}))?\b"
            rf"|\bQ(?P<q1>[1-4])(?:\s+(?:FY)?(?P<qy>(?:19|20)?\d{{2}}))?\b"
            rf"|\b(?P<q2>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b"
            rf"|\b(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\b"
            rf"|\bFY\s?(?P<fy>(?:19|20)?\d{{2}})\b"
            rf"|\b(?P<y5>(?:19|20)\d{{2}})\b",
            re.IGNORECASE,
        ),
        "money": re.compile(
            rf"(?P<cur>[$€£¥])\s?(?P<n>{_NUM})\s*(?P<s>k|m|mm|bn|b|thousand|million|billion)?\b"
            rf"|\b(?P<n2>{_NUM})\s*(?P<s2>k|m|mm|bn|thousand|million|billion)?\s+(?:dollars|euros|pounds|usd|eur|gbp)\b",
            re.IGNORECASE,
        ),
        "percent": re.compile(
            rf"(?P<n>{_NUM}|{_WORDNUM})\s*(?:%|percent\b|per cent\b|pct\b|percentage points?\b|points?\b(?=\s+(?:of|in|on|higher|lower|up|down)))"
            rf"|\b(?P<f>half|a third|a quarter|two thirds|three quarters)\b(?=\s+(?:of|fewer|more|less))?",
            re.IGNORECASE,
        ),
        "number": re.compile(
            rf"(?<![\w.$€£¥/-])(?P<n>{_NUM})(?P<s>k|m|bn)?(?![\w%/]|-\d)|\b(?P<w>{_WORDNUM})\b", re.IGNORECASE
        ),
        "quote": re.compile(r"[\"“]([^\"”\n]{3,200})[\"”]"),
        "name": re.compile(r"\b[A-Z][\w&'’.-]*(?:\s+(?:of|for|and|&|the|de)?\s*[A-Z0-9][\w&'’.-]*)+"),
        "named_thing": re.compile(
            r"\b(?P<n>[A-Z][\w&-]+)\s+(?:project|platform|app|tool|system|initiative|program|programme|launch|migration|rollout|dashboard|campaign|account|release|product|portal)\b"
        ),
        "word": re.compile(r"[a-z0-9]+(?:['’][a-z]+)?"),
    }


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


def _word_value(words: str) -> float:
    """'forty-two' -> 42, 'three hundred' -> 300, 'two million' -> 2e6."""
    total = 0.0
    current = 0.0
    for w in re.split(r"[\s-]+", words.lower()):
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total += current
                current = 0
    return total + current


def _num_key(value: float) -> str:
    return f"n:{round(value, 2):g}"


def _date_keys(m: re.Match[str]) -> frozenset[str]:
    g = m.groupdict()
    keys: set[str] = set()
    month = g.get("m1") or g.get("m2") or g.get("m3") or g.get("m4")
    if month:
        keys.add(f"m:{_MONTHS[month.lower().rstrip('.')]}")
    day = g.get("d1") or g.get("d2")
    if day:
        keys.add(f"d:{int(day)}")
    year = g.get("y1") or g.get("y2") or g.get("y3") or g.get("y5") or g.get("iy")
    if year:
        keys.add(f"y:{int(year)}")
    if g.get("iy"):
        keys |= {f"m:{int(g['im'])}", f"d:{int(g['id'])}"}
    if g.get("sm"):
        keys |= {f"m:{int(g['sm'])}", f"d:{int(g['sd'])}"}
        if g.get("sy"):
            y = int(g["sy"])
            keys.add(f"y:{y + 2000 if y < 100 else y}")
    q = g.get("q1") or (str(_ORDINAL_Q[g["q2"].lower()]) if g.get("q2") else None)
    if q:
        keys.add(f"q:{q}")
    qy = g.get("qy") or g.get("fy")
    if qy:
        y = int(qy)
        keys.add(f"y:{y + 2000 if y < 100 else y}")
    if g.get("wd"):
        keys.add(f"w:{g['wd'].lower()}")
    return frozenset(keys)


def _norm_text(s: str) -> str:
    return " ".join(_rx()["word"].findall(s.lower().replace("’", "'")))


def extract_claims(text: str) -> list[Claim]:
    """Every checkable specific in ``text``: dates, money, percentages, numbers, quotes, names."""
    rx = _rx()
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(kind: str, m: re.Match[str], keys: set[str] | frozenset[str], group: int | str = 0) -> None:
        s, e = m.span(group)
        if keys and free(s, e):
            claims.append(Claim(kind, s, e, text[s:e], frozenset(keys)))
            taken.append((s, e))

    for m in rx["quote"].finditer(text):
        add("quote", m, {f"q:{_norm_text(m.group(1))}"})
    for m in rx["date"].finditer(text):
        if m.group("m4") and m.group("m4").lower() == "may" and not m.group("m4")[0].isupper():
            continue
        if (m.group("m1") or m.group("m3") or "").lower() == "may" and not (m.group("m1") or m.group("m3"))[
            0
        ].isupper():
            continue
        add("date", m, _date_keys(m))
    for m in rx["money"].finditer(text):
        n = m.group("n") or m.group("n2")
        scale = (m.group("s") or m.group("s2") or "").lower()
        mult = _SUFFIX.get(scale) or _SCALES.get(scale, 1)
        add("money", m, {_num_key(_to_float(n) * mult), _num_key(_to_float(n))})
    for m in rx["percent"].finditer(text):
        if m.group("f"):
            add("percent", m, {_num_key(_FRACTIONS[re.sub(r"\s+", " ", m.group("f").lower())])}, "f")
            continue
        raw = m.group("n")
        val = _to_float(raw) if raw[0].isdigit() else _word_value(raw)
        add("percent", m, {_num_key(val)})
    for m in rx["number"].finditer(text):
        if m.group("w"):
            val = _word_value(m.group("w"))
        else:
            val = _to_float(m.group("n")) * _SUFFIX.get((m.group("s") or "").lower(), 1)
        add("number", m, {_num_key(val)})
    for m in rx["named_thing"].finditer(text):
        if m.group("n").lower() not in _NAME_STOP:
            add("name", m, {f"w:{m.group('n').lower()}"}, "n")
    for m in rx["name"].finditer(text):
        tokens = list(re.finditer(r"[A-Za-z0-9][A-Za-z0-9&'’.-]*", m.group()))
        while tokens and tokens[0].group().lower() in _NAME_STOP:
            tokens.pop(0)  # "The Atlas Migration": the name starts at "Atlas"
        while tokens and (
            tokens[-1].group().lower() in _NAME_STOP
            or not free(m.start() + tokens[-1].start(), m.start() + tokens[-1].end())
        ):
            tokens.pop()  # trailing connector, or a date already claimed ("... Platform May 9")
        if len(tokens) < 2:
            continue
        s, e = m.start() + tokens[0].start(), m.start() + tokens[-1].end()
        if free(s, e):
            keys = {
                f"w:{t.group().lower().rstrip('.')}" for t in tokens if t.group().lower() not in _NAME_STOP
            }
            claims.append(Claim("name", s, e, text[s:e], frozenset(keys)))
            taken.append((s, e))
    claims.sort(key=lambda c: c.start)
    return claims


def _evidence(notes: str) -> tuple[set[str], str]:
    """The keys the notes support, and the notes' normalised text (for quotes)."""
    keys: set[str] = set()
    for c in extract_claims(notes):
        keys |= c.keys
    # plain words of the notes support names ("the atlas migration" supports "Atlas Migration")
    norm = _norm_text(notes)
    keys |= {f"w:{w}" for w in norm.split()}
    return keys, norm


def _supported(claim: Claim, keys: set[str], norm_notes: str) -> bool:
    if claim.kind == "quote":
        quoted = next(iter(claim.keys))[2:]
        return bool(quoted) and quoted in norm_notes
    if claim.kind == "date":
        # every part the draft names (month, day, year, quarter, weekday) must be in the notes
        return claim.keys <= keys
    if claim.kind == "name":
        return claim.keys <= keys
    return bool(claim.keys & keys)


def _unsupported(text: str, notes: str, people: Sequence[str]) -> Iterator[Claim]:
    keys, norm_notes = _evidence(notes)
    keys |= {f"w:{w.lower()}" for p in people for w in p.split()}
    for claim in extract_claims(text):
        if not _supported(claim, keys, norm_notes):
            yield claim


# ---------------------------------------------------------------- whole sentences

#: A sentence is judged only when it has at least this many content words: short courtesy
#: ("Keep it up", "Thank you for your hard work") says nothing checkable.
MIN_CONTENT_WORDS = 5
#: ... and is flagged when fewer than this share of its content words occur in the notes.
#: Tuned on our own paraphrases (share 0.4-1.0) against invented sentences (0.0-0.2).
MIN_SUPPORT = 0.3

# Function words: they carry no fact.
_STOP = frozenset(
    """a about above across after again against all almost along already also although always am
    among an and another any anyone anything are around as at away back be became because become
    been before being below between both but by can could did do does doing done down during each
    either else enough even ever every everyone everything few for from further get gets getting
    got had has have having he her here hers herself him himself his how however i if in into is
    it its itself just least less let lets like made make makes making many may me might more most
    much must my myself near need needs never no nor not now of off often on once one only onto or
    other others our ours ourselves out over own per quite rather same see seen several she should
    since so some someone something soon still such than that the their theirs them themselves then
    there these they thing things this those though through thus to together too toward towards
    under until up upon us very via was way ways we were what when where whether which while who
    whom whose why will with within without would yet you your yours yourself yourselves
    nobody anybody somebody everybody right""".split()
)
# Courtesy and the features' own form words: a draft may add them without inventing anything.
_GENERIC = frozenset(
    """thank thanks thankful appreciate appreciation grateful great good excellent fantastic
    wonderful amazing awesome nice well better best really truly job work effort hard keep continue
    suggestion suggest recommend please next time goal measure due strength growth area
    improve improvement contribution team impact help helpful value valuable role new period review
    feedback self proud happy glad pleased overall especially particularly important key clear
    clearly specific specifically example result successful success colleague colleagues real
    difference lot""".split()
)
_PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
_WORD_RE = re.compile(r"[a-z]+")
# Common irregular past forms, so "led" meets "lead" and "wrote" meets "write".
_IRREGULAR = {
    "led": "lead", "ran": "run", "wrote": "write", "written": "write", "built": "build",
    "gave": "give", "given": "give", "took": "take", "taken": "take", "brought": "bring",
    "taught": "teach", "sent": "send", "won": "win", "kept": "keep", "met": "meet",
    "held": "hold", "spoke": "speak", "spoken": "speak", "found": "find", "grew": "grow",
    "grown": "grow", "began": "begin", "begun": "begin", "went": "go", "saw": "see",
    "told": "tell", "thought": "think", "felt": "feel", "left": "leave", "paid": "pay",
    "sold": "sell", "bought": "buy", "caught": "catch", "chose": "choose", "chosen": "choose",
    "drove": "drive", "fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise",
    "shown": "show", "understood": "understand", "lost": "lose", "spent": "spend",
    "dealt": "deal", "meant": "mean", "sped": "speed", "rebuilt": "rebuild", "rewrote": "rewrite",
    "rewritten": "rewrite", "overcame": "overcome", "undertook": "undertake", "ate": "eat",
}  # fmt: skip
_SUFFIXES = ("ings", "ing", "ions", "ion", "ies", "ied", "ers", "er", "ed", "ly", "es", "s")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'’”)\]]*(?=\s)|\n")
_LEADER_RE = re.compile(r"(?:[-*•]|\d+[.)])\s+")
_LIST_NUMBER_RE = re.compile(r"\s*\d{1,2}[.)]")


@cache
def _stem(word: str) -> str:
    """A crude stem: irregular past forms mapped, one suffix cut, a 6-letter prefix kept.

    Crude on purpose: both sides get the same treatment, so "migrated" and "migration" meet
    ("migrat"), and so do "replies" and "reply" ("repli").
    """
    word = _IRREGULAR.get(word, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "i"
            break
    if word.endswith("y"):
        word = word[:-1] + "i"
    elif word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word[:6]


_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES])
_GENERIC_STEMS = frozenset(_stem(w) for w in _GENERIC)


def content_stems(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The stems of ``text``'s content words: no stop or courtesy words, placeholders or numbers.

    ``ignore`` holds lowercased words to leave out as well (the people's names).
    """
    words = _WORD_RE.findall(_PLACEHOLDER_RE.sub(" ", text).lower().replace("'s", " "))
    stems = []
    for word in words:
        if len(word) < 2 or word in _STOP or word in _NUMBER_WORDS or word in ignore:
            continue
        stem = _stem(word)
        if stem not in _GENERIC_STEMS:
            stems.append(stem)
    return stems


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence or line, without surrounding space or a leading bullet."""
    ends = (m.end() for m in _SENTENCE_END_RE.finditer(text))
    # "1. Do X" is a list item, not a sentence "1." followed by another
    bounds = [
        0,
        *(i for i in ends if not _LIST_NUMBER_RE.fullmatch(text, text.rfind("\n", 0, i) + 1, i)),
        len(text),
    ]
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        leader = _LEADER_RE.match(piece, lead)
        s = leader.end() if leader else lead
        e = len(piece.rstrip())
        if e > s:
            yield a + s, a + e


def unsupported_sentences(text: str, notes: str, people: Sequence[str] = ()) -> list[tuple[Span, float]]:
    """Each sentence of ``text`` whose content words the notes mostly do not contain.

    Returns the sentence's span and the share of its content words found in the notes.
    """
    ignore = frozenset(w.lower() for p in people for w in _WORD_RE.findall(p.lower()))
    known = set(content_stems(notes, ignore))
    found = []
    for s, e in _sentences(text):
        stems = content_stems(text[s:e], ignore)
        if len(stems) < MIN_CONTENT_WORDS:
            continue
        share = sum(stem in known for stem in stems) / len(stems)
        if share < MIN_SUPPORT:
            found.append((Span(s, e, text[s:e]), share))
    return found


_KIND_WORDS = {
    "number": "number",
    "percent": "percentage",
    "money": "amount",
    "date": "date",
    "quote": "quotation",
    "name": "name",
}


def check_grounding(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """Flag each specific, and each sentence, in the draft that the request's notes do not support."""
    if not ctx.notes.strip():
        return []
    findings = []
    for c in _unsupported(text, ctx.notes, ctx.people):
        what = _KIND_WORDS[c.kind]
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.FLAG,
                message=f"The {what} '{c.text}' is not in the notes this draft was written from; it may be false.",
                category=CATEGORY,
                span=Span(c.start, c.end, c.text),
                suggestion=f"Check the {what} against your records, correct it, or remove it.",
            )
        )
    for span, share in unsupported_sentences(text, ctx.notes, ctx.people):
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.FLAG,
                message="This sentence says things the notes do not mention; check it or remove it.",
                category=CATEGORY,
                span=span,
                suggestion="Keep to what the notes say, or add the missing facts to the notes.",
                score=round(1 - share, 2),
            )
        )
    return findings


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    register(
        GuardSpec(
            name=GUARD,
            clauses=CLAUSES,
            stages=(Stage.DRAFT,),
            check=check_grounding,
            description=(
                "Flags numbers, amounts, dates, quotes, names and whole sentences in a draft "
                "that its notes do not support."
            ),
        )
    )
