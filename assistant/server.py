"""The HTTP API (FastAPI) and the drafting page, over the same :class:`Assistant` road.

Every ``/v1`` route needs a credential (``Authorization: Bearer <API key or OIDC token>``); who
the caller is (tenant, name, roles) comes from it, never from a request body. See
``docs/service.md`` for the routes, the roles and the ``[server]`` settings.

Serving: drafts and decisions run in a bounded pool of threads (``[server] workers`` + ``queue``;
past that, 503 with ``Retry-After``), so ``/healthz``, ``/readyz`` and ``/metrics`` never wait
behind a slow model. Errors come back as ``{"error": message}``; a 422 for a malformed body
names the fields and the problems, never the values sent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from rai_assistant.auth import RateLimiter, build_authenticator, current_principal, require
from rai_assistant.errors import (
    BusyError,
    InputError,
    ModelError,
    NotFoundError,
    RaiError,
    ReviewError,
    StorageError,
)
from rai_assistant.identity import Authenticator, AuthError, ForbiddenError, Principal, Role
from rai_assistant.metrics import CONTENT_TYPE, ServiceMetrics
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from rai_assistant.app import Assistant

__all__ = ["AcceptRequest", "CheckRequest", "DraftRequest", "RejectRequest", "RoadPool", "create_app"]

log = logging.getLogger("rai.server")

T = TypeVar("T")

_STATIC = Path(__file__).parent / "static"
_MODEL_RETRY_AFTER = 15
_QUEUE_RETRY_AFTER = 5
_READY_TIMEOUT = 10.0
_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
_IDENTITY_FIELDS = ("user", "tenant", "reviewer", "owner")


# ---------------------------------------------------------------- request bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_identity(cls, data: Any) -> Any:
        if isinstance(data, dict):
            sent = [k for k in _IDENTITY_FIELDS if k in data]
            if sent:
                raise ValueError(
                    f"{', '.join(sent)} cannot be sent: who you are comes from your API key or sign-in "
                    "token; remove the field"
                )
        return data


RosterName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class DraftRequest(_Body):
    """``POST /v1/drafts/{feature}``: the feature's inputs (see ``GET /v1/features``)."""

    inputs: dict[FieldName, Any] = Field(max_length=32)
    model: str | None = Field(default=None, max_length=200, description="one of the server's models; default: its default")
    roster: list[RosterName] = Field(default_factory=list, max_length=200, description="more names to protect")


class AcceptRequest(_Body):
    """``POST /v1/drafts/{id}/accept``: optionally the edited text and an override reason."""

    text: str | None = Field(default=None, max_length=100_000)
    override_reason: str = Field(default="", max_length=2000)


class RejectRequest(_Body):
    """``POST /v1/drafts/{id}/reject``: optionally why."""

    reason: str = Field(default="", max_length=2000)


class CheckRequest(_Body):
    """``POST /v1/check``: a person's own text, judged by the draft guards."""

    text: str = Field(max_length=100_000)
    feature: str = Field(default="feedback", max_length=100)


# ---------------------------------------------------------------- the bounded pool


