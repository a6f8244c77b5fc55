"""Draft-stage guards besides bias: sensitive facts, grounding, quality, and the drafts eval scoring."""

from __future__ import annotations

import pluggy
import pytest
from rai_assistant import hookspecs
from rai_assistant._eval_drafts import predict_draft, score_drafts
from rai_assistant.config import AppConfig
from rai_assistant.guards import bias, grounding, quality, sensitive_facts
from rai_assistant.guards.bias import check_bias
from rai_assistant.guards.grounding import check_grounding
from rai_assistant.guards.quality import check_quality
from rai_assistant.guards.sensitive_facts import check_sensitive_facts
from rai_assistant.types import GuardContext, GuardSpec, Stage, Verdict

CTX = GuardContext(feature="feedback", stage=Stage.DRAFT)


# ------------------------------------------------------------------ sensitive facts


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hal's epilepsy means he cannot cover the late shift.", "epilepsy"),
        ("Since Bea is pregnant, the audit lead should go to someone else.", "pregnant"),
        ("Rafi is on antidepressants and seems slower lately.", "antidepressants"),
        ("Uma leaves early on Thursdays for church, so she misses the wrap-up.", "church"),
        ("Kit's green card is still pending, so keep him off the federal account.", "green card"),
        ("Being bisexual, Jo connects easily with the younger customers.", "bisexual"),
        ("Ned uses a wheelchair, so the warehouse walk-throughs go to Ana.", "wheelchair"),
    ],
)
def test_sensitive_fact_about_the_person_is_flagged(text: str, words: str) -> None:
    found = list(check_sensitive_facts(text, CTX))
    assert [f.span.text for f in found if f.span] == [words]
    f = found[0]
    assert f.clauses == ("4.2", "3.privacy-security")
    assert f.verdict is Verdict.FLAG
    assert f.category == "sensitive_fact"
    assert f.span is not None
    assert text[f.span.start : f.span.end] == words


def test_flagged_even_when_the_notes_said_it() -> None:
    ctx = GuardContext(
        feature="feedback", stage=Stage.DRAFT, notes="Hal has epilepsy; covered 3 of 4 shifts."
    )
    assert check_sensitive_facts("Hal's epilepsy limited his shifts.", ctx)


@pytest.mark.parametrize(
    "text",
    [
        "Lou led the disability-inclusion ERG and grew it to 80 members.",
        "Ina ran the flu-shot clinic for 400 employees in October.",
        "Ari administered chemotherapy on the oncology ward with no dosing errors.",
        "Meg rolled out the parental-leave policy in three countries.",
        "Sol wrote the prayer-room booking guide for the new office.",
        "Eve answered visa questions from the 12 new hires.",
        "Dom trained the pharmacy team on insulin storage for diabetic patients.",
    ],
)
def test_work_on_sensitive_topics_passes(text: str) -> None:
    assert list(check_sensitive_facts(text, CTX)) == []


# ------------------------------------------------------------------------- grounding

NOTES = (
    "Q3: Lea led the harbor dashboard rebuild, load time down 40 percent. "
    "Closed twelve escalations. Saved about $25k on licences. Go-live was 14 August 2024. "
    "Customer wrote: thanks for the fast turnaround."
)


def _grounding(draft: str, notes: str = NOTES) -> list[str]:
    ctx = GuardContext(feature="feedback", stage=Stage.DRAFT, notes=notes, people=("Lea",))
    found = list(check_grounding(draft, ctx))
    for f in found:
        assert f.clauses == ("4.2",)
        assert f.verdict is Verdict.FLAG
        assert f.category == "unsupported_claim"
        assert f.span is not None
        assert draft[f.span.start : f.span.end] == f.span.text
    return [f.span.text for f in found if f.span]


def test_supported_specifics_pass_after_normalising() -> None:
    draft = (
        "In the third quarter Lea led the Harbor Dashboard rebuild, cutting load time by 40%. "
        "She closed 12 escalations and saved $25,000 on licences; go-live was August 14, 2024. "
        'The customer wrote "thanks for the fast turnaround".'
    )
    assert _grounding(draft) == []


def test_invented_number_project_date_and_quote_are_flagged() -> None:
    draft = (
        "Lea cut load time by 55% on the Beacon Analytics Suite, closed twelve escalations "
        'on September 3, and the customer called her "the best engineer we have worked with".'
    )
    assert _grounding(draft) == [
        "55%",
        "Beacon Analytics Suite",
        "September 3",
        '"the best engineer we have worked with"',
    ]


WARD_NOTES = (
    "Rebuilt the night-shift handover sheet for the ICU with Omar. Nurses now finish handover "
    "sooner. Sometimes forgets to update the rota."
)


def _sentence_findings(draft: str) -> list[tuple[str, str]]:
    """(span text, message) of each whole-sentence finding, after checking the offsets."""
    ctx = GuardContext(feature="feedback", stage=Stage.DRAFT, notes=WARD_NOTES, people=("Lea Park", "Omar"))
    found = []
    for f in check_grounding(draft, ctx):
        if f.span and f.message.startswith("This sentence"):
            assert draft[f.span.start : f.span.end] == f.span.text
            assert (f.clauses, f.verdict, f.category) == (("4.2",), Verdict.FLAG, "unsupported_claim")
            found.append((f.span.text, f.message))
    return found


