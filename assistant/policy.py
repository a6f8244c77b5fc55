"""Turn a policy's text (plain text or Markdown) into clauses with stable, citable ids.

Clause ids follow the document's own structure, so a second policy gets ids the same way:

* a numbered heading (``4. Acceptable Use``, ``## 2.1 Leave``) opens a section; its number is the
  id stem. An unnumbered heading gives a slug (``## Sick leave`` -> ``sick-leave``).
* numbered list items inside a numbered section are clauses ``<section>.<item>`` (``4.3``); a
  lead-in paragraph ending with ``:`` ("Users ... agree that they will not:") is kept at the front
  of every item, because an item alone reads as the opposite of what it means.
* a section of labelled paragraphs (``Fairness: ...``, two or more) gives one clause per label:
  ``3.fairness``, ``3.human-control``.
* any other section is one clause ``<number>.<slug of heading>`` (``1.overview``), or just the
  number for sub-numbered headings (``2.1``).
* lines before the title (the last heading-like line before the first section) are page chrome and
  are dropped; text between the title and the first section becomes a ``preamble`` clause.
* a line that ends on a dangling "to"/"at" (an address the source lost) keeps its words and says
  the address is missing, rather than inventing one.

``aliases`` renames the structural ids or splits a clause by paragraph; the built-in policy uses
this to match the ids of ``CLAUSES.md``. Ids of any policy other than :data:`DEFAULT_POLICY_ID`
are prefixed ``POLICYID:`` (``acme-handbook:2.1``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rai_assistant.errors import ConfigError, InputError
from rai_assistant.types import Clause, PolicyDocument

__all__ = [
    "BUILTIN_ALIASES",
    "DEFAULT_POLICY_ID",
    "HINTS_SUFFIX",
    "hints_for",
    "load_hints",
    "load_policy_file",
    "parse_policy",
    "policy_version",
    "slugify",
]

DEFAULT_POLICY_ID = "betterworks-rai"

#: How the ids of CLAUSES.md differ from the structural ids of the built-in policy: two clauses
#: are named by meaning rather than by heading, and section 5 holds two clauses, one a paragraph.
BUILTIN_ALIASES: Mapping[str, str | tuple[str, ...]] = {
    "3.data-privacy-security": "3.privacy-security",
    "5.requirements-responsibilities": ("5.review", "5.enforcement"),
    "6.contacting-betterworks": "6.contact",
}

#: A policy file's retrieval hints live beside it: ``acme.md`` -> ``acme.hints.toml``.
HINTS_SUFFIX = ".hints.toml"

_STOPWORDS = frozenset("a an and of the for to in on with our your its at by or".split())
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# "4. Title" or "2.1 Title" / "2.1. Title"; "101 Jefferson Drive" (no dot) is not a heading.
_NUMBERED_HEADING = re.compile(r"^(\d+\.(?:\d+\.?)*|\d+(?:\.\d+)+)\s+(\S.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:(\d+)[.)]|\(?([a-z])\))\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-*\u2022\u25cf\u25aa]\s+(\S.*)$")
_LABEL = re.compile(
    r"^(?:\*\*)?([A-Z][A-Za-z&/'-]*(?:\s+[A-Za-z&/'-]+){0,4}?)(?:\*\*)?\s*:(?:\*\*)?\s+(\S.*)$"
)
_DANGLING = re.compile(r"\b(?:to|at|via|by|from|contact)\s*$", re.IGNORECASE)
_MISSING = " [address missing in the source text]"


def slugify(text: str, max_words: int = 4) -> str:
    """A short lowercase id from a heading or label: ``Data Privacy and Security`` -> ``data-privacy-security``."""
    words = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    kept = [w for w in words if w not in _STOPWORDS] or words
    return "-".join(kept[:max_words])


def policy_version(text: str) -> str:
    """The version of a policy: the first 16 hex digits of the SHA-256 of its source text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _clean_line(line: str) -> str:
    # Non-breaking spaces and trailing blanks are copy-paste residue of the web page.
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", line).rstrip()


@dataclass
class _Section:
    number: str  # "4", "2.1" or "" for unnumbered headings
    heading: str  # the heading's words without the number
    top: str  # the top-level section heading as written, e.g. "4. Acceptable Use"
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Raw:
    """A clause before prefixing: structural id, title, text, section heading."""

    id: str
    title: str
    text: str
    section: str


