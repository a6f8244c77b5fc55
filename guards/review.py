"""The review guard (5.review, 3.human-control): only a named person's acceptance makes text final.

It runs at the decision stage. Acceptance needs a reviewer who is a person (a name, not the
assistant or a bot), a draft that is still pending, and no open bias or personal-data finding
unless the reviewer writes why they override it (the audit log keeps the reason).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.errors import ConfigError
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Stage, Verdict

__all__ = ["check_decision", "register_guards"]

_NOT_A_PERSON = re.compile(
    r"^(?:ai|a\.i\.|assistant|bot|robot|auto(?:matic|mated)?|system|model|llm|gpt.*|chatgpt|rai|"
    r"rai[- ]assistant|n/?a|none|nobody|anonymous|unknown|test|-+|\?+)$",
    re.IGNORECASE,
)
#: Clauses whose open findings must be fixed, or overridden in writing, before acceptance.
_MUST_CLEAR = {"3.fairness", "3.privacy-security", "4.2"}
_MIN_REASON = 15


def _reviewer_problem(reviewer: str) -> str:
    name = unicodedata.normalize("NFKC", reviewer).strip()
    if not name or name == "-":
        return "name the person accepting it with --reviewer NAME"
    if len(name) < 2 or len(name) > 100 or not any(ch.isalpha() for ch in name):
        return f"{reviewer!r} is not a person's name: pass the reviewer's name"
    if _NOT_A_PERSON.match(name):
        return f"{reviewer!r} is not a person: a human reviewer must accept AI drafts"
    return ""


def check_decision(text: str, ctx: GuardContext) -> list[Finding]:
    decision = ctx.decision
    if decision is None:
        # Fail closed: without the decision this guard cannot vouch for anyone deciding anything.
        raise ConfigError("the review guard runs at the decision stage and needs GuardContext.decision")
    reviewer = decision.reviewer
    findings: list[Finding] = []

    def block(message: str, clause: str = "5.review", category: str = "review") -> None:
        findings.append(
            Finding(guard="review", clauses=(clause,), verdict=Verdict.BLOCK, category=category, message=message)
        )

    problem = _reviewer_problem(reviewer)
    if problem:
        block(f"A person must review the draft: {problem}.", "3.human-control", "reviewer")
    status = decision.status
    if status != "pending_review":
        block(f"The draft is {status}; only a pending draft can be decided.", "5.review", "state")
    if not decision.accepting:
        return findings
    open_findings = [
        f for f in decision.findings if f.verdict is not Verdict.ADVICE and _MUST_CLEAR & set(f.clauses)
    ]
    reason = decision.override_reason.strip()
    if open_findings and len(reason) < _MIN_REASON:
        listed = "; ".join(
            f"{f.category or f.guard} at {f.span.text!r}" if f.span else (f.category or f.guard)
            for f in open_findings[:5]
        )
        block(
            f"It still has open findings ({listed}). Edit the text until they clear, or accept with an "
            f"override reason of at least {_MIN_REASON} characters saying why the wording is right.",
            open_findings[0].clauses[0],
            "open_findings",
        )
    blocking = [f for f in decision.findings if f.blocking]
    if blocking:
        block("The text has blocking findings and cannot become final: " + blocking[0].message, "5.review", "blocked")
    return findings


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    register(
        GuardSpec(
            name="review",
            clauses=("5.review", "3.human-control"),
            stages=(Stage.DECISION,),
            check=check_decision,
            description="Only a named person's acceptance turns a draft into final text.",
        )
    )
