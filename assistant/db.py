"""The one database behind drafts, the audit log, enforcement counters and API keys.

Where it is, first match wins: ``$RAI_DATABASE_URL``, else ``database_url`` in the config file,
else SQLite at ``<data dir>/rai.sqlite3``. PostgreSQL is ``postgresql+psycopg://user@host/db``.
The schema is kept by alembic migrations shipped in :mod:`rai_assistant.migrations`;
:meth:`Database.upgrade` runs them at start-up (and ``rai db upgrade`` by hand).

An older data directory that still holds ``drafts.sqlite3``, ``audit.sqlite3`` and
``enforcement.sqlite3`` is imported on the first upgrade, rows and audit chain unchanged, in one
transaction; the old files are then renamed ``*.imported``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rai_assistant.errors import ConfigError, StorageError
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

if TYPE_CHECKING:
    from rai_assistant.config import AppConfig

__all__ = ["Database", "SQLITE_NAME", "metadata", "drafts", "audit", "requests", "violations", "api_keys", "meta"]

SQLITE_NAME = "rai.sqlite3"
LEGACY_FILES = ("drafts.sqlite3", "audit.sqlite3", "enforcement.sqlite3")
# Serialises audit appends and migrations across processes on PostgreSQL ("raiaudit" as a bigint).
AUDIT_LOCK_KEY = 0x7261696175646974
MIGRATION_LOCK_KEY = 0x7261696D69677261

metadata = MetaData()

drafts = Table(
    "drafts",
    metadata,
    Column("draft_id", Text, primary_key=True),
    Column("feature", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("people", Text, nullable=False, server_default="[]"),
    Column("findings", Text, nullable=False),
    Column("citations", Text, nullable=False),
    Column("label", Text, nullable=True),
    Column("notice", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("refusal", Text, nullable=False, server_default=""),
    Column("reviewer", Text, nullable=False, server_default=""),
    Column("tenant", Text, nullable=False, server_default=""),
    Column("owner", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("audit_seq", Integer, nullable=False, server_default="0"),
    Column("audit_hash", Text, nullable=False, server_default=""),
    Index("drafts_status_created", "status", "created_at"),
    Index("drafts_tenant_created", "tenant", "created_at"),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("draft_id", Text, nullable=False, server_default=""),
    Column("feature", Text, nullable=False, server_default=""),
    Column("data", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False, unique=True),
    Index("audit_kind", "kind", "seq"),
    Index("audit_draft", "draft_id", "seq"),
)

requests = Table(
    "requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_hash", Text, nullable=False),
    Column("tenant", Text, nullable=False, server_default=""),
    Column("ts", Float, nullable=False),
    Column("shape", Text, nullable=False),
    Index("requests_user_ts", "user_hash", "ts"),
    Index("requests_tenant_ts", "tenant", "ts"),
    Index("requests_ts", "ts"),
)

violations = Table(
    "violations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_hash", Text, nullable=False),
    Column("tenant", Text, nullable=False, server_default=""),
    Column("ts", Float, nullable=False),
    Column("clauses", Text, nullable=False),
    Column("level", Text, nullable=False),
    Index("violations_user_ts", "user_hash", "ts"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", Text, primary_key=True),
    Column("tenant", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("name", Text, nullable=False, server_default=""),
    Column("secret_hash", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text, nullable=True),
    Column("last_used_at", Text, nullable=True),
    Index("api_keys_tenant", "tenant", "created_at"),
)

meta = Table(
    "rai_meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# Schema upgrades already done in this process, by URL and data directory: start-up should not re-read alembic each time.
_upgraded: set[str] = set()
_upgrade_lock = threading.Lock()


def _private_file(path: Path) -> None:
    """Create ``path`` (and its directory) readable by the owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            if p.stat().st_mode & 0o077:
                p.chmod(0o600)


