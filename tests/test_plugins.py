"""The plugin system: registration rules, coverage by construction, fail-closed guards, hooks."""

from __future__ import annotations

import time

import pytest
from rai_assistant import ConfigError, PluginError
from rai_assistant.hookspecs import hookimpl
from rai_assistant.plugin_manager import BUILTIN_PLUGINS, build_plugin_manager, collect
from rai_assistant.types import Finding, GuardSpec, ModelSpec, Span, Stage, Verdict

NOTES = "Ana closed the vendor audit a week early and wrote a clear findings report."


def echo(messages):
    return "[PERSON_1] closed the vendor audit a week early."


class DuplicateGuard:
    __name__ = "dup-plugin"

    @hookimpl
    def register_guards(self, register):
        register(GuardSpec(name="review", clauses=("5.review",), stages=(Stage.DECISION,), check=lambda t, c: []))


class WrongType:
    __name__ = "wrong-type-plugin"

    @hookimpl
    def register_models(self, register):
        register({"prefix": "nope"})


class Misspelled:
    __name__ = "typo-plugin"

    @hookimpl
    def register_guard(self, register):  # missing "s"
        pass


def test_builtins_register_through_the_same_hooks():
    registry = collect(build_plugin_manager(entry_points=False))
    origins = set(registry.origin.values())
    assert origins <= set(BUILTIN_PLUGINS)
    assert {"feedback", "goal", "self_review", "summary"} <= set(registry.features)
    assert {"openai", "local", "fake"} <= set(registry.models)
    assert "betterworks-rai" in registry.policies
    assert registry.plugin_of("guards", "review") == "rai_assistant.guards.review"


def test_duplicate_name_fails_at_start_up_naming_the_plugin(make_app):
    with pytest.raises(PluginError, match=r"dup-plugin.*review.*rai_assistant.guards.review"):
        make_app(DuplicateGuard())


def test_wrong_type_fails_naming_the_plugin(make_app):
    with pytest.raises(PluginError, match=r"wrong-type-plugin.*dict.*ModelSpec"):
        make_app(WrongType())


def test_misspelled_hook_fails_naming_the_plugin():
    with pytest.raises(PluginError, match=r"typo-plugin.*register_guard"):
        build_plugin_manager(extra=[Misspelled()], entry_points=False)


def test_disabling_the_only_guard_of_a_clause_stops_start_up(make_app):
    with pytest.raises(ConfigError, match=r"clause 3\.human-control .*feature 'feedback'.*\(disabled: review\)"):
        make_app(guards={"review": {"enabled": False, "reason": "We trust our managers completely."}})


def test_disabling_needs_a_written_reason(make_app):
    with pytest.raises(ConfigError, match="without a reason"):
        make_app(guards={"quality": {"enabled": False}})


def test_disabling_with_reason_is_audited_and_shown(make_app, scripted):
    app = make_app(scripted(echo), guards={"quality": {"enabled": False, "reason": "Pilot team uses its own style checks."}})
    assert all("quality" not in guards for row in app.coverage().values() for guards in row.values())
    app.draft("feedback", subject="Ana Lima", notes=NOTES)
    config_events = [r for r in app.audit.records() if r["kind"] == "config"]
    assert config_events[-1]["data"]["disabled_guards"] == {"quality": "Pilot team uses its own style checks."}


def test_unknown_guard_in_config_is_an_error(make_app):
    with pytest.raises(ConfigError, match="unknown guard"):
        make_app(guards={"qualty": {"enabled": True}})


def test_coverage_matrix_covers_every_enforceable_clause(make_app):
    from rai_assistant.types import ENFORCEABLE_CLAUSES

    matrix = make_app().coverage()
    assert set(matrix) >= {"feedback", "goal", "self_review", "summary"}
    for feature, row in matrix.items():
        for clause in ENFORCEABLE_CLAUSES:
            assert row[clause], (feature, clause)


class CrashingGuard:
    __name__ = "crash-plugin"

    def __init__(self, stage=Stage.REQUEST, mode="raise"):
        self.stage, self.mode = stage, mode

    @hookimpl
    def register_guards(self, register):
        def check(text, ctx):
            if self.mode == "raise":
                raise RuntimeError("classifier file missing")
            if self.mode == "sleep":
                time.sleep(2)
                return []
            return ["not a finding"]

        register(GuardSpec(name="fragile", clauses=("4.2",), stages=(self.stage,), check=check, timeout=0.3))


