"""Fixtures and helpers shared by more than one test package. Qt must run offscreen before any
QApplication exists.

The real server process (`server`, on SQLite, and on PostgreSQL when KIOSK_TEST_POSTGRES_URL
names one: .ci/run starts it; in CI its absence is a failure) serves the sync, server and window
tests. Every test fails on an unexpected ERROR in the log (`logged_errors`).
"""

from __future__ import annotations

import logging
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from kiosk_server.db import open_db


class FakeClock:
    """A monotonic clock a test moves by hand: no test waits for time to pass."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def logged_errors(request) -> Iterator[list[logging.LogRecord]]:
    """Fails the test on an ERROR (or an exception) logged while it ran, as qutebrowser and
    napari do: a bug logged and swallowed is still a bug. A test that expects errors takes this
    fixture and empties the list once it has checked them."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.records
    root.removeHandler(handler)
    if handler.records:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in handler.records[:5])
        pytest.fail(f"unexpected errors in the log:\n{lines}", pytrace=False)


PG = os.environ.get("KIOSK_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if PG or os.environ.get("CI") else ["sqlite"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db_url: str
    data_dir: Path
    process: subprocess.Popen | None = None

    @cached_property
    def engine(self):
        return open_db(self.db_url)

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server-stderr.log"

    @property
    def process_stderr(self) -> str:
        """What the server wrote on stderr (its log lines) since the fixture started it."""
        return self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""

    def start(self) -> None:
        port = int(self.url.rsplit(":", 1)[1])
        log = self.log_file.open("ab")  # a file, not a pipe: a full pipe would stop the server
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk_server",
                "--data-dir",
                str(self.data_dir),
                "--db",
                self.db_url,
                "serve",
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)  # a poll: the loop ends as soon as it answers
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/server.db"
        return
    assert PG, "CI runs the sync tests on PostgreSQL too: set KIOSK_TEST_POSTGRES_URL"
    # no file beside a PostgreSQL database: this process and the server seal keys alike
    monkeypatch.setenv("KIOSK_SERVER_KEY_PASSPHRASE", "test passphrase " + tmp_path.name)
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield PG.rsplit("/", 1)[0] + "/" + name
    _drop_database(admin_engine, name)
    admin_engine.dispose()


def _drop_database(admin_engine, name: str) -> None:
    """Drops a test database. Not WITH (FORCE): on PostgreSQL 15 that refuses, for a role that
    is not a superuser, when an autovacuum worker is in the database (it has no role the test's
    role belongs to), which a test that wrote many rows often leaves. Our own connections are
    ended first; a plain DROP then stops autovacuum itself and waits for the rest."""
    with admin_engine.connect() as conn:
        for _ in range(20):
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND usename = current_user"
                    " AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            try:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                return
            except OperationalError:  # "being accessed by other users": still closing
                time.sleep(0.25)  # a poll: ends as soon as the last connection is gone
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))


@pytest.fixture
def server(db_url, tmp_path) -> Iterator[Server]:
    srv = Server(f"http://127.0.0.1:{free_port()}", db_url, tmp_path / "server")
    srv.data_dir.mkdir()
    engine = open_db(db_url)
    from kiosk_server.demo import load_demo

    load_demo(engine, srv.data_dir)
    engine.dispose()
    srv.start()
    yield srv
    srv.stop()


# Database keys live outside the data directory (kiosk/storage/keys.py): the tests' keys go to
# one scratch folder, inherited by the `kiosk` processes they start, not the user's config.
# Argon2id at 256 MiB costs about a second a PIN: the suite seeds demo operators hundreds of
# times, so it hashes cheaply (tests/kiosk/test_auth.py checks the real cost separately).
os.environ.setdefault("KIOSK_TESTS_ONLY_FAST_PIN_HASH", "1")
os.environ.setdefault("KIOSK_KEY_DIR", tempfile.mkdtemp(prefix="kiosk-test-keys-"))