class Database:
    """An engine over SQLite or PostgreSQL, its tables, and its migrations."""

    def __init__(self, url: str, *, data_dir: Path | None = None) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise ConfigError(
                "the database URL is not valid: use postgresql+psycopg://USER:PASSWORD@HOST/DB "
                "or sqlite:///PATH (set RAI_DATABASE_URL or database_url in the config)"
            ) from exc
        self.url = parsed
        self.data_dir = data_dir
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ConfigError(
                f"database {self.dialect!r} is not supported: use postgresql+psycopg://... or sqlite:///PATH"
            )
        if self.dialect == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
            self.url = parsed
        self.path: Path | None = None
        try:
            if self.dialect == "sqlite":
                if not parsed.database or parsed.database == ":memory:":
                    raise ConfigError("an in-memory SQLite database loses drafts and the audit log: give a file path")
                self.path = Path(parsed.database).expanduser()
                _private_file(self.path)
                self.engine: Engine = create_engine(
                    parsed.set(database=str(self.path)),
                    connect_args={"timeout": 30, "check_same_thread": False},
                    pool_pre_ping=True,
                    pool_size=8,
                    max_overflow=8,
                )
                event.listen(self.engine, "connect", _sqlite_connect)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = create_engine(
                    parsed, pool_pre_ping=True, pool_size=8, max_overflow=8, pool_recycle=1800
                )
        except OSError as exc:
            raise StorageError(f"cannot create the database file {parsed.database}: {exc.strerror}") from exc

    @classmethod
    def from_config(cls, config: AppConfig) -> Database:
        """The database the configuration names (see the module docstring for the order)."""
        data_dir = config.resolved_data_dir()
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            if data_dir.stat().st_mode & 0o077:
                data_dir.chmod(0o700)  # drafts and the audit salt live here: owner only
        except OSError as exc:
            raise StorageError(f"cannot create the data directory {data_dir}: {exc.strerror}; set RAI_DATA_DIR") from exc
        url = config.resolved_database_url()
        if not url:
            url = f"sqlite:///{data_dir / SQLITE_NAME}"
        return cls(url, data_dir=data_dir)

    @property
    def safe_url(self) -> str:
        """The URL with its password hidden, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Database({self.safe_url!r})"

    # ------------------------------------------------------------------ connections

    @contextlib.contextmanager
    def begin(self, *, exclusive: bool = False) -> Iterator[Connection]:
        """A transaction that writes. On SQLite it takes the write lock up front (``BEGIN
        IMMEDIATE``): a deferred transaction that reads and then writes fails at once with
        "database is locked" when another connection wrote in between (its snapshot is stale, and
        the busy timeout does not apply), which is what 50 concurrent drafts did. ``exclusive``
        is kept for callers that say so explicitly; every SQLite write transaction is immediate.
        """
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reads (its transaction is rolled back at the end)."""
        with self.engine.connect() as conn:
            yield conn

    def lock(self, conn: Connection, key: int) -> None:
        """Serialise with other transactions holding ``key`` (PostgreSQL; SQLite is locked by BEGIN IMMEDIATE)."""
        if self.dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(key)))

    def error(self, what: str, exc: SQLAlchemyError | sqlite3.Error) -> StorageError:
        """A :class:`StorageError` naming the database without its password."""
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
        return StorageError(f"cannot {what} in the database {self.safe_url}: {detail}")

    def dispose(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ migrations

    def _alembic_config(self, conn: Connection | None = None) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", "rai_assistant:migrations")
        # alembic interpolates '%' in options; the URL is only used through the connection.
        cfg.attributes["connection"] = conn
        cfg.attributes["dialect"] = self.dialect
        return cfg

    def upgrade(self) -> None:
        """Bring the schema to the newest version and import an older data directory once."""
        key = f"{self.url.render_as_string(hide_password=False)} {self.data_dir}"
        with _upgrade_lock:
            if key in _upgraded:
                return
            from alembic import command

            try:
                with self.begin(exclusive=True) as conn:
                    self.lock(conn, MIGRATION_LOCK_KEY)
                    command.upgrade(self._alembic_config(conn), "head")
                    imported = self._import_legacy(conn)
            except SQLAlchemyError as exc:
                raise self.error("bring the schema up to date", exc) from exc
            for path in imported:
                for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    if part.exists():
                        part.rename(part.with_name(part.name + ".imported"))
            _upgraded.add(key)

    def current(self) -> str | None:
        """The schema revision in the database, or ``None`` before the first upgrade."""
        from alembic.runtime.migration import MigrationContext

        try:
            with self.read() as conn:
                return MigrationContext.configure(conn).get_current_revision()
        except SQLAlchemyError as exc:
            raise self.error("read the schema version", exc) from exc

    def head(self) -> str | None:
        """The newest revision this version of rai-assistant ships."""
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    # ------------------------------------------------------------------ the pre-SQLAlchemy layout

    def _import_legacy(self, conn: Connection) -> list[Path]:
        if self.data_dir is None:
            return []
        found = [self.data_dir / name for name in LEGACY_FILES if (self.data_dir / name).is_file()]
        if not found:
            return []
        done = conn.execute(select(meta.c.value).where(meta.c.key == "legacy_import")).scalar()
        if done is not None:
            return []
        if any(p.name == "audit.sqlite3" for p in found):
            count = conn.execute(select(func.count()).select_from(audit)).scalar_one()
            if count:
                raise StorageError(
                    f"{self.data_dir / 'audit.sqlite3'} holds an audit log from an older version but the "
                    f"database {self.safe_url} already has audit records; the two chains cannot be merged. "
                    "Import into an empty database, or move the old files out of the data directory."
                )
        for path in found:
            rows = _read_legacy(path)
            for table, batch in rows.items():
                if batch:
                    conn.execute(table.insert(), batch)
        conn.execute(meta.insert().values(key="legacy_import", value=",".join(p.name for p in found)))
        return found


def _read_legacy(path: Path) -> dict[Table, list[dict[str, Any]]]:
    """The rows of one old SQLite file, shaped for the new tables."""
    try:
        old = sqlite3.connect(path, timeout=30)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open the old database {path} to import it: {exc}") from exc
    try:
        old.row_factory = sqlite3.Row
        names = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        out: dict[Table, list[dict[str, Any]]] = {}
        if "drafts" in names:
            out[drafts] = [dict(r) for r in old.execute("SELECT * FROM drafts ORDER BY created_at")]
        if "audit" in names:
            out[audit] = [dict(r) for r in old.execute("SELECT * FROM audit ORDER BY seq")]
        if "requests" in names:
            out[requests] = [
                {"user_hash": r["user"] or "", "tenant": r["tenant"] or "", "ts": r["ts"], "shape": r["shape"] or ""}
                for r in old.execute("SELECT user, tenant, ts, shape FROM requests")
            ]
        if "violations" in names:
            out[violations] = [
                {
                    "user_hash": r["user"] or "",
                    "tenant": r["tenant"] or "",
                    "ts": r["ts"],
                    "clauses": r["clauses"] or "",
                    "level": r["level"] or "none",
                }
                for r in old.execute("SELECT user, tenant, ts, clauses, level FROM violations")
            ]
        return out
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read the old database {path} to import it: {exc}") from exc
    finally:
        old.close()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so appends can ask for BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())
