"""The OpenAI-compatible proxy, driven by the real ``openai`` client over real HTTP.

The real app (``create_app``) is served by uvicorn on 127.0.0.1; keys come from the real
:class:`KeyStore`; only the model's words are fake (``scripted``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from rai_assistant.identity import Role
from rai_assistant.keys import KeyStore
from rai_assistant.server import create_app

from tests.uvicorn_thread import ThreadedServer

NOTES = "Kofi migrated the billing service to the new queue with zero downtime."
SUBJECT = "Kofi Mensah"
BLOCKED_NOTES = "Also list the exact stocks he should move his pension into."
MODEL_IDS = {"rai-feedback", "rai-goal", "rai-self_review", "rai-summary"}


@dataclass
class Proxy:
    """A running server and what a test needs to talk to it."""

    base_url: str
    assistant: Any
    keys: KeyStore
    _tokens: dict[tuple[str, Role], str] = field(default_factory=dict)

    def token(self, tenant: str = "acme", role: Role = Role.WRITER) -> str:
        if (tenant, role) not in self._tokens:
            _record, token = self.keys.create(tenant, role, f"{tenant}-{role.value}")
            self._tokens[tenant, role] = token
        return self._tokens[tenant, role]

    def client(self, token: str | None = None) -> openai.OpenAI:
        # No retries: a test must see the first answer, not a retried one.
        return openai.OpenAI(
            base_url=f"{self.base_url}/v1", api_key=token or self.token(), max_retries=0, timeout=120
        )

    def http(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {token or self.token()}"}, timeout=120
        )


@pytest.fixture(scope="module", autouse=True)
def _warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Load the guards' models once, so the first test's draft is not judged while they load."""
    from rai_assistant.app import Assistant
    from rai_assistant.config import load_config

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAI_DATA_DIR", str(tmp_path_factory.mktemp("warm")))
        mp.setenv("RAI_LOAD_PLUGINS", "")
        warm = Assistant(load_config(None, model="fake"))
        warm.draft("feedback", {"subject": SUBJECT, "notes": NOTES})


@pytest.fixture
def serve(make_app: Callable[..., Any], scripted: Callable[..., Any]) -> Iterator[Callable[..., Proxy]]:
    servers: list[ThreadedServer] = []

    def start(*replies: Any, echo: bool = True, **config: Any) -> Proxy:
        assistant = make_app(scripted(*replies, echo=echo), **config)
        served = ThreadedServer(create_app(assistant))
        servers.append(served)
        return Proxy(served.url, assistant, KeyStore.for_assistant(assistant))

    yield start
    for served in servers:
        served.close()


def feedback(client: openai.OpenAI, notes: str = NOTES, **kwargs: Any) -> Any:
    return client.chat.completions.create(
        model="rai-feedback",
        messages=[
            {"role": "system", "content": "You help people write feedback for colleagues."},
            {"role": "user", "content": notes},
        ],
        metadata={"subject": SUBJECT},
        **kwargs,
    )


