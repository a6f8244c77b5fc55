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
    assert f.message.startswith("This passage reads as") and f.suggestion


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


def _parts(text: str, *rule_words: str) -> list[str]:
    rules = [bias.BiasHit("personality_critique", text.index(w), text.index(w) + len(w)) for w in rule_words]
    return [text[a:b] for a, b in bias.rule_free_parts(text, 0, len(text), rules)]


def test_rule_free_parts_are_the_runs_around_the_rules_words() -> None:
    # what follows a rule's words in its own clause can be a second judgement
    assert _parts("The ladies in the kitchen can be a bit catty with new starters.", "The ladies") == [
        "in the kitchen can be a bit catty with new starters"
    ]
    text = "Kemi is a woman though, and the lads on the rig can be rough, so Uche is the safer pick."
    assert _parts(text, "the lads") == ["Kemi is a woman though", "on the rig can be rough, so Uche is the safer pick"]
    # a short run leading straight into the rule's words is the frame of its phrase, not read alone
    assert _parts("Ola is a bit bossy with new starters in the shop.", "bossy") == ["with new starters in the shop"]
    # what comes before the run's last clause end is read alone, and a long run is
    assert _parts("Solid on the tills, bossy with new starters.", "bossy") == ["Solid on the tills", "with new starters"]
    long_head = "Mara is a mum now, so the Tokyo launch should go to someone without the school run."
    assert _parts(long_head, "the school run") == [
        "Mara is a mum now",
        "so the Tokyo launch should go to someone without",
    ]
    # a run of fewer than three words is not read alone
    assert _parts("Bossy. Typical redhead.", "Bossy") == []


def test_the_rest_of_a_rule_sentence_is_read_alone() -> None:
    """A window of the rule's own kind is not repeated over the rule's words, but the runs of words
    around the rule's are read alone, and one that clears its bar becomes a finding of its own."""
    text = (
        "Ines is too emotional for the desk, and a woman her age will not adapt to the new tools. "
        'He told me "the young ones never stay, so hire older staff", and Jo is shrill in meetings.'
    )
    emotional, shrill = text.index("too emotional"), text.index("shrill")
    rules = [
        bias.BiasHit("personality_critique", emotional, emotional + len("too emotional")),
        bias.BiasHit("gendered_language", shrill, shrill + len("shrill")),
    ]
    second = text.index("He told")
    H = _bias_model.SentenceHit
    bars = dict.fromkeys(bias.CATEGORIES, 0.8)
    cleared = [H("personality_critique", 0, second - 1, 0.95), H("gendered_language", second, len(text), 0.9)]
    asked: list[str] = []

    def read(spans: list[tuple[int, int]]) -> list[_bias_model.SentenceHit]:
        asked.extend(text[a:b] for a, b in spans)
        return [H("age_coded", a, b, 0.9 if "her age" in text[a:b] else 0.3) for a, b in spans]

    picked = bias.select_learned(text, cleared, rules, bars, read)
    # the clause's words, its score, and the kind its sentence was read as
    assert [(h.category, text[h.start : h.end], score) for h, score, _ in picked] == [
        ("personality_critique", "for the desk, and a woman her age will not adapt to the new tools", 0.9)
    ]
    # the quoted words are what someone said: never read as the writer's; "Ines is" and "and Jo
    # is" are the frames of the rules' phrases, "in meetings" too short to read
    assert asked == ["for the desk, and a woman her age will not adapt to the new tools", "He told me"]
    # without a reader (the rules' sentence only), nothing is added
    assert bias.select_learned(text, cleared, rules, bars) == []


def test_a_second_judgement_beside_a_rules_words_is_found() -> None:
    text = "Kemi is a woman though, and the lads on the rig can be rough, so Uche is the safer pick."
    found = _check(text)
    rules = [(c, span) for c, span, score in found if score is None]
    learned = [(c, span) for c, span, score in found if score is not None]
    assert rules == [("gendered_language", "the lads")]
    assert ("gendered_language", "Kemi is a woman though") in learned


