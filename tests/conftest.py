"""Shared fixtures: every test gets its own data directory and a fresh plugin manager."""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.pg_server import postgres  # noqa: F401 - the session's PostgreSQL server fixture

# The policy index embeds on first use; share one index directory per test session so that only
# the first test pays for it (each test still gets its own drafts and audit databases).
os.environ.setdefault("GUARDRAILS_RUN_SYNC", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")


class _SourceDirectoryNames(importlib.abc.MetaPathFinder):
    """The source directories are not importable under their own names: code that imports
    ``assistant``, ``guards``, ``plugins`` or ``policy_corpus`` (instead of ``rai_assistant...``)
    would work from the repository root and break in an installed wheel, so it fails here."""

    NAMES = frozenset({"assistant", "guards", "plugins", "policy_corpus"})

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: object = None) -> None:
        if fullname.partition(".")[0] in self.NAMES:
            raise ImportError(f"import {fullname!r} by its installed name: rai_assistant (see pyproject.toml)")
        return None


sys.meta_path.insert(0, _SourceDirectoryNames())
# Child processes (the CLI, servers) do not put the working directory on sys.path either.
os.environ["PYTHONSAFEPATH"] = "1"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("RAI_LOAD_PLUGINS", "")
    for var in ("RAI_CONFIG", "RAI_MODEL", "RAI_CHROMA_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


class ScriptedModel:
    """A throwaway plugin registering model ``scripted``: a fake with a queue of replies.

    Replies are strings or callables taking the messages; ``model.calls`` records every prompt.
    """

    def __init__(self, *replies: Any, echo: bool = False) -> None:
        from rai_assistant.plugins.models import fake_model

        self.model = fake_model(replies, echo=echo)
        self.__name__ = f"scripted-{id(self)}"

    def register_models(self, register: Callable[..., None]) -> None:
        from rai_assistant.types import ModelSpec

        register(ModelSpec(prefix="scripted", factory=lambda name, options: self.model))

    @property
    def prompts(self) -> list[str]:
        return ["\n".join(str(m.content) for m in call) for call in self.model.calls]


def _mark(plugin: ScriptedModel) -> ScriptedModel:
    from rai_assistant.hookspecs import hookimpl

    # pluggy reads the marker from the function; mark the bound method's function once.
    if not hasattr(ScriptedModel.register_models, "rai_assistant_impl"):
        hookimpl(ScriptedModel.register_models)
    return plugin


@pytest.fixture
def scripted() -> Callable[..., ScriptedModel]:
    def make(*replies: Any, echo: bool = False) -> ScriptedModel:
        return _mark(ScriptedModel(*replies, echo=echo))

    return make


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Any]:
    """Build an Assistant with extra throwaway plugins and config overrides."""
    from rai_assistant.app import Assistant
    from rai_assistant.config import load_config

    def make(*plugins: object, **config: Any) -> Assistant:
        cfg = load_config(None, **({"model": "scripted"} | config))
        return Assistant(cfg, plugins=plugins)

    return make


@pytest.fixture(scope="session")
def openai_stub() -> Iterator[Any]:
    from tests.openai_server import OpenAIStub

    with OpenAIStub() as stub:
        yield stub


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    """``training/train_request_guard.py``, imported as a module (it is a script, not a package)."""
    path = Path(__file__).resolve().parents[1] / "training" / "train_request_guard.py"
    spec = importlib.util.spec_from_file_location("train_request_guard", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
