"""The fairness guard in Spanish, French and German: word lists from ``guards/data/bias/*.toml``.

Each language file gives its grammar (copulas, adverbs and hedges, subject pronouns, determiners,
nouns for people) and its judgement words by category. A judgement word (a lemma: the loader adds
the feminine and plural forms, or the German declensions) counts when it is said of a person:

* after a copula whose subject is a person or is left out ("Es muy mandona", "Elle est, franchement,
  un peu trop émotive", "Im Team ist sie oft zickig", "weil sie so zickig ist");
* next to a noun for a person ("una jefa mandona", "eine zickige Kollegin");
* at the start of a note with no subject ("Mandón con los becarios.");
* as a noun after an article ("una histérica").

"Un calendario agresivo", "einen aggressiven Zeitplan" or "il est difficile de ..." are about
things and pass. Phrases (regular expressions) count wherever they appear. Loading is lazy and
cached; a malformed file raises :class:`BiasDataError` naming the file and the key. The lists the
three languages share (impersonal subjects, nouns for people in general, the French and German
endings) are in ``guards/data/bias/lang_shared.toml``, read and checked by :func:`load_shared`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from rai_assistant.guards._bias_lexicon import load_data
from rai_assistant.guards._bias_text import (
    Word,
    alternation,
    clause_end,
    sentence_of,
    sentences,
    words_before,
)

__all__ = [
    "CATEGORIES",
    "DATA_DIR",
    "LANGUAGES",
    "SHARED_FILE",
    "BiasDataError",
    "LangHit",
    "Language",
    "SharedData",
    "find_bias_lang",
    "inflect",
    "load_language",
    "load_shared",
]

DATA_DIR = Path(__file__).parent / "data" / "bias"
LANGUAGES = ("es", "fr", "de")
CATEGORIES = (
    "gendered_language",
    "personality_critique",
    "age_coded",
    "protected_characteristic",
    "appearance",
)
_WORD_KEYS = (*CATEGORIES, "personality_critique_too")
_GRAMMAR_KEYS = (
    "copulas",
    "auxiliaries",
    "adverbs",
    "coordinators",
    "too",
    "subject_pronouns",
    "determiners",
    "articles",
    "person_nouns",
    "prepositions",
)


class BiasDataError(ValueError):
    """A word-list file under guards/data/bias is malformed; raised when the guard first loads it."""


#: What the three languages share, whatever the language of the text.
SHARED_FILE = DATA_DIR / "lang_shared.toml"


class SharedData(TypedDict):
    """The keys of ``lang_shared.toml`` and their types."""

    CLAUSE_MARKS: frozenset[str]
    QUOTES: frozenset[str]
    IMPERSONAL_AFTER: frozenset[str]
    IMPERSONAL_SUBJECT: frozenset[str]
    IMPERSONAL_IF_FOLLOWED: frozenset[str]
    RELATIVE_PRONOUNS: frozenset[str]
    GROUP_PLURALS: frozenset[str]
    DE_ENDINGS: tuple[str, ...]
    FR_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...]
    TOKEN: re.Pattern[str]


def load_shared(path: Path = SHARED_FILE) -> SharedData:
    """Read and check the shared file: every key present, of its type, every pattern compiling.

    :raises BiasDataError: naming the file and each key that is missing, unknown or malformed.
    """
    return load_data(path, SharedData, error=BiasDataError)


_SHARED = load_shared()


@dataclass(frozen=True, slots=True)
class LangHit:
    """One biased phrase found by a language file: category and offsets."""

    category: str
    start: int
    end: int


@dataclass(frozen=True)
class Language:
    """One language's grammar, inflected words and compiled patterns."""

    code: str
    markers: frozenset[str]
    copulas: tuple[tuple[str, ...], ...]
    auxiliaries: tuple[tuple[str, ...], ...]
    adverbs: tuple[tuple[str, ...], ...]
    coordinators: frozenset[str]
    too: tuple[tuple[str, ...], ...]
    subject_pronouns: frozenset[str]
    determiners: frozenset[str]
    articles: frozenset[str]
    person_nouns: frozenset[str]
    prepositions: frozenset[str]
    forms: Mapping[str, str]  # inflected form (lower case) -> category ("…_too" for too-only)
    words_rx: re.Pattern[str]
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    triggers: re.Pattern[str]  # protected facts ("embarazada") that a doubt nearby turns into a judgement
    judgements: re.Pattern[str]  # doubts about capacity or fit ("no creo que pueda")


