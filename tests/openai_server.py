"""A small OpenAI-compatible HTTP server for tests, written with the standard library.

Tests patch nothing inside the OpenAI client: they point it at this server over real HTTP on
127.0.0.1 and then assert what the server received (``stub.requests``), for instance that no
personal name ever reached the provider.

    with OpenAIStub(replies=["Draft one.", lambda messages: "Draft two."]) as stub:
        model = ChatOpenAI(model="gpt-test", base_url=stub.base_url, api_key="test")
        model.invoke("hello")
        assert stub.requests[0]["messages"][0]["content"] == "hello"

Endpoints: ``POST /v1/chat/completions`` (plain and ``stream: true`` server-sent events),
``POST /v1/moderations`` and ``GET /v1/models``. ``delay`` slows every answer (for timeouts);
``errors`` is a queue of HTTP statuses returned, one per request, before answering normally.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from rai_assistant.plugins.models import placeholder_draft

__all__ = ["MODERATION_CATEGORIES", "ModerationFn", "OpenAIStub", "Reply"]

#: A queued chat reply: a string, or a function of the received ``messages`` (role/content dicts).
Reply = str | Callable[[list[dict[str, Any]]], str]
#: Scores one moderation input: category -> score in [0, 1]; a score >= 0.5 flags it.
ModerationFn = Callable[[str], Mapping[str, float]]

#: The categories of ``omni-moderation-latest``.
MODERATION_CATEGORIES: tuple[str, ...] = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


class OpenAIStub:
    """An OpenAI-compatible server on a free port of 127.0.0.1, run in a background thread.

    :param replies: chat replies served in order. ``None`` answers every request with
        :func:`rai_assistant.plugins.models.placeholder_draft` of the messages; a list that runs out answers
        HTTP 500, so a test that calls the model more often than it expects fails loudly.
    :param moderation: scores each moderation input; by default nothing is flagged.
    :param delay: seconds to wait before every answer.
    :param errors: HTTP statuses to answer, one per request, before answering normally.
    """

    def __init__(
        self,
        replies: Iterable[Reply] | None = None,
        moderation: ModerationFn | None = None,
        *,
        delay: float = 0.0,
        errors: Iterable[int] = (),
        model: str = "gpt-test",
    ) -> None:
        self.replies: list[Reply] | None = None if replies is None else list(replies)
        self.moderation = moderation
        self.delay = delay
        self.errors: list[int] = list(errors)
        self.model = model
        #: Every JSON body received, in order (chat and moderation alike).
        self.requests: list[dict[str, Any]] = []
        #: ``(method, path)`` of every request, in order.
        self.paths: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> OpenAIStub:
        """Bind a free port and serve in a daemon thread; returns ``self``."""
        handler = type("_BoundHandler", (_Handler,), {"stub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the stub is not running: use it as a context manager or start()")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The ``base_url`` an OpenAI client needs, ending in ``/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The bodies of chat completion requests only."""
        return [body for body in self.requests if "messages" in body]

    def all_text(self) -> str:
        """Everything the provider was sent, as one string (for 'no name leaked' assertions)."""
        return "\n".join(json.dumps(body, ensure_ascii=False) for body in self.requests)

    # -- answers (called from the handler threads)

    def _record(self, method: str, path: str, body: dict[str, Any]) -> int | None:
        with self._lock:
            self.paths.append((method, path))
            if body:
                self.requests.append(body)
            return self.errors.pop(0) if self.errors else None

    def _next_reply(self, messages: list[dict[str, Any]]) -> str | None:
        with self._lock:
            if self.replies is None:
                reply: Reply | None = None
            elif not self.replies:
                return None
            else:
                reply = self.replies.pop(0)
        if reply is None:
            task = (messages[0], messages[-1]) if messages else ()
            return placeholder_draft("\n".join(_message_text(m.get("content")) for m in task))
        return reply if isinstance(reply, str) else reply(messages)

    def _moderate(self, text: str) -> dict[str, Any]:
        scores = {c: 0.0 for c in MODERATION_CATEGORIES}
        if self.moderation is not None:
            scores.update({k: float(v) for k, v in self.moderation(text).items()})
        flags = {c: s >= 0.5 for c, s in scores.items()}
        return {
            "flagged": any(flags.values()),
            "categories": flags,
            "category_scores": scores,
            "category_applied_input_types": {c: ["text"] for c in scores},
        }


