"""A throwaway PostgreSQL server on a free port of 127.0.0.1, for the storage and key tests.

``pg_server()`` runs ``initdb`` into a fresh directory and starts ``postgres`` there (as the
``postgres`` user when the tests run as root, since PostgreSQL refuses to run as root), waits
until it accepts connections and stops it at the end. ``PgServer.new_database()`` creates an
empty database per test. The session fixture ``postgres`` is registered in ``tests/conftest.py``;
it skips only when no PostgreSQL server binaries are installed at all.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = ["PgServer", "pg_bindir", "pg_server", "postgres"]


def pg_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``postgres``: PATH first, then /usr/lib/postgresql/*/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0
    )
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "postgres").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> dict[str, Any]:
    """subprocess arguments that drop root to the ``postgres`` user (initdb refuses to run as root)."""
    if os.geteuid() != 0:
        return {}
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "the tests run as root and there is no `postgres` user to run the PostgreSQL server as: "
            "create one (useradd --system postgres) or run the tests as an ordinary user"
        ) from None
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


@dataclass
class PgServer:
    port: int
    user: str = "rai"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname=database, autocommit=True)

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def pg_server(*, timeout: float = 60.0) -> Iterator[PgServer]:
    """Run a PostgreSQL server for as long as the ``with`` block lasts."""
    bindir = pg_bindir()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, postgres) on PATH or in /usr/lib/postgresql")
    run_as = _run_as()
    root = Path(tempfile.mkdtemp(prefix="rai-pg-"))
    if run_as:
        os.chown(root, run_as["user"], run_as["group"])
    data = root / "data"
    log = root / "server.log"
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C", "LC_ALL": "C"}
    proc: subprocess.Popen[bytes] | None = None
    try:
        init = subprocess.run(
            [str(bindir / "initdb"), "-D", str(data), "-U", "rai", "--auth=trust", "-E", "UTF8", "--no-locale"],
            capture_output=True, env=env, cwd=root, timeout=120, **run_as,
        )
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.decode(errors='replace')[-2000:]}")
        port = _free_port()
        with open(log, "wb") as out:
            if run_as:
                os.chown(log, run_as["user"], run_as["group"])
            proc = subprocess.Popen(
                [
                    str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
                    "-k", str(root), "-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off", "-c", "max_connections=200",
                ],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root, **run_as,
            )
        server = PgServer(port)
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"postgres exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
            try:
                server.connect().close()
                break
            except Exception as exc:  # noqa: BLE001 - any connection failure means "not up yet" until the deadline
                if time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"postgres did not start in {timeout}s: {tail}") from exc
                time.sleep(0.2)
        yield server
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgServer]:
    """One PostgreSQL server for the test session; each test takes its own database from it."""
    if pg_bindir() is None:
        pytest.skip("PostgreSQL server binaries (initdb, postgres) are not installed: apt-get install postgresql")
    with pg_server() as server:
        yield server
