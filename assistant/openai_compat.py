"""An OpenAI-compatible, guarded proxy over the road: apps change only ``base_url`` and ``api_key``.

Routes (see ``docs/openai-proxy.md``):

* ``GET /v1/models`` and ``GET /v1/models/{id}``: one model id per drafting feature,
  ``rai-<feature>`` (``rai-feedback``, ``rai-goal``, ...). The id chooses the feature; the backend
  model is the server's own configuration.
* ``POST /v1/chat/completions``: the text of every message (any role) becomes the feature's notes,
  so the request guards judge all of it; the feature's other inputs come from ``metadata``. The
  answer is a ``chat.completion`` (or ``chat.completion.chunk`` events with ``stream=true``) whose
  extra ``rai`` member carries the draft id, status, disclosure label, findings and citations.
* ``POST /v1/drafts/{feature}/stream``: the ordinary draft request, answered as server-sent
  events ``status`` ... ``delta`` ... ``draft`` (or ``blocked`` / ``error``).

The whole road, output guards included, runs before the first byte of an answer is sent, so no
client can receive text the guards have not judged. The road is synchronous; it runs on the
server's bounded executor (``app.state.road_executor``) when there is one, else on Starlette's
thread pool, never on the event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from rai_assistant.app import VERSION
from rai_assistant.auth import current_principal, require
from rai_assistant.errors import (
    BusyError,
    InputError,
    ModelError,
    NotFoundError,
    RaiError,
    ReviewError,
    StorageError,
)
from rai_assistant.identity import AuthError, ForbiddenError, Principal, Role
from rai_assistant.server import DraftRequest
from rai_assistant.types import Draft, Finding, Stage, Verdict
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from rai_assistant.app import Assistant

__all__ = ["MODEL_PREFIX", "OpenAIError", "chunk_text", "feature_for_model", "model_id", "router"]

#: A model id is this prefix and a feature name: ``rai-feedback`` drafts with feature ``feedback``.
MODEL_PREFIX = "rai-"
#: Metadata key holding comma-separated names of colleagues to protect besides the named people.
ROSTER_KEY = "roster"
#: Seconds between keep-alive comments while the road runs behind an event stream.
KEEPALIVE_SECONDS = 10.0
#: What a 503 asks the client to wait before retrying (the openai client honours it).
RETRY_AFTER_SECONDS = 15
#: What a 429 asks the client to wait; rate limits count over a sliding hour.
RATE_LIMIT_RETRY_AFTER = 60

_T = TypeVar("_T")


def model_id(feature: str) -> str:
    """The OpenAI model id that selects ``feature``."""
    return f"{MODEL_PREFIX}{feature}"


def feature_for_model(assistant: Assistant, model: str) -> str:
    """The feature a model id selects; :class:`OpenAIError` 404 with the valid ids otherwise."""
    feature = model[len(MODEL_PREFIX):] if model.startswith(MODEL_PREFIX) else ""
    if feature not in assistant.registry.features:
        known = ", ".join(model_id(f) for f in sorted(assistant.registry.features))
        raise OpenAIError(
            404,
            f"The model {model!r} does not exist. Each model id is a drafting feature: {known} "
            "(see GET /v1/models).",
            type="invalid_request_error",
            code="model_not_found",
            param="model",
        )
    return feature


# ---------------------------------------------------------------- errors in OpenAI's shape


@dataclass
class OpenAIError(Exception):
    """What an OpenAI client sees: ``{"error": {"message", "type", "param", "code"}}`` and a status."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {
            "message": self.message,
            "type": self.type,
            "param": self.param,
            "code": self.code,
        }
        body.update(self.extra)
        return JSONResponse({"error": body}, status_code=self.status, headers=self.headers)


