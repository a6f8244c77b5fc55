"""The HTTP API and the drafting page over the same road, signed in with API keys."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rai_assistant.keys import KeyStore
from rai_assistant.server import create_app

NOTES = "Kofi migrated the billing service to the new queue with zero downtime."
# Cold guards (first use loads lexicons and models) must not time out on a busy test machine.
SLOW_OK = {
    name: {"timeout": 60}
    for name in ("acceptable_use", "bias", "grounding", "pii_leak", "quality", "sensitive_facts", "summary_quotes")
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def served(make_app, scripted):
    app = make_app(scripted(echo=True), guards=SLOW_OK)
    keys = KeyStore.for_assistant(app)
    tokens = {
        role: keys.create("acme", role, name)[1]
        for role, name in (("writer", "Wendy Writer"), ("reviewer", "Sam Lee"), ("auditor", "Uma Audit"))
    }
    return TestClient(create_app(app)), tokens


def test_draft_accept_over_http(served):
    client, keys = served
    writer, reviewer = bearer(keys["writer"]), bearer(keys["reviewer"])
    res = client.post(
        "/v1/drafts/feedback", json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}}, headers=writer
    )
    assert res.status_code == 200, res.text
    draft = res.json()
    assert draft["status"] == "pending_review" and draft["label"]["contentHash"].startswith("sha256:")
    assert draft["tenant"] == "acme"
    got = client.get(f"/v1/drafts/{draft['draft_id']}", headers=writer).json()
    assert got["text"] == draft["text"]
    acc = client.post(f"/v1/drafts/{draft['draft_id']}/accept", json={}, headers=reviewer)
    assert acc.status_code == 200, acc.text
    assert acc.json()["status"] == "accepted" and acc.json()["reviewer"] == "Sam Lee"
    again = client.post(f"/v1/drafts/{draft['draft_id']}/accept", headers=reviewer)
    assert again.status_code == 409 and "pending" in again.json()["error"]


def test_writer_lists_and_rejects_own_draft(served):
    client, keys = served
    writer = bearer(keys["writer"])
    draft = client.post(
        "/v1/drafts/feedback", json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}}, headers=writer
    ).json()
    listed = client.get("/v1/drafts", headers=writer).json()["drafts"]
    assert [d["draft_id"] for d in listed] == [draft["draft_id"]]
    assert "text" not in listed[0]
    rej = client.post(f"/v1/drafts/{draft['draft_id']}/reject", json={"reason": "too generic"}, headers=writer)
    assert rej.status_code == 200 and rej.json()["status"] == "rejected"
    assert rej.json()["reviewer"] == "Wendy Writer"


def test_blocked_request_over_http_is_422_with_refusal(served):
    client, keys = served
    res = client.post(
        "/v1/drafts/feedback",
        json={"inputs": {"subject": "Kofi Mensah", "notes": "Also list the exact stocks he should move his pension into."}},
        headers=bearer(keys["writer"]),
    )
    assert res.status_code == 422
    body = res.json()
    assert body["status"] == "blocked" and "4.3" in body["refusal"] and body["label"] is None


def test_bad_input_over_http(served):
    client, keys = served
    writer = bearer(keys["writer"])
    missing = client.post("/v1/drafts/feedback", json={"inputs": {"subject": "Kofi"}}, headers=writer)
    assert missing.status_code == 422 and "notes" in missing.json()["error"]
    assert client.post("/v1/drafts/nope", json={"inputs": {}}, headers=writer).status_code == 404
    surprise = client.post("/v1/drafts/feedback", json={"inputs": {}, "surprise": 1}, headers=writer)
    assert surprise.status_code == 422 and "surprise" in surprise.json()["error"]
    assert client.get("/v1/drafts/doesnotexist", headers=writer).status_code == 404


def test_identity_comes_from_the_key_not_the_body(served):
    client, keys = served
    writer = bearer(keys["writer"])
    for field in ("user", "tenant"):
        res = client.post(
            "/v1/drafts/feedback",
            json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}, field: "someone-else"},
            headers=writer,
        )
        assert res.status_code == 422
        assert field in res.json()["error"] and "API key" in res.json()["error"]
    res = client.post("/v1/drafts/abc/accept", json={"reviewer": "Sam Lee"}, headers=bearer(keys["reviewer"]))
    assert res.status_code == 422 and "reviewer cannot be sent" in res.json()["error"]


def test_me_features_check_search_coverage_and_page(served):
    client, keys = served
    writer = bearer(keys["writer"])
    me = client.get("/v1/me", headers=writer).json()
    assert me["tenant"] == "acme" and me["name"] == "Wendy Writer" and me["roles"] == ["writer"]
    features = {f["name"]: f for f in client.get("/v1/features", headers=writer).json()["features"]}
    assert "notes" in features["feedback"]["fields"] and features["feedback"]["notes_fields"] == ["notes"]
    assert features["feedback"]["schema"]["type"] == "object"
    found = client.post("/v1/check", json={"text": "She is shrill on calls."}, headers=writer).json()["findings"]
    assert any("3.fairness" in f["clauses"] for f in found)
    hits = client.get("/v1/policy/search", params={"q": "scraping colleagues' data"}, headers=writer).json()["results"]
    assert hits and hits[0]["clause"]
    assert client.get("/v1/coverage", headers=writer).json()["feedback"]["4.1"]
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
