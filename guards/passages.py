"""Guard ``passage_integrity``: retrieved policy passages are current and carry no instructions.

Passages go into the model's prompt as trusted policy text, so two things must hold before they do:

* each passage comes from the policy version in force (a stale index or a shared server holding an
  older text must not put superseded wording in front of the model or into a citation);
* no passage contains text addressed to the model ("ignore previous instructions", "you are now",
  a ``system:`` line, chat-template tokens): a policy file anyone can edit is an injection path.

Both are BLOCK findings. Call :func:`check_passages` directly, or let the road run the registered
guard at ``Stage.PASSAGES``, which reads from :class:`~rai_assistant.types.GuardContext`:

* ``policy_versions`` (required, or ``services`` to ask): ``{policy_id: version}`` of the
  registered policies;
* ``passages`` (preferred): the :class:`~rai_assistant.types.Passage` objects. Spans are then
  offsets into each passage's clause text.

Without ``passages`` the guard reads the text it is given, which must be built with
:func:`format_passages`: one block per passage, a header line
``[[passage clause=ID policy=POLICY version=VERSION]]`` followed by the clause text. Spans are
then offsets into that text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.errors import ConfigError
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Passage, Span, Stage, Verdict

__all__ = ["GUARD_NAME", "check_passages", "format_passages", "register_guards"]

GUARD_NAME = "passage_integrity"
_CLAUSES = ("3.accountability",)
_HEADER = re.compile(r"^\[\[passage clause=(\S+) policy=(\S+) version=(\S*)\]\]$", re.MULTILINE)

# Text addressed to a model rather than to employees. Policies state rules in the third person
# ("Users ... agree that they will not"), so these do not occur in genuine policy prose.
_INJECTION = re.compile(
    r"""
    \b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?
        \b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those)\b[^.\n]{0,20}?
        \b(?:instructions?|prompts?|rules|guidelines|directions|context|messages?)\b
    | \byou\s+are\s+now\b
    | \bfrom\s+now\s+on\s*,?\s+(?:you|the\s+(?:assistant|model|ai))\b
    | \b(?:new|updated|real|actual)\s+(?:system\s+)?instructions?\s*:
    | \bact\s+as\s+(?:an?\s+)?(?:unrestricted|unfiltered|jailbroken|different)\b
    | \bdo\s+anything\s+now\b
    | \b(?:reveal|print|output|show)\s+(?:the\s+|your\s+)?(?:system\s+prompt|hidden\s+instructions)\b
    | ^\s*(?:system|assistant|developer)\s*:
    | <\|(?:im_start|im_end|system|user|assistant|endoftext)\|>
    | \[/?INST\]
    | <</?SYS>>
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)


def format_passages(passages: Sequence[Passage]) -> str:
    """The text form of passages that the registered guard reads when given no ``Passage`` objects."""
    blocks = []
    for p in passages:
        c = p.clause
        blocks.append(f"[[passage clause={c.id} policy={c.policy_id} version={c.policy_version}]]\n{c.text}")
    return "\n\n".join(blocks)


def _judge(
    clause_id: str,
    policy_id: str,
    version: str,
    body: str,
    offset: int,
    current_versions: Mapping[str, str],
) -> list[Finding]:
    findings: list[Finding] = []
    current = current_versions.get(policy_id)
    if current is None:
        findings.append(
            Finding(
                guard=GUARD_NAME,
                clauses=_CLAUSES,
                verdict=Verdict.BLOCK,
                category="unknown_policy",
                message=f"passage {clause_id} comes from policy {policy_id!r}, which is not registered",
                suggestion="re-index the policies (the index holds a policy no longer registered)",
            )
        )
    elif version != current:
        findings.append(
            Finding(
                guard=GUARD_NAME,
                clauses=_CLAUSES,
                verdict=Verdict.BLOCK,
                category="stale_passage",
                message=(
                    f"passage {clause_id} is from version {version or '?'} of policy {policy_id!r}; "
                    f"the current version is {current}"
                ),
                suggestion="re-index the policies so that retrieval returns the current text",
            )
        )
    for m in _INJECTION.finditer(body):
        findings.append(
            Finding(
                guard=GUARD_NAME,
                clauses=_CLAUSES,
                verdict=Verdict.BLOCK,
                category="embedded_instructions",
                message=f"passage {clause_id} contains text addressed to the model: {m.group(0).strip()!r}",
                span=Span(offset + m.start(), offset + m.end(), m.group(0)),
                suggestion="remove the instruction from the policy source and re-index it",
            )
        )
    return findings


def check_passages(passages: Sequence[Passage], current_versions: Mapping[str, str]) -> list[Finding]:
    """BLOCK findings for passages that are stale, from an unknown policy or carry instructions.

    :param passages: the retrieved passages, as they would go into the prompt.
    :param current_versions: ``{policy_id: version}`` of the registered policies.
    :return: findings; spans are offsets into the offending passage's clause text.
    """
    findings: list[Finding] = []
    for p in passages:
        c = p.clause
        findings.extend(_judge(c.id, c.policy_id, c.policy_version, c.text, 0, current_versions))
    return findings


def _check(text: str, ctx: GuardContext) -> list[Finding]:
    versions = ctx.policy_versions
    if versions is None and ctx.services is not None:
        versions = ctx.services.policy_versions()
    if not isinstance(versions, Mapping):
        # Fail closed: without the versions in force this guard cannot vouch for any passage.
        raise ConfigError(
            "passage_integrity needs GuardContext.policy_versions ({policy_id: version}) or "
            "GuardContext.services; the pipeline must pass the registered policies' versions"
        )
    if ctx.passages:
        return check_passages(list(ctx.passages), versions)
    headers = list(_HEADER.finditer(text))
    if not headers:
        if text.strip():
            raise ConfigError(
                "passage_integrity got passage text without headers: build it with "
                "rai_assistant.guards.passages.format_passages or pass GuardContext.passages"
            )
        return []
    findings: list[Finding] = []
    for n, h in enumerate(headers):
        start = h.end() + 1
        end = headers[n + 1].start() if n + 1 < len(headers) else len(text)
        body = text[start:end].rstrip("\n")
        findings.extend(_judge(h.group(1), h.group(2), h.group(3), body, start, versions))
    return findings


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    """Register ``passage_integrity`` at the passages stage."""
    register(
        GuardSpec(
            name=GUARD_NAME,
            clauses=_CLAUSES,
            stages=(Stage.PASSAGES,),
            check=_check,
            description=(
                "Blocks retrieved policy passages that are not from the policy version in force "
                "or that contain instructions addressed to the model."
            ),
            timeout=1.0,
        )
    )