def _is_heading_text(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 12 and not re.search(r"[.;,:!?]$", text) and text[0].isupper()


def _headings(lines: Sequence[str]) -> tuple[str, dict[int, tuple[str, str, int]]]:
    """Find section headings; returns the style used and {line index: (number, words, level)}."""
    md: dict[int, tuple[str, str, int]] = {}
    for i, line in enumerate(lines):
        m = _MD_HEADING.match(line)
        if m:
            level = len(m.group(1))
            words = m.group(2).strip().strip("*").strip()
            n = _NUMBERED_HEADING.match(words)
            md[i] = (n.group(1).rstrip("."), n.group(2).strip(), level) if n else ("", words, level)
    if md:
        return "markdown", md
    numbered: dict[int, tuple[str, str, int]] = {}
    for i, line in enumerate(lines):
        if line[:1].isspace():
            continue  # indented: a list item, not a heading
        n = _NUMBERED_HEADING.match(line)
        if n and _is_heading_text(n.group(2)):
            number = n.group(1).rstrip(".")
            numbered[i] = (number, n.group(2).strip(), number.count(".") + 1)
    if numbered:
        return "numbered", numbered
    plain: dict[int, tuple[str, str, int]] = {}
    for i, line in enumerate(lines):
        blank_before = i == 0 or not lines[i - 1].strip()
        blank_after = i + 1 >= len(lines) or not lines[i + 1].strip()
        if blank_before and blank_after and _is_heading_text(line.strip()) and len(line.split()) <= 8:
            plain[i] = ("", line.strip(), 1)
    return "plain", plain


def _paragraphs(lines: Sequence[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _join(block: Sequence[str]) -> str:
    """A paragraph's text: its lines joined; bullets kept one per line."""
    out: list[str] = []
    for line in block:
        text = line.strip()
        bullet = _BULLET.match(line)
        if bullet:
            out.append("- " + bullet.group(1).strip())
        elif out and not out[-1].startswith("- ") and not _looks_like_address(text):
            out[-1] = out[-1] + " " + text
        else:
            out.append(text)
    return "\n".join(out)


def _looks_like_address(line: str) -> bool:
    # Address lines ("101 Jefferson Drive, 1st Floor") stay on their own line.
    return bool(re.match(r"^\d+\s+\w", line)) or bool(re.search(r"\b\d{5}(?:-\d{4})?\b", line))


def _mark_dangling(text: str) -> str:
    # The source lost its e-mail addresses: say so instead of ending mid-sentence.
    return "\n".join(
        line + _MISSING if _DANGLING.search(line) and not line.endswith(":") else line
        for line in text.split("\n")
    )


def _section_clauses(sec: _Section) -> list[_Raw]:
    stem = sec.number
    section_name = sec.top
    blocks = _paragraphs(sec.lines)
    if not blocks:
        return []
    items: list[tuple[str, str]] = []  # (item number, text)
    lead = ""
    other: list[str] = []
    labelled: list[tuple[str, str]] = []
    for block in blocks:
        first = block[0]
        item = _LIST_ITEM.match(first) if stem else None
        if item:
            # Each list line starts a new item; continuation lines join the previous one.
            for line in block:
                m = _LIST_ITEM.match(line)
                if m:
                    number = m.group(1) or str(ord(m.group(2)) - ord("a") + 1)
                    items.append((number, m.group(3).strip()))
                elif items:
                    items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
            continue
        label = _LABEL.match(first.strip())
        if label and not items:
            body = _join([label.group(2), *block[1:]])
            labelled.append((label.group(1).strip(), body))
            continue
        text = _join(block)
        if text.endswith(":") and not items:
            if lead:
                other.append(lead)
            lead = text
        else:
            other.append(text)
    if len(labelled) < 2:
        # One "Note: ..." paragraph is prose, not a set of labelled clauses.
        other = [f"{lab}: {body}" for lab, body in labelled] + other
        labelled = []
    raws: list[_Raw] = []
    heading_slug = slugify(sec.heading) or "section"
    title = sec.heading
    if items:
        for number, text in items:
            body = f"{lead} {text}" if lead else text
            raws.append(_Raw(f"{stem}.{number}", f"{title}, item {number}", body, section_name))
        lead = ""
    for lab, body in labelled:
        base = f"{stem or heading_slug}.{slugify(lab)}"
        raws.append(_Raw(base, lab, body, section_name))
    rest = [p for p in ([lead] if lead else []) + other if p]
    if rest:
        text = "\n\n".join(rest)
        if not stem:
            cid = heading_slug
        elif "." in stem or items or labelled:
            # Sub-numbered headings are their own id; prose beside items or labels gets a slug.
            cid = stem if not (items or labelled) else f"{stem}.{heading_slug}"
        else:
            cid = f"{stem}.{heading_slug}"
        # Prose beside labelled clauses introduces them: put it first.
        raws.insert(0, _Raw(cid, title, text, section_name))
    return raws


def _apply_aliases(raws: list[_Raw], aliases: Mapping[str, str | tuple[str, ...]]) -> list[_Raw]:
    known = {r.id for r in raws}
    unknown = sorted(set(aliases) - known)
    if unknown:
        raise InputError(
            f"policy aliases name clauses the text does not have: {', '.join(unknown)}; "
            f"the text has: {', '.join(sorted(known))}"
        )
    out: list[_Raw] = []
    for raw in raws:
        target = aliases.get(raw.id)
        if target is None:
            out.append(raw)
        elif isinstance(target, str):
            out.append(_Raw(target, raw.title, raw.text, raw.section))
        else:
            parts = [p for p in raw.text.split("\n\n") if p.strip()]
            if len(parts) != len(target):
                raise InputError(
                    f"clause {raw.id} has {len(parts)} paragraphs but the aliases split it into "
                    f"{len(target)} ({', '.join(target)}); fix the aliases for this text"
                )
            for new_id, part in zip(target, parts, strict=True):
                suffix = new_id.split(".", 1)[-1].replace("-", " ")
                out.append(_Raw(new_id, f"{raw.title}: {suffix}", part, raw.section))
    return out


def _dedupe(raws: list[_Raw]) -> list[_Raw]:
    seen: dict[str, int] = {}
    out: list[_Raw] = []
    for raw in raws:
        n = seen.get(raw.id, 0) + 1
        seen[raw.id] = n
        out.append(raw if n == 1 else _Raw(f"{raw.id}-{n}", raw.title, raw.text, raw.section))
    return out


def _check_text(text: str, where: str) -> None:
    if not text.strip():
        raise InputError(f"{where} is empty: give the policy as plain text or Markdown")
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if "\x00" in text or control > len(text) * 0.01:
        raise InputError(
            f"{where} does not look like text (binary or control characters): "
            "export the policy as plain text or Markdown (UTF-8) and try again"
        )


def parse_policy(
    text: str,
    policy_id: str,
    *,
    title: str | None = None,
    source: str = "",
    aliases: Mapping[str, str | tuple[str, ...]] | None = None,
    bare_ids: bool | None = None,
) -> PolicyDocument:
    """Parse a policy's text into a :class:`PolicyDocument` whose clauses carry citable ids.

    :param text: the policy as plain text or Markdown, exactly as supplied (it is hashed as is).
    :param policy_id: a short id such as ``"acme-handbook"``; lowercase letters, digits, ``-``/``_``.
    :param title: the policy's title; by default its first heading.
    :param source: where the text came from, recorded on the document.
    :param aliases: renames structural clause ids (``{"6.contacting-betterworks": "6.contact"}``)
        or splits a clause one id per paragraph (a tuple of ids). Defaults to
        :data:`BUILTIN_ALIASES` for :data:`DEFAULT_POLICY_ID`, else none.
    :param bare_ids: keep ids without the ``POLICYID:`` prefix; by default only the default policy.
    :raises InputError: the text is empty, not text, or yields no clause; the message says what to do.
    """
    where = f"policy {policy_id!r}" + (f" ({source})" if source else "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", policy_id):
        raise InputError(
            f"policy id {policy_id!r} is not valid: use 1-64 lowercase letters, digits, '-' or '_'"
        )
    _check_text(text, where)
    if aliases is None:
        aliases = BUILTIN_ALIASES if policy_id == DEFAULT_POLICY_ID else {}
    if bare_ids is None:
        bare_ids = policy_id == DEFAULT_POLICY_ID

    lines = [_clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    style, heads = _headings(lines)
    first_head = min(heads) if heads else len(lines)

    # Before the first section: the title is the last heading-like line; anything before it is
    # page chrome (a banner, a navigation line) and is dropped; anything after it is a preamble.
    found_title = ""
    preamble_lines: list[str] = []
    before = lines[:first_head]
    for i in range(len(before) - 1, -1, -1):
        line = before[i].strip()
        md = _MD_HEADING.match(line)
        if md or (line and _is_heading_text(line)):
            found_title = md.group(2).strip() if md else line
            preamble_lines = before[i + 1 :]
            break
    else:
        preamble_lines = before
    if style == "markdown" and not found_title:
        # A single top-level "# Title" heading names the document rather than opening a section.
        top = [i for i, h in heads.items() if h[2] == 1]
        if len(top) == 1 and top[0] == first_head and not heads[top[0]][0]:
            found_title = heads.pop(top[0])[1]
            rest = [i for i in heads if i > top[0]]
            preamble_lines = lines[top[0] + 1 : min(rest) if rest else len(lines)]

    sections: list[_Section] = []
    top_heading = ""
    order = sorted(heads)
    for n, start in enumerate(order):
        number, words, _level = heads[start]
        end = order[n + 1] if n + 1 < len(order) else len(lines)
        if "." not in number or not number:
            top_heading = f"{number}. {words}" if number else words
        sections.append(_Section(number, words, top_heading or words, lines[start + 1 : end]))

    raws: list[_Raw] = []
    if not heads:
        # No structure at all: a heading-like first line is the title, then one clause per
        # paragraph, numbered in order.
        blocks = _paragraphs(lines)
        if blocks and len(blocks[0]) == 1 and _is_heading_text(blocks[0][0].strip()):
            found_title = blocks.pop(0)[0].strip()
        raws = [_Raw(str(i), f"Paragraph {i}", _join(b), found_title) for i, b in enumerate(blocks, 1)]
    else:
        pre = [_join(b) for b in _paragraphs(preamble_lines)]
        if pre:
            raws.append(_Raw("preamble", "Preamble", "\n\n".join(pre), found_title or "Preamble"))
    for sec in sections:
        raws.extend(_section_clauses(sec))

    raws = [r for r in raws if len(re.findall(r"[^\W\d_]{2,}", r.text)) >= 3]
    if not raws:
        raise InputError(
            f"{where} has no clauses: give numbered sections ('1. Scope'), Markdown headings "
            "('## Scope') or paragraphs of prose"
        )
    raws = _dedupe(_apply_aliases(raws, aliases))
    version = policy_version(text)
    prefix = "" if bare_ids else f"{policy_id}:"
    clauses = tuple(
        Clause(
            id=prefix + r.id,
            policy_id=policy_id,
            section=r.section,
            title=r.title,
            text=_mark_dangling(r.text),
            policy_version=version,
        )
        for r in raws
    )
    return PolicyDocument(
        policy_id=policy_id,
        title=title or found_title or policy_id,
        version=version,
        clauses=clauses,
        source=source,
    )


def load_policy_file(path: str | Path, policy_id: str | None = None) -> PolicyDocument:
    """Read a policy file (UTF-8 text or Markdown) and parse it; the id defaults to the file's stem.

    :raises InputError: the file is missing, unreadable, not UTF-8 text or has no clauses.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read policy file {file}: {exc.strerror}; check the path") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"policy file {file} is not UTF-8 text: export it as plain text or Markdown (UTF-8)"
        ) from exc
    pid = policy_id or slugify(file.stem, max_words=8) or "policy"
    return parse_policy(text, pid, source=str(file))


def load_hints(path: str | Path, document: PolicyDocument) -> dict[str, tuple[str, ...]]:
    """Read retrieval hints for ``document`` from a TOML file.

    The file has one table per clause, ``[clauses."4.3"]`` with ``hints = ["...", ...]``: short
    plain-language descriptions of what the clause covers, indexed beside the clause text. Keys
    may be the clause's full id or, for a prefixed policy, the id without ``POLICYID:``.

    :raises ConfigError: the file is not valid TOML or names a clause the document lacks.
    """
    file = Path(path)
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8")).get("clauses", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read retrieval hints {file}: {exc}; fix or remove the file") from exc
    known = {c.id for c in document.clauses}
    prefix = f"{document.policy_id}:"
    out: dict[str, tuple[str, ...]] = {}
    for key, entry in table.items():
        cid = key if key in known else prefix + key
        hints = entry.get("hints") if isinstance(entry, dict) else None
        if cid not in known:
            raise ConfigError(
                f"{file} has hints for clause {key!r}, which policy {document.policy_id!r} lacks; "
                f"its clauses are: {', '.join(sorted(known))}"
            )
        if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
            raise ConfigError(f"{file}: clauses.{key!r}.hints must be a list of strings")
        out[cid] = tuple(h.strip() for h in hints if h.strip())
    return out


def hints_for(document: PolicyDocument) -> dict[str, tuple[str, ...]]:
    """The retrieval hints shipped beside a policy's source file (``<stem>.hints.toml``), if any."""
    if not document.source:
        return {}
    sidecar = Path(document.source).with_suffix(HINTS_SUFFIX)
    if not sidecar.is_file():
        return {}
    return load_hints(sidecar, document)
