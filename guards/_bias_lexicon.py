"""Word lists for the fairness and sensitive-fact guards, written from the research, not the evals.

Sources, and what each list draws on:

* Personality critique: Snyder (2014, Fortune, 248 reviews) found "abrasive", "bossy",
  "aggressive", "strident", "emotional", "irrational" almost only in reviews of women; Textio's
  follow-ups add "shrill", "hysterical", "dramatic", "temperamental", "intimidating", "pushy",
  "too nice", "soft". Critique of the person's character rather than of a behaviour.
* Gender named outright and gender-coded diminutives ("feisty", "sassy", "bubbly"): Textio and
  Gaucher, Friesen & Kay (2011) on gendered wording.
* Age-coded terms: EEOC guidance and age-discrimination case law ("digital native",
  "overqualified", "young and energetic", "new blood", "set in one's ways", "close to retirement").
* Protected characteristics (Title VII, ADA, PDA, ADEA and their equivalents): religion,
  race/ethnicity, national origin and accent, disability and health, pregnancy and family status,
  sexual orientation and gender identity, immigration status.
* Appearance: looks, weight, clothing and grooming, which say nothing about work.

Matching is case-insensitive unless a list says otherwise; spaces in a phrase match any
whitespace. Lists hold inflections explicitly rather than stemming, so a hit is always a word a
reviewer would recognise.

The lists live in ``guards/data/lexicon_en.toml`` (the other languages in
``guards/data/bias/``); :func:`load_lexicon` reads and checks them, and this module exposes each
as a constant of its type.

The other data files of the fairness guards (``guards/data/bias/*.toml``: English grammar,
sensitive-fact cues, the lists shared by Spanish, French and German) are read by
:func:`load_data` against a :class:`~typing.TypedDict` that names each key and its type; a file
with a missing, unknown, mistyped or empty entry, or a pattern that does not compile, is refused
with every problem named.

A pattern may be declared :class:`LazyPattern` instead of ``re.Pattern[str]``: its table is checked
on load (keys, pieces, flag names) but the regex is compiled on first use, so that importing a
guard compiles nothing; :func:`compile_all` compiles every pattern of a file (the tests do), and a
pattern that does not compile raises ``ValueError`` naming the file and the key.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypedDict, TypeVar, cast, get_type_hints

__all__ = [
    "LEXICON_FILE",
    "LazyPattern",
    "Lexicon",
    "check_data",
    "compile_all",
    "load_data",
    "load_lexicon",
    "read_toml",
    "AGE_AFTER_YOUNG",
    "AGE_PHRASES",
    "APPEARANCE_ADJ_IS",
    "APPEARANCE_ADJ_LOOKS",
    "APPEARANCE_GENDERED",
    "APPEARANCE_POSSESSED",
    "GENDER_WORDS",
    "GENDERED_PHRASES",
    "GENDERED_TRAITS",
    "GROUPS",
    "JUDGEMENT_PHRASES",
    "LOOSE_TRIGGERS",
    "PERSONALITY_NOUNS",
    "AMBIGUOUS_PERSONALITY_NOUNS",
    "AGE_TRAITS",
    "ORIGIN_TRAITS",
    "AGE_NOUNS",
    "SIZE_WORDS",
    "APPEARANCE_NOUNS",
    "APPEARANCE_JUDGEMENTS",
    "PERSONALITY_PHRASES",
    "POSSESSED_ONLY",
    "SENSITIVE_TERMS",
    "TOO_TRAITS",
    "TRAIT_NOUNS",
    "TRAITS",
]

#: The English word lists.
LEXICON_FILE = Path(__file__).with_name("data") / "lexicon_en.toml"


class Lexicon(TypedDict):
    """The lists of ``lexicon_en.toml``: ``tuple`` lists are ordered (alternations try entries in
    order), ``frozenset`` lists are looked up; ``GENDER_WORDS`` is one pattern, ``SENSITIVE_TERMS``
    maps a term to its kind, ``LOOSE_TRIGGERS`` a category to its patterns."""

    AGE_AFTER_YOUNG: tuple[str, ...]
    AGE_PHRASES: tuple[str, ...]
    APPEARANCE_ADJ_IS: tuple[str, ...]
    APPEARANCE_ADJ_LOOKS: tuple[str, ...]
    APPEARANCE_GENDERED: tuple[str, ...]
    APPEARANCE_POSSESSED: tuple[str, ...]
    GENDER_WORDS: str
    GENDERED_PHRASES: tuple[str, ...]
    GENDERED_TRAITS: tuple[str, ...]
    GROUPS: tuple[str, ...]
    JUDGEMENT_PHRASES: tuple[str, ...]
    LOOSE_TRIGGERS: dict[str, tuple[str, ...]]
    PERSONALITY_NOUNS: tuple[str, ...]
    AMBIGUOUS_PERSONALITY_NOUNS: frozenset[str]
    AGE_TRAITS: tuple[str, ...]
    ORIGIN_TRAITS: tuple[str, ...]
    AGE_NOUNS: tuple[str, ...]
    SIZE_WORDS: tuple[str, ...]
    APPEARANCE_NOUNS: tuple[str, ...]
    APPEARANCE_JUDGEMENTS: tuple[str, ...]
    PERSONALITY_PHRASES: tuple[str, ...]
    POSSESSED_ONLY: frozenset[str]
    SENSITIVE_TERMS: dict[str, str]
    TOO_TRAITS: tuple[str, ...]
    TRAIT_NOUNS: tuple[str, ...]
    TRAITS: tuple[str, ...]


# ------------------------------------------------------------------ reading and checking

_Data = TypeVar("_Data", bound=Mapping[str, object])

#: The ``re`` flags a pattern table may name.
_FLAGS: dict[str, re.RegexFlag] = {
    "IGNORECASE": re.IGNORECASE,
    "MULTILINE": re.MULTILINE,
    "DOTALL": re.DOTALL,
    "VERBOSE": re.VERBOSE,
    "ASCII": re.ASCII,
}


class LazyPattern:
    """A regular expression compiled on first use: ``pattern`` and ``flags`` as read, ``where``
    (``"<file>: <key>"``) names it when it does not compile."""

    __slots__ = ("_compiled", "flags", "pattern", "where")

    #: A placeholder of a pattern: a name in capitals between braces ("{GROUPS}"); a regex
    #: quantifier ("{0,2}") is never one.
    PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]*)\}")

    def __init__(self, pattern: str, flags: int = 0, where: str = "") -> None:
        self.pattern = pattern
        self.flags = flags
        self.where = where
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled regex (compiled once).

        :raises ValueError: ``"<file>: <key>.pattern does not compile: <regex error>"``.
        """
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern, self.flags)
            except re.error as exc:
                raise ValueError(f"{self.where}.pattern does not compile: {exc}") from exc
        return self._compiled

    def placeholders(self) -> set[str]:
        """The names between braces in the pattern ("{GROUPS}" -> "GROUPS")."""
        return set(self.PLACEHOLDER.findall(self.pattern))

    def fill(self, values: Mapping[str, str]) -> LazyPattern:
        """This pattern with each placeholder replaced by its value in ``values``, not compiled.

        :raises ValueError: a placeholder has no value (naming the file, key and placeholder).
        """
        unknown = sorted(self.placeholders() - set(values))
        if unknown:
            raise ValueError(f"{self.where}.pattern: unknown placeholder(s) {', '.join(unknown)}")
        pattern = self.PLACEHOLDER.sub(lambda m: values[m.group(1)], self.pattern)
        return LazyPattern(pattern, self.flags, self.where)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)


