"""What a plugin author meets: start-up checks, crashed and hung guards, tracing, one-file plugins,
label formats from the CLI and HTTP, and `rai plugins` / `rai show` telling the whole story.

CLI tests run `rai` as a real process, as an author would, with plugins from a directory.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field
from rai_assistant import FeatureSpec, Finding, GuardSpec, Prompt, Stage, hookimpl
from rai_assistant.errors import PluginError

RAI = [sys.executable, "-m", "rai_assistant.cli"]
# Guard timeouts raised: the machine running the suite is busy (as in tests/test_server.py).
SLOW_OK = {
    name: {"timeout": 30.0}
    for name in ("acceptable_use", "bias", "grounding", "pii_leak", "quality", "sensitive_facts", "summary_quotes")
}
NOTES = "Ana Lima rebuilt the release checklist and cut failed deploys from six to one this quarter."


def rai(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RAI, *args], capture_output=True, text=True, env=os.environ | (env or {}), timeout=timeout
    )


def _prompt(inputs: BaseModel, passages: object) -> Prompt:
    return Prompt(system="Write feedback.", user=str(inputs.model_dump()))


class _Notes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str = Field(max_length=100)
    notes: str = Field(max_length=4000)


class _Comments(_Notes):
    comments: str = Field(max_length=4000)  # free text the feature forgets to declare


class _NoNotes(BaseModel):
    subject: str = Field(max_length=100)
    text: str = Field(max_length=4000)


class _LongOption(_Notes):
    mood: str = Field(max_length=5000)


class FeaturePlugin:
    def __init__(self, model: type[BaseModel], **spec: object) -> None:
        self.model, self.spec = model, spec
        self.__name__ = f"feature-plugin-{model.__name__}"

    @hookimpl
    def register_features(self, register):  # type: ignore[no-untyped-def]
        register(FeatureSpec(name="one_on_one", description="d", input_model=self.model, build_prompt=_prompt, **self.spec))


class CitingGuard:
    __name__ = "citing-plugin"

    def __init__(self, clauses: tuple[str, ...], features: tuple[str, ...] = ()) -> None:
        self.clauses, self.features = clauses, features

    @hookimpl
    def register_guards(self, register):  # type: ignore[no-untyped-def]
        register(
            GuardSpec(name="citer", clauses=self.clauses, stages=(Stage.DRAFT,), check=lambda t, c: [], features=self.features)
        )


# ---------------------------------------------------------------- start-up checks


def test_a_guard_citing_a_clause_that_does_not_exist_stops_start_up(make_app):
    with pytest.raises(PluginError) as err:
        make_app(CitingGuard(("3.fairness", "9.9")))
    message = str(err.value)
    assert "citer" in message and "'9.9'" in message and "citing-plugin" in message
    assert "'3.fairness'" not in message  # the valid clause is not blamed


def test_a_guard_limited_to_an_unknown_feature_stops_start_up(make_app):
    with pytest.raises(PluginError, match="unknown feature 'kudos'"):
        make_app(CitingGuard(("3.fairness",), features=("kudos",)))


def test_free_text_outside_notes_fields_stops_start_up_naming_the_field(make_app):
    with pytest.raises(PluginError) as err:
        make_app(FeaturePlugin(_Comments, people_fields=("subject",)))
    assert "'comments'" in str(err.value) and "notes_fields" in str(err.value)
    # Declared as notes, the same feature starts and the request guards read the comments.
    app = make_app(FeaturePlugin(_Comments, notes_fields=("notes", "comments"), people_fields=("subject",)))
    assert "one_on_one" in app.registry.features


def test_notes_fields_naming_a_field_the_schema_lacks_stops_start_up(make_app):
    with pytest.raises(PluginError, match=r"names 'notes' in notes_fields, but its input schema _NoNotes has no such field"):
        make_app(FeaturePlugin(_NoNotes, people_fields=("subject",)))


def test_option_fields_must_be_short(make_app):
    with pytest.raises(PluginError, match="option field 'mood' must be capped at 100"):
        make_app(FeaturePlugin(_LongOption, people_fields=("subject",), option_fields=("mood",)))


# ---------------------------------------------------------------- crashes and timeouts


class Crasher:
    __name__ = "crasher-plugin"

    @hookimpl
    def register_guards(self, register):  # type: ignore[no-untyped-def]
        def check_with_a_bug(text: str, ctx: object) -> list[Finding]:
            raise ValueError(f"cannot parse {text[:30]!r}")

        register(GuardSpec(name="buggy", clauses=("4.2",), stages=(Stage.REQUEST,), check=check_with_a_bug))


def test_a_crashed_guard_blocks_and_leaves_its_traceback_in_the_log(make_app, scripted, caplog, monkeypatch):
    monkeypatch.delenv("RAI_TRACE_PLUGINS", raising=False)
    app = make_app(scripted(echo=True), Crasher())
    with caplog.at_level(logging.ERROR, logger="rai.guards"):
        draft = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert draft.status == "blocked"
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "rai.guards")
    assert "guard buggy crashed" in logged and "ValueError" in logged
    assert "check_with_a_bug" in logged and "Traceback" in logged  # where it broke, for its author
    assert "rebuilt the release" not in logged  # the exception quotes the notes: kept out by default
    monkeypatch.setenv("RAI_TRACE_PLUGINS", "1")
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="rai.guards"):
        app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert "cannot parse" in "\n".join(r.getMessage() for r in caplog.records)


class Hanger:
    __name__ = "hanger-plugin"

    def __init__(self, isolation: str, pid_file: Path) -> None:
        self.isolation, self.pid_file = isolation, pid_file

    @hookimpl
    def register_guards(self, register):  # type: ignore[no-untyped-def]
        pid_file = self.pid_file

        def hang(text: str, ctx: object) -> list[Finding]:
            pid_file.write_text(str(os.getpid()))
            while True:  # a library call that never returns
                time.sleep(0.05)

        register(
            GuardSpec(
                name="hangs", clauses=("4.2",), stages=(Stage.REQUEST,), check=hang, timeout=0.5,
                isolation=self.isolation,
            )
        )


def test_a_process_isolated_guard_that_hangs_is_killed_at_its_timeout(make_app, scripted, tmp_path):
    pid_file = tmp_path / "pid"
    app = make_app(scripted(echo=True), Hanger("process", pid_file))
    started = time.monotonic()
    draft = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert time.monotonic() - started < 20
    assert draft.status == "blocked"
    assert any(f.guard == "hangs" and f.category == "guard_failure" for f in draft.findings)
    pid = int(pid_file.read_text())
    assert pid != os.getpid()
    with pytest.raises(ProcessLookupError):  # the work really stopped
        os.kill(pid, 0)


def test_an_unknown_isolation_stops_start_up(make_app, tmp_path):
    with pytest.raises(PluginError, match="isolation 'fiber'"):
        make_app(Hanger("fiber", tmp_path / "pid"))


class SlowStarter:
    """A guard whose first load takes longer than its timeout, as a model does on a busy machine."""

    __name__ = "slow-starter-plugin"

    def __init__(self, fail_first: bool = False) -> None:
        self.loads = 0
        self.checked: list[str] = []
        self.fail_first = fail_first

    def load(self) -> None:
        self.loads += 1
        if self.fail_first and self.loads == 1:
            raise OSError("model file busy")
        time.sleep(0.8)

    @hookimpl
    def register_guards(self, register):  # type: ignore[no-untyped-def]
        def check(text: str, ctx: object) -> list[Finding]:
            self.checked.append(text)
            return []

        register(
            GuardSpec(name="slowstart", clauses=("4.2",), stages=(Stage.REQUEST,), check=check, timeout=0.3, warm=self.load)
        )


def test_a_guard_warms_up_once_outside_its_timeout(make_app, scripted):
    plugin = SlowStarter()
    app = make_app(scripted(echo=True), plugin)
    first = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    second = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert first.status == second.status == "pending_review"  # 0.8 s of loading did not count as 0.3 s of checking
    assert plugin.loads == 1 and len(plugin.checked) == 2


def test_a_warm_up_that_fails_blocks_and_is_tried_again(make_app, scripted):
    plugin = SlowStarter(fail_first=True)
    app = make_app(scripted(echo=True), plugin)
    first = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert first.status == "blocked"
    failure = next(f for f in first.findings if f.guard == "slowstart")
    assert failure.category == "guard_failure" and "OSError" in failure.message
    assert plugin.checked == []  # never judged on a half-loaded guard
    second = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert second.status == "pending_review" and plugin.loads == 2 and len(plugin.checked) == 1


def test_the_built_in_model_guards_load_before_their_first_check(make_app, scripted):
    app = make_app(scripted(echo=True))
    specs = {s.name: s for s in app.enabled_guards("feedback")}
    request_guards = [specs[n] for n in ("disclosure", "acceptable_use", "prompt_extraction", "injection")]
    assert len({id(s.warm) for s in request_guards}) == 1  # one shared analysis, loaded once
    for spec in (request_guards[0], specs["bias"], specs["pii_leak"]):
        assert spec.warm is not None
        spec.warm()


def _write_plugin(directory: Path, name: str, body: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


HANGING_FILE = """
    import time
    from rai_assistant import GuardSpec, Stage, hookimpl

    def slow(text, ctx):
        while not ctx.expired():
            time.sleep(0.05)
        time.sleep(60)  # ignores the deadline: the CLI must still exit
        return []

    @hookimpl
    def register_guards(register):
        register(GuardSpec(name="slowpoke", clauses=("4.2",), stages=(Stage.DRAFT,), check=slow, timeout=0.5))