@pytest.mark.parametrize("mode", ["raise", "sleep", "junk"])
@pytest.mark.parametrize("stage", [Stage.REQUEST, Stage.DRAFT])
def test_a_guard_that_fails_blocks_and_never_lets_text_through(make_app, scripted, mode, stage):
    model = scripted(echo)
    app = make_app(model, CrashingGuard(stage, mode))
    draft = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert draft.status == "blocked" and draft.text == ""
    failure = [f for f in draft.findings if f.guard == "fragile"]
    assert failure and failure[0].blocking and failure[0].category == "guard_failure"
    assert "fragile" in draft.refusal


def test_third_party_guardrails_validator_runs_as_a_guard(make_app, scripted):
    from guardrails.classes.validation.validation_result import ErrorSpan, FailResult, PassResult
    from guardrails.validator_base import Validator, register_validator
    from rai_assistant.guarding import validator_guard

    @register_validator(name="tests/no-exclamations", data_type="string")
    class NoExclamations(Validator):
        def _validate(self, value, metadata):
            i = value.find("!")
            if i < 0:
                return PassResult()
            return FailResult(error_message="No exclamation marks.", error_spans=[ErrorSpan(start=i, end=i + 1, reason="shouting")])

    class Plugin:
        __name__ = "exclaim-plugin"

        @hookimpl
        def register_guards(self, register):
            register(validator_guard("no_exclaim", NoExclamations(on_fail="noop"), clauses=("3.fairness",), verdict=Verdict.FLAG))

    app = make_app(scripted("[PERSON_1] closed the audit early!"), Plugin())
    draft = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    found = [f for f in draft.findings if f.guard == "no_exclaim"]
    assert found and found[0].span == Span(len(draft.text) - 1, len(draft.text), "!")
    assert found[0].clauses == ("3.fairness",)


def test_amend_label_adds_fields_but_cannot_weaken_the_label(make_app, scripted):
    class Tenant:
        __name__ = "tenant-label"

        @hookimpl
        def amend_label(self, label, feature):
            return {"notice": "AI-assisted draft for Acme; review before use.", "tenant": "acme"}

    app = make_app(scripted(echo), Tenant())
    d = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert d.notice.startswith("AI-assisted draft for Acme")
    assert d.label["extensions"]["tenant"] == "acme"

    class Sneaky:
        __name__ = "sneaky-label"

        @hookimpl
        def amend_label(self, label, feature):
            return {"digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"}

    with pytest.raises(PluginError, match="sneaky-label.*digitalSourceType"):
        make_app(scripted(echo), Sneaky()).draft("feedback", subject="Ana Lima", notes=NOTES)


def test_audit_event_reaches_sinks_in_order(make_app, scripted):
    class Sink:
        __name__ = "sink"

        def __init__(self):
            self.events = []

        @hookimpl
        def audit_event(self, event):
            self.events.append(event)

    sink = Sink()
    app = make_app(scripted(echo), sink)
    d = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    app.accept(d.draft_id, "Sam Lee")
    kinds = [e["kind"] for e in sink.events]
    assert kinds[-3:] == ["request", "draft", "decision"]
    assert [e["seq"] for e in sink.events] == sorted(e["seq"] for e in sink.events)
    assert sink.events[-1]["prev_hash"] == sink.events[-2]["hash"]


def test_repeated_violations_escalate_and_on_violation_can_raise_the_level(make_app, scripted):
    class Strict:
        __name__ = "strict"

        def __init__(self):
            self.counts = []

        @hookimpl
        def on_violation(self, user, tenant, findings, count):
            self.counts.append(count)
            return "temporary_block" if count >= 2 else None

    strict = Strict()
    app = make_app(scripted(echo), strict)
    bad = "Rewrite this and remove the AI label so it looks like I typed it by hand."
    first = app.draft("feedback", subject="Ana Lima", notes=bad, user="u1")
    assert first.status == "blocked"
    app.draft("feedback", subject="Ana Lima", notes=bad, user="u1")
    assert strict.counts == [1, 2]
    paused = app.draft("feedback", subject="Ana Lima", notes=NOTES, user="u1")
    assert paused.status == "blocked" and paused.findings[0].clauses == ("5.enforcement",)
    # another user is unaffected
    assert app.draft("feedback", subject="Ana Lima", notes=NOTES, user="u2").status == "pending_review"
    levels = [r["data"]["level"] for r in app.audit.records() if r["kind"] == "enforcement"]
    assert levels == ["warning", "temporary_block"]


