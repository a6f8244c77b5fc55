"""Serving: a hanging model never freezes the probes; outages are 503s, not policy blocks.

The hanging backend is a real TCP server on 127.0.0.1 that accepts connections and never
answers, used through the built-in ``openai`` model plugin; the app runs under uvicorn.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from rai_assistant.keys import KeyStore
from rai_assistant.server import create_app
from typer.testing import CliRunner

from tests.uvicorn_thread import ThreadedServer

NOTES = "Kofi migrated the billing service to the new queue with zero downtime."
BODY = {"inputs": {"subject": "Kofi Mensah", "notes": NOTES}}
SLOW_OK = {
    name: {"timeout": 60}
    for name in ("acceptable_use", "bias", "grounding", "pii_leak", "quality", "sensitive_facts", "summary_quotes")
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Silent:
    """Accepts TCP connections and never says a word: a backend that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self._stop = True
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def hanging(make_app, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, ThreadedServer, dict[str, str]]]:
    backend = Silent()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{backend.port}/v1")
    app = make_app(
        model="openai:stub",
        model_timeout=3,
        guards=SLOW_OK,
        plugins={"openai": {"timeout": 3, "max_retries": 0}},
        server={"workers": 1, "queue": 0},
    )
    keys = KeyStore.for_assistant(app)
    tokens = {role: keys.create("acme", role)[1] for role in ("writer", "auditor")}
    # Pay for the cold parts (policy index, guards, client import) before timing anything.
    app.retrieve(NOTES)
    app.judge_request(NOTES, "feedback")
    app.model()
    served = ThreadedServer(lifespan="off", app=create_app(app))
    try:
        yield app, served, tokens
    finally:
        served.close()
        backend.close()


def test_probes_answer_while_drafts_hang_and_a_full_queue_is_503(hanging) -> None:
    app, served, tokens = hanging
    writer = bearer(tokens["writer"])
    with httpx.Client(base_url=served.url, timeout=60) as client, ThreadPoolExecutor(1) as background:
        assert client.get("/healthz").status_code == 200
        pending = background.submit(client.post, "/v1/drafts/feedback", json=BODY, headers=writer)
        time.sleep(1.0)  # the draft is now waiting on the silent backend
        assert not pending.done()
        started = time.monotonic()
        assert client.get("/healthz").json() == {"ok": True}
        assert time.monotonic() - started < 0.5
        metrics = client.get("/metrics", headers=bearer(tokens["auditor"]))
        assert metrics.status_code == 200
        busy = client.post("/v1/drafts/feedback", json=BODY, headers=writer)
        assert busy.status_code == 503 and int(busy.headers["retry-after"]) >= 1
        assert "busy" in busy.json()["error"]
        outage = pending.result(timeout=30)
    # The backend never answered: an outage the client may retry, not a refusal by the policy.
    assert outage.status_code == 503, outage.text
    assert int(outage.headers["retry-after"]) >= 1
    assert "model is unavailable" in outage.json()["error"] and "status" not in outage.json()
    kinds = [r["kind"] for r in app.audit.records()]
    assert "model_error" in kinds and "refusal" not in kinds
    assert app.list_drafts() == []  # no blocked draft was stored either
    with httpx.Client(base_url=served.url, timeout=10) as client:
        text = client.get("/metrics", headers=bearer(tokens["auditor"])).text
    assert "rai_model_errors_total 1.0" in text
    assert 'rai_rejected_busy_total{reason="queue"} 1.0' in text


def test_a_model_outside_the_allowlist_is_a_clear_422_and_never_loaded(make_app, scripted) -> None:
    app = make_app(scripted(echo=True), guards=SLOW_OK)
    token = KeyStore.for_assistant(app).create("acme", "writer")[1]
    client = TestClient(create_app(app))
    res = client.post("/v1/drafts/feedback", json=BODY | {"model": "local"}, headers=bearer(token))
    assert res.status_code == 422
    assert "not offered by this server" in res.json()["error"] and "scripted" in res.json()["error"]
    assert "local" not in app._models  # nothing was loaded for the request
    features = client.get("/v1/features", headers=bearer(token)).json()
    assert features["models"] == ["scripted"]


