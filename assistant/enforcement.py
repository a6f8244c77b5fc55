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
import time
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from rai_assistant.db import Database, requests, violations
from rai_assistant.types import Finding, Verdict
from sqlalchemy import and_, func, select
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["Enforcement", "EnforcementSettings", "Standing", "LEVELS"]

LEVELS = ("none", "warning", "temporary_block", "suspension")

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
    """Counters in the database; every call is its own short transaction, safe across processes."""

    def __init__(self, database: Database, settings: EnforcementSettings | None = None) -> None:
        self.database = database
        self.settings = settings or EnforcementSettings()

    def standing(self, user: str, tenant: str, *, now: float | None = None) -> Standing | None:
        """A current temporary block or suspension, else ``None``."""
        now = time.time() if now is None else now
        s = self.settings
        query = (
            select(violations.c.level, violations.c.ts)
            .where(
                and_(violations.c.user_hash == user, violations.c.level.in_(("temporary_block", "suspension")))
            )
            .order_by(violations.c.ts.desc())
            .limit(1)
        )
        try:
            with self.database.read() as conn:
                row = conn.execute(query).first()
        except SQLAlchemyError as exc:
            raise self.database.error("read the enforcement standing", exc) from exc
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
        count = select(func.count()).select_from(requests)
        try:
            with self.database.begin() as conn:
                user_count = conn.execute(
                    count.where(and_(requests.c.user_hash == user, requests.c.ts > hour))
                ).scalar_one()
                tenant_count = (
                    conn.execute(count.where(and_(requests.c.tenant == tenant, requests.c.ts > hour))).scalar_one()
                    if tenant
                    else 0
                )
                same = conn.execute(
                    count.where(
                        and_(requests.c.user_hash == user, requests.c.shape == shape, requests.c.ts > hour)
                    )
                ).scalar_one()
                conn.execute(requests.insert().values(user_hash=user, tenant=tenant, ts=now, shape=shape))
                # Counters only ever look back one hour; older rows are kept no longer than two.
                conn.execute(requests.delete().where(requests.c.ts < now - 7200))
        except SQLAlchemyError as exc:
            raise self.database.error("count requests", exc) from exc
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
        query = (
            select(func.count())
            .select_from(violations)
            .where(and_(violations.c.user_hash == user, violations.c.ts > now - self.settings.window_hours * 3600))
        )
        try:
            with self.database.read() as conn:
                return int(conn.execute(query).scalar_one())
        except SQLAlchemyError as exc:
            raise self.database.error("count violations", exc) from exc

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
        row = {"user_hash": user, "tenant": tenant, "ts": time.time(), "clauses": ",".join(clauses), "level": level}
        try:
            with self.database.begin() as conn:
                conn.execute(violations.insert().values(**row))
        except SQLAlchemyError as exc:
            raise self.database.error("record a violation", exc) from exc
