"""Summaries must not quote received feedback word for word (3.privacy-security)."""

from __future__ import annotations

from rai_assistant.guards.summary_quotes import check_quotes
from rai_assistant.types import GuardContext, Stage, Verdict

COMMENTS = "- Always the first to volunteer for the weekend release checks, even when tired.\n- Could write shorter status emails."


def ctx(notes: str = COMMENTS) -> GuardContext:
    return GuardContext(feature="summary", stage=Stage.DRAFT, notes=notes)


def test_a_verbatim_run_of_six_words_is_flagged_with_its_span():
    draft = "Strengths:\n- Always the first to volunteer for the weekend release checks.\nGrowth areas:\n- Shorter updates."
    findings = check_quotes(draft, ctx())
    assert len(findings) == 1
    f = findings[0]
    assert f.verdict is Verdict.FLAG and f.clauses == ("3.privacy-security",)
    assert f.span is not None and f.span.text == "Always the first to volunteer for the weekend release checks"
    assert draft[f.span.start : f.span.end] == f.span.text


def test_a_paraphrase_passes():
    draft = "Strengths:\n- Volunteers readily for weekend release work.\nGrowth areas:\n- Status emails could be shorter."
    assert check_quotes(draft, ctx()) == []


def test_the_road_flags_a_quoting_summary(make_app, scripted):
    quoting = "Strengths:\n- Always the first to volunteer for the weekend release checks.\nGrowth areas:\n- Shorter emails."
    app = make_app(scripted(quoting, quoting))
    d = app.draft("summary", subject="Noor Haddad", feedback=[
        "Always the first to volunteer for the weekend release checks, even when tired.",
        "Could write shorter status emails.",
    ])
    assert d.status == "pending_review"
    assert any(f.guard == "summary_quotes" for f in d.findings)
