"""The personal-data leak guard (3.privacy-security): drafts carry no contact details or ids.

It runs on the draft after placeholders are restored. A feedback draft names its subject, but it
should not carry an e-mail address, a phone number, an employee, national, card or bank number,
an IP address or a home address, even when the notes held them: each is flagged (FLAG, category
``personal_data``) with its exact span so a person removes it before accepting.

A placeholder still in the draft means the model mangled or invented one (``[Person 1]``,
``PERSON_1]``, ``[PERSON_9]``); the draft then names nobody or the wrong person, so it is blocked
(BLOCK, category ``placeholder``).

Context read from :class:`rai_assistant.types.GuardContext`:

* ``ctx.vault`` (optional): the request's :class:`rai_assistant.privacy.Vault`. With it, text
  shaped like a placeholder that the user wrote in the request is not mistaken for a model error.
  Without it, every placeholder-like string in the draft blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rai_assistant import hookspecs, privacy
from rai_assistant.config import AppConfig
from rai_assistant.hookspecs import implements
from rai_assistant.privacy import Vault, find_personal_data, find_placeholder_like
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = ["GUARD_NAME", "check_draft", "register_guards"]

GUARD_NAME = "pii_leak"
_CLAUSES = ("3.privacy-security",)

# kind -> (what it is, in a message), for every kind a draft must not carry
_LEAKS = {
    "EMAIL": "an e-mail address",
    "PHONE": "a phone number",
    "EMPLOYEE_ID": "an employee id",
    "NATIONAL_ID": "a national id number",
    "CARD": "a payment card number",
    "BANK_ACCOUNT": "a bank account number",
    "IP_ADDRESS": "an IP address",
    "ADDRESS": "a street address",
}


def check_draft(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """Findings for personal data and unrestored placeholders in a restored draft."""
    findings: list[Finding] = []
    vault = ctx.vault
    if vault is not None and not isinstance(vault, Vault):
        raise TypeError(f"ctx.vault must be an rai_assistant.privacy.Vault, not {type(vault).__name__}")
    leftovers = vault.leftover_placeholders(text) if vault is not None else find_placeholder_like(text)
    for start, end, found in leftovers:
        findings.append(
            Finding(
                guard=GUARD_NAME,
                clauses=_CLAUSES,
                verdict=Verdict.BLOCK,
                category="placeholder",
                message=(
                    f"The draft still contains {found!r}, a placeholder the model mangled or "
                    "invented, so it may name nobody or the wrong person."
                ),
                span=Span(start, end, found),
                suggestion="Regenerate the draft; do not fill the name in by guesswork.",
            )
        )
    for item in find_personal_data(text):
        label = _LEAKS.get(item.kind)
        if label is None:
            continue
        findings.append(
            Finding(
                guard=GUARD_NAME,
                clauses=_CLAUSES,
                verdict=Verdict.FLAG,
                category="personal_data",
                message=f"The draft contains {label}; feedback should not carry contact details or identifiers.",
                span=Span(item.start, item.end, item.text),
                suggestion=f"Delete {label} from the draft.",
            )
        )
    return findings


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    """Register the ``pii_leak`` guard for drafts."""
    register(
        GuardSpec(
            name=GUARD_NAME,
            clauses=_CLAUSES,
            stages=(Stage.DRAFT,),
            check=check_draft,
            description=(
                "Flags e-mail addresses, phone numbers, ids, card and bank numbers, IP and street "
                "addresses in a draft; blocks a draft with a mangled or invented placeholder."
            ),
            # presidio loads (about 0.7 s) before the first check, outside the timeout; later
            # calls take a few ms
            timeout=5.0,
            warm=privacy.warm_up,
        )
    )