def sse_events(lines: Iterator[str]) -> list[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream; comments are dropped."""
    events, name, data = [], "message", []
    for line in lines:
        if not line:
            if data:
                events.append((name, "\n".join(data)))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    if data:
        events.append((name, "\n".join(data)))
    return events


# ---------------------------------------------------------------- models


def test_models_are_one_id_per_feature(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    client = proxy.client()
    assert {m.id for m in client.models.list()} == MODEL_IDS
    assert client.models.retrieve("rai-goal").id == "rai-goal"
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": NOTES}])
    assert err.value.code == "model_not_found" and "rai-feedback" in err.value.message


# ---------------------------------------------------------------- a completion


def test_completion_is_a_labelled_pending_draft(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    done = feedback(proxy.client(), user="someone-else@example.com")
    text = done.choices[0].message.content
    assert done.object == "chat.completion" and done.model == "rai-feedback"
    assert done.choices[0].finish_reason == "stop"
    assert SUBJECT in text and "zero downtime" in text  # names restored, notes used
    rai = done.rai
    assert rai["status"] == "pending_review"
    assert rai["label"]["contentHash"] == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert rai["notice"] and rai["review_url"] == f"/v1/drafts/{rai['draft_id']}"
    # The draft waits for a person like any draft, and belongs to the key, not to body.user.
    with proxy.http() as http:
        stored = http.get(rai["review_url"])
    assert stored.status_code == 200, stored.text
    assert stored.json()["status"] == "pending_review" and stored.json()["text"] == text
    assert stored.json()["tenant"] == "acme"


def test_missing_feature_input_says_to_use_metadata(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    with pytest.raises(openai.BadRequestError) as err:
        proxy.client().chat.completions.create(model="rai-feedback", messages=[{"role": "user", "content": NOTES}])
    assert "subject" in err.value.message and "metadata" in err.value.message


def test_unknown_and_unsupported_arguments_are_refused(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    client = proxy.client()
    with pytest.raises(openai.BadRequestError) as err:
        feedback(client, extra_body={"surprise": 1})
    assert "Unrecognized request argument supplied: surprise" in err.value.message
    with pytest.raises(openai.BadRequestError) as err:
        feedback(client, tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}])
    assert err.value.param == "tools" and "remove it" in err.value.message
    # Sampling settings are accepted (and ignored): the answer is still a draft.
    assert feedback(client, temperature=0.2, max_tokens=50).rai["status"] == "pending_review"


# ---------------------------------------------------------------- blocked requests


@pytest.mark.parametrize("role", ["user", "system"])
def test_blocked_request_is_a_content_filter_error_citing_the_clause(serve: Callable[..., Proxy], role: str) -> None:
    proxy = serve()
    messages = [{"role": "user", "content": NOTES}, {"role": role, "content": BLOCKED_NOTES}]
    for stream in (False, True):
        with pytest.raises(openai.BadRequestError) as err:
            proxy.client().chat.completions.create(
                model="rai-feedback", messages=messages, metadata={"subject": SUBJECT}, stream=stream
            )
        assert err.value.code == "content_filter"
        assert "4.3" in err.value.message
        body = err.value.body
        assert isinstance(body, dict) and "4.3" in body["rai"]["clauses"]
        assert body["rai"]["status"] == "blocked" and body["rai"]["stage"] == "request"


# ---------------------------------------------------------------- streaming


def test_streaming_reassembles_the_non_streaming_text(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    client = proxy.client()
    whole = feedback(client).choices[0].message.content
    chunks = list(feedback(client, stream=True))
    assert len(chunks) > 2 and all(c.object == "chat.completion.chunk" for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == whole
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].rai["status"] == "pending_review" and chunks[-1].rai["label"]["contentHash"]
    with proxy.http() as http, http.stream(
        "POST", "/v1/chat/completions",
        json={"model": "rai-feedback", "stream": True, "metadata": {"subject": SUBJECT},
              "messages": [{"role": "user", "content": NOTES}]},
    ) as res:
        assert res.headers["content-type"].startswith("text/event-stream")
        raw = "".join(res.iter_text())
    assert raw.rstrip().endswith("data: [DONE]")


def _with_placeholder(text: str) -> Callable[[list[Any]], str]:
    """A model reply naming the request's subject by the placeholder the prompt gave it."""

    def reply(messages: list[Any]) -> str:
        found = re.findall(r"\[PERSON_\d+\](?: \[SURNAME_\d+\])?", str(messages[-1].content))
        return text.format(subject=found[-1] if found else "[PERSON_1]")

    return reply


BAD = "{subject} is shrill on calls; email kofi.mensah@example.com or call +1 415 555 0134 to complain."
LEAKS = ("shrill", "kofi.mensah@example.com", "415 555 0134")
CLEAN = "{subject} migrated the billing service to the new queue with zero downtime. Keep it up."


def test_stream_carries_only_the_guarded_revision(serve: Callable[..., Proxy]) -> None:
    proxy = serve(_with_placeholder(BAD), _with_placeholder(CLEAN))
    with proxy.http() as http, http.stream(
        "POST", "/v1/chat/completions",
        json={"model": "rai-feedback", "stream": True, "metadata": {"subject": SUBJECT},
              "messages": [{"role": "user", "content": NOTES}]},
    ) as res:
        assert res.status_code == 200
        raw = "".join(res.iter_text())
    for leaked in LEAKS:
        assert leaked not in raw
    text = "".join(
        json.loads(d)["choices"][0]["delta"].get("content") or ""
        for _e, d in sse_events(iter(raw.splitlines())) if d != "[DONE]"
    )
    assert text == CLEAN.format(subject=SUBJECT)


def test_stream_never_sends_text_the_guards_still_flag(serve: Callable[..., Proxy]) -> None:
    # The model repeats the problem when asked to revise: nothing of it may reach the client.
    proxy = serve(_with_placeholder(BAD), _with_placeholder(BAD))
    with pytest.raises(openai.BadRequestError) as err:
        list(feedback(proxy.client(), stream=True))
    assert err.value.code == "content_filter" and "3.fairness" in err.value.body["rai"]["clauses"]
    raw = err.value.response.text
    for leaked in LEAKS:
        assert leaked not in raw
    # The draft waits for a person's edit in the review queue.
    with proxy.http() as http:
        stored = http.get(err.value.body["rai"]["review_url"]).json()
    assert stored["status"] == "pending_review" and "shrill" in stored["text"]


def test_a_blocked_model_answer_is_never_sent(serve: Callable[..., Proxy]) -> None:
    # The model mangles the name placeholder every time: the draft is refused, its words stay home.
    mangled = "[Person 1] is shrill on calls and should be replaced."
    proxy = serve(mangled, mangled, mangled, mangled)
    for stream in (False, True):
        with pytest.raises(openai.APIStatusError) as err:
            feedback(proxy.client(), stream=stream)  # an error status raises before any chunk
        assert err.value.status_code in (400, 502)
        assert "shrill" not in err.value.response.text
        assert err.value.body["rai"]["status"] == "blocked"


# ---------------------------------------------------------------- identity and errors


def test_wrong_key_is_401_in_openai_shape(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    bad = "rai_0123456789abcdef_" + "x" * 43
    with pytest.raises(openai.AuthenticationError) as err:
        feedback(proxy.client(bad))
    assert err.value.status_code == 401 and err.value.code == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        proxy.client(bad).models.list()
    res = httpx.post(f"{proxy.base_url}/v1/chat/completions", json={"model": "rai-feedback"})
    assert res.status_code == 401 and set(res.json()["error"]) >= {"message", "type", "code"}


def test_size_and_routing_errors_on_proxy_routes_are_in_openai_shape(serve: Callable[..., Proxy]) -> None:
    proxy = serve(server={"max_body_bytes": 4096})
    token = proxy.token()
    with pytest.raises(openai.APIStatusError) as err:
        feedback(proxy.client(token), notes="Kofi fixed the queue. " * 400)
    assert err.value.status_code == 413 and err.value.code == "request_too_large"
    assert "larger than 4,096 bytes" in err.value.message
    missing = httpx.get(f"{proxy.base_url}/v1/chat/nothing", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "invalid_request_error" and missing.json()["error"]["code"] == "not_found"
    # The service's own routes keep their shape.
    big = httpx.post(f"{proxy.base_url}/v1/drafts/feedback", content=b"x" * 5000,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert big.status_code == 413 and isinstance(big.json()["error"], str)


def test_a_key_without_the_writer_role_is_403(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    with pytest.raises(openai.PermissionDeniedError) as err:
        feedback(proxy.client(proxy.token(role=Role.AUDITOR)))
    assert "writer" in err.value.message


def test_another_tenant_cannot_fetch_the_proxy_draft(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    done = feedback(proxy.client())
    url = done.rai["review_url"]
    with proxy.http(proxy.token("globex", Role.ADMIN)) as other:
        res = other.get(url)
    assert res.status_code in (403, 404)
    assert "zero downtime" not in res.text


def test_model_outage_is_503_with_retry_after(serve: Callable[..., Proxy]) -> None:
    proxy = serve(echo=False)  # an empty queue: the fake model fails like a provider outage
    with pytest.raises(openai.InternalServerError) as err:
        feedback(proxy.client())
    assert err.value.status_code == 503 and int(err.value.response.headers["retry-after"]) > 0


def test_volume_limit_is_429_the_client_does_not_retry(serve: Callable[..., Proxy]) -> None:
    proxy = serve(plugins={"enforcement": {"per_user_per_hour": 1}})
    client = openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key=proxy.token(), max_retries=3)
    feedback(client)
    started = time.monotonic()
    with pytest.raises(openai.RateLimitError) as err:
        feedback(client, notes="Kofi also fixed the flaky deploy job last week.")
    assert err.value.response.headers["x-should-retry"] == "false"
    assert time.monotonic() - started < 5  # no retries waiting on Retry-After


# ---------------------------------------------------------------- drafts over server-sent events


def _draft_events(proxy: Proxy, notes: str) -> list[tuple[str, str]]:
    with proxy.http() as http, http.stream(
        "POST", "/v1/drafts/feedback/stream", json={"inputs": {"subject": SUBJECT, "notes": notes}}
    ) as res:
        assert res.status_code == 200 and res.headers["content-type"].startswith("text/event-stream")
        return sse_events(res.iter_lines())


def test_draft_stream_sends_status_deltas_then_the_draft(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    events = _draft_events(proxy, NOTES)
    names = [e for e, _d in events]
    assert names[0] == "status" and names[-1] == "draft"
    stages = [json.loads(d)["stage"] for e, d in events if e == "status"]
    assert stages == ["received", "request", "placeholders", "policy", "model", "draft", "label"]
    draft = json.loads(events[-1][1])
    deltas = "".join(json.loads(d)["text"] for e, d in events if e == "delta")
    assert deltas == draft["text"] and draft["status"] == "pending_review" and draft["label"]
    assert names.index("delta") > max(i for i, n in enumerate(names) if n == "status")


def test_draft_stream_ends_blocked_with_the_refusal(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    events = _draft_events(proxy, BLOCKED_NOTES)
    assert [e for e, _d in events if e == "delta"] == []
    assert events[-1][0] == "blocked"
    assert "4.3" in json.loads(events[-1][1])["refusal"]


def test_the_event_loop_stays_free_while_a_draft_runs(serve: Callable[..., Proxy]) -> None:
    in_model = threading.Event()

    def slow(messages: list[Any]) -> str:
        in_model.set()
        time.sleep(3)
        return _with_placeholder(CLEAN)(messages)

    proxy = serve(slow)
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(feedback(proxy.client())))
    worker.start()
    assert in_model.wait(timeout=120), "the draft never reached the model"
    started = time.monotonic()
    assert {m.id for m in proxy.client().models.list()} == MODEL_IDS
    assert time.monotonic() - started < 1.5  # answered while the model was still thinking
    worker.join(timeout=60)
    assert results and results[0].rai["status"] == "pending_review"


def test_draft_stream_reports_a_bad_input_as_an_error_event(serve: Callable[..., Proxy]) -> None:
    proxy = serve()
    with proxy.http() as http, http.stream(
        "POST", "/v1/drafts/feedback/stream", json={"inputs": {"subject": SUBJECT, "notes": ""}}
    ) as res:
        events = sse_events(res.iter_lines())
    assert events[-1][0] == "error"
    error = json.loads(events[-1][1])
    assert error["status"] == 422 and "notes" in error["error"]


# ---------------------------------------------------------------- the documentation runs


def test_the_docs_examples_run(serve: Callable[..., Proxy], monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "openai-proxy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 2
    proxy = serve()
    monkeypatch.setenv("OPENAI_BASE_URL", f"{proxy.base_url}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", proxy.token())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for i, code in enumerate(blocks):
            exec(compile(code, f"docs/openai-proxy.md:{i}", "exec"), {})
    lines = out.getvalue().splitlines()
    assert SUBJECT in lines[0] and lines[0] == lines[3]  # streamed text == plain text
    assert "AI" in lines[1] and lines[2].startswith("/v1/drafts/")
    assert "4.3" in out.getvalue()
