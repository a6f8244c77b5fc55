"""Search a text for many named regular expressions in one pass over its words.

Python's regex engine tries every branch of every pattern at every character, so forty phrase
lists cost forty passes. Most branches can only start with a few letters ("set in his ways" starts
with "s"), so :class:`Scanner` files each branch under its possible first letters and, at each
word start, tries only the branches filed under that word's letter. Branches whose first letter
cannot be told (a digit class, a look-behind on a non-word) are searched the ordinary way.

The matches are the same as ``pattern.finditer(text)`` gives, for patterns whose matches start at
the start of a word, which is what the fairness guard's patterns do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rai_assistant.guards._bias_text import alternation

__all__ = ["Scanner", "prefixes", "split_alternatives"]

_WORD_START = re.compile(r"\b[^\W\d_]")


def _outside_classes(p: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """Each position and character of ``p`` from ``start`` that is neither escaped nor inside a
    character class (where ``(``, ``)`` and ``|`` are literal)."""
    i = start
    in_class = False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if p[i + 1 : i + 2] == "]":  # "[]...]": the first "]" is a literal
                i += 1
        else:
            yield i, c
        i += 1


def split_alternatives(pattern: str) -> list[str]:
    """The top-level branches of ``pattern`` ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    parts: list[str] = []
    depth = 0
    last = 0
    for i, c in _outside_classes(pattern):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    parts.append(pattern[last:])
    return parts


def _group_end(p: str, start: int) -> int:
    """Index of the ")" closing the group opened at ``p[start]``, or -1."""
    depth = 0
    for i, c in _outside_classes(p, start):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


_LOOKAROUND = re.compile(r"^\(\?<?[!=]")
_CLASS = re.compile(r"(?:[A-Za-z](?:-[A-Za-z])?)+")


