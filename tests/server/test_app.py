"""kiosk_server/app.py, over HTTP against the real server process: what a stranger or another
kiosk sends cannot fill the server's memory or rewrite someone else's records."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from kiosk_server import admin
from kiosk_server.db import events
from sync.client import SyncClient


def _paired(server, name: str = "k") -> str:
    """A kiosk's credential, paired the way `kiosk pair` does."""
    _id, credential = SyncClient(server.url).pair(admin.new_pairing_code(server.engine), name)
    return credential


def test_a_gzip_bomb_is_refused_before_it_fills_the_memory(server):
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))
    answer = requests.post(
        server.url + "/v1/pair",
        data=bomb,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert answer.status_code == 413


def _peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


@pytest.mark.parametrize("who", ["stranger", "kiosk"])
def test_an_endless_body_is_cut_off_not_held_in_memory(server, who):
    before = _peak_rss_mb(server.process.pid)
    credential = _paired(server) if who == "kiosk" else "wrong"

    def endless():  # chunked: no Content-Length for the server to refuse up front
        chunk = b"x" * (1024 * 1024)
        for _ in range(200):
            yield chunk

    try:
        answer = requests.post(
            server.url + "/v1/events",
            data=endless(),
            headers={"Authorization": f"Bearer {credential}"},
            timeout=60,
        )
        assert answer.status_code == (413 if who == "kiosk" else 401)  # a stranger's: unread
    except requests.ConnectionError:
        pass  # the server answered 413 and closed while the rest was still being sent
    assert _peak_rss_mb(server.process.pid) - before < 100  # 200 MiB were sent


def test_one_kiosk_cannot_rewrite_another_kiosks_market_entry(server):
    mine = SyncClient(server.url, _paired(server, "mine"))
    other = SyncClient(server.url, _paired(server, "other"))
    event = {
        "event_id": str(uuid.uuid4()),
        "kind": "market_entry",
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": {"card_id": 1},
    }
    mine.push("a", [event])
    receipt = other.push("b", [{**event, "data": {"card_id": 666}}])
    assert receipt.refused == (event["event_id"],)
    with server.engine.connect() as conn:
        data = conn.execute(
            select(events.c.data).where(events.c.event_id == event["event_id"])
        ).scalar()
    assert json.loads(data) == {"card_id": 1}


def test_garbage_gzip_request_is_refused_by_the_server(server):
    credential = _paired(server)
    response = requests.post(
        server.url + "/v1/events",
        data=b"not gzip",
        headers={
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
            "Authorization": "Bearer " + credential,
        },
    )
    assert response.status_code == 400
    good = gzip.compress(
        json.dumps(
            {
                "protocol": 1,
                "batch_id": "b",
                "sent_at": "2026-11-22T00:00:00+00:00",
                "events": "not a list",
            }
        ).encode()
    )
    response = requests.post(
        server.url + "/v1/events",
        data=good,
        headers={
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
            "Authorization": "Bearer " + credential,
        },
    )
    assert response.status_code == 422


@pytest.mark.parametrize("sent_at", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
def test_a_time_with_no_instant_in_utc_is_refused_not_a_crash(server, sent_at):
    """Found by schemathesis: year 1 east of UTC has no UTC instant; converting it raised
    OverflowError inside validation and the server answered 500 instead of refusing it."""
    answer = requests.post(
        server.url + "/v1/events",
        json={"protocol": 1, "batch_id": "b" * 8, "events": [], "sent_at": sent_at},
        headers={"Authorization": f"Bearer {_paired(server)}"},
        timeout=30,
    )
    assert answer.status_code == 422
