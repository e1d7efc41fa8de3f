"""Pairing from the window (sync/pairing.py), against the real server: what a person types is
read as meant, a kiosk already paired is paired anew, and a refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.storage import Store
from kiosk_server import admin
from kiosk_server.db import kiosks
from sync.pairing import pair_from_window
from sync.protocol import SyncError
from tests.conftest import free_port


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "kiosk" / "kiosk.db")
    yield store
    store.close()


def _names(server) -> list[str]:
    with server.engine.connect() as conn:
        return [
            r.name for r in conn.execute(select(kiosks.c.name, kiosks.c.revoked)) if not r.revoked
        ]


def test_a_code_typed_in_small_letters_with_spaces_pairs_under_the_checkpoints_name(server, store):
    code = admin.new_pairing_code(server.engine)
    typed = " " + code.lower().replace("-", " - ") + " "
    kiosk_id = pair_from_window(store, server.url + "/", typed, "chot-phong-dien-01")
    assert store.replica.state("kiosk_id") == kiosk_id
    assert any(n.startswith("chot-phong-dien-01@") for n in _names(server))


def test_two_kiosks_at_one_checkpoint_both_stay_paired(server, tmp_path):
    """Two lanes at one checkpoint: pairing the second must not retire the first (the server
    retires the old record of a name paired again, which is for a reinstall of the same kiosk)."""
    from sync import engine

    stores = [Store.open(tmp_path / lane / "kiosk.db") for lane in ("lane-1", "lane-2")]
    try:
        for store, host in zip(stores, ("laptop-a", "laptop-b"), strict=True):
            engine.pair(
                store,
                server.url,
                admin.new_pairing_code(server.engine),
                engine.kiosk_name("chot-a", host),
            )
        assert sorted(_names(server)) == ["chot-a@laptop-a", "chot-a@laptop-b"]
        # the same laptop paired again (a reinstall) retires its own old record only
        engine.pair(
            stores[0],
            server.url,
            admin.new_pairing_code(server.engine),
            engine.kiosk_name("chot-a", "laptop-a"),
            again=True,
        )
        assert sorted(_names(server)) == ["chot-a@laptop-a", "chot-a@laptop-b"]
        assert len([r for r in _all(server) if r.name == "chot-a@laptop-a"]) == 2
    finally:
        for store in stores:
            store.close()


def _all(server):
    with server.engine.connect() as conn:
        return list(conn.execute(select(kiosks.c.name, kiosks.c.revoked)))


def test_a_paired_kiosk_is_paired_anew_from_the_window(server, store):
    first = pair_from_window(store, server.url, admin.new_pairing_code(server.engine), "chot-a")
    second = pair_from_window(store, server.url, admin.new_pairing_code(server.engine), "chot-a")
    assert second != first and store.replica.state("kiosk_id") == second


@pytest.mark.parametrize(
    ("url", "code", "problem"),
    [
        (None, "0000-0000-0000", "pairing_code_invalid"),
        (None, "   ", "pairing_code_empty"),
        ("http://127.0.0.1:{free}", None, "unreachable"),
        ("ftp://127.0.0.1", None, "server_url_invalid"),
        ("http://192.0.2.7:8765", None, "server_url_insecure"),
    ],
)
def test_a_refused_pairing_leaves_the_kiosk_as_it_was(server, store, url, code, problem):
    pair_from_window(store, server.url, admin.new_pairing_code(server.engine), "chot-a")
    before = {k: store.replica.state(k) for k in ("server_url", "credential", "kiosk_id")}
    url = (url or server.url).format(free=free_port())
    with pytest.raises(SyncError) as err:
        pair_from_window(store, url, code or admin.new_pairing_code(server.engine), "chot-a")
    assert err.value.code == problem
    assert {k: store.replica.state(k) for k in before} == before
