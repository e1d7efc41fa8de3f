"""sync/engine.py against a real server process: a full cycle, repeats, revocation, clock
skew, records changed after they were sent, a page the kiosk cannot use."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk import base45
from kiosk.checker import PersonDesk
from kiosk.market_gate import CardDesk
from kiosk_server import admin
from kiosk_server.db import events
from sync import engine as sync_engine
from sync.client import SyncClient
from sync.protocol import CredentialRevoked, ProtocolError, SyncError


def _server_event_ids(server) -> list[str]:
    with server.engine.connect() as conn:
        return list(conn.execute(select(events.c.event_id)).scalars())


def test_first_cycle_fills_the_cache_and_the_demo_verdicts_hold_offline(server, kiosk_store):
    summary = sync_engine.run_cycle(kiosk_store, sync_engine.client_for(kiosk_store))
    assert summary.pulled > 20 and summary.pending == 0
    manifest = json.loads((server.data_dir / "demo" / "manifest.json").read_text())
    checker = PersonDesk(kiosk_store, checkpoint_id="c", operator_id="o")
    server.stop()  # offline from here on
    for sample in manifest["samples"]:
        result = checker.check_payload(sample["payload"], "camera")
        assert (result.verdict.value, result.reason) == (sample["verdict"], sample["reason"])


def test_recorded_scans_reach_the_server_exactly_once(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    checker = PersonDesk(kiosk_store, checkpoint_id="c", operator_id="o")
    for number in ("046085001234", "046192004567", "001203004567"):
        checker.check_id(number, "typed")
    first = sync_engine.run_cycle(kiosk_store, client)
    again = sync_engine.run_cycle(kiosk_store, client)
    assert first.pushed == 6 and again.pushed == 0  # 3 scans + their 3 audit entries
    ids = _server_event_ids(server)
    assert len(ids) == len(set(ids)) == 6
    local = {e for e in kiosk_store.scan_event_ids()}
    assert local <= set(ids)


def test_the_same_batch_twice_and_batches_out_of_order_are_harmless(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    now = datetime.now(UTC)
    batch = [
        {
            "event_id": str(uuid.uuid4()),
            "kind": "scan",
            "occurred_at": (now - timedelta(minutes=i)).isoformat(),
            "data": {"n": i},
        }
        for i in range(10)
    ]
    newer, older = batch[:5], batch[5:]
    assert client.push("b1", newer).stored == 5
    assert client.push("b0", older).stored == 5  # an older batch arriving later
    repeat = client.push("b1", newer)
    assert (repeat.stored, repeat.duplicates) == (0, 5)
    assert len(_server_event_ids(server)) == 10


def test_a_kiosk_clock_hours_off_loses_nothing_and_is_measured(server, kiosk_store):
    ahead = SyncClient(
        server.url,
        kiosk_store.replica.state("credential"),
        clock=lambda: datetime.now(UTC) + timedelta(hours=5),
    )
    event = {
        "event_id": str(uuid.uuid4()),
        "kind": "audit",
        "occurred_at": (datetime.now(UTC) + timedelta(hours=5)).isoformat(),
        "data": {},
    }
    receipt = ahead.push("b", [event])
    assert receipt.stored == 1
    assert -18_100 < receipt.clock_skew_seconds < -17_900
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 1


def test_a_revoked_credential_can_neither_pull_nor_push(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    admin.revoke(server.engine, kiosk_store.replica.state("kiosk_id"))
    with pytest.raises(CredentialRevoked):
        client.pull(0, 10)
    with pytest.raises(CredentialRevoked):
        client.push(
            "b",
            [
                {
                    "event_id": str(uuid.uuid4()),
                    "kind": "audit",
                    "occurred_at": datetime.now(UTC).isoformat(),
                    "data": {},
                }
            ],
        )


def test_a_pairing_code_works_once(server, tmp_path):
    code = admin.new_pairing_code(server.engine)
    SyncClient(server.url).pair(code, "a")
    with pytest.raises(SyncError) as err:
        SyncClient(server.url).pair(code, "b")
    assert err.value.code == "credential_revoked" or err.value.code == "pairing_code_invalid"


def test_rotated_keys_reach_the_kiosk_and_new_tokens_verify_offline(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    admin.rotate_key(server.engine)
    token = admin.issue_token(server.engine, 1001, "046085001234")
    checker = PersonDesk(kiosk_store, checkpoint_id="c", operator_id="o")
    assert checker.check_payload(token, "camera").reason == "unknown_key"  # not synced yet
    sync_engine.run_cycle(kiosk_store, client)
    assert checker.check_payload(token, "camera").reason == "approved"


def test_a_leaked_key_withdrawn_on_the_server_stops_verifying_at_every_kiosk(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    admin.rotate_key(server.engine)  # the demo key signs nothing real
    token = admin.issue_token(server.engine, 1001, "046085001234")
    sync_engine.run_cycle(kiosk_store, client)
    checker = PersonDesk(kiosk_store, checkpoint_id="c", operator_id="o")
    assert checker.check_payload(token, "camera").reason == "approved"
    key_id = int.from_bytes(base45.decode(token[4:])[1:5], "big")  # the header's key id
    assert admin.revoke_key(server.engine, key_id)
    sync_engine.run_cycle(kiosk_store, client)
    assert checker.check_payload(token, "camera").reason == "unknown_key"


def test_an_exit_recorded_after_its_entry_was_sent_reaches_the_server(server, kiosk_store):
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    manifest = json.loads((server.data_dir / "demo" / "manifest.json").read_text())
    card = next(c["payload"] for c in manifest["cards"] if c["reason"] == "card_valid")
    gate = CardDesk(kiosk_store, market_id=1, checkpoint_id="g", operator_id="m")
    assert gate.check_card(card).reason == "card_valid"
    sync_engine.run_cycle(kiosk_store, client)
    assert gate.record_exit(card).done
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


def test_an_unusable_page_changes_nothing_and_does_not_hold_back_the_push(server, kiosk_store):
    checker = PersonDesk(kiosk_store, checkpoint_id="c", operator_id="o")
    checker.check_id("046085001234", "typed")
    from kiosk_server.db import upsert_entities

    upsert_entities(server.engine, "declaration", [("77", {"id": 77, "subject_id": "x"})])
    client = sync_engine.client_for(kiosk_store)
    with pytest.raises(ProtocolError):
        sync_engine.run_cycle(kiosk_store, client)
    assert kiosk_store.replica.pending_count() == 0  # pushed before the pull failed
    assert kiosk_store.replica.state("cursor") == "0"