# ------------------------------------------------------------------------ inflection


def inflect(lang: str, lemma: str) -> tuple[str, ...]:
    """The forms of an adjective: ``inflect("es", "mandón")`` -> mandón, mandona, mandones, mandonas.

    An entry with "|" lists its forms literally; a phrase of several words is not inflected.
    """
    if "|" in lemma:
        return tuple(f.strip() for f in lemma.split("|") if f.strip())
    if " " in lemma:
        return (lemma,)
    if lang == "es":
        return _inflect_es(lemma)
    if lang == "fr":
        return _inflect_fr(lemma)
    if lang == "de":
        return (lemma, *(lemma + e for e in _DE_ENDINGS))
    raise BiasDataError(f"no inflection rules for language {lang!r}: use one of {', '.join(LANGUAGES)}")


_UNACCENT = str.maketrans("áéíóú", "aeiou")
_DE_ENDINGS = _SHARED["DE_ENDINGS"]
_FR_ENDINGS = _SHARED["FR_ENDINGS"]  # (ending, its forms): the first ending the lemma has


def _inflect_es(w: str) -> tuple[str, ...]:
    if w.endswith("o"):
        s = w[:-1]
        return (w, s + "a", s + "os", s + "as")
    for end in ("ón", "án", "ín"):
        if w.endswith(end):
            s = w[:-2] + end[0].translate(_UNACCENT) + "n"
            return (w, s + "a", s + "es", s + "as")
    if w.endswith("or"):
        return (w, w + "a", w + "es", w + "as")
    if w.endswith(("e", "a", "í")):
        return (w, w + "s")
    if w.endswith("z"):
        return (w, w[:-1] + "ces")
    if w.endswith("l") and any(ch in w for ch in "áéíóú"):
        return (w, w.translate(_UNACCENT) + "es")  # difícil -> difíciles keeps its accent
    return (w, w + "es")


def _inflect_fr(w: str) -> tuple[str, ...]:
    for end, forms in _FR_ENDINGS:
        if w.endswith(end):
            stem = w[: -len(end)]
            return tuple(stem + f for f in forms)
    if w.endswith(("s", "x")):
        return (w, w + "e", w + "es")
    return (w, w + "e", w + "s", w + "es")


# --------------------------------------------------------------------------- loading


