"""A stranger, or a stolen kiosk, against a real server process on 127.0.0.1: what it can cost
the server, what it can make it answer, what it can change (issue 14, points 2, 4 and 6)."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from kiosk_server import admin
from kiosk_server.db import events
from sync.client import SyncClient
from tests.conftest import Server, free_port


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def empty_events_bomb() -> bytes:
    """The attack of the issue: `{"events":[{},{},...]}`, 31 KiB as sent, 32 MB inflated."""
    return gzip.compress(b'{"events":[' + b"{}," * 10_600_000 + b"{}]}", 9)


def post(server, path, body, credential=None, gz=False, timeout=60):
    headers = {"Content-Type": "application/json"}
    if credential:
        headers["Authorization"] = f"Bearer {credential}"
    if gz:
        headers["Content-Encoding"] = "gzip"
    return requests.post(server.url + path, data=body, headers=headers, timeout=timeout)


def batch(*evs, sent_at=None):
    return {
        "protocol": 1,
        "batch_id": str(uuid.uuid4()),
        "sent_at": sent_at or datetime.now(UTC).isoformat(),
        "events": list(evs),
    }


def event(kind="scan", data=None, event_id=None, occurred_at=None):
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "kind": kind,
        "occurred_at": occurred_at or datetime.now(UTC).isoformat(),
        "data": {"verdict": "allow"} if data is None else data,
    }


def stored(server, event_id):
    with server.engine.connect() as conn:
        return conn.execute(select(events).where(events.c.event_id == event_id)).first()


def server_log(server) -> str:
    server.stop()
    return server.process_stderr


@pytest.fixture
def credential(kiosk_store):
    return kiosk_store.replica.state("credential")


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """One server without demo data for the tests that change nothing: it starts in a second."""
    tmp = tmp_path_factory.mktemp("bare")
    srv = Server(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp}/server.db", tmp)
    srv.start()
    _kiosk, srv.credential = SyncClient(srv.url).pair(admin.new_pairing_code(srv.engine), "t")
    yield srv
    srv.stop()


# --- point 2: one unauthenticated request must not cost the server its memory ---------------
def test_the_31_kib_gzip_of_empty_events_leaves_the_servers_peak_memory_where_it_was(server):
    bomb = empty_events_bomb()
    assert len(bomb) < 32 * 1024
    before = peak_rss_mb(server.process.pid)
    answers: list[int] = []

    def send():
        answers.append(post(server, "/v1/events", bomb, gz=True).status_code)

    senders = [threading.Thread(target=send) for _ in range(3)]  # three at once, as in the issue
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    after = peak_rss_mb(server.process.pid)
    print(f"peak RSS {before:.0f} -> {after:.0f} MiB")  # the report's figure: pytest -s
    assert answers == [401, 401, 401]
    assert after - before < 50


def test_a_kiosks_own_bomb_is_refused_by_what_it_would_inflate_into(server, credential):
    before = peak_rss_mb(server.process.pid)
    answer = post(server, "/v1/events", empty_events_bomb(), credential, gz=True)
    assert answer.status_code == 413
    assert peak_rss_mb(server.process.pid) - before < 50


def test_the_credential_is_checked_before_the_body_is_waited_for(server):
    """Headers promising a body that never comes: a stranger is turned away at once."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(
            b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000\r\n\r\n"
        )
        head = s.recv(4096)  # times out (the test fails) if the server waits for the body
    assert head.startswith(b"HTTP/1.1 401")


def _stall(server, credential: str) -> socket.socket:
    """An authenticated request whose body stops after 10 of its 1,000 bytes."""
    host, port = server.url.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=30)
    s.sendall(
        b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Authorization: Bearer " + credential.encode() + b"\r\n"
        b"Content-Length: 1000\r\n\r\n" + b'{"protocol'
    )
    return s


def test_a_slow_body_is_cut_off(server, credential, monkeypatch):
    server.stop()
    monkeypatch.setenv("KIOSK_SERVER_BODY_TIMEOUT", "2")
    server.start()
    with _stall(server, credential) as s:
        head = s.recv(4096)  # without a body timeout: nothing for 30 s, the test fails
    assert head.startswith(b"HTTP/1.1 408")


