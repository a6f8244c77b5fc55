"""The append-only, hash-chained audit log (SQLite).

Each record's hash covers its content and the previous record's hash, so changing, inserting or
deleting a record breaks the chain from there on: ``rai audit verify`` finds the first bad
record. Triggers refuse UPDATE and DELETE through SQLite itself; the chain catches edits made by
other means (a hex editor, a dropped trigger). Records hold what an auditor needs: kinds, clause
ids, verdicts, guard names, hashes of texts, salted hashes of people; never raw personal data.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import StorageError

__all__ = ["AuditLog", "AuditProblem", "GENESIS"]

GENESIS = "0" * 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    kind TEXT NOT NULL,
    draft_id TEXT NOT NULL DEFAULT '',
    feature TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS audit_kind ON audit (kind, seq);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


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
    """Append and verify. Safe across threads and processes (an IMMEDIATE transaction per append)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the audit log at {path}: {exc}; check the data directory") from exc

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def append(self, kind: str, data: Mapping[str, Any], *, draft_id: str = "", feature: str = "") -> dict[str, Any]:
        """Write one record and return it as stored (with ``seq``, ``hash``, ``prev_hash``)."""
        payload = _canonical(data)
        ts = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
                digest = _record_hash(prev, seq, ts, kind, draft_id, feature, payload)
                conn.execute(
                    "INSERT INTO audit (seq, ts, kind, draft_id, feature, data, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (seq, ts, kind, draft_id, feature, payload, prev, digest),
                )
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK") if conn.in_transaction else None
                raise StorageError(f"cannot write the audit log at {self.path}: {exc}") from exc
            finally:
                conn.close()
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

    def records(
        self, *, last: int | None = None, draft_id: str | None = None, since: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Records in order: all, the last ``last`` ones, those of one draft, or from ``since`` on."""
        query = "SELECT seq, ts, kind, draft_id, feature, data, prev_hash, hash FROM audit"
        where: list[str] = []
        params: tuple[Any, ...] = ()
        if draft_id is not None:
            where.append("draft_id = ?")
            params += (draft_id,)
        if since is not None:
            where.append("seq >= ?")
            params += (since,)
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY seq"
        conn = self._connect()
        try:
            rows = conn.execute(query, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read the audit log at {self.path}: {exc}") from exc
        finally:
            conn.close()
        if last is not None:
            rows = rows[-last:] if last > 0 else []
        for seq, ts, kind, did, feature, data, prev, digest in rows:
            try:
                parsed = json.loads(data)
            except json.JSONDecodeError:
                parsed = {"unreadable": data[:200]}
            yield {
                "seq": seq,
                "ts": ts,
                "kind": kind,
                "draft_id": did,
                "feature": feature,
                "data": parsed,
                "prev_hash": prev,
                "hash": digest,
            }

    def last(self, kind: str) -> dict[str, Any] | None:
        """The newest record of one kind, or ``None`` (an index lookup, not a scan of the log)."""
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT seq FROM audit WHERE kind = ? ORDER BY seq DESC LIMIT 1", (kind,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read the audit log at {self.path}: {exc}") from exc
        finally:
            conn.close()
        if row is None:
            return None
        return next(r for r in self.records(since=row[0]))

    def verify(self) -> list[AuditProblem]:
        """Recompute the chain; an empty list means intact."""
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT seq, ts, kind, draft_id, feature, data, prev_hash, hash FROM audit ORDER BY seq"
            ).fetchall()
        except sqlite3.Error as exc:
            return [AuditProblem(0, f"the audit table cannot be read: {exc}")]
        finally:
            conn.close()
        problems: list[AuditProblem] = []
        prev = GENESIS
        expected_seq = 1
        for seq, ts, kind, did, feature, data, stored_prev, digest in rows:
            if seq != expected_seq:
                problems.append(AuditProblem(seq, f"record {expected_seq} is missing (found {seq})"))
            if stored_prev != prev:
                problems.append(AuditProblem(seq, "does not follow the previous record (chain broken)"))
            if _record_hash(stored_prev, seq, ts, kind, did, feature, data) != digest:
                problems.append(AuditProblem(seq, "content does not match its hash (record altered)"))
            prev = digest
            expected_seq = seq + 1
        return problems

    def head(self) -> tuple[int, str]:
        conn = self._connect()
        try:
            row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        return (row[0], row[1]) if row else (0, GENESIS)
