"""The road one draft travels, as small stage functions over one typed request.

:func:`open_request` validates the inputs and records the request; then each function of
:data:`STAGES` either moves the :class:`DraftRequest` along (filling in what it produced) or
returns a :class:`Stop`, which :func:`refuse` turns into a blocked draft with a refusal citing the
policy. :func:`finish` labels, stores and audits a draft that reached the end.

===  ==================  ===========================================================
 0   enforcement         suspended or temporarily blocked users (5.enforcement)
 1   request_guards      volume limits and the request guards on the notes as typed
 2   placeholders        names, contacts and ids become ``[PERSON_1]``-style placeholders
 3   retrieval           the policy clauses for this request, checked by the passage guards
 4   model               prompt, model (with a timeout), placeholders restored, output shaped
 5   output_guards       the draft guards, with one revision of flagged spans
===  ==================  ===========================================================

Stages receive the app for its services (guards, stores, audit, model); they never skip one
another, and no feature or plugin can call the model except through :data:`STAGES`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rai_assistant import label as labels
from rai_assistant.errors import InputError, ModelError
from rai_assistant.types import Clause, Draft, FeatureSpec, Finding, GuardContext, Passage, Stage, Verdict

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from pydantic import BaseModel
    from rai_assistant.app import Assistant
    from rai_assistant.privacy import Vault

__all__ = ["STAGES", "DraftRequest", "Stop", "finish", "open_request", "refuse", "run"]


@dataclass(frozen=True, slots=True)
class Stop:
    """A stage's refusal: the findings, the refusal text, the clauses it cites, and where."""

    findings: list[Finding]
    refusal: str
    citations: list[Clause]
    stage: str


@dataclass(slots=True)
class DraftRequest:
    """One request on the road: what was asked, then what each stage produced."""

    spec: FeatureSpec
    values: dict[str, Any]
    notes: str
    people: list[str]
    roster: tuple[str, ...]
    model_name: str
    user_hash: str
    tenant: str
    owner: str
    draft_id: str
    created: str
    # filled in along the road
    vault: Vault | None = None
    protected_inputs: BaseModel | None = None
    protected_notes: str = ""
    passages: list[Passage] = field(default_factory=list)
    chat: BaseChatModel | None = None
    text: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def feature(self) -> str:
        return self.spec.name


#: A stage: the app and the request in; ``None`` to go on, or a :class:`Stop`.
StageFn = Callable[["Assistant", DraftRequest], "Stop | None"]


def _field_text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def open_request(
    app: Assistant,
    feature: str,
    data: Mapping[str, Any],
    *,
    model: str | None,
    user: str,
    tenant: str,
    owner: str,
    roster: Sequence[str],
) -> DraftRequest:
    """Validate the inputs against the feature's schema and audit the request.

    :raises NotFoundError: unknown feature. :raises InputError: malformed or too long inputs.
    """
    spec = app.feature(feature)
    validated = app._validate_inputs(spec, data)
    values = validated.model_dump()
    notes = "\n".join(_field_text(values.get(f)) for f in spec.notes_fields if values.get(f))
    people = [str(values[f]) for f in spec.people_fields if values.get(f)]
    total = sum(len(_field_text(v)) for v in values.values())
    if total > app.config.max_request_chars:
        raise InputError(f"the request is {total:,} characters; the limit is {app.config.max_request_chars:,}")
    request = DraftRequest(
        spec=spec,
        values=values,
        notes=notes,
        people=people,
        roster=tuple(roster),
        model_name=model or app.config.model,
        user_hash=app._hash(user or "anonymous"),
        tenant=tenant,
        owner=owner,
        draft_id=uuid.uuid4().hex[:12],
        created=labels.now(),
    )
    app._emit(
        app.audit,
        "request",
        {
            "user": request.user_hash,
            "tenant": tenant,
            "model": request.model_name,
            "chars": total,
            "people": len(people) + len(roster),
            "policies": app.policy_versions(),
        },
        feature=feature,
    )
    return request


# ---------------------------------------------------------------- the stages


def enforcement(app: Assistant, req: DraftRequest) -> Stop | None:
    """0. A suspended or temporarily blocked user gets nothing (5.enforcement)."""
    standing = app.enforcement.standing(req.user_hash, req.tenant)
    if standing is None:
        return None
    finding = Finding(
        guard="enforcement",
        clauses=("5.enforcement",),
        verdict=Verdict.BLOCK,
        category=standing.level,
        message=standing.message,
    )
    return Stop([finding], standing.message, app._cite([finding]), "enforcement")