"""


def test_the_cli_exits_at_once_when_a_thread_guard_hangs(tmp_path):
    plugins = tmp_path / "plugins"
    _write_plugin(plugins, "slowpoke", HANGING_FILE)
    started = time.monotonic()
    res = rai("--plugins-dir", str(plugins), "check", "Ana closed the audit early.", timeout=60)
    took = time.monotonic() - started
    assert res.returncode == 1, res.stderr
    assert "slowpoke" in res.stdout and "guard_failure" in res.stdout
    assert took < 40, f"the CLI waited {took:.0f} s for a hung guard"


# ---------------------------------------------------------------- one-file plugins, tracing, listings

LABEL_FILE = """
    import json
    from rai_assistant import LabelFormat, hookimpl

    @hookimpl
    def register_label_formats(register):
        register(LabelFormat(name="banner", render=lambda label: "== " + label["notice"] + " ==", media_type="text/x-banner"))

    @hookimpl
    def amend_label(label, feature):
        return {"reviewCycle": "2026-H2"}
"""

WATCHER_FILE = """
    from rai_assistant import hookimpl

    @hookimpl
    def audit_event(event):
        pass
"""


def test_plugins_from_a_directory_list_every_plugin_and_label_formats_are_chosen(tmp_path):
    plugins = tmp_path / "plugins"
    _write_plugin(plugins, "banner", LABEL_FILE)
    _write_plugin(plugins, "watcher", WATCHER_FILE)
    listed = rai("--plugins-dir", str(plugins), "plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {Path(r["plugin"].split(" (")[0]).name: r for r in json.loads(listed.stdout)}
    assert rows["watcher"]["hooks"] == ["audit_event"] and rows["watcher"]["registers"] == []
    assert rows["banner"]["registers"] == ["label format banner"]
    made = rai("--plugins-dir", str(plugins), "draft", "feedback", "--subject", "Ana Lima", "--model", "fake",
               "--notes", NOTES, "--json", "--label-format", "banner")
    assert made.returncode == 0, made.stderr
    draft = json.loads(made.stdout)
    assert draft["label_rendered"]["text"] == "== " + draft["label"]["notice"] + " =="
    assert draft["label_rendered"]["media_type"] == "text/x-banner"
    shown = rai("--plugins-dir", str(plugins), "show", draft["draft_id"], "--label-format", "banner")
    assert shown.returncode == 0, shown.stderr
    assert "== " + draft["label"]["notice"] + " ==" in shown.stdout
    assert "reviewCycle: 2026-H2" in shown.stdout  # label extensions are shown
    wrong = rai("--plugins-dir", str(plugins), "show", draft["draft_id"], "--label-format", "xmp")
    assert wrong.returncode == 2
    assert "no label format named 'xmp'" in wrong.stderr and "banner" in wrong.stderr


def test_a_broken_plugin_file_stops_the_cli_naming_the_file(tmp_path):
    plugins = tmp_path / "plugins"
    path = _write_plugin(plugins, "broken", "import not_a_module_anywhere\n")
    res = rai("--plugins-dir", str(plugins), "plugins")
    assert res.returncode == 2
    assert str(path) in res.stderr and "ModuleNotFoundError" in res.stderr


def test_a_feature_without_its_notes_field_exits_2_with_the_reason(tmp_path):
    plugins = tmp_path / "plugins"
    _write_plugin(plugins, "nonotes", """
        from pydantic import BaseModel
        from rai_assistant import FeatureSpec, Prompt, hookimpl

        class Inputs(BaseModel):
            subject: str
            text: str

        @hookimpl
        def register_features(register):
            register(FeatureSpec(name="memo", description="d", input_model=Inputs,
                                 build_prompt=lambda i, p: Prompt(system="s", user="u"), people_fields=("subject",)))
    """)
    res = rai("--plugins-dir", str(plugins), "draft", "memo", "--subject", "Ana Lima", "--set", "text=hello")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "'notes'" in res.stderr and "no such field" in res.stderr and "'text'" in res.stderr


def test_rai_trace_plugins_logs_each_hook_call_without_its_arguments(tmp_path):
    plugins = tmp_path / "plugins"
    _write_plugin(plugins, "banner", LABEL_FILE)
    res = rai("--plugins-dir", str(plugins), "draft", "feedback", "--subject", "Ana Lima", "--model", "fake",
              "--notes", NOTES, env={"RAI_TRACE_PLUGINS": "1"})
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("rai.plugins: hook ")]
    hooks = {ln.split()[2] for ln in lines}
    assert {"register_guards", "register_features", "amend_label", "audit_event"} <= hooks
    assert any("amend_label -> banner" in ln for ln in lines)
    assert "Ana Lima" not in res.stderr and "release checklist" not in res.stderr


def test_http_renders_the_label_in_a_registered_format(make_app, scripted, tmp_path):
    from fastapi.testclient import TestClient
    from rai_assistant.keys import KeyStore
    from rai_assistant.server import create_app

    class Banner:
        __name__ = "banner-plugin"

        @hookimpl
        def register_label_formats(self, register):  # type: ignore[no-untyped-def]
            from rai_assistant import LabelFormat

            register(LabelFormat(name="banner", render=lambda label: "== " + label["notice"], media_type="text/x-banner"))

    app = make_app(scripted(echo=True), Banner(), guards=SLOW_OK)
    token = KeyStore.for_assistant(app).create("acme", "writer", "Wendy Writer")[1]
    with TestClient(create_app(app)) as http:
        headers = {"Authorization": f"Bearer {token}"}
        made = http.post("/v1/drafts/feedback", json={"inputs": {"subject": "Ana Lima", "notes": NOTES}}, headers=headers)
        assert made.status_code == 200, made.text
        draft = made.json()
        got = http.get(f"/v1/drafts/{draft['draft_id']}/label", params={"format": "banner"}, headers=headers)
        assert got.status_code == 200
        assert got.headers["content-type"].startswith("text/x-banner")
        assert got.text == "== " + draft["label"]["notice"]
        missing = http.get(f"/v1/drafts/{draft['draft_id']}/label", params={"format": "xmp"}, headers=headers)
        assert missing.status_code == 404 and "banner" in missing.json()["error"]
        assert http.get(f"/v1/drafts/{draft['draft_id']}/label", params={"format": "banner"}).status_code == 401


class PhraseFlagger:
    __name__ = "phrase-plugin"

    @hookimpl
    def register_guards(self, register):  # type: ignore[no-untyped-def]
        from rai_assistant import Span, Verdict

        def check(text: str, ctx: object) -> list[Finding]:
            start = text.find("release checklist")
            if start < 0:
                return []
            return [
                Finding(
                    guard="jargon", clauses=("3.fairness",), verdict=Verdict.FLAG, category="jargon",
                    message="Internal jargon.", span=Span(start, start + 17, "release checklist"),
                    suggestion="Say what the checklist does.",
                )
            ]

        register(GuardSpec(name="jargon", clauses=("3.fairness",), stages=(Stage.DRAFT,), check=check))


def test_a_plugin_flag_resolved_by_the_revision_stays_on_the_record(make_app, scripted):
    model = scripted(echo=True)
    app = make_app(model, PhraseFlagger(), guards=SLOW_OK)
    draft = app.draft("feedback", subject="Ana Lima", notes=NOTES)
    assert draft.status == "pending_review", draft.refusal
    assert len(model.prompts) == 2  # the draft, then one revision
    assert "-----BEGIN DRAFT-----" in model.prompts[1]  # the draft is fenced as data for the revision
    assert "release checklist" not in draft.text
    assert draft.text.startswith("Ana Lima")  # the revision addresses the same person
    advice = [f for f in draft.findings if f.guard == "jargon"]
    assert len(advice) == 1 and advice[0].verdict.value == "advice"
    assert advice[0].message.startswith("Revised automatically: the first draft had words the jargon guard flagged")
    assert "release checklist" not in advice[0].message
    assert advice[0].span is None  # the flagged words were never shipped: not quoted either
