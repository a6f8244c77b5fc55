"""The HTTP API (FastAPI) and the drafting page, over the same :class:`Assistant` road.

Endpoints: ``POST /v1/drafts/{feature}``, ``GET /v1/drafts/{id}``, ``POST /v1/drafts/{id}/accept``,
``POST /v1/drafts/{id}/reject``, ``POST /v1/check``, ``GET /v1/policy/search``, ``GET /v1/coverage``,
``GET /healthz`` and ``GET /`` (the page). Errors come back as ``{"error": message}`` with 4xx codes.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InputError, ModelError, NotFoundError, RaiError, ReviewError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.app import Assistant

__all__ = ["create_app"]


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inputs: dict[str, Any]
    model: str | None = Field(default=None, max_length=200)
    user: str = Field(default="", max_length=200)
    tenant: str = Field(default="", max_length=200)
    roster: list[str] = Field(default_factory=list, max_length=500)


class AcceptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(min_length=1, max_length=100)
    text: str | None = None
    override_reason: str = Field(default="", max_length=2000)


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(min_length=1, max_length=100)
    reason: str = Field(default="", max_length=2000)


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    feature: str = "feedback"


_STATUS = {InputError: 422, NotFoundError: 404, ReviewError: 409, ModelError: 502}


def create_app(assistant: Assistant) -> FastAPI:
    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse

    api = FastAPI(title="rai-assistant", version="0.1.0")

    @api.exception_handler(RaiError)
    async def _rai_error(_request: Request, exc: RaiError) -> JSONResponse:
        code = next((c for cls, c in _STATUS.items() if isinstance(exc, cls)), 500)
        return JSONResponse({"error": str(exc)}, status_code=code)

    @api.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"ok": True, "features": sorted(assistant.registry.features)}

    @api.post("/v1/drafts/{feature}")
    def create_draft(feature: str, body: DraftRequest) -> JSONResponse:
        draft = assistant.draft(
            feature, body.inputs, model=body.model, user=body.user, tenant=body.tenant, roster=body.roster
        )
        return JSONResponse(draft.to_dict(), status_code=200 if not draft.blocked else 422)

    @api.get("/v1/drafts/{draft_id}")
    def get_draft(draft_id: str) -> dict[str, Any]:
        return assistant.get(draft_id).to_dict()

    @api.post("/v1/drafts/{draft_id}/accept")
    def accept(draft_id: str, body: AcceptRequest) -> dict[str, Any]:
        return assistant.accept(
            draft_id, body.reviewer, text=body.text, override_reason=body.override_reason
        ).to_dict()

    @api.post("/v1/drafts/{draft_id}/reject")
    def reject(draft_id: str, body: RejectRequest) -> dict[str, Any]:
        return assistant.reject(draft_id, body.reviewer, body.reason).to_dict()

    @api.post("/v1/check")
    def check(body: CheckRequest) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in assistant.check(body.text, body.feature)]}

    @api.get("/v1/policy/search")
    def search(q: str, k: int = 5) -> dict[str, Any]:
        if not q.strip():
            raise InputError("q is empty: pass a question about the policy")
        return {
            "results": [
                {"clause": p.clause.id, "score": p.score, "text": p.clause.text}
                for p in assistant.retrieve(q, k=max(1, min(k, 20)))
            ]
        }

    @api.get("/v1/coverage")
    def coverage() -> dict[str, Any]:
        return assistant.coverage()

    @api.get("/", response_class=HTMLResponse)
    def page() -> str:
        return resources.files("assistant").joinpath("static/index.html").read_text(encoding="utf-8")

    return api
