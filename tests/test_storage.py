"""Storage on real databases: SQLite files and a PostgreSQL server started for the session.

Drafts, the hash-chained audit log (concurrent appends, append-only triggers, tamper detection),
enforcement counters, migrations (including an older data directory's files) and file modes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from rai_assistant.audit import GENESIS, AuditLog
from rai_assistant.db import Database
from rai_assistant.enforcement import Enforcement, EnforcementSettings
from rai_assistant.errors import ConfigError, NotFoundError, ReviewError, StorageError
from rai_assistant.store import DraftStore
from rai_assistant.types import Draft, Finding, Verdict
from sqlalchemy import text

BACKENDS = ["sqlite", "postgresql"]


def _sqlite(tmp_path: Path) -> Database:
    data = tmp_path / "data"
    return Database(f"sqlite:///{data / 'rai.sqlite3'}", data_dir=data)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = _sqlite(tmp_path)
    else:
        db = Database(request.getfixturevalue("postgres").new_database())
    db.upgrade()
    yield db
    db.dispose()


def _draft(draft_id: str = "d1", **over: Any) -> Draft:
    values: dict[str, Any] = {
        "draft_id": draft_id,
        "feature": "feedback",
        "status": "pending_review",
        "text": "Priya shipped the redesign two weeks early.",
        "findings": [Finding(guard="quality", clauses=("4.2",), verdict=Verdict.ADVICE, message="be specific")],
        "citations": [],
        "label": {"contentHash": "abc"},
        "notice": "AI-generated draft",
        "model": "scripted",
        "created_at": "2026-12-01T10:00:00+00:00",
        "tenant": "acme",
        "owner": "0123456789abcdef",
    }
    return Draft(**(values | over))


# ---------------------------------------------------------------- drafts


def test_a_saved_draft_comes_back_whole_with_its_tenant_and_owner(database: Database) -> None:
    store = DraftStore(database)
    store.save(_draft(), notes="Priya led the checkout redesign.", people=["Priya Raman"])
    draft, notes, people = store.load("d1", {})
    assert (draft.tenant, draft.owner) == ("acme", "0123456789abcdef")
    assert draft.text.startswith("Priya shipped") and draft.label == {"contentHash": "abc"}
    assert draft.findings[0].message == "be specific" and draft.findings[0].verdict is Verdict.ADVICE
    assert notes == "Priya led the checkout redesign." and people == ["Priya Raman"]
    assert draft.to_dict()["owner"] == "0123456789abcdef"
    with pytest.raises(StorageError, match="exists already"):
        store.save(_draft(), notes="", people=[])
    with pytest.raises(NotFoundError, match="no draft with id 'nope'"):
        store.load("nope", {})


def test_a_draft_is_decided_once_only(database: Database) -> None:
    store = DraftStore(database)
    store.save(_draft(), notes="", people=[])
    draft, _, _ = store.load("d1", {})
    draft.status, draft.reviewer = "accepted", "Sam Lee"
    store.decide(draft, updated_at="2026-12-01T11:00:00+00:00")
    draft.status = "rejected"
    with pytest.raises(ReviewError, match="no longer pending"):
        store.decide(draft, updated_at="2026-12-01T12:00:00+00:00")
    assert store.load("d1", {})[0].status == "accepted"


def test_drafts_are_listed_newest_first_by_status_and_tenant(database: Database) -> None:
    store = DraftStore(database)
    store.save(_draft("a", created_at="2026-12-01T10:00:00+00:00"), notes="", people=[])
    store.save(_draft("b", created_at="2026-12-01T11:00:00+00:00", tenant="globex"), notes="", people=[])
    store.save(_draft("c", created_at="2026-12-01T12:00:00+00:00", status="blocked"), notes="", people=[])
    assert [d["draft_id"] for d in store.list()] == ["c", "b", "a"]
    assert [d["draft_id"] for d in store.list("pending_review")] == ["b", "a"]
    assert [d["draft_id"] for d in store.list(tenant="acme")] == ["c", "a"]


# ---------------------------------------------------------------- audit


def test_the_audit_chain_links_records_and_reads_back(database: Database) -> None:
    log = AuditLog(database)
    first = log.append("request", {"clauses": ["4.1"]}, draft_id="d1", feature="feedback")
    log.append("config", {"disabled_guards": {}})
    third = log.append("decision", {"verdict": "accepted"}, draft_id="d1")
    assert first["prev_hash"] == GENESIS and third["seq"] == 3
    assert [r["kind"] for r in log.records()] == ["request", "config", "decision"]
    assert [r["seq"] for r in log.records(last=2)] == [2, 3]
    assert [r["seq"] for r in log.records(draft_id="d1")] == [1, 3]
    assert log.last("config")["data"] == {"disabled_guards": {}}
    assert log.last("nothing") is None
    assert log.head() == (3, third["hash"])
    assert log.verify() == []


def test_concurrent_appends_from_many_writers_keep_one_linear_chain(database: Database) -> None:
    # a second engine on the same database stands for a second server process
    other = Database(str(database.url.render_as_string(hide_password=False)), data_dir=database.data_dir)
    logs = [AuditLog(database), AuditLog(other)]
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                logs[n % 2].append("request", {"writer": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.dispose()
    assert errors == []
    records = list(logs[0].records())
    assert [r["seq"] for r in records] == list(range(1, 161))
    assert all(r["prev_hash"] == p["hash"] for p, r in zip(records, records[1:], strict=False))
    assert logs[0].verify() == []


def _raw(database: Database, sql: str) -> None:
    with database.engine.connect() as conn, conn.begin():
        conn.execute(text(sql))


def test_the_database_refuses_to_change_or_delete_audit_records(database: Database) -> None:
    log = AuditLog(database)
    log.append("request", {"clauses": []})
    for sql in ("UPDATE audit SET kind = 'nothing'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            _raw(database, sql)
    if database.dialect == "postgresql":
        with pytest.raises(Exception, match="append-only"):
            _raw(database, "TRUNCATE audit")
    assert log.verify() == [] and log.head()[0] == 1


def _disable_trigger(database: Database, name: str) -> str:
    if database.dialect == "sqlite":
        return f"DROP TRIGGER {name}"
    return f"ALTER TABLE audit DISABLE TRIGGER {name}"


def test_verify_finds_an_altered_record(database: Database) -> None:
    log = AuditLog(database)
    for i in range(3):
        log.append("request", {"i": i})
    _raw(database, _disable_trigger(database, "audit_no_update"))
    _raw(database, "UPDATE audit SET kind = 'nothing' WHERE seq = 2")
    problems = log.verify()
    assert [(p.seq, p.problem) for p in problems] == [(2, "content does not match its hash (record altered)")]


def test_verify_finds_a_deleted_record(database: Database) -> None:
    log = AuditLog(database)
    for i in range(3):
        log.append("request", {"i": i})
    _raw(database, _disable_trigger(database, "audit_no_delete"))
    _raw(database, "DELETE FROM audit WHERE seq = 2")
    problems = [p.problem for p in log.verify()]
    assert "record 2 is missing (found 3)" in problems
    assert "does not follow the previous record (chain broken)" in problems


# ---------------------------------------------------------------- enforcement


def test_enforcement_counts_requests_and_escalates_violations(database: Database) -> None:
    settings = EnforcementSettings(per_user_per_hour=3, near_duplicates_per_hour=2, temporary_block_after=2)
    enforcement = Enforcement(database, settings)
    now = 1_800_000_000.0
    ask = "Write feedback about the whole team"
    assert enforcement.volume_findings("u1", "acme", ask, now=now) == []
    assert enforcement.volume_findings("u1", "acme", ask.upper(), now=now + 1) == []
    flood = enforcement.volume_findings("u1", "acme", ask, now=now + 2)
    assert [f.clauses for f in flood] == [("4.6",)]
    limit = enforcement.volume_findings("u1", "acme", "Summarise the quarterly survey", now=now + 3)
    assert [f.clauses for f in limit] == [("4.7",)]
    # another user is counted apart
    assert enforcement.volume_findings("u2", "acme", "Summarise the quarterly survey", now=now + 4) == []

    assert enforcement.standing("u1", "acme") is None
    enforcement.record_violation("u1", "acme", ["4.1"], "warning")
    enforcement.record_violation("u1", "acme", ["4.1", "4.3"], "temporary_block")
    assert enforcement.violations("u1") == 2 and enforcement.violations("u2") == 0
    standing = enforcement.standing("u1", "acme")
    assert standing is not None and standing.level == "temporary_block"
    assert "paused" in standing.message
    assert enforcement.standing("u1", "acme", now=4e10) is None  # long after the block ends


# ---------------------------------------------------------------- migrations and configuration


def test_a_new_database_has_no_schema_until_upgraded(tmp_path: Path) -> None:
    db = _sqlite(tmp_path)
    assert db.current() is None
    db.upgrade()
    assert db.current() == db.head() == "0001"


def _rai(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rai_assistant.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_rai_db_upgrade_and_current(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    env = dict(os.environ)
    if backend == "postgresql":
        env["RAI_DATABASE_URL"] = request.getfixturevalue("postgres").new_database()
    behind = _rai("db", "current", env=env)
    assert behind.returncode == 1 and "run `rai db upgrade`" in behind.stderr
    first = _rai("db", "upgrade", env=env)
    assert first.returncode == 0 and "at revision 0001: upgraded from an empty database" in first.stdout
    again = _rai("db", "upgrade", env=env)
    assert again.returncode == 0 and "already up to date" in again.stdout
    now = _rai("db", "current", env=env)
    assert now.returncode == 0 and "0001 (newest)" in now.stdout


def test_the_database_url_comes_from_the_environment_then_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rai_assistant.config import load_config

    own = tmp_path / "own.sqlite3"
    assert Database.from_config(load_config(None)).path == Path(os.environ["RAI_DATA_DIR"]) / "rai.sqlite3"
    assert Database.from_config(load_config(None, database_url=f"sqlite:///{own}")).path == own
    monkeypatch.setenv("RAI_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    assert Database.from_config(load_config(None, database_url=f"sqlite:///{own}")).path == tmp_path / "env.sqlite3"


def test_bad_database_urls_say_what_to_use(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="postgresql\\+psycopg://"):
        Database("not a url")
    with pytest.raises(ConfigError, match="'mysql' is not supported"):
        Database("mysql://u:p@localhost/db")
    with pytest.raises(ConfigError, match="in-memory"):
        Database("sqlite://")


def test_the_password_never_appears_in_errors(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Database(f"postgresql+psycopg://rai:s3cret-pw@127.0.0.1:{port}/rai")
    assert "s3cret-pw" not in repr(db) and "***" in db.safe_url
    with pytest.raises(StorageError) as caught:
        db.upgrade()
    assert "s3cret-pw" not in str(caught.value) and "127.0.0.1" in str(caught.value)


# ---------------------------------------------------------------- the old layout (drafts.sqlite3, audit.sqlite3)

_OLD_AUDIT = """
CREATE TABLE audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, kind TEXT NOT NULL,
    draft_id TEXT NOT NULL DEFAULT '', feature TEXT NOT NULL DEFAULT '', data TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL UNIQUE);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
