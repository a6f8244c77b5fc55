"""Summaries quote nothing the reader may not see (3.privacy-security).

A summary of received feedback is read by someone who must not learn who said what. Copying a
comment word for word makes its author recognisable, so any run of six or more consecutive words
taken from one comment is flagged, with its span, for the reviewer to paraphrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = ["MIN_WORDS", "check_quotes", "register_guards"]

MIN_WORDS = 6
_WORD = re.compile(r"[\w']+", re.UNICODE)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def check_quotes(text: str, ctx: GuardContext) -> list[Finding]:
    comments = [c for c in ctx.notes.splitlines() if len(_WORD.findall(c)) >= MIN_WORDS]
    if not comments:
        return []
    grams: set[tuple[str, ...]] = set()
    for comment in comments:
        words = [w for w, _, _ in _words(comment)]
        grams.update(tuple(words[i : i + MIN_WORDS]) for i in range(len(words) - MIN_WORDS + 1))
    draft = _words(text)
    findings: list[Finding] = []
    i = 0
    while i <= len(draft) - MIN_WORDS:
        if tuple(w for w, _, _ in draft[i : i + MIN_WORDS]) not in grams:
            i += 1
            continue
        end = i + MIN_WORDS
        while end < len(draft) and tuple(w for w, _, _ in draft[end - MIN_WORDS + 1 : end + 1]) in grams:
            end += 1
        start_char, end_char = draft[i][1], draft[end - 1][2]
        findings.append(
            Finding(
                guard="summary_quotes",
                clauses=("3.privacy-security",),
                verdict=Verdict.FLAG,
                category="verbatim_quote",
                message="This copies a reviewer's comment word for word, which can reveal who wrote it.",
                span=Span(start_char, end_char, text[start_char:end_char]),
                suggestion="Paraphrase the theme in your own words and leave out details that identify the reviewer.",
            )
        )
        i = end
    return findings


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    register(
        GuardSpec(
            name="summary_quotes",
            clauses=("3.privacy-security",),
            stages=(Stage.DRAFT,),
            check=check_quotes,
            features=("summary",),
            description="Flags summaries that quote received feedback verbatim.",
        )
    )