def test_near_duplicate_flood_is_refused_as_mass_generation(make_app, scripted):
    app = make_app(scripted(echo=True), plugins={"enforcement": {"near_duplicates_per_hour": 3, "temporary_block_after": 99, "suspend_after": 99}})
    owners = ["Ana Lima", "Ben Cho", "Caro Diaz", "Dev Rao", "Eli Park"]
    results = [
        app.draft("goal", owner=owner, notes=f"Answer {n + 20} support tickets per day with quality score {n + 3}.", user="script")
        for n, owner in enumerate(owners)
    ]
    assert [r.status for r in results[:3]] == ["pending_review"] * 3
    assert results[3].status == "blocked" and "4.6" in results[3].findings[0].clauses


def test_model_plugin_registered_through_the_hook_is_used(make_app):
    from rai_assistant.plugins.models import fake_model

    class Canned:
        __name__ = "canned"

        @hookimpl
        def register_models(self, register):
            register(ModelSpec(prefix="canned", factory=lambda name, options: fake_model(["[PERSON_1] did it."])))

    d = make_app(Canned(), model="canned").draft("feedback", subject="Ana Lima", notes=NOTES)
    assert d.text.startswith("Ana did it") and d.model == "canned"


def test_unknown_model_names_what_exists(make_app):
    from rai_assistant import NotFoundError

    app = make_app(model="nonesuch:x")
    with pytest.raises(NotFoundError, match="available: .*fake.*local.*openai"):
        app.model()


def test_findings_are_data():
    f = Finding(guard="g", clauses=("4.2",), verdict=Verdict.BLOCK, message="m")
    with pytest.raises(AttributeError):
        f.guard = "other"  # type: ignore[misc]
    assert f.to_dict()["verdict"] == "block"


def test_register_policies_adds_a_company_policy_that_guards_enforce_and_retrieval_cites(make_app, scripted):
    from rai_assistant.policy import parse_policy

    handbook = (
        "# Acme people handbook\n\n## 1. Compensation\n\nWritten feedback never mentions salary, bonus or pay "
        "bands; pay is discussed only in the compensation review.\n\n## 2. Meetings\n\nKeep one-on-ones weekly.\n"
    )

    class Handbook:
        __name__ = "acme-handbook-plugin"

        @hookimpl
        def register_policies(self, register):
            register(parse_policy(handbook, "acme"))

        @hookimpl
        def register_guards(self, register):
            def check(text, ctx):
                i = text.lower().find("salary")
                if i < 0:
                    return []
                return [Finding(guard="no_pay_talk", clauses=("acme:1.compensation",), verdict=Verdict.FLAG,
                                message="Pay is not discussed in written feedback.", span=Span(i, i + 6, text[i:i + 6]))]

            register(GuardSpec(name="no_pay_talk", clauses=("acme:1.compensation",), stages=(Stage.DRAFT,), check=check))

    app = make_app(scripted("[PERSON_1] earned a salary rise with the audit work."), Handbook())
    assert app.clause("acme:1.compensation").text.startswith("Written feedback never mentions salary")
    d = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    pay = [f for f in d.findings if f.guard == "no_pay_talk"]
    assert pay and "acme:1.compensation" in [c.id for c in d.citations]
    assert any(p.clause.id == "acme:1.compensation" for p in app.retrieve("can feedback mention someone's bonus or pay band?", k=3))


def test_register_label_formats_and_register_commands():
    import typer
    from rai_assistant.types import LabelFormat
    from typer.testing import CliRunner

    class Extras:
        __name__ = "extras"

        @hookimpl
        def register_label_formats(self, register):
            register(LabelFormat(name="xmp", render=lambda label: f"<xmp:DigitalSourceType>{label['digitalSourceType']}"))

        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            def ping() -> None:
                print("pong")

    pm = build_plugin_manager(extra=[Extras()], entry_points=False)
    registry = collect(pm)
    assert {"text", "json", "xmp"} <= set(registry.label_formats)
    assert "trainedAlgorithmicMedia" in registry.label_formats["xmp"].render({"digitalSourceType": "x/trainedAlgorithmicMedia"})
    cli = typer.Typer()

    @cli.command()
    def noop() -> None:
        pass

    pm.hook.register_commands(cli=cli)
    assert "pong" in CliRunner().invoke(cli, ["ping"]).output


def test_rai_load_plugins_limits_and_names_missing(monkeypatch):
    monkeypatch.setenv("RAI_LOAD_PLUGINS", "no-such-plugin")
    with pytest.raises(PluginError, match="no-such-plugin"):
        build_plugin_manager()
    monkeypatch.setenv("RAI_LOAD_PLUGINS", "")
    pm = build_plugin_manager()
    assert {name for name, _ in pm.list_name_plugin()} == set(BUILTIN_PLUGINS)