_OLD_DRAFTS = """
CREATE TABLE drafts (draft_id TEXT PRIMARY KEY, feature TEXT NOT NULL, status TEXT NOT NULL,
    text TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '', people TEXT NOT NULL DEFAULT '[]',
    findings TEXT NOT NULL, citations TEXT NOT NULL, label TEXT, notice TEXT NOT NULL,
    model TEXT NOT NULL, refusal TEXT NOT NULL DEFAULT '', reviewer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, audit_seq INTEGER NOT NULL DEFAULT 0,
    audit_hash TEXT NOT NULL DEFAULT '');
"""
_OLD_ENFORCEMENT = """
CREATE TABLE requests (user TEXT, tenant TEXT, ts REAL, shape TEXT);
CREATE TABLE violations (user TEXT, tenant TEXT, ts REAL, clauses TEXT, level TEXT);
"""


def _old_hash(prev: str, seq: int, ts: str, kind: str, draft_id: str, feature: str, data: str) -> str:
    body = json.dumps(
        {"seq": seq, "ts": ts, "kind": kind, "draft_id": draft_id, "feature": feature, "data": data},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def _old_data_dir(data: Path) -> list[str]:
    """A data directory as the pre-SQLAlchemy code left it; returns the audit hashes."""
    data.mkdir(parents=True, exist_ok=True)
    hashes = []
    with closing(sqlite3.connect(data / "audit.sqlite3")) as conn, conn:
        conn.executescript(_OLD_AUDIT)
        prev = GENESIS
        for seq, kind in enumerate(("config", "request", "draft"), start=1):
            ts, did = f"2026-11-0{seq}T09:00:00.000000+00:00", "" if kind == "config" else "old1"
            payload = json.dumps({"n": seq})
            digest = _old_hash(prev, seq, ts, kind, did, "feedback", payload)
            conn.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (seq, ts, kind, did, "feedback", payload, prev, digest))
            hashes.append(digest)
            prev = digest
    with closing(sqlite3.connect(data / "drafts.sqlite3")) as conn, conn:
        conn.executescript(_OLD_DRAFTS)
        conn.execute(
            "INSERT INTO drafts VALUES ('old1', 'feedback', 'pending_review', 'Priya shipped it.', 'notes', "
            "'[\"Priya Raman\"]', '[]', '[]', NULL, 'AI-generated draft', 'local', '', '', "
            "'2026-11-03T09:00:00+00:00', '2026-11-03T09:00:00+00:00', 3, ?)",
            (hashes[-1],),
        )
    with closing(sqlite3.connect(data / "enforcement.sqlite3")) as conn, conn:
        conn.executescript(_OLD_ENFORCEMENT)
        conn.execute("INSERT INTO violations VALUES ('userhash', 'acme', ?, '4.1', 'warning')", (4e9,))
        conn.execute("INSERT INTO requests VALUES ('userhash', 'acme', ?, 'shape')", (4e9,))
    return hashes


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_old_data_directory_is_imported_with_its_audit_chain(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    data = tmp_path / "old"
    hashes = _old_data_dir(data)
    url = request.getfixturevalue("postgres").new_database() if backend == "postgresql" else f"sqlite:///{data / 'rai.sqlite3'}"
    db = Database(url, data_dir=data)
    db.upgrade()

    log = AuditLog(db)
    assert [r["hash"] for r in log.records()] == hashes and log.verify() == []
    draft, notes, people = DraftStore(db).load("old1", {})
    assert draft.text == "Priya shipped it." and people == ["Priya Raman"] and draft.tenant == ""
    assert DraftStore(db).anchors() == [("old1", 3, hashes[-1])]
    assert Enforcement(db).violations("userhash", now=4e9 + 1) == 1
    # new records continue the old chain
    assert log.append("request", {})["prev_hash"] == hashes[-1] and log.verify() == []
    # the old files are kept, renamed, so nothing reads them twice
    assert sorted(p.name for p in data.glob("*.imported")) == [
        "audit.sqlite3.imported", "drafts.sqlite3.imported", "enforcement.sqlite3.imported"
    ]
    db.dispose()


def test_an_assistant_on_an_old_data_directory_keeps_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: Any, scripted: Any
) -> None:
    data = Path(os.environ["RAI_DATA_DIR"])
    hashes = _old_data_dir(data)
    app = make_app(scripted("A short draft about [PERSON_1]."))
    assert app.get("old1").text == "Priya shipped it."
    assert app.verify_audit() == []
    assert [r["hash"] for r in app.audit.records()][:3] == hashes


