"""The pii_leak guard: drafts carry no contact details or ids, and no broken placeholders."""

from __future__ import annotations

import pytest
from rai_assistant.plugin_manager import build_plugin_manager, collect
from rai_assistant.privacy import Vault
from rai_assistant.types import Finding, GuardContext, GuardSpec, Stage, Verdict


@pytest.fixture(scope="module")
def guard() -> GuardSpec:
    """The guard as the road gets it: registered through the real hook on a fresh manager."""
    registry = collect(build_plugin_manager(builtins=("rai_assistant.guards.pii_leak",), entry_points=False))
    return registry.guards["pii_leak"]


def run(guard: GuardSpec, text: str, vault: Vault | None = None) -> list[Finding]:
    ctx = GuardContext(feature="feedback", stage=Stage.DRAFT, vault=vault)
    return list(guard.check(text, ctx))


def test_registered_for_drafts_under_the_privacy_clause(guard: GuardSpec) -> None:
    assert guard.stages == (Stage.DRAFT,)
    assert guard.clauses == ("3.privacy-security",)


def test_a_phone_number_is_flagged_with_its_exact_span(guard: GuardSpec) -> None:
    text = "Amara ran the vendor calls well; reach her on +44 7911 123456 for details."
    findings = run(guard, text)
    assert len(findings) == 1
    f = findings[0]
    assert (f.verdict, f.category, f.clauses) == (Verdict.FLAG, "personal_data", ("3.privacy-security",))
    assert f.span is not None
    assert f.span.text == "+44 7911 123456"
    assert text[f.span.start : f.span.end] == "+44 7911 123456"
    assert "phone number" in f.message


@pytest.mark.parametrize(
    ("text", "leaked", "what"),
    [
        ("Send questions to amara.obi@northwind.example.com.", "amara.obi@northwind.example.com", "e-mail"),
        ("Her employee id 77120 is on the review form.", "77120", "employee id"),
        ("Badge EMP-30551 covered the night shifts.", "EMP-30551", "employee id"),
        ("His SSN 536-90-4399 was used for the background check.", "536-90-4399", "national id"),
        ("Reimburse the 4111 1111 1111 1111 card.", "4111 1111 1111 1111", "card"),
        ("Pay the bonus into GB82 WEST 1234 5698 7654 32.", "GB82 WEST 1234 5698 7654 32", "bank account"),
        (
            "He now lives at 17 Orchard Lane, Bristol BS8 1TH and commutes.",
            "17 Orchard Lane, Bristol BS8 1TH",
            "street address",
        ),
        ("She logged in from 203.0.113.54 after hours.", "203.0.113.54", "IP address"),
    ],
)
def test_identifiers_and_contact_details_are_flagged(
    guard: GuardSpec, text: str, leaked: str, what: str
) -> None:
    findings = run(guard, text)
    assert [(f.verdict, f.category) for f in findings] == [(Verdict.FLAG, "personal_data")]
    span = findings[0].span
    assert span is not None
    assert span.text == leaked
    assert text[span.start : span.end] == leaked
    assert what in findings[0].message


def test_ordinary_feedback_with_numbers_passes(guard: GuardSpec) -> None:
    text = (
        "Amara closed 41 escalations in Q2 2025, cut the average handling time from 36 to 22 "
        "minutes and rolled out version 3.2.0 to 1,200 agents on 14/05/2025. Next quarter she "
        "should write up the playbook for the Lisbon team."
    )
    assert run(guard, text) == []


def test_a_mangled_placeholder_blocks_the_draft(guard: GuardSpec) -> None:
    text = "[Person_1] improved the onboarding checklist."
    findings = run(guard, text)
    assert [(f.verdict, f.category) for f in findings] == [(Verdict.BLOCK, "placeholder")]
    assert findings[0].span is not None
    assert findings[0].span.text == "[Person_1]"


def test_an_unrestored_placeholder_blocks_the_draft(guard: GuardSpec) -> None:
    vault = Vault.for_request(people=["Amara Obi"])
    restored = vault.restore("[PERSON_1] and [PERSON_7] fixed the rota.")
    findings = run(guard, restored, vault=vault)
    assert [(f.verdict, f.span.text if f.span else "") for f in findings] == [(Verdict.BLOCK, "[PERSON_7]")]


def test_placeholder_like_text_from_the_request_does_not_block(guard: GuardSpec) -> None:
    vault = Vault.for_request(people=["Amara Obi"])
    model_text = vault.protect("Amara kept the [PERSON_1] and [Person 2] fields of the template tidy.")
    restored = vault.restore(model_text)
    assert run(guard, restored, vault=vault) == []
    assert run(guard, restored)[0].verdict is Verdict.BLOCK  # without the vault it cannot tell


def test_a_wrong_vault_in_the_context_raises(guard: GuardSpec) -> None:
    with pytest.raises(TypeError, match="Vault"):
        run(guard, "text", vault={"[PERSON_1]": "Amara"})
