"""The drafting page end to end: the real app served by uvicorn, a real API key, real Chromium.

Only the model's words are scripted. Chromium is Debian's (``apt-get install -y chromium``), driven
headless by Playwright with everything that would reach the network switched off.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.uvicorn_thread import ThreadedServer

CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and shutil.which(p)
    ),
    None,
)
if CHROMIUM is None:
    pytest.skip("no Chromium binary: apt-get install -y chromium", allow_module_level=True)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOTES = (
    "Priya led the checkout redesign this quarter and shipped it two weeks early. "
    "Her demo to the sales team ran 20 minutes over."
)
BIASED = "[PERSON_1] shipped the redesign early, but she is too emotional and bossy in meetings."
FIXED = (
    "Priya Raman shipped the checkout redesign two weeks early. Her demo to the sales team ran "
    "20 minutes over; next time, keep demos to time."
)
MARKUP = "[PERSON_1] led the checkout redesign <img src=x onerror=window.pwned=true> and shipped it two weeks early."
SLOW = 60_000  # ms: a draft on a busy machine


@dataclass
class Served:
    url: str
    token: str
    assistant: Any

    def get(self, path: str) -> dict[str, Any]:
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as res:  # noqa: S310 - our own 127.0.0.1 server
            return json.loads(res.read())


def _warm_up(data_dir: str, failures: list[BaseException]) -> None:
    # The first draft of a process loads chromadb, the embedders and the guards' models and
    # indexes the policy (tens of seconds on a busy machine): do it once, while Chromium launches,
    # so that no test's timeouts have to allow for it.
    from rai_assistant.app import Assistant
    from rai_assistant.config import load_config

    try:
        Assistant(load_config(None, model="fake", data_dir=data_dir)).draft(
            "feedback", {"subject": "Priya Raman", "notes": NOTES}
        )
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
        failures.append(exc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    failures: list[BaseException] = []
    data_dir = str(tmp_path_factory.mktemp("warm-up"))
    with sync_playwright() as pw:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("RAI_DATA_DIR", data_dir)
            env.setenv("RAI_LOAD_PLUGINS", "")
            env.setenv("XDG_CONFIG_HOME", data_dir)
            for var in ("RAI_CONFIG", "RAI_MODEL", "RAI_CHROMA_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
                env.delenv(var, raising=False)
            warm = threading.Thread(target=_warm_up, args=(data_dir, failures), name="warm-up", daemon=True)
            warm.start()
            launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            warm.join()
        if failures:
            raise failures[0]
        yield launched
        launched.close()


@pytest.fixture
def serve(make_app: Callable[..., Any]) -> Iterator[Callable[..., Served]]:
    """Serve a real app with ``plugins`` on 127.0.0.1 in a thread; a writer key for Sam Lee."""
    from rai_assistant.keys import KeyStore
    from rai_assistant.server import create_app

    running: list[ThreadedServer] = []

    def start(*plugins: object, **config: Any) -> Served:
        assistant = make_app(*plugins, **config)
        _record, token = KeyStore.for_assistant(assistant).create("acme", "writer", "Sam Lee")
        served = ThreadedServer(create_app(assistant))
        running.append(served)
        return Served(served.url, token, assistant)

    yield start
    for served in running:
        served.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == [], f"the page raised: {errors}"


def sign_in(page: Any, served: Served, token: str | None = None) -> None:
    page.goto(served.url + "/")
    page.get_by_label("API key").fill(token or served.token)
    page.get_by_role("button", name="Sign in").click()


def draft_feedback(page: Any, subject: str, notes: str) -> None:
    expect(page.get_by_label("What to draft")).to_have_value("feedback")
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Notes").fill(notes)
    page.get_by_role("button", name="Draft", exact=True).click()
    expect(page.locator("#result")).to_be_visible(timeout=SLOW)


def test_sign_in_shows_who_you_are_and_sign_out_forgets_the_key(serve, page, scripted):
    served = serve(scripted(echo=True))
    sign_in(page, served)
    expect(page.locator("#whoami")).to_have_text("Signed in as Sam Lee (writer) · tenant acme")
    assert page.evaluate("sessionStorage.getItem('rai-assistant.key')") == served.token
    assert page.evaluate("localStorage.length") == 0
    assert page.context.cookies() == []
    assert page.get_by_label("API key").input_value() == ""
    # the form was built from GET /v1/features: every feature, its fields and their hints
    options = page.get_by_label("What to draft").locator("option").all_text_contents()
    assert {"feedback", "goal", "self_review", "summary"} <= set(options)
    expect(page.get_by_label("Notes")).to_have_attribute("aria-describedby", "field-notes-hint")
    page.get_by_label("What to draft").select_option("goal")
    expect(page.get_by_label("Owner")).to_be_visible()
    expect(page.get_by_label("Due (optional)")).to_have_attribute("type", "date")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("API key")).to_be_visible()
    expect(page.locator("#workspace")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('rai-assistant.key')") is None
    page.reload()
    expect(page.get_by_label("API key")).to_be_visible()


def test_a_wrong_key_is_refused_and_a_revoked_key_returns_to_sign_in(serve, page, scripted):
    from rai_assistant.keys import KeyStore

    served = serve(scripted(echo=True))
    sign_in(page, served, token="rai_0123456789abcdef_" + "x" * 43)
    expect(page.get_by_role("alert").filter(has_text="not accepted")).to_be_visible()
    expect(page.locator("#workspace")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('rai-assistant.key')") is None

    keys = KeyStore.for_assistant(served.assistant)
    _record, token = keys.create("acme", "writer", "Ana Lima")
    sign_in(page, served, token=token)
    expect(page.locator("#whoami")).to_contain_text("Ana Lima")
    # The form is built from /v1/features after sign-in: revoke only once it is there.
    expect(page.get_by_label("Subject")).to_be_visible(timeout=SLOW)
    keys.revoke(token.split("_")[1])
    page.get_by_label("Subject").fill("Priya Raman")
    page.get_by_label("Notes").fill(NOTES)
    page.get_by_role("button", name="Draft", exact=True).click()
    expect(page.locator("#sign-in-error")).to_contain_text("Your key was not accepted")
    expect(page.get_by_label("API key")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('rai-assistant.key')") is None


def test_a_bias_flag_is_highlighted_then_an_edit_is_rechecked_and_accepted(serve, page, scripted):
    served = serve(scripted(BIASED, BIASED))
    sign_in(page, served)
    draft_feedback(page, "Priya Raman", NOTES)
    expect(page.locator("#draft-status")).to_have_text("waiting for review")
    expect(page.locator("#draft-text")).to_have_text(
        "Priya shipped the redesign early, but she is too emotional and bossy in meetings."
    )
    mark = page.locator("#draft-text mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("too emotional and bossy")
    finding = page.locator("#" + mark.get_attribute("aria-describedby"))
    expect(finding).to_contain_text("Flagged · bias")
    expect(finding).to_contain_text("clause 3.fairness")
    expect(finding.locator(".finding-message")).to_be_visible()
    expect(finding.locator(".finding-message")).to_contain_text("Judges the person's personality")
    expect(finding.locator(".suggestion")).to_be_visible()
    expect(finding.locator(".suggestion")).to_contain_text("Suggestion: Describe the specific behaviour")
    # keyboard: the mark takes focus, which highlights its finding; the finding leads back to it
    page.get_by_label("What to draft").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "MARK":
            break
    expect(mark).to_be_focused()
    expect(finding).to_have_class("finding verdict-flag active")
    page.get_by_role("button", name="Show in text: “too emotional and bossy”").click()
    expect(mark).to_be_focused()
    # the disclosure label of the pending draft
    expect(page.locator("#notice")).to_contain_text("AI-generated draft (model: scripted). Not yet reviewed")
    expect(page.locator("#label-fields")).to_contain_text("trainedAlgorithmicMedia")
    expect(page.locator("#label-fields")).to_contain_text("sha256:")

    # accepting the flagged text unchanged is refused, and the page says why
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#review-error")).to_contain_text("Not accepted: the draft cannot be accepted yet")
    expect(page.locator("#draft-status")).to_have_text("waiting for review")

    page.get_by_label("Edit the text before accepting").fill(FIXED)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#draft-status")).to_have_text("accepted")
    expect(page.locator("#draft-text")).to_have_text(FIXED)
    expect(page.locator("#draft-text mark")).to_have_count(0)
    expect(page.locator("#notice")).to_have_text(
        "AI-assisted draft (model: scripted), edited and accepted by Sam Lee."
    )
    fields = page.locator("#label-fields")
    expect(fields).to_contain_text("compositeWithTrainedAlgorithmicMedia")
    expect(fields).to_contain_text("c2pa.created → c2pa.edited → rai.accepted")
    expect(page.locator("#accept-form")).to_be_hidden()
    draft_id = page.locator("#draft-id").text_content()
    assert served.get(f"/v1/drafts/{draft_id}")["text"] == FIXED


def test_reject_with_a_reason(serve, page, scripted):
    served = serve(scripted(echo=True))
    sign_in(page, served)
    draft_feedback(page, "Priya Raman", NOTES)
    expect(page.locator("#draft-status")).to_have_text("waiting for review")
    page.get_by_label("Reason for rejecting").fill("Too generic")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#draft-status")).to_have_text("rejected")
    expect(page.locator("#label-fields")).to_contain_text("rai.rejected")
    expect(page.locator("#reject-form")).to_be_hidden()
    draft_id = page.locator("#draft-id").text_content()
    assert served.get(f"/v1/drafts/{draft_id}")["status"] == "rejected"


def test_a_blocked_request_shows_the_refusal_and_its_clause(serve, page, scripted):
    served = serve(scripted(echo=True))
    sign_in(page, served)
    draft_feedback(page, "Kofi Mensah", "Also list the exact stocks he should move his pension into.")
    expect(page.locator("#draft-status")).to_have_text("blocked")
    refusal = page.locator("#refusal")
    expect(refusal).to_have_attribute("role", "alert")
    expect(refusal).to_contain_text("I can't help with this request")
    expect(page.locator("#refusal-clauses")).to_have_text("4.3")
    expect(page.locator("#accept-form")).to_be_hidden()
    expect(page.locator("#label")).to_be_hidden()


def test_markup_in_a_draft_is_shown_as_text(serve, page, scripted):
    served = serve(scripted(MARKUP, MARKUP))
    sign_in(page, served)
    draft_feedback(page, "Priya Raman", NOTES)
    expect(page.locator("#draft-text")).to_contain_text("<img src=x onerror=window.pwned=true>")
    assert page.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None
    expect(page.get_by_label("Edit the text before accepting")).to_have_value(
        "Priya led the checkout redesign <img src=x onerror=window.pwned=true> and shipped it two weeks early."
    )


def test_too_many_requests_shows_the_wait(serve, page, scripted):
    served = serve(scripted(echo=True), server={"rate_per_minute": 1, "rate_burst": 4})
    sign_in(page, served)  # GET /v1/me and GET /v1/features spend two of the four
    expect(page.locator("#whoami")).to_contain_text("Sam Lee")
    error = page.locator("#draft-error")
    for _ in range(3):
        page.get_by_label("Draft id").fill("doesnotexist")
        page.get_by_role("button", name="Open").click()
        expect(error).not_to_be_empty()
    expect(error).to_contain_text("Too many requests")
    expect(error).to_contain_text(re.compile(r"Try again in (\d+ seconds|1 minute)\."))
    expect(page.get_by_role("button", name="Open")).to_be_disabled()
