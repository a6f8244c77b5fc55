"""The data that travels the road: findings, clauses, passages, specs, drafts.

Everything here is plain, typed data. Guards return :class:`Finding` objects; plugins register
:class:`FeatureSpec`, :class:`GuardSpec`, :class:`ModelSpec`, :class:`PolicyDocument` and
:class:`LabelFormat` objects; the pipeline returns a :class:`Draft`.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from rai_assistant.privacy import Vault

__all__ = [
    "ENFORCEABLE_CLAUSES",
    "Clause",
    "Decision",
    "Draft",
    "DraftStatus",
    "FeatureSpec",
    "Finding",
    "GuardContext",
    "GuardServices",
    "GuardSpec",
    "LabelFormat",
    "ModelSpec",
    "Passage",
    "PolicyDocument",
    "Prompt",
    "Span",
    "Stage",
    "Verdict",
]

#: Clauses that must be covered by at least one enabled guard for every feature.
ENFORCEABLE_CLAUSES: tuple[str, ...] = (
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "4.7",
    "3.fairness",
    "3.privacy-security",
    "3.human-control",
    "5.review",
)


class Verdict(enum.StrEnum):
    """What a finding asks of the road."""

    BLOCK = "block"  # stop the road (request) or keep the draft from acceptance (draft)
    FLAG = "flag"  # a problem in the text that a person must fix before accepting
    ADVICE = "advice"  # a quality hint that never blocks
    # A measurement below the guard's bar (its score and the bar), produced only when the context
    # asks for measurements (``GuardContext.measure``, as ``rai eval`` does); never blocks, never
    # reaches a user or the audit log.
    SCORE = "score"


class Stage(enum.StrEnum):
    """Where the text is when a guard looks at it."""

    REQUEST = "request"  # the user's request and notes, before anything else
    PASSAGES = "passages"  # retrieved policy passages, before they reach the model
    DRAFT = "draft"  # the model's text, placeholders restored
    DECISION = "decision"  # a person's accept / reject / edit


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the text the guard judged, and the text there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One guard's judgement about one problem. Findings are data: never printed by guards."""

    guard: str
    clauses: tuple[str, ...]
    verdict: Verdict
    message: str
    category: str = ""
    span: Span | None = None
    suggestion: str = ""
    score: float | None = None
    threshold: float | None = None  # the bar ``score`` was judged against, where the guard has one

    @property
    def blocking(self) -> bool:
        return self.verdict is Verdict.BLOCK

    def to_dict(self) -> dict[str, Any]:
        return {
            "guard": self.guard,
            "clauses": list(self.clauses),
            "verdict": self.verdict.value,
            "category": self.category,
            "message": self.message,
            "span": None
            if self.span is None
            else {"start": self.span.start, "end": self.span.end, "text": self.span.text},
            "suggestion": self.suggestion,
            "score": self.score,
            "threshold": self.threshold,
        }


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a policy, with the id that every verdict and citation uses."""

    id: str  # e.g. "4.3" for the built-in policy, "acme-handbook:2.1" for others
    policy_id: str
    section: str  # e.g. "4. Acceptable Use of AI and LLM Technologies"
    title: str  # short heading, e.g. "Acceptable use, item 3"
    text: str
    policy_version: str


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """A policy registered through ``register_policies``: its id, title, version and clauses."""

    policy_id: str
    title: str
    version: str  # hash of the source text
    clauses: tuple[Clause, ...]
    source: str = ""  # where the text came from (a package resource or file path)

    def clause(self, clause_id: str) -> Clause | None:
        for c in self.clauses:
            if c.id == clause_id:
                return c
        return None


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved clause and how well it matched the query (higher is better)."""

    clause: Clause
    score: float


class GuardServices(Protocol):
    """What the running app offers a guard through ``GuardContext.services``.

    Guards use it instead of building their own plugin manager or models: a judge guard asks for
    a chat model by name and gets the app's (its provider options and its cache).
    """

    def model(self, name: str | None = None) -> BaseChatModel:
        """The chat model ``PREFIX[:NAME]``, built once; raises ModelError with an install hint."""
        ...

    def clause(self, clause_id: str) -> Clause | None:
        """A registered policy clause by id."""
        ...

    def policy_versions(self) -> dict[str, str]:
        """``{policy id: version}`` of the registered policies."""
        ...


