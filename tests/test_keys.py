"""API keys on real databases: created once, hashed at rest, revocable; and the `rai keys` CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rai_assistant.config import load_config
from rai_assistant.db import Database, api_keys
from rai_assistant.errors import InputError, NotFoundError
from rai_assistant.identity import AuthError, Role
from rai_assistant.keys import KeyStore
from sqlalchemy import select, text, update

TOKEN = re.compile(r"rai_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        data = tmp_path / "data"
        db = Database(f"sqlite:///{data / 'rai.sqlite3'}", data_dir=data)
    else:
        db = Database(request.getfixturevalue("postgres").new_database())
    db.upgrade()
    yield db
    db.dispose()


def test_a_new_key_proves_its_tenant_and_role(database: Database) -> None:
    keys = KeyStore(database)
    record, token = keys.create("acme", "reviewer", "Sam's laptop")
    match = TOKEN.fullmatch(token)
    assert match is not None and match.group(1) == record.key_id
    principal = keys.authenticate(token)
    assert (principal.tenant, principal.subject, principal.name) == ("acme", record.key_id, "Sam's laptop")
    assert principal.roles == frozenset({Role.REVIEWER}) and principal.via == "key"
    # the Authorization header value works too
    assert keys.authenticate(f"Bearer {token}") == principal
    assert keys.create("acme", Role.ADMIN)[0].role is Role.ADMIN


def test_the_token_is_never_stored_or_listed(database: Database) -> None:
    keys = KeyStore(database)
    record, token = keys.create("acme", "writer")
    secret = TOKEN.fullmatch(token).group(2)  # type: ignore[union-attr]
    with database.engine.connect() as conn:
        rows = [tuple(r) for table in ("api_keys", "audit", "rai_meta") for r in conn.execute(text(f"SELECT * FROM {table}"))]
    assert rows and secret not in repr(rows) and token not in repr(rows)
    if database.path is not None:  # every byte on disk, the write-ahead log included
        for path in database.path.parent.iterdir():
            assert secret.encode() not in path.read_bytes(), path
    listed = json.dumps([r.to_dict() for r in keys.list()])
    with database.engine.connect() as conn:
        stored_hash = conn.execute(select(api_keys.c.secret_hash)).scalar_one()
    assert record.key_id in listed and secret not in listed and stored_hash not in listed


def test_keys_are_listed_by_tenant(database: Database) -> None:
    keys = KeyStore(database)
    a, _ = keys.create("acme", "writer")
    g, _ = keys.create("globex", "auditor")
    assert {r.key_id for r in keys.list()} == {a.key_id, g.key_id}
    assert [r.key_id for r in keys.list("globex")] == [g.key_id]
    assert keys.list("initech") == []


def test_a_revoked_key_is_refused(database: Database) -> None:
    keys = KeyStore(database)
    record, token = keys.create("acme", "admin")
    keys.authenticate(token)
    revoked = keys.revoke(record.key_id)
    assert not revoked.active and revoked.revoked_at
    with pytest.raises(AuthError, match="revoked"):
        keys.authenticate(token)
    assert keys.revoke(record.key_id).revoked_at == revoked.revoked_at  # revoking again changes nothing
    with pytest.raises(NotFoundError, match="rai keys list"):
        keys.revoke("0123456789abcdef")
    with pytest.raises(InputError, match="16 hex"):
        keys.revoke("'; DROP TABLE api_keys; --")


def test_missing_malformed_unknown_and_wrong_tokens_are_refused(database: Database) -> None:
    keys = KeyStore(database)
    record, token = keys.create("acme", "writer")
    key_id, secret = TOKEN.fullmatch(token).groups()  # type: ignore[union-attr]
    wrong_secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    cases = {
        "": "no API key",
        "Bearer ": "no API key",
        "hunter2": "malformed",
        f"rai_{key_id}_{secret[:20]}": "malformed",
        f"rai_{key_id}_{wrong_secret}": "not known",
        f"rai_{'f' * 16}_{secret}": "not known",
        f"Basic {token}": "malformed",
    }
    for value, message in cases.items():
        with pytest.raises(AuthError, match=message):
            keys.authenticate(value)
    assert keys.authenticate(token).subject == key_id


def _set_last_used(database: Database, seconds_ago: float) -> str:
    stamp = (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat(timespec="seconds")
    with database.engine.connect() as conn, conn.begin():
        conn.execute(update(api_keys).values(last_used_at=stamp))
    return stamp


def test_use_is_recorded_at_most_once_a_minute(database: Database) -> None:
    _, token = KeyStore(database).create("acme", "writer")
    assert KeyStore(database).list()[0].last_used_at is None
    KeyStore(database).authenticate(token)
    assert KeyStore(database).list()[0].last_used_at is not None
    # another process (a fresh store) within the minute does not write again
    recent = _set_last_used(database, 30)
    KeyStore(database).authenticate(token)
    assert KeyStore(database).list()[0].last_used_at == recent
    # after a minute it does
    old = _set_last_used(database, 120)
    store = KeyStore(database)
    store.authenticate(token)
    assert store.list()[0].last_used_at > old  # type: ignore[operator]
    # and the same store does not even ask the database again within its minute
    old = _set_last_used(database, 120)
    store.authenticate(token)
    assert store.list()[0].last_used_at == old


@pytest.mark.parametrize(
    ("tenant", "role", "name", "message"),
    [
        ("", "writer", "", "tenant is empty"),
        ("   ", "writer", "", "tenant is empty"),
        (" acme", "writer", "", "spaces"),
        ("a" * 101, "writer", "", "at most 100"),
        ("ac\u202eme", "writer", "", "U\\+202E"),
        ("acme\n", "writer", "", "spaces|U\\+000A"),
        ("acme", "root", "", "unknown role 'root'.*writer, reviewer, admin, auditor"),
        ("acme", "writer", "x" * 101, "key name is 101 characters"),
        ("acme", "writer", "zero\u200bwidth", "U\\+200B"),
    ],
)
def test_bad_tenants_names_and_roles_say_what_to_fix(
    tmp_path: Path, tenant: str, role: str, name: str, message: str
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'rai.sqlite3'}", data_dir=tmp_path)
    db.upgrade()
    keys = KeyStore(db)
    with pytest.raises(InputError, match=message):
        keys.create(tenant, role, name)
    assert keys.list() == []
    db.dispose()


# ---------------------------------------------------------------- the CLI


def _rai(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rai_assistant.cli", *args],
        capture_output=True, text=True, env=env or dict(os.environ), timeout=300,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_rai_keys_create_list_revoke(backend: str, request: pytest.FixtureRequest) -> None:
    env = dict(os.environ)
    if backend == "postgresql":
        env["RAI_DATABASE_URL"] = request.getfixturevalue("postgres").new_database()
    made = _rai("keys", "create", "--tenant", "acme", "--role", "writer", "--name", "CI bot", env=env)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    key_id = TOKEN.fullmatch(token).group(1)  # type: ignore[union-attr]
    assert "cannot be shown again" in made.stderr and key_id in made.stderr

    listed = _rai("keys", "list", "--tenant", "acme", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["key_id"], r["role"], r["name"], r["active"]) for r in rows] == [(key_id, "writer", "CI bot", True)]
    table = _rai("keys", "list", env={**env, "COLUMNS": "60"})
    assert key_id in table.stdout  # whole, so it can be pasted into `rai keys revoke`
    db = Database(env["RAI_DATABASE_URL"]) if backend == "postgresql" else Database.from_config(load_config(None))
    with db.engine.connect() as conn:
        stored_hash = conn.execute(select(api_keys.c.secret_hash)).scalar_one()
    secret = TOKEN.fullmatch(token).group(2)  # type: ignore[union-attr]
    for out in (listed.stdout, table.stdout):
        assert secret not in out and stored_hash not in out

    KeyStore(db).authenticate(token)
    revoked = _rai("keys", "revoke", key_id, env=env)
    assert revoked.returncode == 0 and f"revoked key {key_id}" in revoked.stdout
    with pytest.raises(AuthError, match="revoked"):
        KeyStore(db).authenticate(token)
    db.dispose()


def test_rai_keys_bad_input_exits_2_with_the_fix() -> None:
    cases = [
        (("keys", "create", "--tenant", "acme", "--role", "boss"), "unknown role 'boss'"),
        (("keys", "create", "--tenant", "", "--role", "writer"), "tenant is empty"),
        (("keys", "revoke", "not-a-key"), "16 hex characters"),
        (("keys", "revoke", "0123456789abcdef"), "no API key with id 0123456789abcdef"),
        (("keys", "list", "--tenant", "ac\u202eme"), "U+202E"),
    ]
    for args, message in cases:
        res = _rai(*args)
        assert res.returncode == 2, (args, res.stdout, res.stderr)
        assert message in " ".join(res.stderr.split()), (args, res.stderr)
    assert _rai("keys", "list", "--json").stdout.strip() == "[]"
