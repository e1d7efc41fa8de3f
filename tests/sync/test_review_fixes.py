"""Regressions found in review: each names the guarantee it keeps."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from kiosk.checker import Checker
from kiosk.market_gate import MarketGate
from kiosk_server import admin
from kiosk_server.db import events
from sync import engine as sync_engine
from sync.client import SyncClient
from sync.protocol import ProtocolError, SyncError


def test_an_exit_recorded_after_its_entry_was_sent_reaches_the_server(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    manifest = json.loads((server.data_dir / "demo" / "manifest.json").read_text())
    card = next(c["payload"] for c in manifest["cards"] if c["reason"] == "card_valid")
    gate = MarketGate(kiosk_store, market_id=1, checkpoint_id="g", operator_id="m")
    assert gate.check_card(card).reason == "card_valid"
    sync_engine.run_cycle(kiosk_store, client)
    assert gate.record_exit(card)
    assert kiosk_store.replica.pending_count() >= 1  # the entry goes up again, with its exit
    sync_engine.run_cycle(kiosk_store, client)
    with server.engine.connect() as conn:
        rows = [
            json.loads(d)
            for d in conn.execute(
                select(events.c.data).where(events.c.kind == "market_entry")
            ).scalars()
        ]
    assert any(r.get("exited_at") for r in rows)


def test_a_delete_then_an_upsert_of_one_key_in_one_page_keeps_the_upsert(kiosk_store):
    key = {
        "key_id": 7,
        "algorithm": "Ed25519",
        "public_key": "ab" * 32,
        "valid_from": "2026-01-01T00:00:00+00:00",
        "valid_to": None,
    }
    kiosk_store.replica.apply_page(
        [
            {"kind": "trusted_key", "key": "7", "op": "upsert", "data": key},
            {"kind": "trusted_key", "key": "7", "op": "delete", "data": None},
            {"kind": "trusted_key", "key": "7", "op": "upsert", "data": key},
        ],
        3,
    )
    assert kiosk_store.trusted_key(7, datetime.now(UTC)) == bytes.fromhex("ab" * 32)


def test_an_unusable_page_changes_nothing_and_does_not_hold_back_the_push(server, kiosk_store):
    checker = Checker(kiosk_store, checkpoint_id="c", operator_id="o")
    checker.check_id("046085001234", "typed")
    from kiosk_server.db import upsert_entities

    upsert_entities(server.engine, "declaration", [("77", {"id": 77, "subject_id": "x"})])
    client = sync_engine.client_for(kiosk_store)
    with pytest.raises(ProtocolError):
        sync_engine.run_cycle(kiosk_store, client)
    assert kiosk_store.replica.pending_count() == 0  # pushed before the pull failed
    assert kiosk_store.replica.state("cursor") == "0"


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
def test_an_endless_body_is_cut_off_not_held_in_memory(server, kiosk_store, who):
    before = _peak_rss_mb(server.process.pid)
    credential = kiosk_store.replica.state("credential") if who == "kiosk" else "wrong"

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


def test_one_kiosk_cannot_rewrite_another_kiosks_market_entry(server, kiosk_store):
    mine = SyncClient(server.url, kiosk_store.replica.state("credential"))
    _id, other_credential = SyncClient(server.url).pair(
        admin.new_pairing_code(server.engine), "other"
    )
    other = SyncClient(server.url, other_credential)
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


def test_a_wrong_pairing_code_says_so(server):
    with pytest.raises(SyncError) as err:
        SyncClient(server.url).pair("0000-0000-0000", "x")
    assert err.value.code == "pairing_code_invalid"


def test_a_revoked_key_id_is_never_given_to_a_new_key(server):
    first = admin.rotate_key(server.engine)
    assert admin.revoke_key(server.engine, first)
    assert admin.rotate_key(server.engine) == first + 1