def test_bodies_are_read_a_few_at_a_time_and_the_server_keeps_answering(
    server, credential, monkeypatch
):
    server.stop()
    monkeypatch.setenv("KIOSK_SERVER_BODY_TIMEOUT", "20")
    monkeypatch.setenv("KIOSK_SERVER_QUEUE_WAIT", "1")
    server.start()
    stalled = [_stall(server, credential) for _ in range(4)]  # every reader busy
    try:
        assert requests.get(server.url + "/v1/health", timeout=5).ok  # the loop is free
        # the server takes the four stalled bodies as it gets to them: ask until it has
        busy = _answer_within(
            30,
            lambda: post(server, "/v1/events", json.dumps(batch(event())), credential, timeout=10),
            lambda r: r.status_code == 503,
        )
        assert busy.json()["detail"]["error"] == "busy"
    finally:
        for s in stalled:
            s.close()
    done = _answer_within(
        30,
        lambda: post(server, "/v1/events", json.dumps(batch(event())), credential),
        lambda r: r.status_code == 200,
    )
    assert done.status_code == 200  # readers freed when the senders went away


def _answer_within(seconds, ask, wanted):
    """Asks until the answer is the one wanted, or the time is up (then the last answer)."""
    deadline = time.monotonic() + seconds
    answer = ask()
    while not wanted(answer) and time.monotonic() < deadline:
        time.sleep(0.05)  # a poll, not a wait for time to pass
        answer = ask()
    return answer


# --- point 6: malformed input is a 4xx, never a 500, and stores nothing ---------------------
NOW = datetime.now(UTC).isoformat()
MALFORMED_EVENTS = {
    "sent_at without a zone": json.dumps(batch(event(), sent_at="2026-11-22T08:00:00")),
    "occurred_at without a zone": json.dumps(batch(event(occurred_at="2026-11-22T08:00:00"))),
    "lone surrogate in event_id": json.dumps(batch(event(event_id="abcdefgh\ud800"))),
    "lone surrogate in data": json.dumps(batch(event(data={"name": "Tr\udc00n"}))),
    "lone surrogate in a key": json.dumps(batch(event(data={"\ud800": 1}))),
    "NaN": json.dumps(batch(event(data={"temperature": float("nan")}))),
    "Infinity": json.dumps(batch(event(data={"temperature": float("inf")}))),
    "1e999": json.dumps(batch(event(data={"temperature": 1}))).replace(
        '"temperature": 1', '"temperature": 1e999'
    ),
    "year 1": json.dumps(batch(event(occurred_at="0001-01-01T00:00:00+00:00"))),
    "year 9999": json.dumps(batch(event(occurred_at="9999-12-31T00:00:00+00:00"))),
    "sent in year 1": json.dumps(batch(event(), sent_at="0001-01-01T00:00:00+00:00")),
    "NUL in data": json.dumps(batch(event(data={"name": "a\0b"}))),
    "nested 100,000 deep": json.dumps(batch(event())).replace(
        '{"verdict": "allow"}', "[" * 100_000 + "]" * 100_000
    ),
    "nested 40 deep": json.dumps(batch(event(data={"a": json.loads("[" * 40 + "]" * 40)}))),
    "a 5,000-digit number": json.dumps(batch(event())).replace('"allow"', "9" * 5000),
    "not JSON": "{'protocol': 1}",
    "not UTF-8": b'{"protocol": 1, "batch_id": "\xff\xfe"}',
    "an array": "[]",
    "empty": "",
}


@pytest.mark.parametrize("what", list(MALFORMED_EVENTS))
def test_a_malformed_push_is_refused_with_a_4xx_and_stores_nothing(bare, what):
    answer = post(bare, "/v1/events", MALFORMED_EVENTS[what], bare.credential)
    assert 400 <= answer.status_code < 500, answer.text
    with bare.engine.connect() as conn:
        assert conn.execute(select(events.c.event_id)).first() is None


@pytest.mark.parametrize(
    "body",
    [
        '{"protocol": 1, "code": "3F2A-9C01-77BE", "kiosk_name": "chot\\ud800"}',
        '{"protocol": 1, "code": "3F2A-\\udfff-77BE", "kiosk_name": "chot"}',
        '{"protocol": 1, "code": "' + "A" * 5000 + '", "kiosk_name": "chot"}',
        '{"protocol": NaN, "code": "3F2A-9C01-77BE", "kiosk_name": "chot"}',
    ],
)
def test_a_malformed_pairing_is_refused_with_a_4xx(bare, body):
    assert 400 <= post(bare, "/v1/pair", body).status_code < 500


