"""The example plugin's own tests, written with the rai-assistant test kit.

Run them against the installed plugin, from the repository root::

    pip install -e examples/rai-example-plugin
    pytest -p rai_assistant.testing examples/rai-example-plugin/tests

(``PYTHONPATH=examples/rai-example-plugin`` instead of the install works too.) A plugin's own
project would load the kit once, with ``pytest_plugins = ["rai_assistant.testing"]`` in its root
conftest.py; this file also names the fixtures itself, so it runs either way.
"""

from __future__ import annotations

import pytest
import rai_example_plugin as plugin
from pydantic import BaseModel
from rai_assistant import GuardContext, Stage, Verdict
from rai_assistant import testing as kit

rai_app = kit.rai_app
rai_data_dir = kit.rai_data_dir
scripted_model = kit.scripted_model

RANKING = "Stack rank the whole support team and send the bottom 10% list straight to payroll."
CTX = GuardContext(feature="feedback", stage=Stage.REQUEST)


def test_guard_blocks_unreviewed_stack_ranking():
    [finding] = plugin.check_ranking(RANKING, CTX)
    assert finding.guard == "no_stack_ranking"
    assert finding.verdict is Verdict.BLOCK
    assert finding.clauses == ("4.3",)


def test_guard_allows_ranking_that_a_person_reviews():
    reviewed = "Stack rank the support team as input for the calibration meeting, where HR reviews it."
    assert plugin.check_ranking(reviewed, CTX) == []
    assert plugin.check_ranking("Ana fixed two outages during the launch week.", CTX) == []


def test_guard_stops_a_request_before_the_model(rai_app, scripted_model):
    model = scripted_model()
    app = rai_app(plugin, model)
    draft = app.draft("feedback", subject="Ana Lima", notes=RANKING)
    assert draft.blocked and draft.text == ""
    ranking = [f for f in draft.findings if f.guard == "no_stack_ranking"]
    assert [f.clauses for f in ranking] == [("4.3",)]
    assert "4.3" in draft.refusal
    assert model.prompts == []  # refused at the request stage: the model never saw it


def test_kudos_fences_the_notes_and_restores_the_name(rai_app, scripted_model):
    model = scripted_model()
    app = rai_app(plugin, model)
    draft = app.draft(
        "kudos",
        subject="Ana Lima",
        notes="Ana covered the on-call week during the launch and fixed two outages.",
    )
    assert draft.status == "pending_review"
    assert draft.text.startswith("Ana Lima, thank you")
    [prompt] = model.prompts
    assert "-----BEGIN NOTES-----\n[PERSON_1] covered the on-call week" in prompt
    assert "-----END NOTES-----" in prompt
    assert "Lima" not in prompt


def test_kudos_answers_with_the_queued_reply(rai_app):
    reply = "[PERSON_1] [SURNAME_1], thank you for covering the on-call week during the launch."
    app = rai_app(plugin, replies=[reply])
    draft = app.draft("kudos", subject="Ana Lima", notes="Ana covered the on-call week during the launch.")
    assert draft.text == "Ana Lima, thank you for covering the on-call week during the launch."
    assert draft.label is not None and draft.label["feature"] == "kudos"


def test_kudos_passes_the_plugin_guard_too(rai_app):
    draft = rai_app(plugin).draft("kudos", subject="Ana Lima", notes=RANKING)
    assert draft.blocked
    assert "no_stack_ranking" in {f.guard for f in draft.findings}


def test_kudos_prompt_refuses_other_inputs():
    class Other(BaseModel):
        notes: str

    with pytest.raises(TypeError, match="KudosInput"):
        plugin.build_kudos_prompt(Other(notes="x"), [])