@dataclass(frozen=True, slots=True)
class Decision:
    """What the decision-stage guards judge: a person accepting or rejecting a stored draft."""

    #: Who decides, as given (a name) or as authenticated (the principal's label).
    reviewer: str
    #: The draft's status before the decision (only ``pending_review`` may be decided).
    status: str
    #: True to accept (and make the text final), False to reject.
    accepting: bool
    #: The findings on the text being accepted (the edited text's, when the reviewer edited it).
    findings: tuple[Finding, ...] = ()
    #: Why the reviewer accepts despite open findings ("" when none is given).
    override_reason: str = ""


@dataclass(frozen=True, slots=True)
class GuardContext:
    """What a guard may know besides the text it judges.

    ``notes`` are the source notes of the request (for grounding checks); ``people`` are the names
    of the people in the request; ``language`` is the request's detected language code.
    ``measure`` asks guards that score text to also report scores below their bar, as
    :attr:`Verdict.SCORE` findings (for evaluation and calibration only).

    The road fills the stage's own fields: ``passages`` and ``policy_versions`` at
    :attr:`Stage.PASSAGES`, ``vault`` at :attr:`Stage.DRAFT`, ``decision`` at
    :attr:`Stage.DECISION`. ``extra`` is never written by the road: it is for plugins that build
    contexts of their own (in tests, or in a command that runs guards directly).
    """

    feature: str
    stage: Stage
    user: str = ""
    tenant: str = ""
    notes: str = ""
    people: tuple[str, ...] = ()
    language: str = "en"
    extra: Mapping[str, Any] = field(default_factory=dict)
    measure: bool = False
    #: Passages stage: the retrieved passages, as they go into the prompt.
    passages: tuple[Passage, ...] = ()
    #: Passages stage: ``{policy id: version}`` of the policies in force (``None``: ask ``services``).
    policy_versions: Mapping[str, str] | None = None
    #: Draft stage: the request's personal-data vault (placeholders and what they stand for).
    vault: Vault | None = None
    #: Decision stage: who decides what.
    decision: Decision | None = None
    #: The app's services (models by name, clauses, policy versions); ``None`` outside an app.
    services: GuardServices | None = None
    #: When the guard's time is up (``time.monotonic()`` clock), set by the road for each call. A
    #: guard with a long loop checks :meth:`expired` and stops; the road has already blocked.
    deadline: float = math.inf

    def time_left(self) -> float:
        """Seconds until this guard's timeout (``inf`` outside the road)."""
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        """True once the guard's timeout has passed: its verdict is no longer waited for."""
        return time.monotonic() >= self.deadline


#: A guard's check: text and context in, findings out. It may raise; the road then blocks.
GuardCheck = Callable[[str, GuardContext], Sequence[Finding]]


@dataclass(frozen=True, slots=True)
class GuardSpec:
    """A named guard, registered through ``register_guards``.

    ``clauses`` are the clause ids the guard enforces (used for the coverage matrix); ``stages``
    are where it runs; ``features`` limits it to some features (empty means every feature).
    ``timeout`` is in seconds: a guard that runs longer blocks the road.
    ``validator`` optionally supplies a ready guardrails-ai ``Validator`` instance instead of
    ``check`` (see :func:`rai_assistant.guarding.validator_guard`).
    ``warm`` optionally loads what ``check`` needs (models, tables, compiled patterns); the road
    calls it once per process before the guard's first check, outside the timeout, so a slow
    first load on a busy machine is not taken for a hung guard. If it raises, the text is blocked
    as when a check crashes, and the next check tries again.
    """

    name: str
    clauses: tuple[str, ...]
    stages: tuple[Stage, ...]
    check: GuardCheck
    description: str = ""
    features: tuple[str, ...] = ()
    timeout: float = 2.0
    #: ``"thread"`` (default): the check runs in a worker thread; past its timeout the road
    #: blocks at once and the thread is abandoned (it should watch ``ctx.expired()``).
    #: ``"process"``: the check runs in a forked child process that is killed at the timeout, for
    #: guards that may hang in code they do not control; findings must be picklable.
    isolation: str = "thread"
    warm: Callable[[], None] | None = None

    def applies_to(self, feature: str) -> bool:
        return not self.features or feature in self.features