def request_guards(app: Assistant, req: DraftRequest) -> Stop | None:
    """1. Volume limits and the request guards, on the request as typed."""
    ctx = GuardContext(
        services=app, feature=req.feature, stage=Stage.REQUEST, user=req.user_hash, tenant=req.tenant,
        notes=req.notes, people=tuple(req.people),
    )
    judged = req.notes or " ".join(req.people)
    findings = app.enforcement.volume_findings(req.user_hash, req.tenant, judged)
    findings += app._runner(Stage.REQUEST, req.feature).run(judged, ctx)
    blocking = [f for f in findings if f.blocking]
    if not blocking:
        return None
    app._record_violation(req.user_hash, req.tenant, blocking)
    return Stop(findings, app.refusal_text(blocking), app._cite(blocking), Stage.REQUEST.value)


def placeholders(app: Assistant, req: DraftRequest) -> Stop | None:
    """2. Personal data -> placeholders, one vault for the whole request."""
    from rai_assistant.privacy import Vault

    subject = req.people[0] if req.spec.subject_required and req.people else ""
    vault = Vault.for_request(people=[*req.people, *req.roster], roster=req.roster, subject=subject)
    protected = {key: _protect_value(vault, value) for key, value in req.values.items()}
    req.vault = vault
    req.protected_inputs = req.spec.input_model.model_construct(**protected)
    req.protected_notes = vault.protect(req.notes) if req.notes else ""
    return None


def _protect_value(vault: Vault, value: Any) -> Any:
    if isinstance(value, str):
        return vault.protect(value)
    if isinstance(value, list):
        return [vault.protect(v) if isinstance(v, str) else v for v in value]
    return value


def retrieval(app: Assistant, req: DraftRequest) -> Stop | None:
    """3. The policy clauses that matter for this request, checked before use."""
    req.passages = app.retrieve(req.protected_notes or req.spec.description, k=app.config.retrieved_clauses, notes=True)
    findings = app._check_passages(req.feature, req.passages)
    blocking = [f for f in findings if f.blocking]
    if blocking:
        return Stop(findings, app.refusal_text(blocking), [], Stage.PASSAGES.value)
    return None


def _model_block(category: str, message: str) -> Stop:
    finding = Finding(
        guard="model", clauses=("3.accountability",), verdict=Verdict.BLOCK, category=category, message=message
    )
    return Stop([finding], finding.message, [], "model")


def model(app: Assistant, req: DraftRequest) -> Stop | None:
    """4. Prompt -> model -> placeholders restored -> the feature's output shape.

    :raises ModelError: the model is unavailable, failed or timed out (audited as
        ``model_error``: an outage is not the user's doing, so no refusal and no violation).
    """
    from rai_assistant.modelcall import PlaceholdersChanged

    assert req.vault is not None and req.protected_inputs is not None, "placeholders runs first"
    prompt = req.spec.build_prompt(req.protected_inputs, req.passages)
    try:
        req.chat = app.model(req.model_name)
        restored = app._generate(
            req.chat, prompt.system, prompt.user, req.vault, req.spec.max_tokens, prompt.examples
        )
    except PlaceholdersChanged as exc:
        return _model_block("placeholders_changed", f"No draft was produced: {exc}")
    except ModelError:
        app._emit(
            app.audit,
            "model_error",
            {"user": req.user_hash, "tenant": req.tenant, "model": req.model_name},
            feature=req.feature,
        )
        raise
    req.text = req.spec.shape_output(restored)
    if not req.text.strip():
        return _model_block(
            "empty_output", "The model returned no usable text. Add more detail to the notes and try again."
        )
    return None


def output_guards(app: Assistant, req: DraftRequest) -> Stop | None:
    """5. The draft guards, with one revision of flagged spans; blocking findings refuse."""
    assert req.vault is not None and req.chat is not None, "model runs first"
    ctx = GuardContext(
        services=app, feature=req.feature, stage=Stage.DRAFT, user=req.user_hash, tenant=req.tenant,
        notes=req.notes, people=tuple(req.vault.people.values()), vault=req.vault,
    )
    runner = app._runner(Stage.DRAFT, req.feature)
    findings = runner.run(req.text, ctx)
    if app.config.revise and any(f.verdict is Verdict.FLAG and f.span for f in findings):
        revised = app._revise(req.chat, req.text, findings, req.vault, req.spec)
        if revised is not None:
            revised_findings = runner.run(revised, ctx)
            if _severity(revised_findings) < _severity(findings):
                # A flag the revision resolved stays on the record, as advice: the reviewer
                # (and the guard's author) can see what was changed and why.
                req.text, findings = revised, revised_findings + _resolved(findings, revised_findings)
    req.findings = findings
    blocking = [f for f in findings if f.blocking]
    if blocking:
        return Stop(findings, app.refusal_text(blocking), app._cite(blocking), Stage.DRAFT.value)
    return None