def test_an_invented_sentence_is_flagged_with_its_exact_span() -> None:
    invented = "She has also accepted a marketing position at a bank downtown and leaves soon."
    draft = (
        "Lea, thank you for rebuilding the ICU night-shift handover sheet with Omar. "
        f"{invented} One suggestion: keep the rota updated."
    )
    assert _sentence_findings(draft) == [
        (invented, "This sentence says things the notes do not mention; check it or remove it.")
    ]


def test_an_invented_bullet_is_flagged_without_its_bullet_mark() -> None:
    draft = (
        "Strengths:\n- Rebuilt the ICU handover sheet\n"
        "- Builds strong relationships with regional suppliers and partners"
    )
    assert [text for text, _ in _sentence_findings(draft)] == [
        "Builds strong relationships with regional suppliers and partners"
    ]


def test_a_faithful_paraphrase_with_courtesy_is_not_flagged() -> None:
    draft = (
        "[PERSON_1], thank you for rebuilding the intensive-care night-shift handover sheet with Omar. "
        "Because of your new sheet, nurses wrap up their handovers sooner each night. "
        "Thank you for your hard work. Keep it up! "
        "One suggestion: please keep the rota up to date so the ward can plan."
    )
    assert _sentence_findings(draft) == []


def test_no_notes_means_nothing_to_compare() -> None:
    assert list(check_grounding("Lea saved $3M on the Orion Platform.", CTX)) == []


# --------------------------------------------------------------------------- quality


def test_trait_only_praise_gets_advice_that_never_blocks() -> None:
    found = list(check_quality("Jas is a rockstar with a great attitude.", CTX))
    assert {"trait_only_praise", "vague_feedback"} <= {f.category for f in found}
    assert [f.span.text for f in found if f.category == "trait_only_praise" and f.span] == [
        "rockstar",
        "great attitude",
    ]
    assert all(f.verdict is Verdict.ADVICE and not f.blocking and f.clauses == ("5.review",) for f in found)


def test_specific_feedback_gets_no_advice() -> None:
    text = (
        "Jas is a rockstar: she rebuilt the returns form and cut errors by a third in May. "
        "Next quarter she should train the two new clerks on it."
    )
    assert list(check_quality(text, CTX)) == []


def test_vague_feedback_without_next_step_is_advised() -> None:
    found = list(check_quality("Tariq did well this year and the whole team enjoys having him around.", CTX))
    assert [f.message for f in found] == [
        "The feedback gives no concrete example or outcome.",
        "The feedback gives no next step.",
    ]


# ---------------------------------------------------------------- eval predictions


def test_predict_draft_maps_sensitive_facts_to_protected_characteristic() -> None:
    text = "Hal's epilepsy means he misses shifts, and he is grumpy about it."
    findings = [*check_bias(text, CTX), *check_sensitive_facts(text, CTX), *check_quality(text, CTX)]
    pred = predict_draft(text, findings, "x1")
    assert pred["id"] == "x1"
    assert pred["verdict"] == "flag"
    assert pred["categories"] == ["personality_critique", "protected_characteristic"]
    assert "epilepsy" in pred["spans"]
    assert "grumpy" in pred["spans"]
    assert predict_draft("Fine work.", check_quality("Fine work.", CTX))["verdict"] == "pass"


def test_score_drafts_reports_f1_false_positives_and_span_recall() -> None:
    gold = [
        {
            "id": "a",
            "text": "Kim is bossy.",
            "expected": "flag",
            "categories": ["personality_critique"],
            "spans": ["bossy"],
        },
        {
            "id": "b",
            "text": "Kim is at 61 now.",
            "expected": "flag",
            "categories": ["age_coded"],
            "spans": ["61"],
        },
        {"id": "c", "text": "Kim shipped it.", "expected": "pass", "categories": [], "spans": []},
        {"id": "d", "text": "An aggressive plan.", "expected": "pass", "categories": [], "spans": []},
    ]
    pred = [
        {"id": "a", "verdict": "flag", "categories": ["personality_critique"], "spans": ["is bossy"]},
        {"id": "b", "verdict": "pass", "categories": [], "spans": []},
        {"id": "c", "verdict": "pass", "categories": [], "spans": []},
        {"id": "d", "verdict": "flag", "categories": ["personality_critique"], "spans": ["aggressive"]},
    ]
    lines = score_drafts(gold, pred, {"d": {"hard_negative": True}, "c": {"hard_negative": False}}, 0.002)
    report = "\n".join(lines)
    assert "overall (flag vs pass)      0.500  0.500  0.500" in report
    assert "personality_critique        0.500  1.000  0.667" in report
    assert "false-positive rate on pass items: 0.500 (1/2)" in report
    assert "false-positive rate on hard negatives: 1.000 (1/1)" in report
    assert "span recall: 0.500 (1/2)" in report
    assert "time per item: 2.00 ms" in report


# ------------------------------------------------------------------------ registration


def test_all_four_register_draft_stage_guards_through_the_hook() -> None:
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for module in (bias, sensitive_facts, grounding, quality):
        pm.register(module)
    specs: list[GuardSpec] = []
    pm.hook.register_guards(register=specs.append, config=AppConfig())
    by_name = {s.name: s for s in specs}
    assert set(by_name) == {"bias", "sensitive_facts", "grounding", "quality"}
    assert all(s.stages == (Stage.DRAFT,) for s in specs)
    assert by_name["sensitive_facts"].clauses == ("4.2", "3.privacy-security")
    assert by_name["grounding"].clauses == ("4.2",)
    assert by_name["quality"].clauses == ("5.review",)