def test_split_drops_bullets_and_blank_lines() -> None:
    text = "- Great closer.\n\n* Bit of a diva in stand-ups.  \n"
    assert [text[a:b] for a, b in _bias_model.split(text)] == ["Great closer.", "Bit of a diva in stand-ups."]


def test_rule_hits_on_a_sentence_read_as_fair() -> None:
    text = "Ria joined the young worker scheme in May. She is bossy with the new starters. Despite her accent, fine."
    young, bossy, accent = text.index("young"), text.index("bossy"), text.index("Despite her accent")
    hits = [
        bias.BiasHit("age_coded", young, young + 5),
        bias.BiasHit("personality_critique", bossy, bossy + 5),
        bias.BiasHit("protected_characteristic", accent, accent + 18),
    ]
    s2, s3 = text.index("She is"), accent
    H = _bias_model.SentenceHit

    def scored(pair_12: float) -> list[_bias_model.SentenceHit]:
        return [
            H("age_coded", 0, s2 - 1, 0.04),
            H("personality_critique", s2, s3 - 1, 0.97),
            H("protected_characteristic", s3, len(text), 0.02),  # the reading misses the backhand
            H("personality_critique", 0, s3 - 1, pair_12),  # pairs carry a 0.1 margin
            H("personality_critique", s2, len(text), 0.85),
        ]

    # the sentence and its pair with the next both read as fair (0.04; 0.02 + the margin)
    [(hit, reading, bar)] = bias.fair_rule_hits(hits, scored(0.02), 0.15)
    assert (hit, round(reading, 6), bar) == (hits[0], 0.12, 0.15)
    assert bias.fair_rule_hits(hits, scored(0.02), 0.10) == []
    # a biased sentence beside it: the pair does not read as fair, so neither does the hit
    assert bias.fair_rule_hits(hits, scored(0.80), 0.15) == []
    assert bias.fair_rule_hits(hits, scored(0.02), 0.0) == []  # no bar: every rule hit stays a flag
    # a hit on a sentence the reading never scored stays a flag
    assert bias.fair_rule_hits([bias.BiasHit("age_coded", len(text) + 5, len(text) + 9)], scored(0.02), 0.5) == []


def test_a_rule_hit_read_as_fair_is_advice_not_a_flag() -> None:
    """A stated age beside praise: the age rule fires, the reading is sure the sentence is fair,
    so the hit stays visible (with the score and the fair bar) but does not flag the draft. Tied
    to a doubt, the same words stay a flag."""
    from rai_assistant._eval_drafts import predict_draft

    ctx = GuardContext("feedback", Stage.DRAFT)
    fair = "Ben is 64 and still our fastest picker on the night shift."
    found = bias.check_bias(fair, ctx)
    assert [(f.verdict.value, f.category, f.span.text if f.span else "") for f in found] == [
        ("advice", "age_coded", "Ben is 64")
    ]
    bar = _bias_model.get_learned_bias().fair_bar
    assert found[0].score is not None and found[0].score < bar and found[0].threshold == bar
    assert "reads as about the work" in found[0].message
    assert predict_draft(fair, found)["verdict"] == "pass"
    doubt = "Ben is 64, so I doubt he will keep up with the new scanners."
    assert "flag" in [f.verdict.value for f in bias.check_bias(doubt, ctx)]
    assert predict_draft(doubt, bias.check_bias(doubt, ctx))["verdict"] == "flag"


def test_the_fair_bar_is_read_from_the_bars_file(tmp_path: Path) -> None:
    data = json.loads(_bias_model.BARS_FILE.read_text(encoding="utf-8"))
    assert 0 < data["fair_bar"] < 0.5  # chosen by the trainer, and low: only sure readings
    bars = tmp_path / "bars.json"
    bars.write_text(json.dumps({"bars": data["bars"], "fair_bar": 0.2}), encoding="utf-8")
    assert _bias_model.load_learned_bias(_bias_model.MODEL_FILE, bars).fair_bar == 0.2
    bars.write_text(json.dumps({"bars": data["bars"]}), encoding="utf-8")
    assert _bias_model.load_learned_bias(_bias_model.MODEL_FILE, bars).fair_bar == 0.0  # older files: none


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
