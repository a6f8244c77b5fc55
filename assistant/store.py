"""Drafts that wait for a person, in the database, so a later process can act on them.

A draft row is written whole in one transaction; a decision updates it only if it is still
pending (compare-and-set), so two reviewers cannot both accept the same draft.
"""

from __future__ import annotations

import json
from typing import Any

from rai_assistant.db import Database, drafts
from rai_assistant.errors import NotFoundError, ReviewError, StorageError
from rai_assistant.types import Clause, Draft, Finding, Span, Verdict
from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

__all__ = ["DraftStore"]


def _finding_from(d: dict[str, Any]) -> Finding:
    span = d.get("span")
    return Finding(
        guard=d["guard"],
        clauses=tuple(d["clauses"]),
        verdict=Verdict(d["verdict"]),
        message=d["message"],
        category=d.get("category", ""),
        span=Span(span["start"], span["end"], span["text"]) if span else None,
        suggestion=d.get("suggestion", ""),
        score=d.get("score"),
    )


def _label(draft: Draft) -> str | None:
    return json.dumps(draft.label) if draft.label is not None else None


class DraftStore:
    """Persist and load drafts; decisions are compare-and-set on the pending state."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, draft: Draft, *, notes: str, people: list[str]) -> None:
        row = {
            "draft_id": draft.draft_id,
            "feature": draft.feature,
            "status": draft.status,
            "text": draft.text,
            "notes": notes,
            "people": json.dumps(people),
            "findings": json.dumps([f.to_dict() for f in draft.findings]),
            "citations": json.dumps([c.id for c in draft.citations]),
            "label": _label(draft),
            "notice": draft.notice,
            "model": draft.model,
            "refusal": draft.refusal,
            "reviewer": draft.reviewer,
            "tenant": draft.tenant,
            "owner": draft.owner,
            "created_at": draft.created_at,
            "updated_at": draft.created_at,
        }
        try:
            with self.database.begin() as conn:
                conn.execute(drafts.insert().values(**row))
        except IntegrityError as exc:
            raise StorageError(f"cannot save draft {draft.draft_id}: a draft with that id exists already") from exc
        except SQLAlchemyError as exc:
            raise self.database.error(f"save draft {draft.draft_id}", exc) from exc

    def set_audit_anchor(self, draft_id: str, seq: int, digest: str) -> None:
        try:
            with self.database.begin() as conn:
                conn.execute(
                    update(drafts).where(drafts.c.draft_id == draft_id).values(audit_seq=seq, audit_hash=digest)
                )
        except SQLAlchemyError as exc:
            raise self.database.error(f"anchor draft {draft_id} in the audit log", exc) from exc

    def anchors(self) -> list[tuple[str, int, str]]:
        query = select(drafts.c.draft_id, drafts.c.audit_seq, drafts.c.audit_hash).where(drafts.c.audit_seq > 0)
        try:
            with self.database.read() as conn:
                return [(r[0], r[1], r[2]) for r in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise self.database.error("read the drafts' audit anchors", exc) from exc

    def load(self, draft_id: str, citations_lookup: dict[str, Clause]) -> tuple[Draft, str, list[str]]:
        """The draft, its source notes and people (for re-judging an edit)."""
        try:
            with self.database.read() as conn:
                row = conn.execute(select(drafts).where(drafts.c.draft_id == draft_id)).first()
        except SQLAlchemyError as exc:
            raise self.database.error(f"read draft {draft_id!r}", exc) from exc
        if row is None:
            raise NotFoundError(f"no draft with id {draft_id!r}: check the id printed by `rai draft`")
        draft = Draft(
            draft_id=row.draft_id,
            feature=row.feature,
            status=row.status,
            text=row.text,
            findings=[_finding_from(f) for f in json.loads(row.findings)],
            citations=[citations_lookup[c] for c in json.loads(row.citations) if c in citations_lookup],
            label=json.loads(row.label) if row.label else None,
            notice=row.notice,
            model=row.model,
            refusal=row.refusal,
            reviewer=row.reviewer,
            created_at=row.created_at,
            tenant=row.tenant,
            owner=row.owner,
        )
        return draft, row.notes, list(json.loads(row.people))

    def decide(self, draft: Draft, *, updated_at: str) -> None:
        """Record an accept/reject: only a pending draft can change, exactly once."""
        statement = (
            update(drafts)
            .where(and_(drafts.c.draft_id == draft.draft_id, drafts.c.status == "pending_review"))
            .values(
                status=draft.status,
                text=draft.text,
                findings=json.dumps([f.to_dict() for f in draft.findings]),
                label=_label(draft),
                notice=draft.notice,
                reviewer=draft.reviewer,
                updated_at=updated_at,
            )
        )
        try:
            with self.database.begin() as conn:
                changed = conn.execute(statement).rowcount
        except SQLAlchemyError as exc:
            raise self.database.error(f"record the decision on draft {draft.draft_id}", exc) from exc
        if changed != 1:
            raise ReviewError(f"draft {draft.draft_id} is no longer pending review (someone decided it already)")

    def list(self, status: str | None = None, limit: int = 50, *, tenant: str | None = None) -> list[dict[str, Any]]:
        """Newest drafts first, optionally of one status and one tenant (no texts)."""
        query = select(
            drafts.c.draft_id,
            drafts.c.feature,
            drafts.c.status,
            drafts.c.reviewer,
            drafts.c.created_at,
            drafts.c.tenant,
            drafts.c.owner,
        )
        if status:
            query = query.where(drafts.c.status == status)
        if tenant is not None:
            query = query.where(drafts.c.tenant == tenant)
        query = query.order_by(drafts.c.created_at.desc()).limit(limit)
        try:
            with self.database.read() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise self.database.error("list drafts", exc) from exc
        return [
            {
                "draft_id": r.draft_id,
                "feature": r.feature,
                "status": r.status,
                "reviewer": r.reviewer,
                "created_at": r.created_at,
                "tenant": r.tenant,
                "owner": r.owner,
            }
            for r in rows
        ]
