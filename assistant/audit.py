"""The append-only, hash-chained audit log (a table in the rai-assistant database).

Each record's hash covers its content and the previous record's hash, so changing, inserting or
deleting a record breaks the chain from there on: ``rai audit verify`` finds the first bad
record. Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) in the database itself;
the chain catches edits made by other means (a hex editor, a dropped trigger). Appends are
serialised (``BEGIN IMMEDIATE`` on SQLite, a transaction-level advisory lock on PostgreSQL), so
the chain stays linear with many writers. Records hold what an auditor needs: kinds, clause
ids, verdicts, guard names, hashes of texts, salted hashes of people; never raw personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rai_assistant.db import AUDIT_LOCK_KEY, Database, audit
from rai_assistant.errors import StorageError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["AuditLog", "AuditProblem", "GENESIS"]

GENESIS = "0" * 64

def _canonical(record: Mapping[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _record_hash(prev_hash: str, seq: int, ts: str, kind: str, draft_id: str, feature: str, data: str) -> str:
    body = _canonical(
        {"seq": seq, "ts": ts, "kind": kind, "draft_id": draft_id, "feature": feature, "data": data}
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """Where the chain breaks and why."""

    seq: int
    problem: str


class AuditLog:
    """Append and verify. Safe across threads and processes (appends are serialised in the database)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def append(self, kind: str, data: Mapping[str, Any], *, draft_id: str = "", feature: str = "") -> dict[str, Any]:
        """Write one record and return it as stored (with ``seq``, ``hash``, ``prev_hash``)."""
        payload = _canonical(data)
        try:
            with self.database.begin(exclusive=True) as conn:
                self.database.lock(conn, AUDIT_LOCK_KEY)
                # The timestamp is taken under the lock, so it never goes backwards along the chain.
                ts = datetime.now(UTC).isoformat(timespec="microseconds")
                row = conn.execute(select(audit.c.seq, audit.c.hash).order_by(audit.c.seq.desc()).limit(1)).first()
                seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
                digest = _record_hash(prev, seq, ts, kind, draft_id, feature, payload)
                conn.execute(
                    audit.insert().values(
                        seq=seq,
                        ts=ts,
                        kind=kind,
                        draft_id=draft_id,
                        feature=feature,
                        data=payload,
                        prev_hash=prev,
                        hash=digest,
                    )
                )
        except SQLAlchemyError as exc:
            raise self.database.error("write the audit log", exc) from exc
        return {
            "seq": seq,
            "ts": ts,
            "kind": kind,
            "draft_id": draft_id,
            "feature": feature,
            "data": json.loads(payload),
            "prev_hash": prev,
            "hash": digest,
        }

    def _rows(self, query: Any) -> list[Any]:
        try:
            with self.database.read() as conn:
                return list(conn.execute(query).all())
        except SQLAlchemyError as exc:
            raise self.database.error("read the audit log", exc) from exc

    def records(
        self, *, last: int | None = None, draft_id: str | None = None, since: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Records in order: all, the last ``last`` ones, those of one draft, or from ``since`` on."""
        query = select(audit)
        if draft_id is not None:
            query = query.where(audit.c.draft_id == draft_id)
        if since is not None:
            query = query.where(audit.c.seq >= since)
        if last is not None:
            if last <= 0:
                return
            newest = query.order_by(audit.c.seq.desc()).limit(last).subquery()
            query = select(newest)
        rows = sorted(self._rows(query.order_by("seq")), key=lambda r: r.seq)
        for r in rows:
            try:
                parsed = json.loads(r.data)
            except json.JSONDecodeError:
                parsed = {"unreadable": r.data[:200]}
            yield {
                "seq": r.seq,
                "ts": r.ts,
                "kind": r.kind,
                "draft_id": r.draft_id,
                "feature": r.feature,
                "data": parsed,
                "prev_hash": r.prev_hash,
                "hash": r.hash,
            }

    def last(self, kind: str) -> dict[str, Any] | None:
        """The newest record of one kind, or ``None`` (an index lookup, not a scan of the log)."""
        rows = self._rows(select(audit.c.seq).where(audit.c.kind == kind).order_by(audit.c.seq.desc()).limit(1))
        if not rows:
            return None
        return next(iter(self.records(since=rows[0].seq)), None)

    def verify(self) -> list[AuditProblem]:
        """Recompute the chain; an empty list means intact."""
        try:
            rows = self._rows(select(audit).order_by(audit.c.seq))
        except StorageError as exc:
            return [AuditProblem(0, f"the audit table cannot be read: {exc}")]
        problems: list[AuditProblem] = []
        prev = GENESIS
        expected_seq = 1
        for r in rows:
            seq = r.seq
            if seq != expected_seq:
                problems.append(AuditProblem(seq, f"record {expected_seq} is missing (found {seq})"))
            if r.prev_hash != prev:
                problems.append(AuditProblem(seq, "does not follow the previous record (chain broken)"))
            if _record_hash(r.prev_hash, seq, r.ts, r.kind, r.draft_id, r.feature, r.data) != r.hash:
                problems.append(AuditProblem(seq, "content does not match its hash (record altered)"))
            prev = r.hash
            expected_seq = seq + 1
        return problems

    def head(self) -> tuple[int, str]:
        rows = self._rows(select(audit.c.seq, audit.c.hash).order_by(audit.c.seq.desc()).limit(1))
        return (rows[0][0], rows[0][1]) if rows else (0, GENESIS)
