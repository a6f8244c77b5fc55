"""Helpers for prompts: user text fenced as data, retrieved policy as short rules.

A feature's prompt (and the road's own revision prompt) puts the user's notes between explicit
markers, so that the model reads them as data and never as instructions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rai_assistant.types import Passage

__all__ = ["MAX_RULES", "MAX_RULE_CHARS", "fence", "policy_rules"]

_FENCE_BEGIN = "-----BEGIN {label}-----"
_FENCE_END = "-----END {label}-----"
_DASHES_RE = re.compile(r"-{3,}")


def fence(text: str, label: str = "NOTES") -> str:
    """Fence user text as data between explicit markers the text itself cannot forge.

    ``fence("Ana shipped it.")`` is three lines: ``-----BEGIN NOTES-----``, the text, and
    ``-----END NOTES-----``. A run of three or more dashes inside the text becomes two, so the
    text cannot close the fence early.
    """
    safe = _DASHES_RE.sub("--", text.strip())
    return "\n".join([_FENCE_BEGIN.format(label=label), safe, _FENCE_END.format(label=label)])


#: Policy text beyond this many characters per clause is cut at a word (a small model loses the
#: task in long policy text); at most MAX_RULES clauses go into one prompt.
MAX_RULE_CHARS = 90
MAX_RULES = 3


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " ..."


def policy_rules(passages: Sequence[Passage]) -> str:
    """The retrieved policy passages, one short line each: ``[clause id] first words``.

    A small model loses the task in long policy text, so each clause is cut to its first
    ~90 characters; a list item drops the lead-in its items share ("... agree that they will
    not:") so the line carries the item's own words.
    """
    lines = []
    seen: set[str] = set()
    for passage in passages:
        clause = passage.clause
        if clause.id in seen:
            continue
        seen.add(clause.id)
        text = _LEAD_IN_RE.sub("", " ".join(clause.text.split()), count=1)
        lines.append(f"[{clause.id}] {_cut(text, MAX_RULE_CHARS)}")
        if len(lines) == MAX_RULES:
            break
    if not lines:
        return ""
    return "Follow the company policy:\n" + "\n".join(lines)


_LEAD_IN_RE = re.compile(r"^[^:]{0,160}\bwill not:\s*", re.IGNORECASE)
