"""Who may do what over HTTP: every route against no key, a revoked key, the wrong role and another tenant.

One real app (real SQLite, real keys, the built-in ``fake`` model for the words) serves two tenants,
``acme`` and ``globex``. Limits, headers, the OpenAPI schema and OIDC sign-in are tested here too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from rai_assistant.app import Assistant
from rai_assistant.auth import OIDCAuthenticator
from rai_assistant.config import OIDCSettings, load_config
from rai_assistant.errors import ConfigError
from rai_assistant.identity import AuthError
from rai_assistant.keys import KeyStore
from rai_assistant.server import create_app

NOTES = "Kofi migrated the billing service to the new queue with zero downtime."
SLOW_OK = {
    name: {"timeout": 60}
    for name in ("acceptable_use", "bias", "grounding", "pii_leak", "quality", "sensitive_facts", "summary_quotes")
}
GENEROUS = {"rate_burst": 100_000, "rate_per_minute": 100_000}
PEOPLE = {
    "writer": ("acme", "writer", "Wendy Writer"),
    "writer2": ("acme", "writer", "Will Other"),
    "reviewer": ("acme", "reviewer", "Rita Reviewer"),
    "kofi": ("acme", "reviewer", "Kofi Mensah"),
    "admin": ("acme", "admin", "Ada Admin"),
    "auditor": ("acme", "auditor", "Uma Auditor"),
    "g_writer": ("globex", "writer", "Gus Writer"),
    "g_reviewer": ("globex", "reviewer", "Gina Reviewer"),
    "g_admin": ("globex", "admin", "Gil Admin"),
    "g_auditor": ("globex", "auditor", "Gia Auditor"),
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    assistant: Assistant
    client: TestClient
    tokens: dict[str, str]
    revoked: str
    drafts: list[str] = field(default_factory=list)

    def h(self, who: str) -> dict[str, str]:
        return bearer(self.tokens[who])

    def draft(self, who: str = "writer", subject: str = "Kofi Mensah") -> str:
        res = self.client.post(
            "/v1/drafts/feedback", json={"inputs": {"subject": subject, "notes": NOTES}}, headers=self.h(who)
        )
        assert res.status_code == 200, res.text
        return str(res.json()["draft_id"])

    def status_of(self, draft_id: str) -> str:
        return str(self.client.get(f"/v1/drafts/{draft_id}", headers=self.h("admin")).json()["status"])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = tmp_path_factory.mktemp("security")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAI_DATA_DIR", str(data / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(data / "config"))
        mp.setenv("RAI_LOAD_PLUGINS", "")
        for var in ("RAI_CONFIG", "RAI_MODEL", "RAI_CHROMA_URL", "RAI_DATABASE_URL", "OPENAI_API_KEY"):
            mp.delenv(var, raising=False)
        assistant = Assistant(load_config(None, model="fake", guards=SLOW_OK, server=GENEROUS))
        # Bind the stores to this module's data directory before tests change the environment.
        _ = (assistant.database, assistant.store, assistant.audit, assistant.enforcement, assistant.salt)
        keys = KeyStore.for_assistant(assistant)
        tokens = {who: keys.create(*spec)[1] for who, spec in PEOPLE.items()}
        record, revoked = keys.create("acme", "admin", "Rex Revoked")
        keys.revoke(record.key_id)
        world = World(assistant, TestClient(create_app(assistant)), tokens, revoked)
        world.drafts.append(world.draft())
        yield world


# ---------------------------------------------------------------- the route table


def _routes(world: World) -> list[tuple[str, str]]:
    found = []
    for route in world.client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and (route.path.startswith("/v1/") or route.path == "/metrics"):
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, route.path))
    return found


def _fill(path: str, draft_id: str) -> str:
    return path.replace("{feature}", "feedback").replace("{draft_id}", draft_id).replace("{model_id}", "rai-feedback")


KNOWN = {
    ("GET", "/v1/me"),
    ("GET", "/v1/features"),
    ("POST", "/v1/drafts/{feature}"),
    ("GET", "/v1/drafts"),
    ("GET", "/v1/drafts/{draft_id}"),
    ("POST", "/v1/drafts/{draft_id}/accept"),
    ("POST", "/v1/drafts/{draft_id}/reject"),
    ("POST", "/v1/check"),
    ("GET", "/v1/policy/search"),
    ("GET", "/v1/coverage"),
    ("GET", "/v1/audit"),
    ("GET", "/metrics"),
}


def test_every_route_refuses_no_key_a_revoked_key_and_a_made_up_one(world: World) -> None:
    routes = _routes(world)
    assert KNOWN <= set(routes)  # the table below is not vacuous
    draft_id = world.drafts[0]
    for method, path in routes:
        url = _fill(path, draft_id)
        body = {"json": {}} if method == "POST" else {}
        for headers, says in (
            ({}, "no credential"),
            (bearer(world.revoked), "revoked"),
            (bearer("rai_0123456789abcdef_" + "A" * 43), "not known"),
            ({"Authorization": "Basic dXNlcjpwYXNz"}, "Bearer"),
        ):
            res = world.client.request(method, url, headers=headers, params={"q": "x"}, **body)
            assert res.status_code == 401, (method, path, headers, res.text)
            assert says in res.json()["error"], (method, path, res.text)
            assert res.headers["www-authenticate"] == "Bearer"
    assert world.status_of(draft_id) == "pending_review"  # nobody decided it without a key


WRONG_ROLE = [
    ("auditor", "POST", "/v1/drafts/{feature}"),
    ("reviewer", "POST", "/v1/drafts/{feature}"),
    ("auditor", "GET", "/v1/drafts"),
    ("auditor", "GET", "/v1/drafts/{draft_id}"),
    ("auditor", "POST", "/v1/drafts/{draft_id}/accept"),
    ("auditor", "POST", "/v1/drafts/{draft_id}/reject"),
    ("auditor", "POST", "/v1/check"),
    ("writer", "GET", "/v1/audit"),
    ("reviewer", "GET", "/v1/audit"),
    ("writer", "GET", "/metrics"),
    ("reviewer", "GET", "/metrics"),
]


@pytest.mark.parametrize(("who", "method", "path"), WRONG_ROLE)
def test_wrong_role_is_403_and_changes_nothing(world: World, who: str, method: str, path: str) -> None:
    draft_id = world.drafts[0]
    body: dict[str, Any] = {}
    if path == "/v1/drafts/{feature}":
        body = {"json": {"inputs": {"subject": "Kofi Mensah", "notes": NOTES}}}
    elif path == "/v1/check":
        body = {"json": {"text": "Fine work."}}
    elif method == "POST":
        body = {"json": {}}
    res = world.client.request(method, _fill(path, draft_id), headers=world.h(who), **body)
    assert res.status_code == 403, res.text
    assert "role" in res.json()["error"]
    assert world.status_of(draft_id) == "pending_review"


@pytest.mark.parametrize("who", ["writer", "reviewer", "admin", "auditor"])
def test_routes_open_to_every_role(world: World, who: str) -> None:
    for path in ("/v1/me", "/v1/features", "/v1/coverage"):
        assert world.client.get(path, headers=world.h(who)).status_code == 200, path
    res = world.client.get("/v1/policy/search", params={"q": "privacy"}, headers=world.h(who))
    assert res.status_code == 200 and res.json()["results"]
    assert world.client.get("/v1/me", headers=world.h(who)).json()["tenant"] == "acme"


def _same_404(world: World, res: Any, draft_id: str) -> None:
    missing = world.client.get("/v1/drafts/ffffffffffff", headers=world.h("g_admin")).json()["error"]
    assert res.status_code == 404, res.text
    # Word for word what a made-up id gets: the answer reveals nothing about the draft.
    assert res.json()["error"].replace(draft_id, "ID") == missing.replace("ffffffffffff", "ID")


@pytest.mark.parametrize("who", ["g_writer", "g_reviewer", "g_admin"])
def test_another_tenant_can_neither_see_nor_decide_a_draft(world: World, who: str) -> None:
    draft_id = world.drafts[0]
    _same_404(world, world.client.get(f"/v1/drafts/{draft_id}", headers=world.h(who)), draft_id)
    for verb in ("accept", "reject"):
        res = world.client.post(f"/v1/drafts/{draft_id}/{verb}", json={}, headers=world.h(who))
        _same_404(world, res, draft_id)
    listed = world.client.get("/v1/drafts", headers=world.h(who)).json()["drafts"]
    assert draft_id not in {d["draft_id"] for d in listed}
    assert world.status_of(draft_id) == "pending_review"


def test_another_tenants_audit_records_and_drafts_stay_apart(world: World) -> None:
    theirs = world.draft("g_writer")
    assert world.client.get(f"/v1/drafts/{theirs}", headers=world.h("admin")).status_code == 404
    assert world.client.get(f"/v1/drafts/{theirs}", headers=world.h("g_reviewer")).json()["tenant"] == "globex"
    records = world.client.get("/v1/audit", headers=world.h("g_auditor")).json()["records"]
    assert records and {r["data"]["tenant"] for r in records} == {"globex"}
    assert world.drafts[0] not in {r["draft_id"] for r in records}
    acme = world.client.get("/v1/audit", headers=world.h("auditor")).json()["records"]
    assert theirs not in {r["draft_id"] for r in acme} and world.drafts[0] in {r["draft_id"] for r in acme}


def test_a_writer_sees_and_decides_only_their_own_drafts(world: World) -> None:
    mine = world.draft("writer")
    other = world.client
    _same_404(world, other.get(f"/v1/drafts/{mine}", headers=world.h("writer2")), mine)
    _same_404(world, other.post(f"/v1/drafts/{mine}/accept", json={}, headers=world.h("writer2")), mine)
    assert mine not in {d["draft_id"] for d in other.get("/v1/drafts", headers=world.h("writer2")).json()["drafts"]}
    assert mine in {d["draft_id"] for d in other.get("/v1/drafts", headers=world.h("reviewer")).json()["drafts"]}
    res = other.post(f"/v1/drafts/{mine}/accept", json={}, headers=world.h("writer"))
    assert res.status_code == 200 and res.json()["status"] == "accepted"


def test_a_reviewer_cannot_decide_a_draft_about_themselves(world: World) -> None:
    about_kofi = world.draft("writer", subject="Kofi Mensah")
    for verb in ("accept", "reject"):
        res = world.client.post(f"/v1/drafts/{about_kofi}/{verb}", json={}, headers=world.h("kofi"))
        assert res.status_code == 403 and "about you" in res.json()["error"]
    assert world.status_of(about_kofi) == "pending_review"
    res = world.client.post(f"/v1/drafts/{about_kofi}/accept", json={}, headers=world.h("reviewer"))
    assert res.status_code == 200 and res.json()["reviewer"] == "Rita Reviewer"


def test_the_audit_log_holds_the_reviewer_as_a_salted_hash(world: World) -> None:
    draft_id = world.draft("writer")
    assert world.client.post(f"/v1/drafts/{draft_id}/reject", json={}, headers=world.h("admin")).status_code == 200
    stored = [r for r in world.assistant.audit.records() if r["draft_id"] == draft_id and r["kind"] == "decision"]
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{64}", stored[0]["data"]["reviewer"])
    everything = json.dumps(list(world.assistant.audit.records()))
    for who in PEOPLE.values():
        assert who[2] not in everything
    seen = world.client.get("/v1/audit", headers=world.h("auditor")).json()["records"]
    assert any(r["draft_id"] == draft_id and r["kind"] == "decision" for r in seen)
    assert '"text"' not in json.dumps(seen)


# ---------------------------------------------------------------- limits


def test_rate_limit_per_principal_is_429_with_retry_after(make_app, scripted) -> None:
    app = make_app(scripted(echo=True), server={"rate_burst": 3, "rate_per_minute": 1})
    keys = KeyStore.for_assistant(app)
    first, second = keys.create("acme", "writer")[1], keys.create("acme", "writer")[1]
    client = TestClient(create_app(app))
    assert [client.get("/v1/me", headers=bearer(first)).status_code for _ in range(3)] == [200] * 3
    res = client.get("/v1/me", headers=bearer(first))
    assert res.status_code == 429 and int(res.headers["retry-after"]) >= 1 and "wait" in res.json()["error"]
    assert client.get("/v1/me", headers=bearer(second)).status_code == 200  # buckets are per principal


def test_failed_sign_ins_are_rate_limited_per_address(make_app, scripted) -> None:
    app = make_app(scripted(echo=True), server={"rate_burst": 2, "rate_per_minute": 1})
    client = TestClient(create_app(app))
    wrong = bearer("rai_0123456789abcdef_" + "A" * 43)
    assert [client.get("/v1/me", headers=wrong).status_code for _ in range(2)] == [401, 401]
    res = client.get("/v1/me", headers=wrong)
    assert res.status_code == 429 and int(res.headers["retry-after"]) >= 1


def test_volume_limits_count_per_principal(make_app, scripted) -> None:
    app = make_app(scripted(echo=True), guards=SLOW_OK, plugins={"enforcement": {"per_user_per_hour": 1}})
    keys = KeyStore.for_assistant(app)
    first, second = keys.create("acme", "writer")[1], keys.create("acme", "writer")[1]
    client = TestClient(create_app(app))
    body = {"inputs": {"subject": "Kofi Mensah", "notes": NOTES}}
    assert client.post("/v1/drafts/feedback", json=body, headers=bearer(first)).status_code == 200
    again = client.post("/v1/drafts/feedback", json=body, headers=bearer(first))
    assert again.status_code == 422 and "4.7" in {c for f in again.json()["findings"] for c in f["clauses"]}
    assert client.post("/v1/drafts/feedback", json=body, headers=bearer(second)).status_code == 200


def test_a_body_over_the_limit_is_413_declared_or_streamed(world: World) -> None:
    big = b'{"inputs": {"notes": "' + b"x" * 1_100_000 + b'"}}'
    res = world.client.post(
        "/v1/drafts/feedback", content=big, headers=world.h("writer") | {"content-type": "application/json"}
    )
    assert res.status_code == 413 and "larger than" in res.json()["error"]
    chunks = iter([big[i : i + 65536] for i in range(0, len(big), 65536)])
    res = world.client.post(
        "/v1/drafts/feedback", content=chunks, headers=world.h("writer") | {"content-type": "application/json"}
    )
    assert res.status_code == 413 and "larger than" in res.json()["error"]


def test_422_names_the_field_but_never_echoes_the_value(world: World) -> None:
    marker = "SECRET-" + "q" * 5000
    cases = [
        {"inputs": {"subject": "Kofi Mensah", "notes": NOTES}, "model": marker},
        {"inputs": {"subject": "Kofi Mensah", "notes": NOTES}, "roster": [marker]},
        {"inputs": {"subject": [marker], "notes": NOTES}},
        {"inputs": {marker: "x"}},
        {"inputs": marker},
    ]
    for body in cases:
        res = world.client.post("/v1/drafts/feedback", json=body, headers=world.h("writer"))
        assert res.status_code == 422, res.text[:300]
        assert "SECRET" not in res.text and res.json()["error"]
    too_many = [f"Person Number{i}" for i in range(201)]
    res = world.client.post(
        "/v1/drafts/feedback",
        json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}, "roster": too_many},
        headers=world.h("writer"),
    )
    assert res.status_code == 422 and "roster" in res.json()["error"] and "200" in res.json()["error"]


def test_a_500_character_name_is_a_clear_422_not_a_500(world: World) -> None:
    name = "A" + "b" * 499
    res = world.client.post(
        "/v1/drafts/feedback",
        json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}, "roster": [name]},
        headers=world.h("writer"),
    )
    assert res.status_code == 422 and "100 characters" in res.json()["error"]
    res = world.client.post(
        "/v1/drafts/feedback", json={"inputs": {"subject": name, "notes": NOTES}}, headers=world.h("writer")
    )
    assert res.status_code in (200, 422), res.text[:300]
    if "error" in res.json():
        assert "characters" in res.json()["error"]
    else:
        assert res.json()["status"] in ("pending_review", "blocked")


def test_two_hundred_long_roster_names_do_not_stall(world: World) -> None:
    roster = [f"Zed{chr(97 + i % 26)}{chr(97 + i // 26)}" + "q" * 94 + " Long" for i in range(200)]
    started = time.monotonic()
    res = world.client.post(
        "/v1/drafts/feedback",
        json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES + " " + roster[7]}, "roster": roster},
        headers=world.h("writer"),
    )
    assert res.status_code in (200, 422), res.text[:300]
    assert time.monotonic() - started < 30


def test_long_names_and_nested_prefixes_compile_without_recursion() -> None:
    from rai_assistant._pii_names import trie_pattern
    from rai_assistant.privacy import Vault

    words = ["A" + "b" * 499, *("x" * n for n in range(1, 400))]
    pattern = re.compile(rf"(?:{trie_pattern(words)})\Z")
    assert all(pattern.match(w) for w in words) and not pattern.match("y")
    vault = Vault.for_request(people=["Kofi Mensah"], roster=["A" + "b" * 499])
    assert "[PERSON_" in vault.protect("Thanks to " + "A" + "b" * 499 + " for the help.")


# ---------------------------------------------------------------- headers, hosts, schema


def test_security_headers_on_every_response_and_unknown_hosts_refused(world: World) -> None:
    for res in (
        world.client.get("/"),
        world.client.get("/v1/me"),
        world.client.get("/v1/me", headers=world.h("writer")),
        world.client.get("/nope"),
        world.client.get("/healthz", headers={"host": "evil.example"}),
    ):
        assert res.headers["content-security-policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in res.headers["content-security-policy"]
        assert res.headers["x-content-type-options"] == "nosniff"
        assert res.headers["referrer-policy"] == "no-referrer"
        assert res.headers["cache-control"] == "no-store"
    assert world.client.get("/healthz", headers={"host": "evil.example"}).status_code == 400
    static = world.client.get("/static/index.html")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")


def test_openapi_lists_every_route_and_every_ref_resolves(world: World) -> None:
    res = world.client.get("/openapi.json")
    assert res.status_code == 200
    schema = res.json()
    for method, path in _routes(world):
        assert method.lower() in schema["paths"][path], (method, path)
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    refs.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    assert refs
    for ref in refs:
        target: Any = schema
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict) and part in target, f"unresolved {ref}"
            target = target[part]


# ---------------------------------------------------------------- OIDC


@pytest.fixture(scope="module")
def signing() -> dict[str, Any]:
    keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048) for kid in ("k1", "k2", "other")}
    return keys


def _jwk(key: Any, kid: str) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return jwk | {"kid": kid, "use": "sig", "alg": "RS256"}


def _token(key: Any, kid: str, **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": "https://idp.example", "aud": "rai", "sub": "u-42", "exp": now + 300, "nbf": now - 5,
        "tenant": "acme", "name": "Olu Okafor", "roles": ["reviewer"],
    } | claims
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm="RS256", headers={"kid": kid})


def _hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    # Built by hand: PyJWT itself refuses to use a public key as an HMAC secret.
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = part(json.dumps(header).encode()) + "." + part(json.dumps(claims).encode())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + part(mac)


def test_oidc_tokens_sign_in_and_bad_ones_are_401(make_app, scripted, tmp_path: Path, signing) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [_jwk(signing["k1"], "k1")]}))
    oidc = {"issuer": "https://idp.example", "audience": "rai", "jwks_file": str(jwks)}
    app = make_app(scripted(echo=True), server={"oidc": oidc})
    client = TestClient(create_app(app))
    me = client.get("/v1/me", headers=bearer(_token(signing["k1"], "k1")))
    assert me.status_code == 200, me.text
    assert me.json() | {"subject": ""} == {
        "tenant": "acme", "subject": "", "name": "Olu Okafor", "roles": ["reviewer"], "via": "oidc"
    }
    # The classic confusion attack: HS256 "signed" with the provider's public key as the secret.
    public_pem = signing["k1"].public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    now = int(time.time())
    hs = _hs256(
        {"alg": "HS256", "typ": "JWT", "kid": "k1"},
        {"iss": "https://idp.example", "aud": "rai", "sub": "x", "exp": now + 60, "tenant": "acme"},
        public_pem,
    )
    bad = {
        "expired": _token(signing["k1"], "k1", exp=now - 3600),
        "wrong audience": _token(signing["k1"], "k1", aud="someone-else"),
        "wrong issuer": _token(signing["k1"], "k1", iss="https://evil.example"),
        "not yet valid": _token(signing["k1"], "k1", nbf=now + 3600),
        "no tenant": _token(signing["k1"], "k1", tenant=None),
        "unknown key": _token(signing["other"], "other"),
        "right kid, wrong key": _token(signing["other"], "k1"),
        "symmetric": hs,
    }
    for why, token in bad.items():
        res = client.get("/v1/me", headers=bearer(token))
        assert res.status_code == 401, (why, res.text)
    # A reviewer from the token may not draft: roles come from the token too.
    res = client.post(
        "/v1/drafts/feedback",
        json={"inputs": {"subject": "Kofi Mensah", "notes": NOTES}},
        headers=bearer(_token(signing["k1"], "k1")),
    )
    assert res.status_code == 403


class _JWKSServer:
    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.fetches = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                outer.fetches += 1
                body = json.dumps(outer.document).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_oidc_keys_from_a_url_are_cached_and_refetched_for_a_new_kid(signing) -> None:
    idp = _JWKSServer()
    try:
        idp.document = {"keys": [_jwk(signing["k1"], "k1")]}
        auth = OIDCAuthenticator(
            OIDCSettings(issuer="https://idp.example", audience="rai", jwks_url=idp.url), refresh_interval=0
        )
        for _ in range(3):
            assert auth.authenticate("Bearer " + _token(signing["k1"], "k1")).tenant == "acme"
        assert idp.fetches == 1  # cached
        idp.document = {"keys": [_jwk(signing["k2"], "k2")]}  # the provider rotates its key
        assert auth.authenticate("Bearer " + _token(signing["k2"], "k2")).subject == "oidc:u-42"
        assert idp.fetches == 2
        with pytest.raises(AuthError):
            auth.authenticate("Bearer " + _token(signing["other"], "other"))
    finally:
        idp.close()


def test_oidc_config_refuses_symmetric_algorithms_and_needs_one_key_source() -> None:
    with pytest.raises(ConfigError, match="asymmetric"):
        load_config(None, server={"oidc": {"issuer": "i", "audience": "a", "jwks_file": "x", "algorithms": ["HS256"]}})
    with pytest.raises(ConfigError, match="exactly one of jwks_url or jwks_file"):
        load_config(None, server={"oidc": {"issuer": "i", "audience": "a"}})