def _strings(path: Path, table: Mapping[str, Any], key: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BiasDataError(f"{path.name}: '{key}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def _table(path: Path, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise BiasDataError(f"{path.name}: missing table [{key}]")
    return value


def _seqs(words: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Multi-word entries as word tuples, longest first (so "un poco" wins over "un")."""
    return tuple(sorted({tuple(_norm(w).split()) for w in words}, key=len, reverse=True))


def _norm(s: str) -> str:
    return s.lower().replace("’", "'")


def parse_language(path: Path) -> Language:
    """Read and check one language file; raise :class:`BiasDataError` if anything is off."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BiasDataError(f"{path.name}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"language", "grammar", "words", "phrases", "coupling"}
    if unknown:
        raise BiasDataError(f"{path.name}: unknown tables {sorted(unknown)}")
    meta = _table(path, data, "language")
    code = meta.get("code")
    if code not in LANGUAGES or path.stem != code:
        raise BiasDataError(f"{path.name}: [language] code must be the file's name, one of {LANGUAGES}")
    grammar = _table(path, data, "grammar")
    extra = set(grammar) - set(_GRAMMAR_KEYS)
    if extra:
        raise BiasDataError(f"{path.name}: unknown [grammar] keys {sorted(extra)}")
    g = {k: _strings(path, grammar, k) for k in _GRAMMAR_KEYS}
    words = _table(path, data, "words")
    if set(words) - set(_WORD_KEYS):
        raise BiasDataError(f"{path.name}: [words] keys must be among {_WORD_KEYS}")
    forms: dict[str, str] = {}
    for category in _WORD_KEYS:
        if category not in words:
            continue
        for lemma in _strings(path, words, category):
            for form in inflect(code, lemma):
                forms.setdefault(_norm(form), category)
    phrases_table = _table(path, data, "phrases")
    if set(phrases_table) - set(CATEGORIES):
        raise BiasDataError(f"{path.name}: [phrases] keys must be among {CATEGORIES}")
    phrases = []
    for category in CATEGORIES:
        if category not in phrases_table:
            continue
        pats = _strings(path, phrases_table, category)
        for p in pats:
            try:
                re.compile(p)
            except re.error as exc:
                raise BiasDataError(
                    f"{path.name}: bad pattern in [phrases] {category}: {p!r} ({exc})"
                ) from exc
        rx = re.compile("|".join(rf"(?<![\w-])(?:{p})(?![\w])" for p in pats), re.IGNORECASE)
        phrases.append((category, rx))
    words_rx = re.compile(rf"(?<![\w'’-])(?:{alternation(forms)})(?![\w-])", re.IGNORECASE)
    coupling = data.get("coupling", {})
    if not isinstance(coupling, dict) or set(coupling) - {"triggers", "judgements"}:
        raise BiasDataError(f"{path.name}: [coupling] may hold only 'triggers' and 'judgements'")
    pair: list[re.Pattern[str]] = []
    for key in ("triggers", "judgements"):
        pats = _strings(path, coupling, key) if coupling else []
        for p in pats:
            try:
                re.compile(p)
            except re.error as exc:
                raise BiasDataError(f"{path.name}: bad pattern in [coupling] {key}: {p!r} ({exc})") from exc
        pair.append(
            re.compile("|".join(rf"(?<![\w-])(?:{p})(?![\w])" for p in pats) or r"(?!x)x", re.IGNORECASE)
        )
    return Language(
        code=code,
        markers=frozenset(_norm(m) for m in _strings(path, meta, "markers")),
        copulas=_seqs(g["copulas"]),
        auxiliaries=_seqs(g["auxiliaries"]),
        adverbs=_seqs(g["adverbs"]),
        coordinators=frozenset(_norm(w) for w in g["coordinators"]),
        too=_seqs(g["too"]),
        subject_pronouns=frozenset(_norm(w) for w in g["subject_pronouns"]),
        determiners=frozenset(_norm(w) for w in g["determiners"]),
        articles=frozenset(_norm(w) for w in g["articles"]),
        person_nouns=frozenset(_norm(w) for w in g["person_nouns"]),
        prepositions=frozenset(_norm(w) for w in g["prepositions"]),
        forms=forms,
        words_rx=words_rx,
        phrases=tuple(phrases),
        triggers=pair[0],
        judgements=pair[1],
    )


@cache
def load_language(code: str) -> Language:
    """The language file ``guards/data/bias/<code>.toml``, parsed once."""
    if code not in LANGUAGES:
        raise BiasDataError(f"no word list for language {code!r}: use one of {', '.join(LANGUAGES)}")
    return parse_language(DATA_DIR / f"{code}.toml")


# ------------------------------------------------------------------------- detection

# The lists of ``lang_shared.toml`` (its comments say what each is for).
_TOKEN = _SHARED["TOKEN"]
_CLAUSE_MARKS = _SHARED["CLAUSE_MARKS"]
_QUOTES = _SHARED["QUOTES"]
_IMPERSONAL_AFTER = _SHARED["IMPERSONAL_AFTER"]
_IMPERSONAL_SUBJECT = _SHARED["IMPERSONAL_SUBJECT"]
_IMPERSONAL_IF_FOLLOWED = _SHARED["IMPERSONAL_IF_FOLLOWED"]
_RELATIVE_PRONOUNS = _SHARED["RELATIVE_PRONOUNS"]
_GROUP_PLURALS = _SHARED["GROUP_PLURALS"]


def _languages_in(text: str) -> list[Language]:
    """The languages whose marker words occur in ``text`` (at least two, or one in a short note)."""
    tokens = [_norm(t) for t in _TOKEN.findall(text[:4000]) if t[:1].isalpha()]
    if not tokens:
        return []
    need = 1 if len(tokens) < 12 else 2
    return [
        load_language(code) for code in LANGUAGES if sum(1 for t in tokens if t in _markers(code)) >= need
    ]


@cache
def _markers(code: str) -> frozenset[str]:
    """The marker words of a language file, read without compiling its patterns."""
    try:
        data = tomllib.loads((DATA_DIR / f"{code}.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BiasDataError(f"{code}.toml: not valid TOML ({exc})") from exc
    meta = data.get("language")
    if not isinstance(meta, dict):
        raise BiasDataError(f"{code}.toml: missing table [language]")
    return frozenset(_norm(m) for m in _strings(DATA_DIR / f"{code}.toml", meta, "markers"))


def _ends_with(ws: list[Word], i: int, seqs: tuple[tuple[str, ...], ...]) -> int:
    """Length of the longest sequence in ``seqs`` ending at ``ws[i]``, or 0."""
    if i < 0:
        return 0
    for seq in seqs:
        n = len(seq)
        if i + 1 >= n and all(_norm(ws[i - n + 1 + k].text) == seq[k] for k in range(n)):
            return n
    return 0


def _starts_with(ws: list[Word], i: int, seqs: tuple[tuple[str, ...], ...]) -> int:
    for seq in seqs:
        n = len(seq)
        if i + n <= len(ws) and all(_norm(ws[i + k].text) == seq[k] for k in range(n)):
            return n
    return 0


def _is_name(ws: list[Word], i: int, lang: Language) -> bool:
    """A capitalised word not after a determiner: a name ("Lucía es", "Herr Weber ist")."""
    w = ws[i].text
    if not w[:1].isupper() or w.isupper():
        return False
    low = _norm(w)
    if low in lang.markers or low in lang.determiners or low in lang.coordinators:
        return False
    if i > 0 and _norm(ws[i - 1].text) in lang.determiners | lang.articles:
        return False  # "Der Zeitplan", "El calendario"
    return True


def _adverb_len(ws: list[Word], j: int, lang: Language) -> int:
    """Length of an adverb or hedge ending at ``ws[j]`` ("muy", "un poco", "rápidamente")."""
    n = _ends_with(ws, j, lang.adverbs)
    if n or j < 0:
        return n
    low = _norm(ws[j].text)
    if lang.code == "es" and low.endswith("mente") and len(low) > 7:
        return 1  # "sinceramente", "últimamente"
    return 0


def _subject_is_person(ws: list[Word], j: int, lang: Language) -> bool:
    """Whether the clause ending at ``ws[j]`` (just before a copula) has a person as subject."""
    while j >= 0:
        n = _ends_with(ws, j, lang.auxiliaries) or _adverb_len(ws, j, lang)
        if not n:
            break
        j -= n
    # a phrase with a preposition is no subject: "Con los clientes es ...", "En réunion, elle"
    for k in range(j, max(-1, j - 5), -1):
        lowk = _norm(ws[k].text)
        if lowk in lang.prepositions:
            return _subject_is_person(ws, k - 1, lang)
        if ws[k].text in _CLAUSE_MARKS or ws[k].text == "," or lowk in lang.person_nouns:
            break
    if j < 0 or ws[j].text in _CLAUSE_MARKS or ws[j].text == ",":
        return True  # no subject: the person reviewed ("Es muy mandona", "- wirkt arrogant")
    low = _norm(ws[j].text)
    if low in lang.coordinators:
        return True  # an elided subject after "y", "et", "und" is the clause's own subject
    if low in lang.subject_pronouns or low in lang.person_nouns:
        if low in _RELATIVE_PRONOUNS and j > 0:
            prev = _norm(ws[j - 1].text)
            return prev in lang.person_nouns or _is_name(ws, j - 1, lang) or prev == ","
        return True
    return _is_name(ws, j, lang)


def _about_person(ws: list[Word], i: int, lang: Language, too_only: bool) -> bool:
    """Whether the judgement word ``ws[i]`` is said of a person (see the module docstring)."""
    nxt = _norm(ws[i + 1].text) if i + 1 < len(ws) else ""
    prev = _norm(ws[i - 1].text) if i > 0 else ""
    if too_only:
        n = _ends_with(ws, i - 1, lang.too) if i > 0 else 0
        if not n:
            return False
    if prev in _GROUP_PLURALS or nxt in _GROUP_PLURALS:
        return False  # "les personnes sourdes", "Kunden mit ...": people in general, a topic
    if nxt in lang.person_nouns or prev in lang.person_nouns:
        return True  # "eine zickige Kollegin", "una jefa mandona"
    if lang.code == "de" and i + 1 < len(ws) and ws[i + 1].text[:1].isupper() and nxt not in lang.markers:
        return False  # "einen aggressiven Zeitplan": a German adjective before its noun
    j = i - 1
    subject_seen = False
    steps = 0
    while j >= 0 and steps < 12:
        steps += 1
        c = _ends_with(ws, j, lang.copulas)
        if c:
            start = j - c + 1
            before = _norm(ws[start - 1].text) if start > 0 else ""
            if nxt in _IMPERSONAL_AFTER and (
                start == 0 or before in _IMPERSONAL_SUBJECT | _IMPERSONAL_IF_FOLLOWED
            ):
                return False  # "Es difícil que ...", "il est difficile de ..."
            if before in _IMPERSONAL_SUBJECT and not (lang.code == "es" and before == "es"):
                return False  # "c'est difficile", "das ist schwierig"
            return subject_seen or _subject_is_person(ws, start - 1, lang)
        n = _adverb_len(ws, j, lang) or _ends_with(ws, j, lang.too)
        if n:
            j -= n
            continue
        text = ws[j].text
        low = _norm(text)
        if text in _QUOTES:
            j -= 1
            continue
        if low in {"de", "d'"} and j > 0 and _norm(ws[j - 1].text) in lang.person_nouns:
            return True  # "quelqu'un de très susceptible"
        if text == ",":
            j -= 1
            continue
        if low in lang.coordinators:
            j -= 1
            continue
        if low in lang.articles:
            j -= 1  # "es una histérica", "eine echte Zicke"
            continue
        if low in lang.person_nouns and lang.code != "de":
            return True  # "Buena técnica, pero conflictiva": the person named just before
        if lang.code == "de" and (low in lang.subject_pronouns or _is_name(ws, j, lang)):
            subject_seen = True  # "Im Team ist sie oft zickig"
            j -= 1
            continue
        if text in _CLAUSE_MARKS:
            break
        if text[:1].isalpha() and low in lang.forms:
            j -= 1  # another judgement word in the list ("defensiva y, sinceramente, histérica")
            continue
        if lang.code == "de" and subject_seen and _starts_with(ws, i + 1, lang.copulas):
            return True  # "..., dass sie zu emotional reagiert"
        return False
    if j >= 0 and ws[j].text not in _CLAUSE_MARKS:
        return False
    # no copula: the note has no subject ("Mandona con los becarios.")
    if lang.code == "de" and i + 1 < len(ws):
        after = _starts_with(ws, i + 1, lang.copulas)
        if after:
            return subject_seen  # "weil sie so zickig ist"
    if nxt in _IMPERSONAL_AFTER and lang.code != "de":
        return True
    return True


def find_bias_lang(text: str) -> list[LangHit]:
    """Biased wording in Spanish, French or German text, in order of position."""
    langs = _languages_in(text)
    if not langs:
        return []
    bounds = sentences(text)
    hits: list[LangHit] = []
    for lang in langs:
        for category, rx in lang.phrases:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append(LangHit(category, m.start(), m.end()))
        for m in lang.words_rx.finditer(text):
            kind = lang.forms.get(_norm(m.group()))
            if kind is None:
                continue
            s_start, s_end = sentence_of(bounds, m.start())
            ws = words_before(text, s_start, s_end)
            i = next((k for k, w in enumerate(ws) if w.start == m.start()), None)
            if i is None:
                continue
            too_only = kind == "personality_critique_too"
            if _about_person(ws, i, lang, too_only):
                start = m.start()
                if too_only:
                    start = ws[i - _ends_with(ws, i - 1, lang.too)].start
                hits.append(LangHit(kind.removesuffix("_too"), start, m.end()))
        _couple(text, bounds, lang, hits)
    hits.sort(key=lambda h: (h.start, h.category))
    return hits


def judgement_starts(text: str) -> list[int]:
    """Where a doubt about a person starts in Spanish, French or German text ("je doute qu")."""
    return [m.start() for lang in _languages_in(text) for m in lang.judgements.finditer(text)]


# The longest span a fact and its doubt are joined into, in characters.
_PHRASE_MAX = 160


def _couple(text: str, bounds: list[tuple[int, int]], lang: Language, hits: list[LangHit]) -> None:
    """A doubt next to a protected fact (same sentence or the one after) flags both."""
    facts: dict[int, list[tuple[int, int]]] = {}
    for m in lang.triggers.finditer(text):
        s = sentence_of(bounds, m.start())
        if s in bounds:
            facts.setdefault(bounds.index(s), []).append((m.start(), m.end()))
    if not facts:
        return
    for m in lang.judgements.finditer(text):
        s = sentence_of(bounds, m.start())
        if s not in bounds:
            continue
        i = bounds.index(s)
        near = facts.get(i, []) + facts.get(i - 1, [])
        if near:
            hits.append(LangHit("protected_characteristic", m.start(), m.end()))
            hits.extend(LangHit("protected_characteristic", a, b) for a, b in near)
            # in one sentence, the fact and the doubt are one biased phrase: point at all of it
            for a, b in facts.get(i, []):
                lo, hi = min(a, m.start()), clause_end(text, max(b, m.end()), s[1])
                if hi - lo <= _PHRASE_MAX:
                    hits.append(LangHit("protected_characteristic", lo, hi))
