"""The "quality" guard: advice on feedback too vague to act on. Never blocks.

Clause 5.review (output may be inaccurate; people review it). Correll & Simard (2016, HBR) found
that vague feedback, praise especially, goes more often to women and is less useful to anyone:
specific feedback names an example, its outcome and a next step. Two kinds of ADVICE:

* ``trait_only_praise``: praise of a trait ("great attitude", "a rockstar", "team player") in a
  sentence with nothing concrete (no number, no action, no outcome);
* ``vague_feedback``: a draft with no concrete example or outcome, or with no next step.

Runs on drafts and on a person's own text (``rai check``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.guards._bias_text import alternation, sentence_of, sentences
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = ["CLAUSES", "GUARD", "check_quality", "register_guards"]

GUARD = "quality"
CLAUSES = ("5.review",)

_TRAIT_PRAISE = (
    "great attitude",
    "positive attitude",
    "good attitude",
    "can-do attitude",
    "rockstar",
    "rock star",
    "superstar",
    "super star",
    "ninja",
    "guru",
    "wizard",
    "unicorn",
    "team player",
    "pleasure to work with",
    "joy to work with",
    "delight to work with",
    "a delight",
    "a joy",
    "positive energy",
    "good vibes",
    "great energy",
    "great vibe",
    "hard worker",
    "hard-working",
    "hardworking",
    "go-getter",
    "self-starter",
    "natural leader",
    "born leader",
    "great personality",
    "ray of sunshine",
    "asset to the team",
    "real asset",
    "great asset",
    "culture fit",
    "great job",
    "good job",
    "great work",
    "good work",
    "nice work",
    "keep up the good work",
    "keep it up",
    "had a great year",
    "great year",
    "crushing it",
    "crushed it",
    "killing it",
    "awesome",
    "amazing",
    "fantastic",
    "brilliant",
    "star performer",
    "mvp",
    "10x",
    "go-to person",
    "rock solid",
    "top performer",
    "doing great",
    "does a great job",
    "did a great job",
    "very talented",
    "so talented",
    "talented",
    "very smart",
    "super smart",
    "smart cookie",
    "great team member",
    "valued team member",
    "passionate",
    "dedicated",
    "committed",
    "reliable",
    "dependable",
    "enthusiastic",
)

# Signs that a sentence or draft is concrete: a number, an action with an object, an outcome.
_ACTIONS = (
    "led",
    "built",
    "shipped",
    "closed",
    "delivered",
    "reduced",
    "cut",
    "raised",
    "resolved",
    "launched",
    "wrote",
    "designed",
    "fixed",
    "trained",
    "mentored",
    "organized",
    "organised",
    "negotiated",
    "migrated",
    "automated",
    "improved",
    "increased",
    "completed",
    "presented",
    "created",
    "rebuilt",
    "redesigned",
    "handled",
    "answered",
    "ran",
    "set up",
    "documented",
    "coached",
    "onboarded",
    "recovered",
    "analyzed",
    "analysed",
    "prepared",
    "drafted",
    "reviewed",
    "tested",
    "deployed",
    "released",
    "won",
    "signed",
    "sold",
    "hired",
    "grew",
    "saved",
    "lowered",
    "doubled",
    "tripled",
    "halved",
    "finished",
    "met",
    "exceeded",
    "beat",
    "hit",
    "caught",
    "escalated",
    "flagged",
    "interrupted",
    "missed",
    "dismissed",
    "skipped",
    "ignored",
    "submitted",
    "processed",
    "reconciled",
    "audited",
    "coordinated",
    "scheduled",
    "covered",
    "answered",
    "replaced",
    "restructured",
    "cleaned up",
    "streamlined",
    "introduced",
    "piloted",
    "rolled out",
)
_NEXT_STEP = (
    "should",
    "could",
    "next",
    "going forward",
    "try",
    "recommend",
    "suggest",
    "focus on",
    "work on",
    "continue to",
    "plan to",
    "would benefit",
    "consider",
    "aim to",
    "goal",
    "by the end of",
    "next time",
    "next quarter",
    "next year",
    "from now on",
    "needs to",
    "need to",
    "let's",
    "will",
)


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    return {
        "praise": re.compile(rf"\b(?:{alternation(_TRAIT_PRAISE)})\b", re.IGNORECASE),
        "concrete": re.compile(
            rf"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozen|half|"
            rf"first|every|each|for example|e\.g\.|such as|when (?:she|he|they)|because|which|so that|"
            rf"resulting|led to|{alternation(_ACTIONS)})\b",
            re.IGNORECASE,
        ),
        "next": re.compile(rf"\b(?:{alternation(_NEXT_STEP)})\b", re.IGNORECASE),
    }


def check_quality(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """ADVICE findings for trait-only praise and for feedback with no example or next step."""
    rx = _rx()
    findings: list[Finding] = []
    bounds = sentences(text)
    for m in rx["praise"].finditer(text):
        s, e = sentence_of(bounds, m.start())
        if rx["concrete"].search(text, s, e):
            continue
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.ADVICE,
                message=f"Praise of a trait ('{m.group()}') with nothing concrete behind it.",
                category="trait_only_praise",
                span=Span(m.start(), m.end(), m.group()),
                suggestion="Name what the person did and its effect: 'rebuilt the intake form, cutting errors by a third'.",
            )
        )
    if len(text.split()) < 6:
        return findings  # a phrase, not feedback: nothing more to judge
    if not rx["concrete"].search(text):
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.ADVICE,
                message="The feedback gives no concrete example or outcome.",
                category="vague_feedback",
                suggestion="Add one example: what happened, when, and what it changed.",
            )
        )
    if not rx["next"].search(text):
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.ADVICE,
                message="The feedback gives no next step.",
                category="vague_feedback",
                suggestion="Add one thing to keep doing or to change, and by when.",
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
            check=check_quality,
            description="Advises on vague feedback and trait-only praise; never blocks.",
        )
    )
