"""Drafts that wait for a person: SQLite under the data directory, so a later process can act.

A draft row is written whole in one transaction; a decision updates it only if it is still
pending (compare-and-set), so two reviewers cannot both accept the same draft.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from assistant.errors import NotFoundError, ReviewError, StorageError
from assistant.types import Clause, Draft, Finding, Span, Verdict

__all__ = ["DraftStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    draft_id TEXT PRIMARY KEY,
    feature TEXT NOT NULL,
    status TEXT NOT NULL,
    text TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '[]',
    findings TEXT NOT NULL,
    citations TEXT NOT NULL,
    label TEXT,
    notice TEXT NOT NULL,
    model TEXT NOT NULL,
    refusal TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    audit_seq INTEGER NOT NULL DEFAULT 0,
    audit_hash TEXT NOT NULL DEFAULT ''
);
"""


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


class DraftStore:
    """Persist and load drafts; decisions are compare-and-set on the pending state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the drafts database at {path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def save(self, draft: Draft, *, notes: str, people: list[str]) -> None:
        row = (
            draft.draft_id,
            draft.feature,
            draft.status,
            draft.text,
            notes,
            json.dumps(people),
            json.dumps([f.to_dict() for f in draft.findings]),
            json.dumps([c.id for c in draft.citations]),
            json.dumps(draft.label) if draft.label is not None else None,
            draft.notice,
            draft.model,
            draft.refusal,
            draft.reviewer,
            draft.created_at,
            draft.created_at,
        )
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT INTO drafts (draft_id, feature, status, text, notes, people, findings, "
                    "citations, label, notice, model, refusal, reviewer, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
        except sqlite3.Error as exc:
            raise StorageError(f"cannot save draft {draft.draft_id}: {exc}") from exc

    def set_audit_anchor(self, draft_id: str, seq: int, digest: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "UPDATE drafts SET audit_seq = ?, audit_hash = ? WHERE draft_id = ?", (seq, digest, draft_id)
            )

    def anchors(self) -> list[tuple[str, int, str]]:
        with self._connect() as conn:
            return [
                (r[0], r[1], r[2])
                for r in conn.execute("SELECT draft_id, audit_seq, audit_hash FROM drafts WHERE audit_seq > 0")
            ]

    def load(self, draft_id: str, citations_lookup: dict[str, Clause]) -> tuple[Draft, str, list[str]]:
        """The draft, its source notes and people (for re-judging an edit)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT draft_id, feature, status, text, notes, people, findings, citations, label, "
                "notice, model, refusal, reviewer, created_at FROM drafts WHERE draft_id = ?",
                (draft_id,),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no draft with id {draft_id!r}: check the id printed by `rai draft`")
        (did, feature, status, text, notes, people, findings, citations, label, notice, model, refusal,
         reviewer, created) = row
        draft = Draft(
            draft_id=did,
            feature=feature,
            status=status,
            text=text,
            findings=[_finding_from(f) for f in json.loads(findings)],
            citations=[citations_lookup[c] for c in json.loads(citations) if c in citations_lookup],
            label=json.loads(label) if label else None,
            notice=notice,
            model=model,
            refusal=refusal,
            reviewer=reviewer,
            created_at=created,
        )
        return draft, notes, list(json.loads(people))

    def decide(self, draft: Draft, *, updated_at: str) -> None:
        """Record an accept/reject: only a pending draft can change, exactly once."""
        with self._connect() as conn:
            cur = conn.execute(
                "UPDATE drafts SET status = ?, text = ?, findings = ?, label = ?, notice = ?, reviewer = ?, "
                "updated_at = ? WHERE draft_id = ? AND status = 'pending_review'",
                (
                    draft.status,
                    draft.text,
                    json.dumps([f.to_dict() for f in draft.findings]),
                    json.dumps(draft.label) if draft.label is not None else None,
                    draft.notice,
                    draft.reviewer,
                    updated_at,
                    draft.draft_id,
                ),
            )
            if cur.rowcount != 1:
                raise ReviewError(
                    f"draft {draft.draft_id} is no longer pending review (someone decided it already)"
                )

    def list(self, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        query = "SELECT draft_id, feature, status, reviewer, created_at FROM drafts"
        params: tuple[Any, ...] = ()
        if status:
            query += " WHERE status = ?"
            params = (status,)
        query += " ORDER BY created_at DESC LIMIT ?"
        with self._connect() as conn:
            rows = conn.execute(query, (*params, limit)).fetchall()
        return [
            {"draft_id": r[0], "feature": r[1], "status": r[2], "reviewer": r[3], "created_at": r[4]}
            for r in rows
        ]