def _class_letters(body: str) -> set[str] | None:
    """The lower-case letters of a character class body ("Hh" or "A-Z"), or None."""
    if not _CLASS.fullmatch(body):
        return None
    out: set[str] = set()
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.update(chr(x).lower() for x in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            out.add(body[i].lower())
            i += 1
    return out


def prefixes(pattern: str, k: int = 2, _depth: int = 0) -> frozenset[str] | None:
    """Lower-case beginnings (up to ``k`` letters) a match of ``pattern`` can start with, or None
    when that is not simple to tell; then the pattern is searched the ordinary way.

    Understands literal letters, ``[Xx]`` classes, ``\b``, look-arounds at the start (which
    consume nothing) and non-capturing groups of branches, optional or not.
    """
    if _depth > 40:
        return None
    p = pattern
    while True:
        if p.startswith("\\b"):
            p = p[2:]
            continue
        if _LOOKAROUND.match(p):
            end = _group_end(p, 0)
            if end < 0:
                return None
            p = p[end + 1 :]
            continue
        break
    if k == 0 or not p:
        return frozenset({""}) if k == 0 or _depth else None
    c = p[0]
    if c.isalpha():
        if len(p) > 1 and p[1] in "?*+{":
            return None
        rest = prefixes(p[1:], k - 1, _depth + 1) if len(p) > 1 else frozenset({""})
        if rest is None:
            return frozenset({c.lower()})
        return frozenset(c.lower() + r for r in rest)
    if c == "[":
        close = p.find("]", 1)
        letters = _class_letters(p[1:close]) if close > 0 else None
        if letters is None:
            return None
        quant = p[close + 1 : close + 2]
        if quant == "+":
            return frozenset(letters)
        if quant in ("*", "{"):
            return None
        after = p[close + 1 :]
        if quant == "?":
            return None
        rest = prefixes(after, k - 1, _depth + 1) if after else frozenset({""})
        if rest is None:
            return frozenset(letters)
        return frozenset(ch + r for ch in letters for r in rest)
    if p.startswith(("(?:", "(?i:", "(?-i:")):
        end = _group_end(p, 0)
        if end < 0:
            return None
        inner = p[p.index(":") + 1 : end]
        after = p[end + 1 :]
        optional = after[:1] == "?"
        if after[:1] in ("*", "+", "{"):
            return None
        if optional:
            after = after[1:]
        out: set[str] = set()
        for part in split_alternatives(inner):
            got = prefixes(part + after, k, _depth + 1)
            if got is None:
                return None
            out |= got
        if optional:
            got = prefixes(after, k, _depth + 1)
            if got is None:
                return None
            out |= got
        if "" in out and _depth == 0:
            return None
        return frozenset(out)
    if _depth and (c == " " or p.startswith(("\\s+", "\\s "))):
        # a space: the beginning goes on with the next word ("his ag" for "his age")
        skip = 1 if c == " " else 3
        if p[skip : skip + 1] in ("?", "*", "{"):
            return frozenset({""})
        rest = prefixes(p[skip:], k - 1, _depth + 1)
        return frozenset({" "}) if rest is None else frozenset(" " + r for r in rest)
    if _depth and (c in ",'’-." or p.startswith(("\\s", "\\w", "\\d", "\\W", "[^"))):
        return frozenset({""})  # the word ends here: what was collected is the beginning
    return None


_ZERO_WIDTH = re.compile(r"^(?:\\b|\(\?<?[!=](?:[^()\\]|\\.)*\))*")


def _distribute(alt: str, depth: int = 2) -> list[str]:
    """Split ``X(?:a|b)Y`` (X zero-width) into ``XaY`` and ``XbY``, ``depth`` levels deep, so that
    a long word list filed under many letters is filed branch by branch, not whole under each."""
    if "(?P<" in alt:
        return [alt]  # branches of one pattern cannot share a group name
    head = _ZERO_WIDTH.match(alt)
    lead = head.group() if head else ""
    body = alt[len(lead) :]
    if depth == 0 or not body.startswith("(?:"):
        return [alt]
    end = _group_end(body, 0)
    if end < 0 or body[end + 1 : end + 2] in ("?", "*", "+", "{"):
        return [alt]
    inner, rest = body[3:end], body[end + 1 :]
    parts = split_alternatives(inner)
    if len(parts) < 2:
        return [alt]
    out: list[str] = []
    for part in parts:
        if not part:
            return [alt]
        out.extend(
            _distribute(lead + part + rest, depth - 1) if part.startswith("(?:") else [lead + part + rest]
        )
    return out


class Scanner:
    """Many named patterns, searched together: ``Scanner(patterns).scan(text)[name]``.

    Each branch of each pattern is filed under the first two letters it can start with, and each
    such bucket gets a small literal pre-check (the first letters of its branches, up to six). At a
    word start only the patterns of the word's bucket whose pre-check passes are tried, each with
    its own compiled regex, so that the matches are exactly those of ``pattern.finditer``.
    """

    def __init__(self, patterns: Mapping[str, tuple[str, int]]) -> None:
        """``patterns`` maps a name to a regular expression and its flags."""
        self.names = tuple(patterns)
        names_by_key: dict[str, dict[str, list[str]]] = {}
        begins_by_key: dict[str, set[str]] = {}
        fallback: dict[str, list[str]] = {}
        for name, (pattern, _) in patterns.items():
            for alt in (a for top in split_alternatives(pattern) for a in _distribute(top)):
                begins = prefixes(alt, 6)
                if begins is None or "" in begins or sum(len(b) == 1 for b in begins) > 8:
                    # unknown, or any capital letter ("[A-Z]\w*'s"): one ordinary search is cheaper
                    fallback.setdefault(name, []).append(alt)
                    continue
                for b in begins:
                    alts = names_by_key.setdefault(b[:2], {}).setdefault(name, [])
                    if not alts or alts[-1] != alt:
                        alts.append(alt)
                    begins_by_key.setdefault(b[:2], set()).add(b)

        self._flags = {name: flags for name, (_, flags) in patterns.items()}
        self._compiled: dict[tuple[str, str], re.Pattern[str]] = {}

        # per bucket: the literal beginnings (a pre-check) and the branches that can start there,
        # in pattern order; both are compiled the first time a word needs them (most never do)
        self._checks = {k: alternation(v) for k, v in begins_by_key.items()}
        self._one = {
            k: tuple((name, alt) for name, alts in v.items() for alt in alts)
            for k, v in names_by_key.items()
            if len(k) == 1
        }
        self._two = {
            k: tuple((name, alt) for name, alts in v.items() for alt in alts)
            for k, v in names_by_key.items()
            if len(k) == 2
        }
        self._checked: dict[str, re.Pattern[str]] = {}
        self._fallback = tuple(
            (name, re.compile("|".join(alts), patterns[name][1])) for name, alts in fallback.items()
        )

    def scan(self, text: str) -> dict[str, list[re.Match[str]]]:
        """Every match of every pattern, by name, in order of position (none overlapping)."""
        found: dict[str, list[re.Match[str]]] = {name: [] for name in self.names}
        reach: dict[str, int] = {}
        one, two, compiled, checked = self._one, self._two, self._compiled, self._checked
        for w in _WORD_START.finditer(text):
            pos = w.start()
            key = text[pos : pos + 2].lower()
            for table, k in ((two, key), (one, key[:1])):
                got = table.get(k)
                if got is None:
                    continue
                check = checked.get(k)
                if check is None:
                    check = checked[k] = re.compile(self._checks[k], re.IGNORECASE)
                if check.match(text, pos) is None:
                    continue
                for name, alt in got:
                    if pos < reach.get(name, 0):
                        continue  # this pattern already matched here or over this word
                    rx = compiled.get((name, alt))
                    if rx is None:
                        rx = compiled[name, alt] = re.compile(alt, self._flags[name])
                    m = rx.match(text, pos)
                    if m is not None and m.end() > pos:
                        found[name].append(m)
                        reach[name] = m.end()
        for name, rx in self._fallback:
            extra = [m for m in rx.finditer(text) if m.end() > m.start()]
            if extra:
                merged = sorted(found[name] + extra, key=lambda m: (m.start(), -m.end()))
                out: list[re.Match[str]] = []
                for m in merged:
                    if not out or m.start() >= out[-1].end():
                        out.append(m)
                found[name] = out
        return found
