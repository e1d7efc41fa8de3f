"""A real server process on 127.0.0.1 for every sync test: SQLite, and PostgreSQL when
KIOSK_TEST_POSTGRES_URL names one (.ci/run starts it; in CI its absence is a failure)."""

from __future__ import annotations

import os
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

from kiosk.storage import Store
from kiosk_server import admin
from kiosk_server.db import open_db
from sync import engine as sync_engine

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
                time.sleep(0.1)
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
    with admin_engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin_engine.dispose()


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


@pytest.fixture
def kiosk_store(server, tmp_path) -> Iterator[Store]:
    """A kiosk paired with the server, nothing pulled yet."""
    store = Store.open(tmp_path / "kiosk" / "kiosk.db")
    code = admin.new_pairing_code(server.engine)
    sync_engine.pair(store, server.url, code, "chot-test")
    yield store
    store.close()


def queue_scans(store: Store, n: int) -> list[str]:
    """n recorded scans waiting to be pushed, as after a long offline spell; their event ids."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from kiosk.storage.models import ScanEvent
    from kiosk.storage.timeutil import to_db

    at = to_db(datetime.now(UTC))
    ids = [str(uuid.uuid4()) for _ in range(n)]
    with store.engine.begin() as conn:
        conn.execute(
            insert(ScanEvent.__table__),
            [
                {
                    "event_id": e,
                    "scanned_at": at,
                    "checkpoint_id": "c",
                    "operator_id": "o",
                    "source": "camera",
                    "payload_kind": "token",
                    "subject_ref": "",
                    "verdict": "allow",
                    "reason": "approved",
                    "screen": "medic",
                }
                for e in ids
            ],
        )
    return ids
