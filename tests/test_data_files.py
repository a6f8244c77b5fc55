"""Texts and word lists that live in data files: each file loads, and is checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest
from rai_assistant.guards import messages
from rai_assistant.guards.taxonomy import CATEGORY_CLAUSE


def test_every_acceptable_use_category_has_a_refusal_in_every_language():
    data = messages.load_messages()
    assert set(CATEGORY_CLAUSE) <= set(data["what"])
    for category, clause in CATEGORY_CLAUSE.items():
        for lang in messages.LANGUAGES:
            text = messages.refusal(category, clause, lang)
            assert clause in text and data["what"][category][lang][1:] in text


def test_refusals_follow_the_request_language():
    assert messages.refusal("hate", "4.1", "de").startswith("Bei dieser Anfrage kann ich nicht helfen")
    assert messages.refusal("hate", "4.1", "pt").startswith("I can't help")  # unsupported: English


def test_a_messages_file_missing_a_language_is_refused_naming_what_is_missing(tmp_path: Path):
    text = messages.DATA_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "messages.toml"
    # Drop the German line of one category and the {how} slot of the French template.
    lines = text.splitlines()
    start = lines.index("[what.hate]")
    de = next(i for i in range(start, len(lines)) if lines[i].startswith("de = "))
    del lines[de]
    lines = [ln.replace(" {how}", "") if ln.startswith("fr = ") and "{what}" in ln else ln for ln in lines]
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lacks") as err:
        messages.load_messages(broken)
    assert "[what.hate] lacks de" in str(err.value)
    assert "[template] fr lacks {how}" in str(err.value)


def test_the_prompts_file_gives_every_feature_rules_and_four_cases():
    from rai_assistant.plugins.features import load_prompts

    prompts = load_prompts()
    assert len(prompts["common"]) == 3
    for feature in ("feedback", "goal", "self_review", "summary"):
        assert prompts[feature]["rules"] and len(prompts[feature]["cases"]) == 4
    assert all(len(case) == 3 for case in prompts["goal"]["cases"])  # goals carry a due date


def test_a_prompts_file_with_a_broken_case_is_refused_naming_it(tmp_path: Path):
    from rai_assistant.plugins.features import PROMPTS_FILE, load_prompts

    text = PROMPTS_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "prompts.toml"
    broken.write_text(text.replace("due = ", "deadline = ", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[\[goal.cases\]\] #1: missing due; unknown deadline"):
        load_prompts(broken)


def test_the_english_lexicon_loads_every_list_with_its_type():
    from rai_assistant.guards import _bias_lexicon as lexicon

    lists = lexicon.load_lexicon()
    assert isinstance(lists["TRAITS"], tuple) and "abrasive" in lists["TRAITS"]
    assert isinstance(lists["POSSESSED_ONLY"], frozenset)
    assert lists["SENSITIVE_TERMS"]["pregnant"] == "pregnancy"


def test_a_lexicon_missing_a_list_or_with_an_empty_entry_is_refused_naming_it(tmp_path: Path):
    from rai_assistant.guards import _bias_lexicon as lexicon

    text = lexicon.LEXICON_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "lexicon_en.toml"
    text = text.replace("TOO_TRAITS = [", "TOO_TRAITZ = [", 1).replace('  "abrasive",', '  "",', 1)
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"is missing") as err:
        lexicon.load_lexicon(broken)
    message = str(err.value)
    assert "TOO_TRAITS is missing" in message and "unknown list(s) TOO_TRAITZ" in message
    assert "; TRAITS must be a list of non-empty strings" in message  # "abrasive" emptied in TRAITS
