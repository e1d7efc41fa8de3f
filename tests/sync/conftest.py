"""A kiosk paired with the real server (tests/conftest.py), for the sync tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from kiosk.storage import Store
from kiosk_server import admin
from sync import engine as sync_engine


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