def test_an_old_audit_log_is_not_merged_into_a_used_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue("postgres").new_database()
    used = Database(url)
    used.upgrade()
    AuditLog(used).append("config", {})
    used.dispose()
    data = tmp_path / "old"
    _old_data_dir(data)
    db = Database(url, data_dir=data)
    with pytest.raises(StorageError, match="cannot be merged"):
        db.upgrade()
    # nothing half-written: the old draft was not imported, the old files are untouched
    with pytest.raises(NotFoundError):
        DraftStore(db).load("old1", {})
    assert (data / "audit.sqlite3").is_file() and not list(data.glob("*.imported"))
    db.dispose()


def test_an_unreadable_old_file_stops_the_upgrade_and_imports_nothing(tmp_path: Path) -> None:
    data = tmp_path / "old"
    _old_data_dir(data)
    (data / "enforcement.sqlite3").write_bytes(b"this is not a database" * 100)
    db = Database(f"sqlite:///{data / 'rai.sqlite3'}", data_dir=data)
    with pytest.raises(StorageError, match="enforcement.sqlite3"):
        db.upgrade()
    assert db.current() is None  # the schema change was rolled back with the import
    assert (data / "audit.sqlite3").is_file()
    db.dispose()


# ---------------------------------------------------------------- files


def test_database_files_and_the_data_directory_are_private(tmp_path: Path) -> None:
    from rai_assistant.config import load_config

    old_umask = os.umask(0o022)
    try:
        db = Database.from_config(load_config(None))
        db.upgrade()
        log = AuditLog(db)
        log.append("request", {})
        with db.engine.connect():  # keep a connection open so the -wal and -shm files exist
            data = Path(os.environ["RAI_DATA_DIR"])
            files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in data.iterdir()}
            assert stat.S_IMODE(data.stat().st_mode) == 0o700
            assert {"rai.sqlite3", "rai.sqlite3-wal", "rai.sqlite3-shm"} <= set(files)
            assert all(mode == 0o600 for name, mode in files.items() if name.startswith("rai.sqlite3")), files
        db.dispose()
    finally:
        os.umask(old_umask)


def test_concurrent_request_counting_never_reports_a_locked_database(database: Database) -> None:
    """Many writers counting requests at once: each one waits its turn instead of failing.

    On SQLite a transaction that reads and then writes used to fail at once with "database is
    locked" whenever another writer committed in between; under 50 concurrent drafts most
    requests came back 503.
    """
    limits = EnforcementSettings(per_user_per_hour=10_000, per_tenant_per_hour=10_000, near_duplicates_per_hour=10_000)
    enforcement = Enforcement(database, limits)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        for i in range(15):
            try:
                enforcement.volume_findings(f"user-{n}", "acme", f"note {n} {i}")
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM requests")).scalar_one() == 8 * 15