def compile_all(patterns: Mapping[str, object]) -> int:
    """Compile every :class:`LazyPattern` among the values of ``patterns`` (a loaded file); the
    number compiled.

    :raises ValueError: naming the file and the key of every pattern that does not compile, with
        the regex error.
    """
    compiled, problems = 0, []
    for value in patterns.values():
        if isinstance(value, LazyPattern):
            try:
                value.compiled()
                compiled += 1
            except ValueError as exc:
                problems.append(str(exc))
    if problems:
        raise ValueError("; ".join(problems))
    return compiled


def read_toml(path: Path, error: type[ValueError] = ValueError) -> dict[str, Any]:
    """The TOML file at ``path``; ``error`` (naming the file) if it is not valid TOML."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc})") from exc


class _Checker:
    """Reads the values of one file, collecting every problem (``name``: where, as written)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.problems: list[str] = []

    def words(self, name: str, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            self.problems.append(f"{name} must be a list of non-empty strings")
            return None
        return tuple(value)

    def text(self, name: str, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problems.append(f"{name} must be a non-empty string")
            return None
        return value

    def table(self, name: str, value: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        """Whether ``value`` is a table holding every required key; names the missing and unknown."""
        if not isinstance(value, dict):
            self.problems.append(f"{name} must be a table of {', '.join(required + optional)}")
            return False
        missing = [k for k in required if k not in value]
        unknown = sorted(set(value) - set(required) - set(optional))
        if missing:
            self.problems.append(f"{name} lacks {', '.join(missing)}")
        if unknown:
            self.problems.append(f"{name}: unknown key(s) {', '.join(unknown)}")
        return not missing

    def tables(self, name: str, value: Any) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.problems.append(f"{name} must be a non-empty array of tables")
            return []
        return value

    def regex(self, name: str, value: Any) -> re.Pattern[str] | None:
        """A pattern table's ``pattern`` (a string, or a list of pieces joined without a separator)
        compiled with its ``flags`` (names of ``re`` flags; none: case-sensitive)."""
        source = self.source(name, value)
        if source is None:
            return None
        pattern, flags = source
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            self.problems.append(f"{name}.pattern does not compile: {exc}")
            return None

    def source(self, name: str, value: Any) -> tuple[str, int] | None:
        """A pattern table's pattern (its pieces joined) and flags, checked but not compiled."""
        pattern = value["pattern"]
        if isinstance(pattern, list) and pattern and all(isinstance(p, str) and p for p in pattern):
            pattern = "".join(pattern)
        if not isinstance(pattern, str) or not pattern:
            self.problems.append(f"{name}.pattern must be a non-empty string or list of strings")
            return None
        names = value.get("flags", [])
        if not isinstance(names, list) or not all(isinstance(f, str) and f in _FLAGS for f in names):
            self.problems.append(f"{name}.flags must be a list of flag names among {', '.join(_FLAGS)}")
            return None
        flags = 0
        for flag in names:
            flags |= _FLAGS[flag]
        return pattern, flags


def _tuple(c: _Checker, name: str, value: Any) -> Any:
    return c.words(name, value)


def _frozenset(c: _Checker, name: str, value: Any) -> Any:
    got = c.words(name, value)
    return None if got is None else frozenset(got)


def _str(c: _Checker, name: str, value: Any) -> Any:
    if not isinstance(value, str) or not value:
        c.problems.append(f"{name} must be a non-empty string")
    return value


def _dict_str(c: _Checker, name: str, value: Any) -> Any:
    if not isinstance(value, dict):
        c.problems.append(f"{name} must be a table")
        return None
    if not all(isinstance(v, str) and v for v in value.values()):
        c.problems.append(f"{name}: every term needs a kind")
    return dict(value)


def _dict_tuple(c: _Checker, name: str, value: Any) -> Any:
    if not isinstance(value, dict):
        c.problems.append(f"{name} must be a table")
        return None
    return {k: c.words(f"{name}.{k}", v) for k, v in value.items()}


def _regex(c: _Checker, name: str, value: Any) -> Any:
    if not c.table(f"[{name}]", value, ("pattern",), ("flags",)):
        return None
    return c.regex(name, value)


def _lazy_regex(c: _Checker, name: str, value: Any) -> Any:
    if not c.table(f"[{name}]", value, ("pattern",), ("flags",)):
        return None
    source = c.source(name, value)
    return None if source is None else LazyPattern(*source, where=f"{c.path}: {name}")


def _regex_kinds(c: _Checker, name: str, value: Any) -> Any:
    out = []
    for i, entry in enumerate(c.tables(f"[[{name}]]", value), 1):
        where = f"[[{name}]] #{i}"
        if c.table(where, entry, ("kind", "pattern"), ("flags",)):
            kind, rx = c.text(f"{where} kind", entry["kind"]), c.regex(where, entry)
            if kind is not None and rx is not None:
                out.append((rx, kind))
    return tuple(out)


def _endings(c: _Checker, name: str, value: Any) -> Any:
    out = []
    for i, entry in enumerate(c.tables(name, value), 1):
        where = f"{name} #{i}"
        if c.table(where, entry, ("ending", "forms")):
            ending = c.text(f"{where} ending", entry["ending"])
            forms = c.words(f"{where} forms", entry["forms"])
            if ending is not None and forms is not None:
                out.append((ending, forms))
    return tuple(out)


# How each type a data file's TypedDict may declare is read and checked.
_READERS: dict[object, Callable[[_Checker, str, Any], Any]] = {
    tuple[str, ...]: _tuple,
    frozenset[str]: _frozenset,
    str: _str,
    dict[str, str]: _dict_str,
    dict[str, tuple[str, ...]]: _dict_tuple,
    re.Pattern[str]: _regex,
    LazyPattern: _lazy_regex,
    tuple[tuple[re.Pattern[str], str], ...]: _regex_kinds,
    tuple[tuple[str, tuple[str, ...]], ...]: _endings,
}


def check_data(
    path: Path,
    data: Mapping[str, Any],
    schema: type[_Data],
    *,
    noun: str = "key",
    error: type[ValueError] = ValueError,
) -> _Data:
    """``data`` (read from ``path``) checked against ``schema``, a TypedDict naming each key and
    its type:

    * ``tuple[str, ...]`` (ordered) or ``frozenset[str]``: a list of non-empty strings;
    * ``str``: a non-empty string; ``dict[str, str]``: a table of non-empty strings;
      ``dict[str, tuple[str, ...]]``: a table of lists;
    * ``re.Pattern[str]``: a table with ``pattern`` (a string, or a list of pieces joined without
      a separator) and optional ``flags`` (names of ``re`` flags), compiled;
    * :class:`LazyPattern`: such a table, checked but compiled only on first use;
    * ``tuple[tuple[re.Pattern[str], str], ...]``: an array of such tables, each with a ``kind``;
    * ``tuple[tuple[str, tuple[str, ...]], ...]``: an array of tables with ``ending`` and ``forms``.

    :raises ValueError: (or ``error``) naming ``path`` and every key that is missing, unknown, of
        the wrong type, holds an empty entry, or holds a pattern that does not compile (with the
        regex error).
    """
    checker = _Checker(path)
    values: dict[str, Any] = {}
    hints = get_type_hints(schema)
    for name, kind in hints.items():
        if name not in data:
            checker.problems.append(f"{name} is missing")
            continue
        values[name] = _READERS[kind](checker, name, data[name])
    unknown = sorted(set(data) - set(hints))
    if unknown:
        checker.problems.append(f"unknown {noun}(s) {', '.join(unknown)}")
    if checker.problems:
        raise error(f"{path}: " + "; ".join(checker.problems))
    return cast(_Data, values)


def load_data(path: Path, schema: type[_Data], *, error: type[ValueError] = ValueError) -> _Data:
    """The TOML file at ``path``, checked against ``schema`` (see :func:`check_data`)."""
    return check_data(path, read_toml(path, error), schema, error=error)


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and check the lexicon: every list present, of its type, with no empty entry.

    :raises ValueError: names each list that is missing, of the wrong type, or has an empty entry.
    """
    return check_data(path, read_toml(path), Lexicon, noun="list")


_LISTS = load_lexicon()

AGE_AFTER_YOUNG: tuple[str, ...] = _LISTS["AGE_AFTER_YOUNG"]
AGE_PHRASES: tuple[str, ...] = _LISTS["AGE_PHRASES"]
APPEARANCE_ADJ_IS: tuple[str, ...] = _LISTS["APPEARANCE_ADJ_IS"]
APPEARANCE_ADJ_LOOKS: tuple[str, ...] = _LISTS["APPEARANCE_ADJ_LOOKS"]
APPEARANCE_GENDERED: tuple[str, ...] = _LISTS["APPEARANCE_GENDERED"]
APPEARANCE_POSSESSED: tuple[str, ...] = _LISTS["APPEARANCE_POSSESSED"]
GENDER_WORDS: str = _LISTS["GENDER_WORDS"]
GENDERED_PHRASES: tuple[str, ...] = _LISTS["GENDERED_PHRASES"]
GENDERED_TRAITS: tuple[str, ...] = _LISTS["GENDERED_TRAITS"]
GROUPS: tuple[str, ...] = _LISTS["GROUPS"]
JUDGEMENT_PHRASES: tuple[str, ...] = _LISTS["JUDGEMENT_PHRASES"]
LOOSE_TRIGGERS: dict[str, tuple[str, ...]] = _LISTS["LOOSE_TRIGGERS"]
PERSONALITY_NOUNS: tuple[str, ...] = _LISTS["PERSONALITY_NOUNS"]
AMBIGUOUS_PERSONALITY_NOUNS: frozenset[str] = _LISTS["AMBIGUOUS_PERSONALITY_NOUNS"]
AGE_TRAITS: tuple[str, ...] = _LISTS["AGE_TRAITS"]
ORIGIN_TRAITS: tuple[str, ...] = _LISTS["ORIGIN_TRAITS"]
AGE_NOUNS: tuple[str, ...] = _LISTS["AGE_NOUNS"]
SIZE_WORDS: tuple[str, ...] = _LISTS["SIZE_WORDS"]
APPEARANCE_NOUNS: tuple[str, ...] = _LISTS["APPEARANCE_NOUNS"]
APPEARANCE_JUDGEMENTS: tuple[str, ...] = _LISTS["APPEARANCE_JUDGEMENTS"]
PERSONALITY_PHRASES: tuple[str, ...] = _LISTS["PERSONALITY_PHRASES"]
POSSESSED_ONLY: frozenset[str] = _LISTS["POSSESSED_ONLY"]
SENSITIVE_TERMS: dict[str, str] = _LISTS["SENSITIVE_TERMS"]
TOO_TRAITS: tuple[str, ...] = _LISTS["TOO_TRAITS"]
TRAIT_NOUNS: tuple[str, ...] = _LISTS["TRAIT_NOUNS"]
TRAITS: tuple[str, ...] = _LISTS["TRAITS"]
