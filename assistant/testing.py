"""Test helpers for rai-assistant plugins: a pytest plugin with a scripted model and an isolated app.

Load it with ``pytest -p rai_assistant.testing``, or with ``pytest_plugins = ["rai_assistant.testing"]``
in the conftest.py at the root of your project. Then::

    def test_my_guard_flags_a_codename(rai_app):
        app = rai_app(my_plugin, replies=["[PERSON_1] shipped Project Nightjar early."], revise=False)
        draft = app.draft("feedback", subject="Ana Lima", notes="Ana shipped the Q3 release early.")
        assert "codenames" in {f.guard for f in draft.findings}

The public API:

* :class:`ScriptedModel`: a plugin registering the model ``scripted``. It answers its queued
  replies in order (strings, or callables taking the list of LangChain messages); with no replies,
  or once they are used up, it echoes: a short deterministic draft built from the fenced notes of
  the prompt that keeps every placeholder (``[PERSON_1]``) exactly, so the app restores the real
  names. ``.prompts`` lists the prompts it received (each as one string: system, examples, user).
* fixture ``rai_data_dir``: an isolated environment. ``RAI_DATA_DIR`` and ``XDG_CONFIG_HOME`` point
  into ``tmp_path``, ``RAI_LOAD_PLUGINS`` is empty (no installed plugin loads unless given), and
  ``RAI_CONFIG``, ``RAI_MODEL``, ``RAI_CHROMA_URL``, ``RAI_DATABASE_URL``, ``OPENAI_API_KEY`` and
  ``OPENAI_BASE_URL`` are removed; OpenTelemetry is off (``OTEL_SDK_DISABLED``). Returns the
  data directory.
* fixture ``scripted_model``: a factory, ``scripted_model(*replies) -> ScriptedModel``.
* fixture ``rai_app``: a factory, ``rai_app(*plugins, replies=(), **config) -> Assistant``, an app
  built with ``load_config(None, model="scripted", **config)`` and the built-ins, your ``plugins``
  and a fresh :class:`ScriptedModel` answering ``replies`` (or the one you pass in ``plugins``:
  ``rai_app(my_plugin, scripted_model("reply"))``). ``revise=False`` keeps a flagged draft as
  the model wrote it, instead of asking the model once to revise the flagged spans.
* :func:`scripted_of`: ``scripted_of(app)`` is the app's :class:`ScriptedModel`, to read its
  ``.prompts``.
* :func:`draft_and_findings`: ``draft_and_findings(app, feature, **inputs)`` drafts and returns
  the draft with ``{guard name: [findings]}``.

Everything the app loads goes through the real hooks; nothing is patched.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import pytest
from rai_assistant import hookspecs
from rai_assistant.hookspecs import implements
from rai_assistant.types import Draft, Finding, ModelSpec

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage
    from rai_assistant.app import Assistant
    from rai_assistant.config import AppConfig
    from rai_assistant.plugins._chat_models import FakeChatModel

__all__ = [
    "ISOLATED_ENV",
    "Reply",
    "ScriptedModel",
    "draft_and_findings",
    "rai_app",
    "rai_data_dir",
    "scripted_model",
    "scripted_of",
]

#: A queued reply: the text to answer, or a function of the messages the model received.
Reply: TypeAlias = "str | Callable[[list[BaseMessage]], str]"

#: Environment variables removed by ``rai_data_dir``: each would point a test at real services,
#: real keys or the developer's own configuration.
ISOLATED_ENV = (
    "RAI_CONFIG",
    "RAI_MODEL",
    "RAI_CHROMA_URL",
    "RAI_DATABASE_URL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
)

_ids = itertools.count(1)


class ScriptedModel:
    """A plugin registering the model ``scripted``: queued replies, then an echo of the notes.

    ``ScriptedModel("first reply", lambda messages: "second reply")`` answers those in order;
    every later call (or every call, with no replies) echoes a short draft built from the fenced
    notes of the prompt, keeping placeholders such as ``[PERSON_1]`` exactly.
    """

    def __init__(self, *replies: Reply) -> None:
        from rai_assistant.plugins.models import fake_model

        self.model: FakeChatModel = fake_model(replies, echo=True)
        # pluggy names a plugin object by ``__name__``; one manager may hold several of these.
        self.__name__ = f"scripted-model-{next(_ids)}"

    @implements.method(hookspecs.register_models)
    def register_models(self, register: Callable[[ModelSpec], None], config: AppConfig) -> None:
        """Register the ``scripted`` model prefix; every name under it is this one model."""
        register(
            ModelSpec(
                prefix="scripted",
                factory=lambda name, options: self.model,
                description="scripted replies, then an echo of the notes (rai_assistant.testing)",
                default_name="scripted",
            )
        )

    @property
    def prompts(self) -> list[str]:
        """Every prompt received, in order, each as its messages' text joined by newlines."""
        return ["\n".join(str(m.content) for m in call) for call in self.model.calls]


def scripted_of(app: Assistant) -> ScriptedModel:
    """The :class:`ScriptedModel` registered on ``app`` (the one ``rai_app`` added, or yours)."""
    for plugin in app.pm.get_plugins():
        if isinstance(plugin, ScriptedModel):
            return plugin
    raise LookupError("this app has no ScriptedModel: build it with the rai_app fixture")


def draft_and_findings(
    app: Assistant, feature: str, **inputs: Any
) -> tuple[Draft, Mapping[str, list[Finding]]]:
    """Draft ``feature`` from ``inputs``; return the draft and its findings grouped by guard."""
    result = app.draft(feature, inputs)
    by_guard: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_guard.setdefault(finding.guard, []).append(finding)
    return result, by_guard


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def rai_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated data and config directory; no installed plugin and no real model or server."""
    data = tmp_path / "rai-data"
    monkeypatch.setenv("RAI_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "rai-config"))
    monkeypatch.setenv("RAI_LOAD_PLUGINS", "")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    for var in ISOLATED_ENV:
        monkeypatch.delenv(var, raising=False)
    return data


@pytest.fixture
def scripted_model() -> Callable[..., ScriptedModel]:
    """A factory: ``scripted_model(*replies)`` makes a :class:`ScriptedModel` plugin."""

    def make(*replies: Reply) -> ScriptedModel:
        return ScriptedModel(*replies)

    return make


@pytest.fixture
def rai_app(rai_data_dir: Path) -> Callable[..., Assistant]:
    """A factory: ``rai_app(*plugins, replies=(), **config)`` builds an isolated app.

    The app loads the built-ins, ``plugins`` and, unless ``plugins`` holds one already, a
    :class:`ScriptedModel` answering ``replies``; its model is ``scripted``. ``config`` overrides
    the configuration (``revise=False``, ``guards={...}``, ``plugins={"NAME": {...}}``).
    """
    from rai_assistant.app import Assistant
    from rai_assistant.config import load_config

    def make(
        *plugins: object,
        replies: Sequence[Reply] = (),
        **config: Any,
    ) -> Assistant:
        given = [p for p in plugins if isinstance(p, ScriptedModel)]
        if given and replies:
            raise TypeError("pass replies to your ScriptedModel or to rai_app, not both")
        model = given[0] if given else ScriptedModel(*replies)
        others = [p for p in plugins if p is not model]
        settings: dict[str, Any] = {"model": "scripted"} | config
        return Assistant(load_config(None, **settings), plugins=[*others, model])

    return make
