"""Behaviour over time (4.6, 4.7, 5.enforcement): volume limits, floods and escalation.

Per user and per tenant the assistant counts requests in a sliding hour and refuses past the
limits; a run of near-identical requests (a script harvesting outputs) is refused as mass
generation (4.6). Every blocked request is a violation; repeated violations escalate: a warning,
then a temporary block, then suspension. Plugins may escalate further through ``on_violation``.
Users are known only by salted hashes.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import StorageError
from assistant.types import Finding, Verdict

__all__ = ["Enforcement", "EnforcementSettings", "Standing", "LEVELS"]

LEVELS = ("none", "warning", "temporary_block", "suspension")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (user TEXT, tenant TEXT, ts REAL, shape TEXT);
CREATE INDEX IF NOT EXISTS requests_user_ts ON requests (user, ts);
CREATE INDEX IF NOT EXISTS requests_tenant_ts ON requests (tenant, ts);
CREATE INDEX IF NOT EXISTS requests_ts ON requests (ts);
CREATE TABLE IF NOT EXISTS violations (user TEXT, tenant TEXT, ts REAL, clauses TEXT, level TEXT);
CREATE INDEX IF NOT EXISTS violations_user_ts ON violations (user, ts);
"""


class EnforcementSettings(BaseModel):
    """``[plugins.enforcement]`` in the config."""

    model_config = ConfigDict(extra="forbid")

    per_user_per_hour: int = Field(default=120, ge=1)
    per_tenant_per_hour: int = Field(default=5000, ge=1)
    near_duplicates_per_hour: int = Field(default=20, ge=2)
    window_hours: float = Field(default=24.0, gt=0)
    warn_after: int = Field(default=1, ge=1)
    temporary_block_after: int = Field(default=3, ge=1)
    temporary_block_minutes: float = Field(default=60.0, gt=0)
    suspend_after: int = Field(default=6, ge=1)


@dataclass(frozen=True, slots=True)
class Standing:
    """Why a user may not draft right now."""

    level: str
    message: str


def shape_of(text: str) -> str:
    """A fingerprint that ignores names, numbers and case: near-identical requests collide."""
    words = re.findall(r"[a-z]+", text.casefold())
    kept = [w for w in words if len(w) > 3][:40]
    return hashlib.sha1(" ".join(sorted(set(kept))).encode()).hexdigest()[:16]


class Enforcement:
    """SQLite-backed counters; one connection per call keeps it safe across processes."""

    def __init__(self, path: Path, settings: EnforcementSettings | None = None) -> None:
        self.path = path
        self.settings = settings or EnforcementSettings()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the enforcement database at {path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def standing(self, user: str, tenant: str, *, now: float | None = None) -> Standing | None:
        """A current temporary block or suspension, else ``None``."""
        now = time.time() if now is None else now
        s = self.settings
        with self._connect() as conn:
            row = conn.execute(
                "SELECT level, ts FROM violations WHERE user = ? AND level IN ('temporary_block', 'suspension') "
                "ORDER BY ts DESC LIMIT 1",
                (user,),
            ).fetchone()
        if row is None:
            return None
        level, ts = row
        if level == "suspension":
            return Standing(
                "suspension",
                "Your access to the assistant is suspended after repeated requests that the Responsible AI "
                "Policy does not allow. Contact your administrator to have it reviewed.",
            )
        until = ts + s.temporary_block_minutes * 60
        if now < until:
            minutes = max(1, round((until - now) / 60))
            return Standing(
                "temporary_block",
                f"Your access is paused for about {minutes} minute(s) after repeated requests that the "
                "policy does not allow. Try again later with a request about your own work.",
            )
        return None

    def volume_findings(self, user: str, tenant: str, text: str, *, now: float | None = None) -> list[Finding]:
        """Record this request and refuse it when the user, tenant or flood limits are exceeded."""
        now = time.time() if now is None else now
        s = self.settings
        shape = shape_of(text)
        hour = now - 3600
        with self._connect() as conn:
            user_count = conn.execute(
                "SELECT COUNT(*) FROM requests WHERE user = ? AND ts > ?", (user, hour)
            ).fetchone()[0]
            tenant_count = (
                conn.execute("SELECT COUNT(*) FROM requests WHERE tenant = ? AND ts > ?", (tenant, hour)).fetchone()[0]
                if tenant
                else 0
            )
            same = conn.execute(
                "SELECT COUNT(*) FROM requests WHERE user = ? AND shape = ? AND ts > ?", (user, shape, hour)
            ).fetchone()[0]
            conn.execute("INSERT INTO requests VALUES (?, ?, ?, ?)", (user, tenant, now, shape))
            # Counters only ever look back one hour; older rows are kept no longer than two.
            conn.execute("DELETE FROM requests WHERE ts < ?", (now - 7200,))
        findings = []
        if same >= s.near_duplicates_per_hour:
            findings.append(
                Finding(
                    guard="volume",
                    clauses=("4.6",),
                    verdict=Verdict.BLOCK,
                    category="model_training",
                    message=(
                        f"More than {s.near_duplicates_per_hour} near-identical requests in an hour look like "
                        "mass generation of outputs, which the policy does not allow. Draft for the real "
                        "people you work with, one at a time."
                    ),
                )
            )
        if user_count >= s.per_user_per_hour or (tenant and tenant_count >= s.per_tenant_per_hour):
            findings.append(
                Finding(
                    guard="volume",
                    clauses=("4.7",),
                    verdict=Verdict.BLOCK,
                    category="data_extraction",
                    message=(
                        "This account has reached its hourly limit of requests. Bulk use is available only "
                        "through the API under your organisation's agreement; try again later."
                    ),
                )
            )
        return findings

    def violations(self, user: str, *, now: float | None = None) -> int:
        """How many violations ``user`` has within the enforcement window."""
        now = time.time() if now is None else now
        with self._connect() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM violations WHERE user = ? AND ts > ?",
                (user, now - self.settings.window_hours * 3600),
            ).fetchone()
        return int(row[0])

    def level_for(self, count: int, plugin_levels: Sequence[str | None] = ()) -> str:
        """The built-in escalation for ``count`` violations, raised by any more severe plugin answer."""
        s = self.settings
        level = "none"
        if count >= s.suspend_after:
            level = "suspension"
        elif count >= s.temporary_block_after:
            level = "temporary_block"
        elif count >= s.warn_after:
            level = "warning"
        for answer in plugin_levels:
            if answer in LEVELS and LEVELS.index(answer) > LEVELS.index(level):
                level = answer
        return level

    def record_violation(self, user: str, tenant: str, clauses: Sequence[str], level: str) -> None:
        """Store one violation and the escalation level decided for it."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO violations VALUES (?, ?, ?, ?, ?)", (user, tenant, time.time(), ",".join(clauses), level)
            )