class RoadPool(concurrent.futures.Executor):
    """Threads for the blocking road: ``workers`` run, ``queue`` more wait, the rest get 503.

    An :class:`~concurrent.futures.Executor`, so routers can ``loop.run_in_executor(pool, fn)``;
    :meth:`submit` raises :class:`BusyError` (503, ``Retry-After``) when every slot is taken.
    """

    def __init__(self, workers: int, queue: int) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rai-road")
        self._slots = threading.BoundedSemaphore(workers + queue)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        if not self._slots.acquire(blocking=False):
            raise BusyError(
                "the server is busy with other drafts: try again in a few seconds",
                status=503,
                retry_after=_QUEUE_RETRY_AFTER,
            )
        try:
            future = self._executor.submit(fn, *args, **kwargs)
        except RuntimeError:
            self._slots.release()
            raise
        # The slot frees when the work ends, even if the client has gone away meanwhile.
        future.add_done_callback(lambda _f: self._slots.release())
        return future

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` in the pool and await it; :class:`BusyError` (503) when the queue is full."""
        return await asyncio.wrap_future(self.submit(functools.partial(fn, *args, **kwargs)))

    def shutdown(self, wait: bool = False, *, cancel_futures: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)


# ---------------------------------------------------------------- middleware (plain ASGI)


class _BodyLimit:
    """413 for a body over the limit: by ``Content-Length`` up front, else while it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> str:
        return (
            f"the request body is larger than {self.limit:,} bytes: shorten the text or split it "
            "into several requests"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                response = _error_for(scope["path"], "the Content-Length header is not a number", 400)
                await response(scope, receive, send)
                return
            if int(declared) > self.limit:
                await _error_for(scope["path"], self._message(), 413)(scope, receive, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise StarletteHTTPException(413, detail=self._message())
            return message

        await self.app(scope, limited, send)


class _Headers:
    """Security headers on every response; ``Cache-Control: no-store`` on all but static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = _CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if not path.startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


class _Observe:
    """Count and time each request by route template; a span per request when tracing is on."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics, tracer: Any = None) -> None:
        self.app = app
        self.metrics = metrics
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        span_cm = self.tracer.start_as_current_span("http.request") if self.tracer is not None else None
        span = span_cm.__enter__() if span_cm is not None else None
        try:
            await self.app(scope, receive, recording)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = str(scope.get("method", ""))
            self.metrics.observe(route, method, status, time.perf_counter() - started)
            if span is not None and span_cm is not None:
                span.update_name(f"{method} {route}")
                span.set_attribute("http.request.method", method)
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                span_cm.__exit__(None, None, None)


def _otel_tracer() -> Any:
    """A tracer exporting over OTLP/HTTP when an endpoint is set and the SDK is installed; else None."""
    own = os.environ.get("RAI_OTEL_ENDPOINT", "").strip()
    if not own and not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip():
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        log.warning("an OTLP endpoint is set but opentelemetry-sdk is not installed: no traces")
        return None
    endpoint = None
    if own:
        endpoint = own if own.rstrip("/").endswith("/v1/traces") else own.rstrip("/") + "/v1/traces"
    provider = TracerProvider(resource=Resource.create({"service.name": "rai-assistant"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return provider.get_tracer("rai-assistant")


# ---------------------------------------------------------------- errors


def _error(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


#: The OpenAI-compatible routes: their errors take OpenAI's shape, which their clients parse.
_OPENAI_PATHS = ("/v1/chat/", "/v1/models")
_OPENAI_CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}


def _error_for(path: str, message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error response in the shape the route's clients expect (OpenAI's on the proxy routes)."""
    if not path.startswith(_OPENAI_PATHS):
        return _error(message, status, headers)
    from rai_assistant.openai_compat import OpenAIError

    kind = "server_error" if status >= 500 else "invalid_request_error"
    return OpenAIError(status, message, type=kind, code=_OPENAI_CODES.get(status), headers=headers or {}).response()


def _rai_error_response(exc: RaiError) -> JSONResponse:
    if isinstance(exc, BusyError):
        return _error(str(exc), exc.status, {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, AuthError):
        return _error(str(exc), 401, {"WWW-Authenticate": "Bearer"})
    if isinstance(exc, ModelError):
        # An outage, not a policy decision: the client may retry, nothing was blocked.
        return _error(
            f"the model is unavailable, so no draft was made: {exc}. Try again shortly.",
            503,
            {"Retry-After": str(_MODEL_RETRY_AFTER)},
        )
    if isinstance(exc, StorageError):
        log.error("storage error: %s", exc)
        return _error("the database is unavailable; try again shortly", 503, {"Retry-After": "30"})
    for cls, code in ((ForbiddenError, 403), (InputError, 422), (NotFoundError, 404), (ReviewError, 409)):
        if isinstance(exc, cls):
            return _error(str(exc), code)
    log.error("unhandled %s: %s", type(exc).__name__, exc)
    return _error("the server could not complete the request; its operator can see why in the log", 500)


_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|\[key\]|\d{1,6}")


def _short(part: object) -> str:
    text = str(part)
    return text if len(text) <= 40 else text[:37] + "..."


def _loc_part(part: object) -> str:
    # A location is the schema's field names and list indexes; a dict key the client made up is
    # their input, so it is not repeated unless it looks like a field name.
    text = str(part)
    return text if _FIELD.fullmatch(text) else "<key>"


def _validation_response(exc: RequestValidationError) -> JSONResponse:
    # Names the fields and what is wrong, never the values: a bad 50 MB field is not echoed back.
    problems = []
    for err in list(exc.errors())[:20]:
        loc = [p for p in err.get("loc", ()) if p != "body"]
        where = ".".join(_loc_part(p) for p in loc) or "body"
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            msg = "the body is not valid JSON"
        problems.append({"field": where, "problem": msg[:300]})
    summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
    return JSONResponse(
        {"error": f"invalid request: {summary}. See GET /v1/features and /openapi.json", "problems": problems},
        status_code=422,
    )


# ---------------------------------------------------------------- the app


def create_app(
    assistant: Assistant,
    *,
    authenticator: Authenticator | None = None,
    tracer: Any = None,
) -> FastAPI:
    """The HTTP service over ``assistant``.

    :param authenticator: who may call; default API keys from the assistant's database, plus
        OIDC tokens when ``[server.oidc]`` is configured.
    :param tracer: an OpenTelemetry tracer; default one exporting to ``RAI_OTEL_ENDPOINT`` (or
        ``OTEL_EXPORTER_OTLP_ENDPOINT``) when set, else no tracing.

    ``app.state`` carries ``assistant``, ``pool`` (also as ``road_executor``: a bounded
    :class:`RoadPool` for blocking road work), ``metrics``, ``authenticator`` and
    ``rate_limiter`` for routers added later.
    """
    settings = assistant.config.server
    pool = RoadPool(settings.workers, settings.queue)
    ready_pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="rai-ready")
    metrics = ServiceMetrics()
    assistant.pm.register(metrics, name=f"rai-metrics-{id(metrics)}")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown()
        ready_pool.shutdown(wait=False, cancel_futures=True)

    api = FastAPI(
        title="rai-assistant",
        version="0.1.0",
        description="HR writing assistant that follows a Responsible-AI policy. See docs/service.md.",
        docs_url=None,  # the Swagger page loads scripts from a CDN, which the CSP forbids
        redoc_url=None,
        lifespan=lifespan,
    )
    api.state.assistant = assistant
    api.state.pool = pool
    api.state.road_executor = pool
    api.state.metrics = metrics
    api.state.authenticator = authenticator if authenticator is not None else build_authenticator(assistant)
    api.state.rate_limiter = RateLimiter(settings.rate_per_minute, settings.rate_burst)

    # Added innermost first: headers wrap everything, including the host check's 400.
    api.add_middleware(_BodyLimit, limit=settings.max_body_bytes)
    api.add_middleware(_Observe, metrics=metrics, tracer=tracer if tracer is not None else _otel_tracer())
    api.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    api.add_middleware(_Headers)

    @api.exception_handler(RaiError)
    async def _rai_error(_request: Request, exc: RaiError) -> JSONResponse:
        if isinstance(exc, BusyError):
            metrics.busy.labels("rate_limit" if exc.status == 429 else "queue").inc()
        return _rai_error_response(exc)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404:
            message = "no such endpoint: see /openapi.json for the API"
        elif exc.status_code == 405:
            message = "this endpoint does not take that method: see /openapi.json"
        return _error_for(request.url.path, message, exc.status_code, dict(exc.headers or {}))

    writer_or_reviewer = Depends(require(Role.WRITER, Role.REVIEWER))
    anyone = Depends(current_principal)

    # ------------------------------------------------------------ probes (no credential)

    @api.get("/healthz", tags=["probes"])
    async def healthz() -> dict[str, Any]:
        """Liveness: the process answers. Never waits behind drafts."""
        return {"ok": True}

    @api.get("/readyz", tags=["probes"])
    async def readyz() -> JSONResponse:
        """Readiness: the default model loads, the policy index answers, the database answers."""

        def policy() -> None:
            if not assistant.retrieve("acceptable use of AI", k=1):
                raise RuntimeError("the policy index returned nothing")

        checks: dict[str, Callable[[], object]] = {
            "model": lambda: assistant.model(),
            "policy_index": policy,
            "database": lambda: assistant.store.list(None, 1),
        }
        loop = asyncio.get_running_loop()
        results: dict[str, str] = {}
        for part, check in checks.items():
            try:
                await asyncio.wait_for(loop.run_in_executor(ready_pool, check), _READY_TIMEOUT)
                results[part] = "ok"
            except Exception as exc:  # noqa: BLE001 - any failure makes the part not ready
                log.warning("readiness: %s failed: %s", part, type(exc).__name__)
                results[part] = "failed"
        failed = [p for p, r in results.items() if r != "ok"]
        body: dict[str, Any] = {"ok": not failed, "checks": results}
        if failed:
            body["error"] = f"not ready: {', '.join(failed)} failed; the operator's log says why"
        return JSONResponse(body, status_code=503 if failed else 200, headers={"Retry-After": "10"} if failed else None)

    @api.get("/metrics", tags=["probes"], response_class=Response)
    async def prometheus(request: Request) -> Response:
        """Prometheus metrics; needs an auditor or admin credential unless ``metrics_public``."""
        if not settings.metrics_public:
            principal = await current_principal(request)
            if not principal.has(Role.AUDITOR, Role.ADMIN):
                raise ForbiddenError("metrics need the auditor or admin role; ask a tenant admin for a key")
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    # ------------------------------------------------------------ who am I, what is offered

    @api.get("/v1/me", tags=["identity"])
    async def me(principal: Principal = anyone) -> dict[str, Any]:
        """The caller as the credential proves them: tenant, name, roles."""
        return {
            "tenant": principal.tenant,
            "subject": principal.subject,
            "name": principal.label,
            "roles": sorted(r.value for r in principal.roles),
            "via": principal.via,
        }

    @api.get("/v1/features", tags=["drafting"])
    async def features(_principal: Principal = anyone) -> dict[str, Any]:
        """Each feature's name, description, input fields (JSON schema) and which fields are notes."""
        out = []
        for name in sorted(assistant.registry.features):
            spec = assistant.registry.features[name]
            out.append(
                {
                    "name": name,
                    "description": spec.description,
                    "fields": list(spec.input_model.model_fields),
                    "schema": spec.input_model.model_json_schema(),
                    "notes_fields": list(spec.notes_fields),
                    "people_fields": list(spec.people_fields),
                    "subject_required": spec.subject_required,
                }
            )
        return {"features": out, "models": assistant.config.served_models(), "default_model": assistant.config.model}

    # ------------------------------------------------------------ drafts

    @api.post("/v1/drafts/{feature}", tags=["drafting"])
    async def create_draft(
        feature: str, body: DraftRequest, principal: Principal = Depends(require(Role.WRITER))
    ) -> JSONResponse:
        """Draft with a feature. 200 with a pending draft, 422 with a blocked one (the refusal cites
        the policy), 503 when the model is unavailable (retry; nothing was blocked)."""
        assistant.feature(feature)
        served = assistant.config.served_models()
        if body.model is not None and body.model not in served:
            raise InputError(
                f"model {_short(body.model)!r} is not offered by this server: use one of {', '.join(served)} "
                "or leave model out"
            )
        draft = await pool.run(
            assistant.draft, feature, body.inputs, model=body.model, roster=body.roster, principal=principal
        )
        return JSONResponse(draft.to_dict(), status_code=200 if not draft.blocked else 422)

    @api.get("/v1/drafts", tags=["drafting"])
    async def list_drafts(
        principal: Principal = writer_or_reviewer,
        status: Literal["pending_review", "blocked", "accepted", "rejected"] | None = None,
        limit: int = Query(default=50, ge=1, le=200),
    ) -> dict[str, Any]:
        """Drafts newest first, without texts: a writer's own, or the tenant's for a reviewer."""
        rows = await pool.run(assistant.list_drafts, principal=principal, status=status, limit=limit)
        return {"drafts": rows}

    @api.get("/v1/drafts/{draft_id}", tags=["drafting"])
    async def get_draft(draft_id: str, principal: Principal = writer_or_reviewer) -> dict[str, Any]:
        """One draft; 404 for a draft of another tenant (or, for a writer, of another writer)."""
        draft = await pool.run(assistant.get, draft_id, principal=principal)
        return draft.to_dict()

    @api.get("/v1/drafts/{draft_id}/label", tags=["drafting"])
    async def draft_label(
        draft_id: str,
        principal: Principal = writer_or_reviewer,
        format: str = Query(default="json", max_length=64, description="A registered label format."),  # noqa: A002
    ) -> Response:
        """The draft's disclosure label rendered in a registered format (``text``, ``json`` or a
        plugin's); 404 for an unknown format or a draft the caller may not see."""
        draft = await pool.run(assistant.get, draft_id, principal=principal)
        text, media_type = assistant.render_label(draft, format)
        return Response(text, media_type=media_type)

    @api.post("/v1/drafts/{draft_id}/accept", tags=["review"])
    async def accept(
        draft_id: str, body: AcceptRequest | None = None, principal: Principal = writer_or_reviewer
    ) -> dict[str, Any]:
        """Accept (optionally with an edit). The reviewer is the caller; 403 for a draft about them."""
        body = body or AcceptRequest()
        draft = await pool.run(
            assistant.accept, draft_id, text=body.text, override_reason=body.override_reason, principal=principal
        )
        return draft.to_dict()

    @api.post("/v1/drafts/{draft_id}/reject", tags=["review"])
    async def reject(
        draft_id: str, body: RejectRequest | None = None, principal: Principal = writer_or_reviewer
    ) -> dict[str, Any]:
        """Reject. The reviewer is the caller; 403 for a draft about them."""
        body = body or RejectRequest()
        draft = await pool.run(assistant.reject, draft_id, reason=body.reason, principal=principal)
        return draft.to_dict()

    # ------------------------------------------------------------ policy

    @api.post("/v1/check", tags=["policy"])
    async def check(body: CheckRequest, _principal: Principal = writer_or_reviewer) -> dict[str, Any]:
        """Judge a person's own text with the draft guards."""
        assistant.feature(body.feature)
        found = await pool.run(assistant.check, body.text, body.feature)
        return {"findings": [f.to_dict() for f in found]}

    @api.get("/v1/policy/search", tags=["policy"])
    async def search(
        q: str = Query(max_length=1000), k: int = Query(default=5, ge=1, le=20), _principal: Principal = anyone
    ) -> dict[str, Any]:
        """The policy clauses most relevant to a question."""
        if not q.strip():
            raise InputError("q is empty: pass a question about the policy")
        passages = await pool.run(assistant.retrieve, q, k=k)
        return {"results": [{"clause": p.clause.id, "score": p.score, "text": p.clause.text} for p in passages]}

    @api.get("/v1/coverage", tags=["policy"])
    async def coverage(_principal: Principal = anyone) -> dict[str, Any]:
        """Which enabled guards enforce each policy clause, per feature."""
        return dict(assistant.coverage())

    @api.get("/v1/audit", tags=["audit"])
    async def audit(
        principal: Principal = Depends(require(Role.AUDITOR, Role.ADMIN)),
        since: int = Query(default=0, ge=0),
        limit: int = Query(default=100, ge=1, le=500),
    ) -> dict[str, Any]:
        """The tenant's audit records from ``since`` on (no texts; people as salted hashes)."""
        records = await pool.run(assistant.audit_records, principal, since=since, limit=limit)
        return {"records": records}

    # ------------------------------------------------------------ the page

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse((_STATIC / "index.html").read_text(encoding="utf-8"))

    api.mount("/static", StaticFiles(directory=_STATIC), name="static")

    from rai_assistant.openai_compat import router as openai_router  # docs/openai-proxy.md

    api.include_router(openai_router(assistant))

    return api
