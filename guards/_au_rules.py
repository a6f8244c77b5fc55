"""High-precision patterns for requests whose intent has a clear shape, in en/es/fr/de.

All patterns run on normalized text (lower case, accents dropped, obfuscation undone; see
:mod:`rai_assistant.guards.normalize`). A rule names a category and a strength: ``strong`` blocks on its own,
``weak`` only adds evidence to the classifier. A rule fires only when no ``unless`` pattern (the
legitimate framing of the same words: "anti-bribery training", "without any health details")
occurs near it.

The rules, the fragments they share and the patterns of the checks that are not rules live in
``guards/data/acceptable_use/rules.toml`` (its header describes the format); :func:`load_rules`
reads, checks and compiles them once, at import. This module keeps the logic that runs them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from rai_assistant.guards.taxonomy import CATEGORY_CLAUSE

# The pattern parser of the standard library, used only to compute each rule's possible first
# characters (see _starts); if it is unavailable or a construct is unknown, the rule simply runs
# on every text (slower, never less accurate).
try:
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - only on interpreters without re._parser
    _sre = None

__all__ = [
    "Hit",
    "RULES",
    "RULES_FILE",
    "Rule",
    "RuleSet",
    "find_injections",
    "is_policy_question",
    "load_rules",
    "match_rules",
    "text_level_hits",
]

#: The acceptable-use rules, their shared fragments and the other named patterns.
RULES_FILE = Path(__file__).with_name("data") / "acceptable_use" / "rules.toml"

_F = re.IGNORECASE | re.DOTALL


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    strong: bool
    unless: re.Pattern[str] | None = None
    # Strings of up to _K characters one of which must start a word for the rule to match;
    # None: the rule may start anywhere and always runs.
    starts: frozenset[str] | None = field(default=None)
    # A weak rule whose shape settles the category (not the verdict) when it fires with others.
    decisive: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    start: int
    end: int
    strong: bool
    decisive: bool = False


@dataclass(frozen=True, slots=True)
class RuleSet:
    """What :func:`load_rules` reads: the rules in file order and the named patterns."""

    rules: tuple[Rule, ...]
    patterns: Mapping[str, re.Pattern[str]]


def _rule_pattern(pattern: str) -> re.Pattern[str]:
    # Rules start at a word start: the look-behind fails fast inside words, which makes the
    # big alternations several times cheaper than trying every branch at every character.
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})", _F)


_K = 4  # length of the word-start prefixes used to skip rules that cannot match


def _chars(op: object, av: object) -> set[str] | None:
    """The characters one pattern item can match, or None when too many to list."""
    if _sre is None:
        return None
    if op is _sre.LITERAL:
        return {chr(av).lower()}  # type: ignore[arg-type]
    if op is _sre.IN:
        out: set[str] = set()
        for sub_op, sub_av in av:  # type: ignore[attr-defined]
            if sub_op is _sre.LITERAL:
                out.add(chr(sub_av).lower())
            elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] <= 40:
                out.update(chr(c).lower() for c in range(sub_av[0], sub_av[1] + 1))
            elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_DIGIT:
                out.update("0123456789")
            elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_SPACE:
                out.update(" \t\n\r\f\v")
            else:
                return None
        return out
    return None


def _starts(seq: object, prefixes: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """Extend ``(prefix, closed)`` pairs through a parsed pattern; closed prefixes stop growing."""
    for op, av in seq:  # type: ignore[attr-defined]
        if all(closed or len(p) >= _K for p, closed in prefixes):
            break
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width
        if op is _sre.SUBPATTERN:
            prefixes = _starts(av[-1], prefixes)
        elif op is _sre.BRANCH:
            prefixes = set().union(*(_starts(b, prefixes) for b in av[1]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            lo, hi, sub = av
            out = set(prefixes) if lo == 0 else set()
            cur = prefixes
            for i in range(min(hi, _K)):
                cur = _starts(sub, cur)
                if i + 1 >= lo:
                    out |= cur
            if hi > _K and lo > _K:
                out = cur
            prefixes = out
        else:
            chars = _chars(op, av)
            nxt: set[tuple[str, bool]] = set()
            for p, closed in prefixes:
                if closed or len(p) >= _K:
                    nxt.add((p, closed))
                elif chars is None:
                    nxt.add((p, True))  # an unlisted character: the prefix so far must do
                else:
                    nxt.update((p + c, False) for c in chars)
            prefixes = nxt
        if len(prefixes) > 20000:
            return {("", True)}
    return prefixes


def _rule_starts(pattern: str) -> frozenset[str] | None:
    """The word-start prefixes of a rule's pattern (see Rule.starts).

    :raises re.error: the pattern does not parse (reported by the loader, with the position in it).
    """
    if _sre is None:
        return None
    try:
        found = _starts(_sre.parse(pattern, _F), {("", False)})
    except (TypeError, ValueError, AttributeError, IndexError):
        return None
    words = frozenset(p for p, _ in found)
    return None if "" in words else words


_NOT_WORD = re.compile(r"[^a-z0-9]")


def _word_starts(text: str) -> set[str]:
    """Every string of 1 to _K characters that starts where no letter or digit precedes it."""
    out: set[str] = set()
    for i in [0, *(m.end() for m in _NOT_WORD.finditer(text))]:
        out.update(text[i : i + k] for k in range(1, _K + 1))
    return out


# Reading the rules file. Fragments are referred to as {NAME}; only upper-case names are
# references, so regex quantifiers ({0,60}) pass through untouched.
_FRAGMENT_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_FRAGMENT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_TOP_KEYS = frozenset({"fragments", "rule", "patterns"})
_RULE_KEYS = frozenset({"category", "pattern", "strong", "unless", "decisive"})
_PATTERN_KEYS = frozenset({"pattern", "flags"})
_FLAGS: dict[str, re.RegexFlag] = {
    "IGNORECASE": re.IGNORECASE,
    "DOTALL": re.DOTALL,
    "MULTILINE": re.MULTILINE,
    "ASCII": re.ASCII,
}
# The named patterns this module uses; each must be in the file.
_PATTERN_NAMES = (
    "injection",
    "override",
    "rule_sentence",
    "claim",
    "contradiction",
    "authorship",
    "identifiers",
    "audience",
    "identifiers_safe",
    "policy_q",
    "imperative",
)


def _kind(value: object) -> str:
    """The TOML name of a value's type, for messages."""
    names = {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        float: "a float",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _text(value: object, where: str, problems: list[str]) -> str | None:
    """A pattern written as a string or as a list of strings joined with nothing between them."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        problems.append(f"{where} must be a string or a list of strings, not {_kind(value)}")
        return None
    if not value:
        problems.append(f"{where} is empty")
        return None
    return value


def _expand_fragments(raw: Mapping[str, str], problems: list[str]) -> dict[str, str | None]:
    """Every fragment with its references expanded; None for one that refers to a broken one."""
    done: dict[str, str | None] = {}

    def expand(name: str, path: tuple[str, ...]) -> str | None:
        if name in done:
            return done[name]
        if name in path:
            cycle = " -> ".join((*path[path.index(name) :], name))
            problems.append(f"[fragments] {name}: cycle {cycle}")
            return None
        ok = True

        def sub(m: re.Match[str]) -> str:
            nonlocal ok
            ref = m.group(1)
            if ref not in raw:
                problems.append(f"[fragments] {name}: unknown fragment {{{ref}}}")
                ok = False
                return ""
            got = expand(ref, (*path, name))
            if got is None:
                ok = False
                return ""
            return got

        text = _FRAGMENT_REF.sub(sub, raw[name])
        done[name] = text if ok else None
        return done[name]

    for name in raw:
        expand(name, ())
    return done


def _with_fragments(
    text: str, fragments: Mapping[str, str | None], where: str, problems: list[str]
) -> str | None:
    """``text`` with each ``{NAME}`` replaced by its fragment; None when one is unknown or broken."""
    ok = True

    def sub(m: re.Match[str]) -> str:
        nonlocal ok
        if m.group(1) not in fragments:
            problems.append(f"{where}: unknown fragment {{{m.group(1)}}}")
        got = fragments.get(m.group(1))
        if got is None:
            ok = False  # unknown here, or broken (reported with the fragment)
            return ""
        return got

    out = _FRAGMENT_REF.sub(sub, text)
    return out if ok else None


def _load_rule(
    n: int, entry: object, fragments: Mapping[str, str | None], problems: list[str]
) -> Rule | None:
    """Rule number ``n`` (from 1) of the file, checked and compiled; None if it has a problem."""
    if not isinstance(entry, dict):
        problems.append(f"[[rule]] #{n} must be a table, not {_kind(entry)}")
        return None
    category: object = entry.get("category")
    where = f"[[rule]] #{n} ({category if isinstance(category, str) else '?'})"
    before = len(problems)
    _check_keys(where, entry, _RULE_KEYS, ("category", "pattern"), problems)
    if "category" in entry:
        if not isinstance(category, str):
            problems.append(f"{where}: category must be a string, not {_kind(category)}")
        elif category not in CATEGORY_CLAUSE:
            problems.append(f"{where}: unknown category {category!r}")
    flags: dict[str, bool] = {}
    for key, default in (("strong", True), ("decisive", False)):
        value: object = entry.get(key, default)
        if isinstance(value, bool):
            flags[key] = value
        else:
            problems.append(f"{where}: {key} must be a boolean, not {_kind(value)}")
    texts: dict[str, str | None] = {}
    for key in ("pattern", "unless"):
        if key in entry:
            text = _text(entry[key], f"{where}: {key}", problems)
            texts[key] = (
                None if text is None else _with_fragments(text, fragments, f"{where}: {key}", problems)
            )
    pattern, unless = texts.get("pattern"), texts.get("unless")
    compiled = unless_compiled = None
    starts: frozenset[str] | None = None
    if pattern is not None:
        try:
            starts = _rule_starts(pattern)  # parses the bare pattern, so an error points into it
            compiled = _rule_pattern(pattern)
        except re.error as err:
            problems.append(f"{where}: pattern does not compile: {err}")
    if unless is not None:
        try:
            unless_compiled = re.compile(unless, _F)
        except re.error as err:
            problems.append(f"{where}: unless does not compile: {err}")
    if len(problems) > before or compiled is None or not isinstance(category, str):
        return None
    return Rule(category, compiled, flags["strong"], unless_compiled, starts, flags["decisive"])


def _check_keys(
    where: str, entry: Mapping[str, object], allowed: frozenset[str], required: Sequence[str],
    problems: list[str],
) -> None:
    """Note keys of ``entry`` outside ``allowed`` and ``required`` keys it lacks."""
    unknown = sorted(set(entry) - allowed)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = [k for k in required if k not in entry]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")


def _load_pattern(
    name: str, entry: object, fragments: Mapping[str, str | None], problems: list[str]
) -> re.Pattern[str] | None:
    """The named pattern ``[patterns.<name>]``, checked and compiled; None if it has a problem."""
    where = f"[patterns.{name}]"
    if not isinstance(entry, dict):
        problems.append(f"{where} must be a table, not {_kind(entry)}")
        return None
    before = len(problems)
    _check_keys(where, entry, _PATTERN_KEYS, ("pattern", "flags"), problems)
    flags = 0
    names: object = entry.get("flags", [])
    if not isinstance(names, list) or not all(isinstance(f, str) for f in names):
        problems.append(f"{where}: flags must be a list of flag names, not {_kind(names)}")
    else:
        bad = [f for f in names if f not in _FLAGS]
        if bad:
            problems.append(f"{where}: unknown flag(s) {', '.join(bad)} (known: {', '.join(_FLAGS)})")
        for f in names:
            flags |= _FLAGS.get(f, 0)
    text = _text(entry["pattern"], f"{where}: pattern", problems) if "pattern" in entry else None
    pattern = None if text is None else _with_fragments(text, fragments, f"{where}: pattern", problems)
    if pattern is None or len(problems) > before:
        return None
    try:
        return re.compile(pattern, flags)
    except re.error as err:
        problems.append(f"{where}: pattern does not compile: {err}")
        return None


def load_rules(path: Path = RULES_FILE) -> RuleSet:
    """Read, check and compile the rules file (its header describes the format).

    :raises ValueError: naming the file and every problem found: an unknown or missing key, a value
        of the wrong type, an unknown category, flag or fragment, a cycle of fragments, a pattern
        that does not compile (with the regular-expression error).
    """
    try:
        with path.open("rb") as fh:
            data: dict[str, object] = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML: {err}") from err
    problems: list[str] = []
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        problems.append(f"unknown table(s) {', '.join(unknown)}")

    raw: dict[str, str] = {}
    table: object = data.get("fragments", {})
    if not isinstance(table, dict):
        problems.append(f"[fragments] must be a table, not {_kind(table)}")
        table = {}
    for name, value in table.items():
        if not _FRAGMENT_NAME.fullmatch(name):
            problems.append(f"[fragments] {name}: a fragment name is upper case (A-Z, 0-9, _)")
        text = _text(value, f"[fragments] {name}", problems)
        if text is not None:
            raw[name] = text
    fragments = _expand_fragments(raw, problems)

    rules: list[Rule] = []
    entries: object = data.get("rule")
    if not isinstance(entries, list) or not entries:
        problems.append("[[rule]]: there must be at least one rule")
        entries = []
    for n, entry in enumerate(entries, 1):
        rule = _load_rule(n, entry, fragments, problems)
        if rule is not None:
            rules.append(rule)

    patterns: dict[str, re.Pattern[str]] = {}
    named: object = data.get("patterns", {})
    if not isinstance(named, dict):
        problems.append(f"[patterns] must be a table, not {_kind(named)}")
        named = {}
    missing = [name for name in _PATTERN_NAMES if name not in named]
    if missing:
        problems.append(f"[patterns] lacks {', '.join(missing)}")
    extra = sorted(set(named) - set(_PATTERN_NAMES))
    if extra:
        problems.append(f"[patterns] unknown pattern(s) {', '.join(extra)}")
    for name in _PATTERN_NAMES:
        if name in named:
            compiled = _load_pattern(name, named[name], fragments, problems)
            if compiled is not None:
                patterns[name] = compiled

    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return RuleSet(tuple(rules), MappingProxyType(patterns))


_LOADED = load_rules()
RULES: tuple[Rule, ...] = _LOADED.rules
_INJECTION = _LOADED.patterns["injection"]
_OVERRIDE = _LOADED.patterns["override"]
_RULE_SENTENCE = _LOADED.patterns["rule_sentence"]
_CLAIM = _LOADED.patterns["claim"]
_CONTRADICTION = _LOADED.patterns["contradiction"]
_AUTHORSHIP = _LOADED.patterns["authorship"]
_IDENTIFIERS = _LOADED.patterns["identifiers"]
_AUDIENCE = _LOADED.patterns["audience"]
_IDENTIFIERS_SAFE = _LOADED.patterns["identifiers_safe"]
_POLICY_Q = _LOADED.patterns["policy_q"]
_IMPERATIVE = _LOADED.patterns["imperative"]


def _rule_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for rules: rule gaps never cross ``.``, ``!``, ``?`` or a line break."""
    spans, start = [], 0
    for m in _RULE_SENTENCE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _claim_contradicted(text: str) -> Hit | None:
    """A claim the request itself says is false ("say X ...; it failed"), across sentences."""
    claim = _CLAIM.search(text)
    if claim is None:
        return None
    contra = _CONTRADICTION.search(text, claim.end())
    if contra is None or _AUTHORSHIP.search(text):
        return None  # claims of human authorship are 4.1, handled by their own rules
    return Hit("misinformation", claim.start(), contra.end(), False)


def _shared_identifiers(text: str) -> Hit | None:
    """People's identifiers (SSNs, home addresses, bank details) to be shown to an audience.

    Whoever fetched the data, handing it to a channel or a crowd is misuse of personal data; the
    two parts are often in different sentences ("Here's the export ... Post it in the team chat").
    """
    ident = _IDENTIFIERS.search(text)
    if ident is None or _IDENTIFIERS_SAFE.search(text):
        return None
    aud = _AUDIENCE.search(text)
    if aud is None:
        return None
    return Hit("pii_misuse", min(ident.start(), aud.start()), max(ident.end(), aud.end()), False, True)


def text_level_hits(text: str) -> list[Hit]:
    """Hits of the checks that look at the whole text, across sentences (not single patterns)."""
    return [h for h in (_claim_contradicted(text), _shared_identifiers(text)) if h is not None]


#: The categories of :func:`text_level_hits` (weak hits).
TEXT_LEVEL_CATEGORIES = frozenset({"misinformation", "pii_misuse"})


def match_rules(text: str, wanted: Callable[[str, bool], bool] | None = None) -> list[Hit]:
    """Every rule that fires in ``text`` and is not cancelled by its ``unless`` context.

    Each rule runs only on the sentences where some word begins the way the rule must begin,
    which keeps the cost of some thirty large patterns low on long, harmless notes. With
    ``wanted(category, strong)``, only the rules (and text-level checks) it accepts run: a caller
    that would drop the other hits anyway does not pay for them.
    """
    hits: list[Hit] = []
    rules = RULES if wanted is None else [r for r in RULES if wanted(r.category, r.strong)]
    text_level = wanted is None or any(wanted(c, False) for c in TEXT_LEVEL_CATEGORIES)
    if not rules and not text_level:
        return hits
    spans = [(a, b, _word_starts(text[a:b])) for a, b in _rule_sentences(text)]
    for rule in rules:
        found = None
        for a, b, starts in spans:
            if rule.starts is not None and rule.starts.isdisjoint(starts):
                continue  # no word in this sentence begins the way this rule must begin
            for m in rule.pattern.finditer(text, a, b):
                if rule.unless is not None and rule.unless.search(
                    text, max(0, m.start() - 80), min(len(text), m.end() + 80)
                ):
                    continue
                found = Hit(rule.category, m.start(), m.end(), rule.strong, rule.decisive)
                break
            if found is not None:
                break
        if found is not None:
            hits.append(found)
    if not text_level:
        return hits
    for pair in text_level_hits(text):
        if pair.decisive or not any(h.category == pair.category for h in hits):
            hits.append(pair)
    return hits


def find_injections(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, overrides)`` of parts addressed to the assistant inside pasted text.

    ``overrides`` says whether the part tries to override the assistant's instructions
    ("ignore the request above", "print ... verbatim"), which is reverse engineering on its own.
    """
    out = []
    for m in _INJECTION.finditer(text):
        body = m.group(0)
        if len(body.strip()) < 8:
            continue
        out.append((m.start(), m.end(), _OVERRIDE.search(body) is not None))
    return out


def is_policy_question(text: str) -> bool:
    """Whether ``text`` only asks what the published policy allows (allowed), with no task attached."""
    return _POLICY_Q.search(text) is not None and _IMPERATIVE.search(text) is None
