"""The bias guard's learned reading: what it adds to the phrase rules, and how it fails.

Sentences here are written for these tests; none is in the training corpus or an eval set.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rai_assistant.errors import ModelError
from rai_assistant.guards import _bias_model, bias
from rai_assistant.types import GuardContext, Stage


def _check(text: str) -> list[tuple[str, str, float | None]]:
    found = bias.check_bias(text, GuardContext("feedback", Stage.DRAFT))
    return [(f.category, f.span.text if f.span else "", f.score) for f in found]


def test_learned_reading_flags_a_coded_judgement_no_rule_lists() -> None:
    text = "Honestly he just doesn't have the presence you'd want in front of the board."
    assert bias.find_bias(text) == []  # the phrase rules alone let it pass
    found = bias.check_bias(text, GuardContext("feedback", Stage.DRAFT))
    assert len(found) == 1
    f = found[0]
    assert f.span is not None and f.span.text == text  # the sentence is the span
    assert f.score is not None and f.threshold is not None and f.score >= f.threshold
    assert f.message.startswith("This sentence reads as") and f.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Fatou's German is at B1 and the role needs C1 for client calls, so she is taking the evening course.",
        "Reza raised his voice at the supplier on 3 May and we agreed he would apologise in writing.",
        "Tomasz missed three deadlines in March; we set weekly check-ins.",
        "Mirela wears the required hairnet and gloves on the line every shift now, after the two reminders in May.",
        "Jonas uses a screen reader; we moved the rota to the accessible spreadsheet and he now publishes it every Friday.",
    ],
)
def test_job_relevant_facts_stay_unflagged(text: str) -> None:
    assert _check(text) == []


def test_rule_findings_keep_their_exact_words() -> None:
    text = "Piotr is solid on the forklift, but let's be honest, a man his age won't pick up the new scanner software."
    found = _check(text)
    assert found and all(span != text for _, span, _ in found)
    assert ("age_coded", "his age", None) in found


def test_split_drops_bullets_and_blank_lines() -> None:
    text = "- Great closer.\n\n* Bit of a diva in stand-ups.  \n"
    assert [text[a:b] for a, b in _bias_model.split(text)] == ["Great closer.", "Bit of a diva in stand-ups."]


def test_missing_or_broken_files_fail_closed_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="bias model missing.*train_bias_model"):
        _bias_model.load_learned_bias(tmp_path / "gone.npz", _bias_model.BARS_FILE)
    with pytest.raises(ModelError, match="bars missing.*train_bias_model"):
        _bias_model.load_learned_bias(_bias_model.MODEL_FILE, tmp_path / "gone.json")
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"bars": {"appearance": 0.7}}), encoding="utf-8")
    with pytest.raises(ModelError, match="lack gendered_language"):
        _bias_model.load_learned_bias(_bias_model.MODEL_FILE, partial)
    with np.load(_bias_model.MODEL_FILE, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    narrow = tmp_path / "narrow.npz"
    np.savez(narrow, **{**arrays, "w1": arrays["w1"][:10]})
    with pytest.raises(ModelError, match="bias model .* reads 10 inputs"):
        _bias_model.load_learned_bias(narrow, _bias_model.BARS_FILE)


def test_guard_raises_when_the_model_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The road turns a guard's exception into a block: a draft is never passed unread.
    monkeypatch.setattr(_bias_model, "_cached", None)
    monkeypatch.setattr(_bias_model, "MODEL_FILE", tmp_path / "gone.npz")
    monkeypatch.setattr(
        _bias_model, "get_learned_bias", lambda: _bias_model.load_learned_bias(tmp_path / "gone.npz")
    )
    with pytest.raises(ModelError):
        bias.check_bias("Malik shipped the release on time.", GuardContext("feedback", Stage.DRAFT))
