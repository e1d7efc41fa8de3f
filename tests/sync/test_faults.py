"""Faults a checkpoint's network really has: the kiosk stays usable, backs off, changes
nothing on a bad answer, and recovers by itself when the server does."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.checker import PersonDesk
from sync import engine as sync_engine
from sync.backoff import Backoff
from sync.client import SyncClient
from sync.loop import SyncLoop
from sync.protocol import ProtocolError, Unreachable
from tests.sync.conftest import free_port

MODES = {
    "500": (500, "application/json", b'{"error": "boom"}'),
    "truncated": (200, "application/json", b'{"protocol": 1, "cursor": 12, "has_mo'),
    "garbage": (200, "application/json", b"\x00\xffnot json at all"),
    "html": (200, "text/html", b"<html>captive portal</html>"),
    "wrong_shape": (
        200,
        "application/json",
        b'{"protocol": 1, "cursor": "12", "has_more": false, "changes": []}',
    ),
    "old_protocol": (
        200,
        "application/json",
        b'{"protocol": 0, "cursor": 12, "has_more": false, "changes": []}',
    ),
    "slow": (200, "application/json", b"{}"),
    "bool_cursor": (
        200,
        "application/json",
        b'{"protocol": 1, "cursor": true, "has_more": false, "changes": []}',
    ),
    "huge_cursor": (
        200,
        "application/json",
        b'{"protocol": 1, "cursor": 1180591620717411303424, "has_more": false, "changes": []}',
    ),
    "stuck_cursor": (  # "more to come", from where the kiosk already is: forever
        200,
        "application/json",
        b'{"protocol": 1, "cursor": 0, "has_more": true, "changes": []}',
    ),
    "deep_nesting": (200, "application/json", b"[" * 100_000),
    "gzip_bomb": (200, "application/json", gzip.compress(b" " * (100 * 1024 * 1024))),
}
# A page whose envelope is right and one change is not: the whole page is refused, the cursor
# kept, nothing half-stored.
_GOOD_DECLARATION = {
    "id": 5,
    "subject_id": "046085001234",
    "full_name": "Trần Văn Đức",
    "birth_date": "1985-03-12",
    "sex": "M",
    "status": "approved",
    "valid_until": "2030-01-01T00:00:00+00:00",
    "updated_at": "2026-11-01T00:00:00+00:00",
}
BAD_CHANGES = {
    "huge_id": ("declaration", "5", {**_GOOD_DECLARATION, "id": 2**70}),
    "naive_time": ("declaration", "5", {**_GOOD_DECLARATION, "valid_until": "2030-01-01T00:00"}),
    "year_overflow": (
        "declaration",
        "5",
        {**_GOOD_DECLARATION, "valid_until": "9999-12-31T23:59:59-05:00"},
    ),
    "dict_phone": ("declaration", "5", {**_GOOD_DECLARATION, "phone": {"a": 1}}),
    "key_mismatch": ("declaration", "77", _GOOD_DECLARATION),
    "string_bool": (
        "market_card",
        "9",
        {
            "card_id": 9,
            "household_head": "x",
            "market_id": 1,
            "revoked": "false",
            "updated_at": "2026-11-01T00:00:00+00:00",
        },
    ),
    "short_key": (
        "trusted_key",
        "1",
        {
            "key_id": 1,
            "algorithm": "Ed25519",
            "public_key": "00",
            "valid_from": "2026-01-01T00:00:00+00:00",
            "valid_to": None,
        },
    ),
}
for _mode, (_kind, _key, _data) in BAD_CHANGES.items():
    _page = {
        "protocol": 1,
        "cursor": 12,
        "has_more": False,
        "changes": [{"kind": _kind, "key": _key, "op": "upsert", "data": _data}],
    }
    MODES[_mode] = (200, "application/json", json.dumps(_page).encode())
HEADERS = {"gzip_bomb": {"Content-Encoding": "gzip"}}


class FaultServer:
    """A real HTTP server on 127.0.0.1 that misbehaves in one chosen way."""

    def __init__(self, mode: str) -> None:
        status, ctype, body = MODES[mode]

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                if mode == "slow":
                    time.sleep(2.0)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for name, value in HEADERS.get(mode, {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("mode", list(MODES))
def test_a_bad_answer_changes_nothing_and_the_kiosk_keeps_working(kiosk_store, mode):
    bad = FaultServer(mode)
    try:
        client = SyncClient(bad.url, "x" * 43, timeout=(1.0, 0.5))
        expected = Unreachable if mode in ("500", "slow") else ProtocolError
        with pytest.raises(expected):
            sync_engine.run_cycle(kiosk_store, client)
        assert kiosk_store.replica.state("cursor") == "0"  # nothing applied
        result = PersonDesk(kiosk_store, checkpoint_id="c", operator_id="o").check_id(
            "046085001234", "typed"
        )
        assert result.reason == "not_found"  # still answering, from what it has
    finally:
        bad.close()


def test_backoff_stays_at_its_cap_through_a_month_offline():
    backoff = Backoff(base=2.0, cap=300.0)
    waits = [backoff.failed() for _ in range(10_000)]  # a failure every 5 minutes, a month
    assert 150.0 <= waits[-1] <= 300.0


def test_the_loop_backs_off_while_the_server_is_down_and_recovers_by_itself(server, kiosk_store):
    loop = SyncLoop(kiosk_store, Backoff(base=1.0, cap=8.0))
    server.stop()
    waits = []
    for _ in range(4):
        status = loop.step()
        assert not status.online and status.error == "unreachable"
        waits.append(status.next_try_in)
    assert waits[-1] > waits[0]  # growing
    assert all(w <= 8.0 for w in waits)  # capped
    server.start()
    status = loop.step()
    assert status.online and status.error is None and status.last_good is not None


def test_garbage_gzip_request_is_refused_by_the_server(server, kiosk_store):
    import requests

    response = requests.post(
        server.url + "/v1/events",
        data=b"not gzip",
        headers={
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
            "Authorization": "Bearer " + kiosk_store.replica.state("credential"),
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
            "Authorization": "Bearer " + kiosk_store.replica.state("credential"),
        },
    )
    assert response.status_code == 422