def test_the_allowlist_can_offer_more_models(make_app, scripted) -> None:
    app = make_app(scripted(echo=True), guards=SLOW_OK, server={"models": ["scripted", "fake"]})
    token = KeyStore.for_assistant(app).create("acme", "writer")[1]
    client = TestClient(create_app(app))
    res = client.post("/v1/drafts/feedback", json=BODY | {"model": "fake"}, headers=bearer(token))
    assert res.status_code == 200 and res.json()["model"] == "fake"


def test_readyz_names_the_part_that_is_not_ready(make_app, scripted) -> None:
    ready = TestClient(create_app(make_app(scripted(echo=True))))
    res = ready.get("/readyz")
    assert res.status_code == 200 and res.json()["checks"] == {"model": "ok", "policy_index": "ok", "database": "ok"}
    broken = TestClient(create_app(make_app(model="openai:gpt-4o-mini")))  # no OPENAI_API_KEY
    res = broken.get("/readyz")
    assert res.status_code == 503 and res.json()["checks"]["model"] == "failed"
    assert "model" in res.json()["error"] and res.headers["retry-after"]


def test_metrics_count_requests_blocks_and_drafts_per_app(make_app, scripted) -> None:
    app = make_app(scripted(echo=True), guards=SLOW_OK)
    keys = KeyStore.for_assistant(app)
    writer, auditor = bearer(keys.create("acme", "writer")[1]), bearer(keys.create("acme", "auditor")[1])
    client = TestClient(create_app(app))
    assert client.post("/v1/drafts/feedback", json=BODY, headers=writer).status_code == 200
    blocked = {"inputs": {"subject": "Kofi Mensah", "notes": "Also list the exact stocks he should move his pension into."}}
    assert client.post("/v1/drafts/feedback", json=blocked, headers=writer).status_code == 422
    assert client.get("/metrics").status_code == 401
    text = client.get("/metrics", headers=auditor).text
    assert 'rai_http_requests_total{code="200",method="POST",route="/v1/drafts/{feature}"} 1.0' in text
    assert 'rai_drafts_total{status="pending_review"} 1.0' in text
    assert 'rai_blocks_total{clause="4.3",stage="request"} 1.0' in text
    assert 'rai_http_request_seconds_count{route="/v1/drafts/{feature}"} 2.0' in text
    # Another app has its own registry: nothing counted here shows there.
    other = TestClient(create_app(make_app(scripted(echo=True), server={"metrics_public": True})))
    assert 'route="/v1/drafts/{feature}"' not in other.get("/metrics").text


def test_a_span_per_request_when_tracing_is_on(make_app, scripted, monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from rai_assistant.server import _otel_tracer

    monkeypatch.delenv("RAI_OTEL_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert _otel_tracer() is None  # nothing is set up unless asked for
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = TestClient(create_app(make_app(scripted(echo=True)), tracer=provider.get_tracer("test")))
    client.get("/healthz")
    client.get("/v1/me")
    names = [s.name for s in exporter.get_finished_spans()]
    assert names == ["GET /healthz", "GET /v1/me"]
    assert exporter.get_finished_spans()[1].attributes["http.response.status_code"] == 401


def test_rai_serve_refuses_a_public_address_without_any_key() -> None:
    from rai_assistant.cli import app as cli

    res = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert res.exit_code == 2
    assert "refusing to serve on 0.0.0.0" in res.output and "rai keys create" in res.output


def test_the_config_example_in_the_service_docs_is_valid(tmp_path) -> None:
    from pathlib import Path

    from rai_assistant.config import load_config

    doc = (Path(__file__).parent.parent / "docs" / "service.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "config.toml"
    path.write_text(example, encoding="utf-8")
    config = load_config(path)
    assert config.server.oidc is not None and config.server.oidc.algorithms == ["RS256", "ES256"]
    assert config.served_models() == ["openai:gpt-4o-mini"] and config.model_timeout == 30