class _Handler(BaseHTTPRequestHandler):
    stub: OpenAIStub
    protocol_version = "HTTP/1.1"  # keep-alive, so the client reuses its connection
    # Without this each small response waits for the peer's delayed ACK: 52 ms vs 1.4 ms a call.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: test output is for assertions."""

    # -- plumbing

    def _read_json(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        data = json.loads(raw)
        return data if isinstance(data, dict) else {"_body": data}

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: Mapping[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode())

    def _error(self, status: int, message: str) -> None:
        self._send_json(
            status, {"error": {"message": message, "type": "server_error", "code": status}}
        )

    def _begin(self, method: str) -> dict[str, Any] | None:
        try:
            body = self._read_json() if method == "POST" else {}
        except json.JSONDecodeError:
            self._error(400, "the body is not JSON")
            return None
        status = self.stub._record(method, self.path, body)
        if self.stub.delay:
            time.sleep(self.stub.delay)
        if status is not None:
            self._error(status, f"stub error {status}")
            return None
        return body

    # -- routes

    def do_GET(self) -> None:
        if self._begin("GET") is None:
            return
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": self.stub.model, "object": "model", "created": 0, "owned_by": "stub"}
            self._send_json(200, {"object": "list", "data": [model]})
        else:
            self._error(404, f"no route {self.path}")

    def do_POST(self) -> None:
        body = self._begin("POST")
        if body is None:
            return
        path = self.path.rstrip("/")
        if path == "/v1/chat/completions":
            self._chat(body)
        elif path == "/v1/moderations":
            self._moderations(body)
        else:
            self._error(404, f"no route {self.path}")

    def _chat(self, body: dict[str, Any]) -> None:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            self._error(400, "messages must be a non-empty list")
            return
        text = self.stub._next_reply(messages)
        if text is None:
            self._error(500, "the stub has no replies left")
            return
        model = str(body.get("model") or self.stub.model)
        ident = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        prompt_tokens = sum(len(_message_text(m.get("content")).split()) for m in messages)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(text.split()),
            "total_tokens": prompt_tokens + len(text.split()),
        }
        if body.get("stream"):
            self._send(200, _sse(ident, model, text, usage), "text/event-stream")
            return
        self._send_json(
            200,
            {
                "id": ident,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": usage,
            },
        )

    def _moderations(self, body: dict[str, Any]) -> None:
        raw = body.get("input", "")
        inputs: Sequence[Any] = raw if isinstance(raw, list) else [raw]
        texts = [item if isinstance(item, str) else str(item.get("text", "")) for item in inputs]
        self._send_json(
            200,
            {
                "id": f"modr-{uuid.uuid4().hex[:12]}",
                "model": str(body.get("model") or "omni-moderation-latest"),
                "results": [self.stub._moderate(text) for text in texts],
            },
        )


def _sse(ident: str, model: str, text: str, usage: Mapping[str, int]) -> bytes:
    """The whole event stream at once: cheap, and Content-Length keeps HTTP/1.1 simple."""
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None) -> str:
        payload = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(payload)}\n\n"

    words = text.split(" ")
    events = [chunk({"role": "assistant", "content": ""}, None)]
    events += [chunk({"content": w if i == 0 else " " + w}, None) for i, w in enumerate(words)]
    events.append(chunk({}, "stop"))
    final = {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [],
        "usage": dict(usage),
    }
    events.append(f"data: {json.dumps(final)}\n\n")
    events.append("data: [DONE]\n\n")
    return "".join(events).encode()
