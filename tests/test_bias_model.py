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


def test_selection_of_learned_windows() -> None:
    """The guard and the trainer's held-out figures share this step, so what it drops is what the
    user never sees: windows inside quoted words, and windows on a rule's sentence unless they read
    another kind, surer by the margin; overlapping windows become one finding."""
    text = (
        'Kim is a diva. The client wrote "she seemed too old for this". Kim is so shrill. And emotional. '
        "Lee is bossy and past it. Ava is pushy and abrasive."
    )
    s3 = text.index("Kim is so")
    s4 = text.index("And emotional")
    s5 = text.index("Lee is")
    s6 = text.index("Ava is")
    quote_a, quote_b = text.index('"') + 1, text.index('".')
    diva, bossy = text.index("a diva"), text.index("bossy")
    H = _bias_model.SentenceHit
    bars = dict.fromkeys(bias.CATEGORIES, 0.8) | {"personality_critique": 0.85}
    cleared = [
        H("personality_critique", 0, 14, 0.90),  # on the rule's sentence, not surer by the margin
        H("age_coded", quote_a, quote_b, 0.99),  # the words are what the client wrote
        H("gendered_language", s3, s4 - 1, 0.90),
        H("personality_critique", s3, s5 - 1, 0.93),  # the pair holding it: one finding, the surer kind
        H("age_coded", s5, s6 - 1, 0.95),  # another kind, surer by the margin: the rule missed "past it"
        H("personality_critique", s6, len(text), 0.99),  # the kind the rule found there: no repeat
    ]
    rules = [
        bias.BiasHit("personality_critique", diva, diva + 6),
        bias.BiasHit("personality_critique", bossy, bossy + 5),
        bias.BiasHit("personality_critique", text.index("pushy"), text.index("pushy") + 5),
    ]
    picked = bias.select_learned(text, cleared, rules, bars)
    assert [(h.category, text[h.start : h.end], score, bar) for h, score, bar in picked] == [
        ("personality_critique", text[s3 : s5 - 1], 0.93, 0.85),
        ("age_coded", text[s5 : s6 - 1], 0.95, 0.8),
    ]


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
