"""sync/client.py against servers that misbehave as a checkpoint's network really does: the
kiosk stays usable and changes nothing on a bad answer; a refusal says why."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.checker import PersonDesk
from sync import engine as sync_engine
from sync.client import SyncClient
from sync.protocol import ProtocolError, SyncError, Unreachable
from tests.conftest import free_port

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
        released = self.released = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                if mode == "slow":  # answers only once the client has given up
                    released.wait(30)
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
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("mode", list(MODES))
def test_a_bad_answer_changes_nothing_and_the_kiosk_keeps_working(kiosk_store, mode):
    bad = FaultServer(mode)
    try:
        # only the silent server is waited out; the others answer, however loaded the machine
        timeout = (5.0, 0.5) if mode == "slow" else (5.0, 30.0)
        client = SyncClient(bad.url, "x" * 43, timeout=timeout)
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


def test_a_wrong_pairing_code_says_so(server):
    with pytest.raises(SyncError) as err:
        SyncClient(server.url).pair("0000-0000-0000", "x")
    assert err.value.code == "pairing_code_invalid"
