"""The "bias" guard flags judgements of who a person is, with the exact words, and passes work talk."""

from __future__ import annotations

import pluggy
import pytest
from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.guards import bias
from rai_assistant.guards.bias import check_bias
from rai_assistant.types import Finding, GuardContext, GuardSpec, Stage, Verdict

CTX = GuardContext(feature="feedback", stage=Stage.DRAFT)


def _flags(text: str) -> list[Finding]:
    return list(check_bias(text, CTX))


@pytest.mark.parametrize(
    ("text", "category", "words"),
    [
        # gender named outright
        ("For a lady, Noor argues her numbers forcefully with the board.", "gendered_language", "For a lady"),
        ("Zoe runs the ladder drills like a girl, and the crew notices.", "gendered_language", "like a girl"),
        ("Rhea is the den mother of the night shift.", "gendered_language", "den mother"),
        ("Ivan has to man up when suppliers miss a date.", "gendered_language", "man up"),
        ("Pam keeps the ladies in payroll on schedule.", "gendered_language", "the ladies"),
        # personality rather than behaviour
        ("Colette is bossy with the interns.", "personality_critique", "bossy"),
        ("Lars comes across as arrogant to new clients.", "personality_critique", "arrogant"),
        ("Yara is far too nice to the vendors who miss deadlines.", "personality_critique", "too nice"),
        ("Hugo can be a real steamroller in design debates.", "personality_critique", "steamroller"),
        ("Ines gets shrill when the roster changes.", "personality_critique", "shrill"),
        # age-coded
        ("Otto is a digital native, so the tablet rollout suits him.", "age_coded", "digital native"),
        ("Petra is overqualified for a coordinator role.", "age_coded", "overqualified"),
        ("We want someone young and hungry on the night desk, not Glen.", "age_coded", "young and hungry"),
        ("Rudy is set in her ways about paper timesheets.", "age_coded", "set in her ways"),
        (
            "With Edna close to retirement, the training budget should go elsewhere.",
            "age_coded",
            "close to retirement",
        ),
        (
            "At 62, Stan is unlikely to adapt to the new scanners.",
            "age_coded",
            "At 62, Stan is unlikely to adapt to the new scanners",
        ),
        # protected characteristics used as judgement
        (
            "Despite his dyslexia, Farid writes clear incident reports.",
            "protected_characteristic",
            "Despite his dyslexia",
        ),
        (
            "Pia is quiet, like most Japanese engineers.",
            "protected_characteristic",
            "like most Japanese engineers",
        ),
        (
            "Tomas's thick accent is hard to understand on the radio.",
            "protected_characteristic",
            "Tomas's thick accent is hard to understand",
        ),
        (
            "Ali was an affirmative-action hire but performs fine.",
            "protected_characteristic",
            "affirmative-action hire",
        ),
        # appearance
        ("Gwen is gorgeous, and donors respond to that.", "appearance", "gorgeous"),
        ("Rob should lose some weight before the investor roadshow.", "appearance", "lose some weight"),
        (
            "Kai always looks sharp and put-together at the front desk.",
            "appearance",
            "looks sharp and put-together",
        ),
    ],
)
def test_each_category_is_flagged_with_exact_words(text: str, category: str, words: str) -> None:
    found = [f for f in _flags(text) if f.category == category]
    assert found, f"no {category} finding in {text!r}: {_flags(text)}"
    f = found[0]
    assert f.span is not None
    assert f.span.text == words
    assert text[f.span.start : f.span.end] == words
    assert f.clauses == ("3.fairness",)
    assert f.verdict is Verdict.FLAG
    assert f.suggestion  # a behaviour-based rewording is always offered


@pytest.mark.parametrize(
    "text",
    [
        "Ama committed to an aggressive schedule for the depot move and hit every milestone.",
        "Cleo managed the maternity-ward budget and cut agency spend by 9%.",
        "Bram booked the emotional intelligence training for all 30 supervisors.",
        "Her comments in the review were abrupt; next time she could open with what worked.",
        "Dev's pricing was aggressive and won the tender.",
        "Rosa's code is pretty clean and well tested.",
        "Sven mentored three young apprentices through their first welding certification.",
        "Mina built the religious-holiday swap calendar for the call centre.",
        "Jude challenged the release date firmly, citing test data, and the team agreed.",
        "The crew used an abrasive disc to strip the old coating.",
    ],
)
def test_work_talk_and_behaviour_critique_pass(text: str) -> None:
    assert _flags(text) == []


def test_bossy_alone_is_personality_not_gender() -> None:
    cats = {f.category for f in _flags("Lena is bossy in stand-ups.")}
    assert cats == {"personality_critique"}


def test_gendered_appearance_demand_counts_as_both() -> None:
    cats = {f.category for f in _flags("Tess should wear more makeup for trade shows.")}
    assert {"appearance", "gendered_language"} <= cats


def test_spans_point_into_a_longer_draft() -> None:
    text = (
        "Nell shipped the billing export two weeks early. However, she is abrasive and "
        "temperamental in standups, and people avoid her. She should pair with QA next sprint."
    )
    found = _flags(text)
    assert found[0].category == "personality_critique"
    span = found[0].span
    assert span is not None
    assert span.text == "abrasive and temperamental"
    assert text[span.start : span.end] == span.text
    # the rest of that sentence may be read as a judgement of its own, never over the rule's words
    for f in found[1:]:
        assert f.span is not None and f.score is not None
        assert f.span.end <= span.start or f.span.start >= span.end
        assert text[f.span.start : f.span.end] == f.span.text


def test_own_text_can_be_checked_without_notes_or_people() -> None:
    ctx = GuardContext(feature="free", stage=Stage.DRAFT)
    assert [f.category for f in check_bias("I think Ola is too emotional for the role.", ctx)] == [
        "personality_critique"
    ]


def test_registers_a_draft_stage_guard_through_the_hook() -> None:
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(bias)
    specs: list[GuardSpec] = []
    pm.hook.register_guards(register=specs.append, config=AppConfig())
    assert [(s.name, s.clauses, s.stages) for s in specs] == [("bias", ("3.fairness",), (Stage.DRAFT,))]
    assert specs[0].check("Cara is shrill.", CTX)[0].category == "personality_critique"