def _from_rai_error(exc: RaiError) -> OpenAIError:
    if isinstance(exc, BusyError):
        # The caller's token bucket (429) or a full road pool (503): a retry after the wait is fine.
        if exc.status == 429:
            return OpenAIError(429, str(exc), type="requests", code="rate_limit_exceeded",
                               headers={"Retry-After": str(exc.retry_after)})
        return OpenAIError(exc.status, str(exc), type="server_error", code="server_busy",
                           headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, AuthError):
        return OpenAIError(401, str(exc), code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})
    if isinstance(exc, ForbiddenError):
        return OpenAIError(403, str(exc), type="permission_error", code="insufficient_permissions")
    if isinstance(exc, NotFoundError):
        return OpenAIError(404, str(exc), code="not_found")
    if isinstance(exc, InputError):
        return OpenAIError(400, str(exc), code="invalid_value")
    if isinstance(exc, ModelError):
        return _unavailable(str(exc))
    if isinstance(exc, StorageError):
        return OpenAIError(503, "the database is unavailable; try again shortly", type="server_error",
                           code="storage_unavailable", headers={"Retry-After": "30"})
    if isinstance(exc, ReviewError):
        return OpenAIError(409, str(exc), code="conflict", headers={"x-should-retry": "false"})
    return OpenAIError(500, "the server could not complete the request; its operator can see why in the log",
                       type="server_error", code="internal_error")


