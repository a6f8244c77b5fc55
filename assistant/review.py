"""The human end of the road: who may see and decide a draft, and the decision itself (5.review).

A pending draft becomes final text only when a named person accepts it, optionally with an
edit that the draft guards judge again; open findings need an edit or a written override. A
rejection is recorded the same way. Rights: within one tenant, a writer sees and decides their own
drafts, a reviewer any draft except one about themselves; another tenant's draft is "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rai_assistant import label as labels
from rai_assistant.errors import InputError, NotFoundError, ReviewError
from rai_assistant.identity import ForbiddenError, Principal, Role
from rai_assistant.types import Decision, Draft, Finding, GuardContext, Stage, Verdict

if TYPE_CHECKING:
    from rai_assistant.app import Assistant

__all__ = ["accept", "check_may_decide", "decision_findings", "load_for", "reject"]


def load_for(app: Assistant, draft_id: str, principal: Principal | None) -> tuple[Draft, str, list[str]]:
    """Load a draft the principal may see; another tenant's (or writer's) draft is "not found"."""
    draft, notes, people = app.store.load(draft_id, app._clauses)
    if principal is None:
        return draft, notes, people
    visible = draft.tenant == principal.tenant and (
        principal.has(Role.REVIEWER) or (principal.has(Role.WRITER) and draft.owner == principal.subject)
    )
    if not visible:
        # The same answer as for a missing draft: ids of other tenants reveal nothing.
        raise NotFoundError(f"no draft with id {draft_id!r}: check the id printed by `rai draft`")
    return draft, notes, people


def check_may_decide(draft: Draft, people: Sequence[str], principal: Principal | None) -> None:
    """Writers decide their own drafts; reviewers any other draft of the tenant, except one about them."""
    if principal is None or (draft.owner == principal.subject and principal.has(Role.WRITER)):
        return
    if not principal.has(Role.REVIEWER):
        raise NotFoundError(f"no draft with id {draft.draft_id!r}: check the id printed by `rai draft`")
    mine = {t.casefold() for t in principal.name.split()}
    for person in people:
        tokens = {t.casefold() for t in person.split()}
        if mine and tokens and tokens <= mine:
            raise ForbiddenError("this draft is about you, so you cannot accept or reject it: ask another reviewer")


def _decider(
    app: Assistant, draft_id: str, reviewer: str, principal: Principal | None
) -> tuple[Draft, str, list[str], str, str]:
    """The draft a decision is about, checked for the right to decide, and who decides:
    ``(draft, notes, people, reviewer name, reviewer id)``; with a principal, both come from it."""
    draft, notes, people = load_for(app, draft_id, principal)
    check_may_decide(draft, people, principal)
    if principal is not None:
        return draft, notes, people, principal.label, principal.subject
    return draft, notes, people, reviewer, reviewer


def decision_findings(
    app: Assistant, draft: Draft, reviewer: str, findings: list[Finding], override_reason: str, *, accepting: bool
) -> list[Finding]:
    """The decision-stage guards (a named human reviewer, open findings, the draft's state)."""
    ctx = GuardContext(
        services=app,
        feature=draft.feature,
        stage=Stage.DECISION,
        decision=Decision(
            reviewer=reviewer,
            status=draft.status,
            accepting=accepting,
            findings=tuple(findings),
            override_reason=override_reason,
        ),
    )
    return app._runner(Stage.DECISION, draft.feature).run(reviewer or "-", ctx)


def accept(
    app: Assistant,
    draft_id: str,
    reviewer: str = "",
    *,
    text: str | None = None,
    override_reason: str = "",
    principal: Principal | None = None,
) -> Draft:
    """A named person accepts a pending draft, optionally with their edit (see :meth:`Assistant.accept`)."""
    from rai_assistant.app import _clean_text

    draft, notes, people, reviewer, reviewer_id = _decider(app, draft_id, reviewer, principal)
    final = draft.text if text is None else _clean_text(text, "edited text", app.config.max_request_chars)
    if not final.strip():
        raise InputError("the edited text is empty: pass the text to accept, or reject the draft")
    edited = text is not None and text.strip() != draft.text.strip()
    findings = draft.findings
    if edited:
        ctx = GuardContext(services=app, feature=draft.feature, stage=Stage.DRAFT, notes=notes, people=tuple(people))
        findings = app._runner(Stage.DRAFT, draft.feature).run(final, ctx)
    blocking = [f for f in decision_findings(app, draft, reviewer, findings, override_reason, accepting=True) if f.blocking]
    if blocking:
        raise ReviewError("the draft cannot be accepted yet: " + " ".join(f.message for f in blocking))
    current_label = draft.label
    if current_label is None:
        raise ReviewError(f"draft {draft_id} has no label and cannot be accepted")
    new_label = labels.decide_label(current_label, reviewer=reviewer, final_text=final, edited=edited, accepted=True)
    if override_reason:
        new_label["override"] = {"reason": override_reason, "reviewer": reviewer}
    draft.status = "accepted"
    draft.text = final
    draft.findings = findings
    draft.label = new_label
    draft.notice = new_label["notice"]
    draft.reviewer = reviewer
    app.store.decide(draft, updated_at=labels.now())
    open_findings = [f for f in findings if f.verdict is Verdict.FLAG]
    app._emit(
        app.audit,
        "decision",
        {
            "decision": "accepted",
            "reviewer": app._hash(reviewer_id),
            "tenant": draft.tenant,
            "edited": edited,
            "reviewed": True,
            "override_reason": override_reason,
            "open_findings": [app._finding_record(f) for f in open_findings],
            "label": {k: new_label[k] for k in ("digitalSourceType", "contentHash")},
        },
        draft_id=draft_id,
        feature=draft.feature,
    )
    return draft


def reject(
    app: Assistant, draft_id: str, reviewer: str = "", reason: str = "", *, principal: Principal | None = None
) -> Draft:
    """A person rejects a pending draft; the same rights as :func:`accept`."""
    draft, _notes, _people, reviewer, reviewer_id = _decider(app, draft_id, reviewer, principal)
    decision_findings(app, draft, reviewer, [], "", accepting=False)
    if draft.status != "pending_review":
        raise ReviewError(f"draft {draft_id} is {draft.status}; only a pending draft can be rejected")
    draft.status = "rejected"
    draft.reviewer = reviewer
    if draft.label is not None:
        draft.label = labels.decide_label(draft.label, reviewer=reviewer, final_text=draft.text, edited=False, accepted=False)
    app.store.decide(draft, updated_at=labels.now())
    app._emit(
        app.audit,
        "decision",
        {
            "decision": "rejected",
            "reviewer": app._hash(reviewer_id),
            "tenant": draft.tenant,
            "reason_given": bool(reason.strip()),
        },
        draft_id=draft_id,
        feature=draft.feature,
    )
    return draft