@dataclass(frozen=True, slots=True)
class Prompt:
    """What a feature gives the model: instructions and the user's part, both with placeholders.

    ``examples`` are worked (user, assistant) turns placed between the two, for few-shot
    prompting of small models; write them with placeholders and with facts of their own.
    """

    system: str
    user: str
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """A drafting feature, registered through ``register_features``.

    A feature supplies an input schema, a prompt builder and an output shaper. It never sees the
    model: the road calls the model, so no feature can skip a guard.

    ``build_prompt(inputs, passages)`` receives the validated inputs with personal data already
    replaced by placeholders and the policy passages retrieved for this request.
    ``notes_fields`` names the input fields that hold free text from the user (judged by the
    request guards and used as grounding for claims); ``people_fields`` names fields holding
    people's names (protected by placeholders); ``option_fields`` names short text fields that
    choose how to write (a tone, a period) and are not free text: their schema must cap them at
    100 characters. At start-up every text field of ``input_model`` must be in one of the three,
    so no free text reaches the prompt without passing the request guards.
    """

    name: str
    description: str
    input_model: type[BaseModel]
    build_prompt: Callable[[BaseModel, Sequence[Passage]], Prompt]
    notes_fields: tuple[str, ...] = ("notes",)
    people_fields: tuple[str, ...] = ()
    option_fields: tuple[str, ...] = ()
    shape_output: Callable[[str], str] = str.strip
    max_tokens: int = 320
    #: The first of ``people_fields`` must appear in the draft (feedback addresses its subject);
    #: a draft that drops it is retried, then refused.
    subject_required: bool = False


#: Builds a LangChain chat model from a model name's suffix ("gpt-4o-mini" in "openai:gpt-4o-mini").
ModelFactory = Callable[[str, Mapping[str, Any]], "BaseChatModel"]


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A model provider, registered through ``register_models``.

    ``prefix`` is what comes before the colon of a model name (``openai`` in ``openai:gpt-4o``);
    a model name without a colon matches a spec whose prefix equals the whole name (``local``).
    ``description`` and ``needs`` say what the user must install or set to use it.
    """

    prefix: str
    factory: ModelFactory
    description: str = ""
    needs: str = ""
    default_name: str = ""


@dataclass(frozen=True, slots=True)
class LabelFormat:
    """A way to render a disclosure label, registered through ``register_label_formats``."""

    name: str
    render: Callable[[Mapping[str, Any]], str]
    media_type: str = "text/plain"


DraftStatus = Literal["pending_review", "blocked", "accepted", "rejected"]


@dataclass(slots=True)
class Draft:
    """What the road returns: a pending draft with its label, or a blocked refusal.

    ``text`` is empty when the draft is blocked. ``label`` is the machine-readable disclosure
    record (see :mod:`rai_assistant.label`); ``notice`` is its human-readable form.
    """

    draft_id: str
    feature: str
    status: DraftStatus
    text: str
    findings: list[Finding]
    citations: list[Clause]
    label: dict[str, Any] | None
    notice: str
    model: str
    refusal: str = ""
    reviewer: str = ""
    created_at: str = ""
    tenant: str = ""  # the writer's tenant, from their credential
    owner: str = ""  # the subject id of the writer's credential (key id or OIDC sub)

    @property
    def blocked(self) -> bool:
        return self.status == "blocked"

    def to_dict(self) -> dict[str, Any]:
        return {
            "draft_id": self.draft_id,
            "feature": self.feature,
            "status": self.status,
            "text": self.text,
            "notice": self.notice,
            "label": self.label,
            "findings": [f.to_dict() for f in self.findings],
            "citations": [
                {"clause": c.id, "policy": c.policy_id, "title": c.title, "text": c.text}
                for c in self.citations
            ],
            "model": self.model,
            "refusal": self.refusal,
            "reviewer": self.reviewer,
            "created_at": self.created_at,
            "tenant": self.tenant,
            "owner": self.owner,
        }