def _unavailable(message: str) -> OpenAIError:
    return OpenAIError(
        503,
        message,
        type="server_error",
        code="model_unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _validation_message(errors: Sequence[Any]) -> tuple[str, str | None]:
    problems: list[str] = []
    param: str | None = None
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        where = ".".join(loc) or "body"
        param = param or (loc[0] if loc else None)
        if err.get("type") == "extra_forbidden":
            problems.append(f"Unrecognized request argument supplied: {where}")
        else:
            problems.append(f"{where}: {err.get('msg', 'is invalid')}")
    return "; ".join(problems) + " (see docs/openai-proxy.md for the accepted fields)", param


class OpenAIRoute(APIRoute):
    """A route whose every error, auth and validation included, comes back in OpenAI's shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except OpenAIError as exc:
                return exc.response()
            except RequestValidationError as exc:
                message, param = _validation_message(exc.errors())
                return OpenAIError(400, message, param=param).response()
            except RaiError as exc:
                return _from_rai_error(exc).response()

        return guarded


# ---------------------------------------------------------------- the request


class ChatMessage(BaseModel):
    """One message; only text content is accepted (the road drafts text)."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None
    name: str | None = Field(default=None, max_length=200)
    refusal: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None
    function_call: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat-completion request. Unknown fields are refused, as OpenAI refuses them.

    Sampling settings (``temperature``, ``top_p``, penalties, ``seed``, ``stop``, ``max_tokens``)
    are accepted and ignored: the server's model settings and the feature's length apply, so a
    client cannot change what the guards were tuned on. ``user`` is ignored for identity: the
    API key says who asks.
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1, max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool | None = False
    stream_options: dict[str, Any] | None = None
    metadata: dict[str, str] | None = Field(default=None, max_length=16)
    user: str | None = Field(default=None, max_length=256)
    n: int | None = Field(default=None, ge=1)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    seed: int | None = None
    stop: str | list[str] | None = None
    store: bool | None = None
    service_tier: str | None = None
    parallel_tool_calls: bool | None = None
    reasoning_effort: str | None = None
    # Accepted by OpenAI but not by this proxy: refused by name below, with a reason.
    tools: list[Any] | None = None
    tool_choice: Any = None
    functions: list[Any] | None = None
    function_call: Any = None
    response_format: dict[str, Any] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    logit_bias: dict[str, Any] | None = None
    modalities: list[str] | None = None
    audio: dict[str, Any] | None = None
    prediction: dict[str, Any] | None = None
    web_search_options: dict[str, Any] | None = None


_UNSUPPORTED = {
    "tools": "tool calling is not available: the assistant drafts text only",
    "tool_choice": "tool calling is not available: the assistant drafts text only",
    "functions": "function calling is not available: the assistant drafts text only",
    "function_call": "function calling is not available: the assistant drafts text only",
    "logprobs": "log probabilities are not available",
    "top_logprobs": "log probabilities are not available",
    "logit_bias": "logit_bias is not available: it would change what the guards were tuned on",
    "modalities": "only text output is available",
    "audio": "only text output is available",
    "prediction": "predicted outputs are not available",
    "web_search_options": "web search is not available",
}


def _refuse_unsupported(body: ChatCompletionRequest) -> None:
    for name, reason in _UNSUPPORTED.items():
        value = getattr(body, name)
        if value not in (None, False, [], {}):
            raise OpenAIError(400, f"{name}: {reason}; remove it from the request", code="unsupported_parameter", param=name)
    fmt = (body.response_format or {}).get("type", "text")
    if fmt != "text":
        raise OpenAIError(
            400,
            f"response_format {fmt!r} is not available: drafts are plain text; remove response_format",
            code="unsupported_parameter",
            param="response_format",
        )
    if body.n not in (None, 1):
        raise OpenAIError(400, "n must be 1: each request makes one draft for review", code="unsupported_value", param="n")


def _message_text(index: int, message: ChatMessage) -> str:
    if message.role in ("tool", "function") or message.tool_calls or message.function_call:
        raise OpenAIError(
            400,
            f"messages[{index}]: tool and function messages are not available; send text messages only",
            code="unsupported_parameter",
            param="messages",
        )
    if message.audio:
        raise OpenAIError(400, f"messages[{index}]: audio is not available; send text", code="unsupported_parameter", param="messages")
    content = message.content
    if content is None:
        return message.refusal or ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise OpenAIError(
                400,
                f"messages[{index}]: content parts of type {part.get('type')!r} are not available; send text parts only",
                code="unsupported_parameter",
                param="messages",
            )
        parts.append(part["text"])
    return "\n".join(parts)


def _inputs(assistant: Assistant, feature: str, body: ChatCompletionRequest) -> tuple[dict[str, Any], list[str]]:
    """The feature's inputs: every message's text as its notes, the other fields from metadata."""
    spec = assistant.feature(feature)
    notes_field = spec.notes_fields[0] if spec.notes_fields else "notes"
    texts = [(m.role, t) for i, m in enumerate(body.messages) if (t := _message_text(i, m).strip())]
    # The conversation first, then the app's own instructions: all of it is notes, judged on the
    # road; the feature's prompt, not the app's system message, tells the model what to do.
    ordered = [t for r, t in texts if r not in ("system", "developer")] + [
        t for r, t in texts if r in ("system", "developer")
    ]
    if not texts:
        raise OpenAIError(400, "the messages hold no text: write what the draft is about in a user message", param="messages")
    metadata = dict(body.metadata or {})
    if notes_field in metadata:
        raise OpenAIError(
            400,
            f"metadata.{notes_field}: the {notes_field} come from the messages; remove it from metadata",
            param="metadata",
        )
    roster = [n.strip() for n in metadata.pop(ROSTER_KEY, "").split(",") if n.strip()]
    fields = set(spec.input_model.model_fields)
    unknown = sorted(set(metadata) - fields)
    if unknown:
        raise OpenAIError(
            400,
            f"metadata {', '.join(unknown)} not known to {model_id(feature)}; it takes "
            f"{', '.join(sorted(fields - {notes_field}))} and {ROSTER_KEY}",
            param="metadata",
        )
    return {**metadata, notes_field: "\n\n".join(ordered)}, roster


# ---------------------------------------------------------------- running the road


def _backend(assistant: Assistant) -> str:
    """The backend model behind every ``rai-*`` id: the default model if served, else the first served."""
    served = assistant.config.served_models()
    return assistant.config.model if assistant.config.model in served else served[0]


async def _offload(request: Request, fn: Callable[[], _T]) -> _T:
    """Run ``fn`` on the server's bounded road executor if any, else on the thread pool."""
    executor = getattr(request.app.state, "road_executor", None)
    if isinstance(executor, concurrent.futures.Executor):
        return await asyncio.get_running_loop().run_in_executor(executor, fn)
    return await run_in_threadpool(fn)


def _blocked_stage(assistant: Assistant, draft: Draft) -> str:
    blocking = [f for f in draft.findings if f.blocking]
    names = {f.guard for f in blocking}
    request_guards = {g.name for g in assistant.enabled_guards(draft.feature, Stage.REQUEST)}
    if names & (request_guards | {"volume", "enforcement"}):
        return "request"
    if names & {g.name for g in assistant.enabled_guards(draft.feature, Stage.PASSAGES)}:
        return "policy"
    if "model" in names:
        return "model"
    return "draft"


#: Stages of the road in order, as the ``status`` events name them.
STAGES = ("request", "placeholders", "policy", "model", "draft", "label")


def _stages_passed(assistant: Assistant, draft: Draft) -> list[str]:
    if not draft.blocked:
        return list(STAGES)
    return list(STAGES[: STAGES.index(_blocked_stage(assistant, draft))])


def _refusal_error(assistant: Assistant, draft: Draft) -> OpenAIError:
    """The error for a blocked draft: 400 content_filter, 429, 403 or 502 as the cause says."""
    blocking: list[Finding] = [f for f in draft.findings if f.blocking]
    clauses = sorted({c for f in blocking for c in f.clauses})
    stage = _blocked_stage(assistant, draft)
    rai = _rai(draft) | {"clauses": clauses, "stage": stage}
    if stage == "draft":
        # The model's blocked words are not sent back through the findings either.
        rai["findings"] = _bare_findings(draft)
    message = draft.refusal or "The request was refused by the policy."
    guards = {f.guard for f in blocking}
    if guards == {"model"}:
        # Placeholders mangled twice, or no usable text (an outage raises ModelError instead).
        return OpenAIError(502, message, type="server_error", code="model_no_output", extra={"rai": rai})
    no_retry = {"x-should-retry": "false"}
    if "enforcement" in guards:
        return OpenAIError(403, message, type="permission_error", code="account_restricted",
                           headers=no_retry, extra={"rai": rai})
    if guards == {"volume"} and clauses == ["4.7"]:
        # A client retry would count as another request against the limit: ask it not to.
        return OpenAIError(429, message, type="requests", code="rate_limit_exceeded",
                           headers=no_retry | {"Retry-After": str(RATE_LIMIT_RETRY_AFTER)}, extra={"rai": rai})
    return OpenAIError(400, f"{message} (policy clauses: {', '.join(clauses)})", code="content_filter",
                       param="messages", headers=no_retry, extra={"rai": rai})


def _withheld_error(draft: Draft, flagged: Sequence[Finding]) -> OpenAIError:
    """The error for a draft with open flags: 400 content_filter; the draft waits for a person's edit.

    Nothing of the withheld text comes back, not even piecemeal: finding messages and spans quote
    it, so the answer names only guards, categories, clauses and offsets. The draft's owner reads
    the whole of it at ``review_url``.
    """
    clauses = sorted({c for f in flagged for c in f.clauses})
    kinds = sorted({f.category or f.guard for f in flagged})
    message = (
        f"The draft needs a person's edit before it can be used: {len(flagged)} open finding(s) "
        f"({', '.join(kinds)}; policy clauses: {', '.join(clauses)}). It is kept for review at "
        f"/v1/drafts/{draft.draft_id}: read, edit and accept it there, or change the notes and ask again."
    )
    rai = _rai(draft) | {"clauses": clauses, "stage": "draft"}
    rai["findings"] = _bare_findings(draft)
    return OpenAIError(400, message, code="content_filter", param="messages",
                       headers={"x-should-retry": "false"}, extra={"rai": rai})


def _bare_findings(draft: Draft) -> list[dict[str, Any]]:
    """Findings without their messages and span texts, which quote the text they judged."""
    return [
        {
            "guard": f.guard,
            "clauses": list(f.clauses),
            "verdict": f.verdict.value,
            "category": f.category,
            "span": None if f.span is None else {"start": f.span.start, "end": f.span.end},
        }
        for f in draft.findings
    ]


def _rai(draft: Draft) -> dict[str, Any]:
    """The ``rai`` member: everything about the draft except its text (which is the content)."""
    data = draft.to_dict()
    data.pop("text", None)
    data["review_url"] = f"/v1/drafts/{draft.draft_id}"
    return data


def chunk_text(text: str, words: int = 4) -> Iterator[str]:
    """Pieces of ``text`` of a few words each, whitespace kept, that join back to ``text`` exactly."""
    tokens = re.findall(r"\s*\S+\s*|\s+", text)
    for i in range(0, len(tokens), words):
        yield "".join(tokens[i : i + words])


def _sse(data: Mapping[str, Any] | str, event: str | None = None) -> str:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n"


_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


# ---------------------------------------------------------------- the router


def router(assistant: Assistant) -> APIRouter:
    """The OpenAI-compatible routes and the draft event stream, for ``create_app`` to include."""
    openai_api = APIRouter(route_class=OpenAIRoute)
    writer = Depends(require(Role.WRITER))
    anyone = Depends(current_principal)

    def model_card(feature: str) -> dict[str, Any]:
        return {"id": model_id(feature), "object": "model", "created": 0, "owned_by": "rai-assistant"}

    @openai_api.get("/v1/models")
    async def list_models(principal: Principal = anyone) -> dict[str, Any]:
        return {"object": "list", "data": [model_card(f) for f in sorted(assistant.registry.features)]}

    @openai_api.get("/v1/models/{model}")
    async def get_model(model: str, principal: Principal = anyone) -> dict[str, Any]:
        return model_card(feature_for_model(assistant, model))

    @openai_api.post("/v1/chat/completions")
    async def chat_completions(
        request: Request, body: ChatCompletionRequest, principal: Principal = writer
    ) -> Response:
        _refuse_unsupported(body)
        feature = feature_for_model(assistant, body.model)
        inputs, roster = _inputs(assistant, feature, body)
        run = functools.partial(
            assistant.draft, feature, inputs, model=_backend(assistant), principal=principal, roster=roster
        )
        try:
            draft = await _offload(request, run)
        except InputError as exc:
            raise OpenAIError(400, _metadata_hint(str(exc), feature), code="invalid_value", param="metadata") from exc
        if draft.blocked:
            raise _refusal_error(assistant, draft)
        flagged = [f for f in draft.findings if f.verdict is Verdict.FLAG]
        if flagged:
            # A flag is a problem a person must fix before the text is used; an OpenAI app has
            # no review step, so the text stays in the review queue instead of going out.
            raise _withheld_error(draft, flagged)
        created = int(time.time())
        ident = f"chatcmpl-{draft.draft_id}"
        fingerprint = f"rai-assistant-{VERSION}"
        if not body.stream:
            return JSONResponse(
                {
                    "id": ident,
                    "object": "chat.completion",
                    "created": created,
                    "model": body.model,
                    "system_fingerprint": fingerprint,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": draft.text, "refusal": None},
                            "finish_reason": "stop",
                            "logprobs": None,
                        }
                    ],
                    "usage": None,
                    "rai": _rai(draft),
                }
            )

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            return _sse(
                {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": body.model,
                    "system_fingerprint": fingerprint,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
                    **extra,
                }
            )

        def events() -> Iterator[str]:
            # Everything below was judged by the output guards before the response began.
            yield chunk({"role": "assistant", "content": ""})
            for piece in chunk_text(draft.text):
                yield chunk({"content": piece})
            yield chunk({}, "stop", rai=_rai(draft))
            yield _sse("[DONE]")

        return StreamingResponse(events(), media_type="text/event-stream", headers=_SSE_HEADERS)

    drafts_api = APIRouter()

    @drafts_api.post("/v1/drafts/{feature}/stream")
    async def stream_draft(
        request: Request, feature: str, body: DraftRequest, principal: Principal = writer
    ) -> StreamingResponse:
        assistant.feature(feature)  # an unknown feature is a plain 404 before the stream starts
        inputs = dict(body.inputs)
        roster = list(body.roster)
        model = body.model or _backend(assistant)
        if model not in assistant.config.served_models():
            raise InputError(
                f"model {model!r} is not served here; ask for one of {', '.join(assistant.config.served_models())} "
                "or leave model out"
            )
        run = functools.partial(assistant.draft, feature, inputs, model=model, principal=principal, roster=roster)

        async def events() -> AsyncIterator[str]:
            yield _sse({"stage": "received", "feature": feature}, "status")
            task = asyncio.ensure_future(_offload(request, run))
            while True:
                done, _pending = await asyncio.wait({task}, timeout=KEEPALIVE_SECONDS)
                if done:
                    break
                yield ": the road is still running\n\n"
            try:
                draft = task.result()
            except RaiError as exc:
                err = _from_rai_error(exc)
                # Statuses as POST /v1/drafts/{feature} would answer (a bad input is 422 there).
                status = 422 if isinstance(exc, InputError) else err.status
                yield _sse({"error": err.message, "status": status, "code": err.code}, "error")
                return
            for stage in _stages_passed(assistant, draft):
                yield _sse({"stage": stage, "passed": True}, "status")
            if draft.blocked:
                stage = _blocked_stage(assistant, draft)
                yield _sse({"stage": stage, "passed": False}, "status")
                yield _sse(draft.to_dict(), "blocked")
                return
            for piece in chunk_text(draft.text):
                yield _sse({"text": piece}, "delta")
            yield _sse(draft.to_dict(), "draft")

        return StreamingResponse(events(), media_type="text/event-stream", headers=_SSE_HEADERS)

    combined = APIRouter()
    combined.include_router(openai_api)
    combined.include_router(drafts_api)
    return combined


def _metadata_hint(message: str, feature: str) -> str:
    if "Field required" in message or "invalid input" in message:
        return (
            f"{message}. With {model_id(feature)}, the messages are the notes and the other fields go "
            'in metadata, e.g. metadata={"subject": "Dana Lee"}'
        )
    return message
