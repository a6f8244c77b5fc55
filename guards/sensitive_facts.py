"""The "sensitive_facts" guard: health, religion, family and similar facts about a person in a draft.

Clauses 4.2 (no misuse of personal data) and 3.privacy-security. A diagnosis, a medication, a
pregnancy, a religion, a disability, an immigration status or a sexual orientation does not
belong in a review or a goal, even when the writer's notes mentioned it: the draft is flagged
so that a person removes it before accepting. Work on such topics ("led the disability-inclusion
group", "ran the flu-shot clinic", a nurse's clinical work) is not about the person and passes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.guards._bias_sensitive import find_sensitive
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = ["CATEGORY", "CLAUSES", "GUARD", "check_sensitive_facts", "register_guards"]

GUARD = "sensitive_facts"
CLAUSES = ("4.2", "3.privacy-security")
CATEGORY = "sensitive_fact"

_KIND_WORDS = {
    "health": "a health condition or diagnosis",
    "disability": "a disability",
    "medication": "medication",
    "pregnancy": "pregnancy or parental leave",
    "family_status": "family or marital status",
    "religion": "religion or religious practice",
    "orientation_identity": "sexual orientation or gender identity",
    "immigration": "immigration status",
    "ethnicity": "race, ethnicity or national origin",
    "criminal": "a criminal record",
}


def check_sensitive_facts(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """One finding per sensitive fact said about a person in ``text``."""
    findings = []
    for hit in find_sensitive(text, frozenset(ctx.people)):
        what = _KIND_WORDS.get(hit.kind, "a sensitive personal fact")
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.FLAG,
                message=f"Mentions {what} about the person ('{hit.text}'); it does not belong in this record.",
                category=CATEGORY,
                span=Span(hit.start, hit.end, hit.text),
                suggestion=(
                    "Remove it, even if the notes mentioned it. If it affects the work, describe "
                    "only the work ('covered 3 of 4 on-call weeks') and route accommodations to HR."
                ),
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
            check=check_sensitive_facts,
            description="Flags health, religion, family, orientation and immigration facts about a person.",
        )
    )