#: The road, in order. Every draft goes through every stage until one stops it.
STAGES: tuple[StageFn, ...] = (enforcement, request_guards, placeholders, retrieval, model, output_guards)


# ---------------------------------------------------------------- the two ends


def refuse(app: Assistant, req: DraftRequest, stop: Stop) -> Draft:
    """A blocked draft: stored without text, notes or names, and audited as a refusal."""
    result = Draft(
        draft_id=req.draft_id,
        feature=req.feature,
        status="blocked",
        text="",
        findings=stop.findings,
        citations=stop.citations,
        label=None,
        notice="",
        model=req.model_name,
        refusal=stop.refusal,
        created_at=req.created,
        tenant=req.tenant,
        owner=req.owner,
    )
    app.store.save(result, notes="", people=[])
    app._emit(
        app.audit,
        "refusal",
        {
            "user": req.user_hash,
            "tenant": req.tenant,
            "stage": stop.stage,
            "findings": [app._finding_record(f) for f in stop.findings],
            "clauses": sorted({c for f in stop.findings for c in f.clauses}),
        },
        draft_id=req.draft_id,
        feature=req.feature,
    )
    return result


def finish(app: Assistant, req: DraftRequest) -> Draft:
    """Label the draft, store it pending a person's decision, and audit it."""
    assert req.vault is not None, "placeholders runs first"
    label = labels.build_label(
        draft_id=req.draft_id, feature=req.feature, text=req.text, model=req.model_name,
        policies=app.policy_versions(), version=app.version,
    )
    label = app._amend_label(label, req.feature)
    result = Draft(
        draft_id=req.draft_id,
        feature=req.feature,
        status="pending_review",
        text=req.text,
        findings=req.findings,
        citations=app._cite(req.findings, req.passages),
        label=label,
        notice=label["notice"],
        model=req.model_name,
        created_at=req.created,
        tenant=req.tenant,
        owner=req.owner,
    )
    app.store.save(result, notes=req.notes, people=list(req.vault.people.values()))
    app._emit(
        app.audit,
        "draft",
        {
            "user": req.user_hash,
            "tenant": req.tenant,
            "status": result.status,
            "findings": [app._finding_record(f) for f in req.findings],
            "citations": [c.id for c in result.citations],
            "placeholders": len(req.vault.placeholders),
            "label": {k: label[k] for k in ("digitalSourceType", "contentHash", "policy", "model", "created")},
        },
        draft_id=req.draft_id,
        feature=req.feature,
    )
    return result


def run(app: Assistant, req: DraftRequest, stages: Sequence[StageFn] = STAGES) -> Draft:
    """Take ``req`` down the road: a pending draft, or a blocked one from the first stage that stops it."""
    for stage in stages:
        stop = stage(app, req)
        if stop is not None:
            return refuse(app, req, stop)
    return finish(app, req)


def _resolved(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """The flags of the first draft that the revision removed, as advice without a span.

    The advice quotes neither the flagged words nor the guard's message (which often quotes
    them): they were never shipped, and no client (the streaming proxy included) may receive text
    the guards did not pass.
    """
    still = {(f.guard, f.category, f.span.text if f.span else "") for f in after if f.verdict is Verdict.FLAG}
    resolved = []
    for f in before:
        if f.verdict is not Verdict.FLAG or f.span is None or (f.guard, f.category, f.span.text) in still:
            continue
        resolved.append(
            Finding(
                guard=f.guard,
                clauses=f.clauses,
                verdict=Verdict.ADVICE,
                category=f.category,
                message=(
                    f"Revised automatically: the first draft had words the {f.guard} guard flagged "
                    f"({f.category or 'flag'}, clause {', '.join(f.clauses)}); the model rewrote them. "
                    "Check the draft still says what you meant."
                ),
            )
        )
    return resolved


def _severity(findings: Sequence[Finding]) -> int:
    return sum(3 if f.blocking else 1 for f in findings if f.verdict is not Verdict.ADVICE)
