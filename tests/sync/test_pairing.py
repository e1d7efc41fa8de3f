"""Pairing makes the server the one authority on signing keys, and is done on purpose."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import tokens
from kiosk.app.demo import seed
from kiosk.checker import PersonDesk
from kiosk.storage import Store
from kiosk_server import admin
from sync import engine as sync_engine
from sync.protocol import SyncError


@pytest.fixture
def demo_kiosk(tmp_path):
    """A kiosk that ran `kiosk demo` before it was ever paired."""
    store = Store.open(tmp_path / "kiosk" / "kiosk.db")
    manifest = json.loads(seed(store, tmp_path / "kiosk", write_feed=False).read_text())
    yield store, manifest
    store.close()


def test_the_kiosks_own_demo_samples_hold_after_syncing_with_a_demo_server(server, demo_kiosk):
    store, manifest = demo_kiosk
    sync_engine.pair(store, server.url, admin.new_pairing_code(server.engine), "chot-demo")
    sync_engine.run_cycle(store, sync_engine.client_for(store))
    checker = PersonDesk(store, checkpoint_id="c", operator_id="o")
    for sample in manifest["samples"]:
        result = checker.check_payload(sample["payload"], "camera")
        assert (result.verdict.value, result.reason) == (sample["verdict"], sample["reason"]), (
            sample["file"]
        )


def test_a_key_the_server_does_not_publish_stops_verifying_once_paired(server, demo_kiosk):
    store, manifest = demo_kiosk
    stray = Ed25519PrivateKey.generate()  # trusted by hand on this kiosk only
    raw = stray.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    store.put_trusted_key(42, raw, datetime.now(UTC) - timedelta(days=1))
    approved = manifest["ids"][0]
    assert approved["verdict"] == "allow"
    now = datetime.now(UTC)
    token = tokens.sign(
        tokens.DeclarationToken(
            42, now - timedelta(hours=1), now + timedelta(days=1), 1001, approved["id"]
        ),
        stray,
    )
    checker = PersonDesk(store, checkpoint_id="c", operator_id="o")
    assert checker.check_payload(token, "camera").reason == "approved"
    sync_engine.pair(store, server.url, admin.new_pairing_code(server.engine), "chot-demo")
    sync_engine.run_cycle(store, sync_engine.client_for(store))
    assert checker.check_payload(token, "camera").reason == "unknown_key"


def test_a_paired_kiosk_is_paired_again_only_when_asked(server, kiosk_store):
    first = kiosk_store.replica.state("kiosk_id")
    with pytest.raises(SyncError) as err:
        sync_engine.pair(kiosk_store, server.url, admin.new_pairing_code(server.engine), "x")
    assert err.value.code == "already_paired"
    assert kiosk_store.replica.state("kiosk_id") == first
    again = sync_engine.pair(
        kiosk_store, server.url, admin.new_pairing_code(server.engine), "x", again=True
    )
    assert again != first and kiosk_store.replica.state("kiosk_id") == again


@pytest.mark.parametrize("url", ["notaurl", "ftp://server", "https://"])
def test_pairing_with_what_is_no_server_address_says_so_in_one_line(tmp_path, url):
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", tmp_path, "pair", url, "1234-5678-9ABC"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4
    assert done.stderr.strip() == "Địa chỉ máy chủ không hợp lệ: cần dạng https://tên-máy-chủ."
