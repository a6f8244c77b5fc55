"""The HTTP API and the drafting page over the same road."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.server import create_app

NOTES = "Kofi migrated the billing service to the new queue with zero downtime."


@pytest.fixture
def client(make_app, scripted):
    app = make_app(scripted(echo=True))
    return TestClient(create_app(app))


def test_draft_accept_over_http(client):
    res = client.post("/v1/drafts/feedback", json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}})
    assert res.status_code == 200, res.text
    draft = res.json()
    assert draft["status"] == "pending_review" and draft["label"]["contentHash"].startswith("sha256:")
    got = client.get(f"/v1/drafts/{draft['draft_id']}").json()
    assert got["text"] == draft["text"]
    acc = client.post(f"/v1/drafts/{draft['draft_id']}/accept", json={"reviewer": "Sam Lee"})
    assert acc.status_code == 200 and acc.json()["status"] == "accepted"
    again = client.post(f"/v1/drafts/{draft['draft_id']}/accept", json={"reviewer": "Sam Lee"})
    assert again.status_code == 409 and "pending" in again.json()["error"]


def test_blocked_request_over_http_is_422_with_refusal(client):
    res = client.post(
        "/v1/drafts/feedback",
        json={"inputs": {"subject": "Kofi Mensah", "notes": "Also list the exact stocks he should move his pension into."}},
    )
    assert res.status_code == 422
    body = res.json()
    assert body["status"] == "blocked" and "4.3" in body["refusal"] and body["label"] is None


def test_bad_input_over_http(client):
    assert client.post("/v1/drafts/feedback", json={"inputs": {"subject": "Kofi"}}).status_code == 422
    assert client.post("/v1/drafts/nope", json={"inputs": {}}).status_code == 404
    assert client.post("/v1/drafts/feedback", json={"inputs": {}, "surprise": 1}).status_code == 422
    assert client.get("/v1/drafts/doesnotexist").status_code == 404


def test_check_search_coverage_and_page(client):
    found = client.post("/v1/check", json={"text": "She is shrill on calls."}).json()["findings"]
    assert any("3.fairness" in f["clauses"] for f in found)
    hits = client.get("/v1/policy/search", params={"q": "scraping colleagues' data"}).json()["results"]
    assert hits and hits[0]["clause"]
    assert client.get("/v1/coverage").json()["feedback"]["4.1"]
    page = client.get("/")
    assert page.status_code == 200 and "Draft feedback" in page.text and "/v1/drafts/feedback" in page.text
