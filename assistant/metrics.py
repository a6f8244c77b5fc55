"""Service metrics in the Prometheus text format, one registry per application.

Counted: HTTP requests by route template and status code, their latency per route, blocks per
policy clause and road stage, model errors, and drafts by status (created, accepted, rejected).
Blocks and drafts are read from audit records (through the ``audit_event`` hook), so a metric and
the audit log cannot disagree. Labels hold route templates, clause ids and statuses only: never a
draft id, a name or any text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from rai_assistant import hookspecs
from rai_assistant.hookspecs import implements

__all__ = ["CONTENT_TYPE", "ServiceMetrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST


class ServiceMetrics:
    """The counters and histograms of one app; also a plugin receiving audit records."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "rai_http_requests", "HTTP requests by route and status code", ("route", "method", "code"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "rai_http_request_seconds", "HTTP request latency by route", ("route",),
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.blocks = Counter(
            "rai_blocks", "Blocked requests and drafts by policy clause and stage", ("clause", "stage"),
            registry=self.registry,
        )
        self.model_errors = Counter(
            "rai_model_errors", "Model failures and timeouts (no draft produced)", registry=self.registry
        )
        self.drafts = Counter("rai_drafts", "Drafts by status", ("status",), registry=self.registry)
        self.busy = Counter(
            "rai_rejected_busy", "Requests refused for load: rate limit (429) or full queue (503)", ("reason",),
            registry=self.registry,
        )

    def observe(self, route: str, method: str, code: int, seconds: float) -> None:
        self.requests.labels(route, method, str(code)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    @implements.method(hookspecs.audit_event)
    def audit_event(self, event: Mapping[str, Any]) -> None:
        """Count drafts, blocks and model errors from the audit records the road writes."""
        data = event.get("data") or {}
        kind = event.get("kind")
        if kind == "draft":
            self.drafts.labels(str(data.get("status", "pending_review"))).inc()
        elif kind == "refusal":
            self.drafts.labels("blocked").inc()
            stage = str(data.get("stage", "unknown"))
            for finding in data.get("findings", []):
                if finding.get("verdict") == "block":
                    for clause in finding.get("clauses", []):
                        self.blocks.labels(str(clause), stage).inc()
        elif kind == "decision":
            self.drafts.labels(str(data.get("decision", "decided"))).inc()
        elif kind == "model_error":
            self.model_errors.inc()
