"""Helpers for prompts: user text fenced as data.

A feature's prompt (and the road's own revision prompt) puts the user's notes between explicit
markers, so that the model reads them as data and never as instructions.
"""

from __future__ import annotations

import re

__all__ = ["fence"]

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