@pytest.mark.parametrize("cursor", [2**63 - 1, 2**63, 2**64, 10**30, -1])
def test_any_cursor_is_answered_without_a_server_error(bare, cursor):
    answer = requests.get(
        bare.url + "/v1/changes",
        params={"cursor": cursor},
        headers={"Authorization": f"Bearer {bare.credential}"},
        timeout=30,
    )
    assert answer.status_code == (200 if 0 <= cursor < 2**63 else 422)


def test_times_keep_their_offset(server, credential):
    sent = event(occurred_at="2026-11-22T14:00:00+07:00")
    assert post(server, "/v1/events", json.dumps(batch(sent)), credential).status_code == 200
    at = stored(server, sent["event_id"]).occurred_at
    at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back UTC without its zone
    assert at == datetime(2026, 11, 22, 7, 0, tzinfo=UTC)  # not 14:00 UTC: seven hours wrong


def test_pairing_codes_cannot_be_guessed_fast_and_guesses_are_logged(server):
    code = admin.new_pairing_code(server.engine)
    answers = [
        post(
            server,
            "/v1/pair",
            json.dumps({"protocol": 1, "code": f"0000-0000-{i:04d}", "kiosk_name": "x"}),
        ).status_code
        for i in range(12)
    ]
    assert answers[:10] == [403] * 10 and answers[10:] == [429, 429]
    right = {"protocol": 1, "code": code, "kiosk_name": "x"}
    assert post(server, "/v1/pair", json.dumps(right)).status_code == 429  # even the right one
    log = server_log(server)
    assert log.count("pairing code refused from 127.0.0.1") == 10
    assert "127.0.0.1 tried 10 codes in a minute" in log


# --- point 4: what is stored stays as it was ----------------------------------------------
def test_a_resent_event_with_other_content_is_refused_and_logged(server, credential):
    client = SyncClient(server.url, credential)
    scan = event(data={"verdict": "deny", "reason": "zone_quarantine"})
    assert client.push("a", [scan]).stored == 1
    receipt = client.push("b", [{**scan, "data": {"verdict": "allow", "reason": "approved"}}])
    assert receipt.refused == (scan["event_id"],) and receipt.stored == 0
    assert json.loads(stored(server, scan["event_id"]).data)["verdict"] == "deny"
    same = client.push("c", [scan])
    assert (same.duplicates, same.refused) == (1, ())  # the very same event again: a duplicate
    assert f"event {scan['event_id']} refused" in server_log(server)


def test_a_kiosk_cannot_erase_its_audit_trail(server, credential):
    client = SyncClient(server.url, credential)
    audit = event("audit", {"action": "lookup", "subject_ref": "0460******34"})
    client.push("a", [audit])
    for kind, data in (("market_entry", {}), ("audit", {}), ("scan", audit["data"])):
        receipt = client.push("b", [{**audit, "kind": kind, "data": data}])
        assert receipt.refused == (audit["event_id"],)
    row = stored(server, audit["event_id"])
    assert row.kind == "audit" and json.loads(row.data) == audit["data"]


def test_an_exit_changes_only_the_exit_fields_and_only_once(server, credential):
    client = SyncClient(server.url, credential)
    entry = event("market_entry", {"card_id": 5001, "market_id": 1, "exited_at": None})
    client.push("a", [entry])
    out = {**entry["data"], "exited_at": "2026-11-22T09:30:00"}
    assert client.push("b", [{**entry, "data": out}]).refused == ()
    assert json.loads(stored(server, entry["event_id"]).data) == out
    for data in (
        {**out, "card_id": 666},  # another household, under cover of an exit
        {**out, "exited_at": "2026-11-22T10:00:00"},  # a second exit
        {**entry["data"], "card_id": 666},
    ):
        assert client.push("c", [{**entry, "data": data}]).refused == (entry["event_id"],)
    assert json.loads(stored(server, entry["event_id"]).data) == out
