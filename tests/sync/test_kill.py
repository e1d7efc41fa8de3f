"""The kiosk killed (SIGKILL) in the middle of a pull and of a push: on restart it resumes, the
cache ends complete and the server has every event exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.storage.models import Declaration
from kiosk_server.db import events, upsert_entities
from tests.sync.conftest import queue_scans

N_DECLARATIONS = 12_000
N_EVENTS = 6_000


def _sync(data_dir, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "sync", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(proc, marker: str) -> None:
    """Reads the progress on stderr; SIGKILL as soon as `marker` shows."""
    seen = ""
    while marker not in seen:
        ch = proc.stderr.read(1)
        assert ch, f"finished before {marker!r}: {seen[-200:]}"
        seen += ch
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.slow
def test_killed_mid_pull_resumes_and_the_cache_ends_complete(server, kiosk_store, tmp_path):
    now = datetime.now(UTC)
    upsert_entities(
        server.engine,
        "declaration",
        (
            (
                str(10_000 + i),
                {
                    "id": 10_000 + i,
                    "subject_id": f"046085{i:06d}",
                    "full_name": "Nguyễn Văn Bình",
                    "birth_date": "1985-01-01",
                    "sex": "M",
                    "phone": "",
                    "status": "approved",
                    "valid_until": (now + timedelta(days=3)).isoformat(),
                    "origin_area": "",
                    "travel_areas": "",
                    "symptoms": "",
                    "declared_by_proxy": False,
                    "updated_at": now.isoformat(),
                },
            )
            for i in range(N_DECLARATIONS)
        ),
    )
    data_dir = tmp_path / "kiosk"
    _kill_when(_sync(data_dir, "--page-size", "1000"), "pull: 3")  # 3000+ of 12000+
    cursor = int(kiosk_store.replica.state("cursor"))
    assert 0 < cursor < N_DECLARATIONS
    done = _sync(data_dir, "--page-size", "1000")
    _out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    table = Declaration.__table__
    with kiosk_store.engine.connect() as conn:
        count = conn.execute(
            select(func.count()).select_from(table).where(table.c.id >= 10_000)
        ).scalar()
    assert count == N_DECLARATIONS


@pytest.mark.slow
def test_killed_mid_push_resumes_and_the_server_has_each_event_once(server, kiosk_store, tmp_path):
    ids = queue_scans(kiosk_store, N_EVENTS)
    data_dir = tmp_path / "kiosk"
    _kill_when(_sync(data_dir, "--batch-size", "500"), "push: 1500")
    assert 0 < kiosk_store.replica.pending_count() < N_EVENTS
    done = _sync(data_dir, "--batch-size", "500")
    _out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert kiosk_store.replica.pending_count() == 0
    with server.engine.connect() as conn:
        stored = list(conn.execute(select(events.c.event_id)).scalars())
    assert len(stored) == len(set(stored))
    assert set(ids) <= set(stored)
