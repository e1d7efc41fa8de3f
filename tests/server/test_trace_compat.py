"""Protocol 1.1 is additive: a 1.0 kiosk's scans (no identity, no direction) are stored, count in
the statistics and appear in a trace as unidentified; a 1.1 scan's identity is kept whole."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from kiosk_server.app import Event, EventBatch, store_events
from kiosk_server.db import open_db
from kiosk_server.stats import stats
from kiosk_server.tracing import Staff, trace

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
ADMIN = Staff("test", "admin")


def push(engine, *events: tuple[datetime, dict]) -> None:
    batch = EventBatch(
        protocol=1,
        batch_id=str(uuid.uuid4()),
        sent_at=datetime.now(UTC),
        events=[
            Event(event_id=str(uuid.uuid4()), kind="scan", occurred_at=at, data=data)
            for at, data in events
        ],
    )
    store_events(engine, "k1", batch)


def scan(**extra: object) -> dict:
    return {
        "checkpoint_id": "chot-1",
        "verdict": "allow",
        "reason": "approved",
        "screen": "medic",
        "payload_kind": "typed_id",
        "subject_ref": "0460******34",
        **extra,
    }


def test_older_kiosks_scans_count_and_show_as_unidentified(tmp_path):
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    person = {"id_number": "046085001234", "full_name": "Trần Văn Đức", "birth_date": "1985-03-12"}
    push(
        engine,
        (AT, scan(direction="in", person=person)),
        (AT + timedelta(minutes=5), scan()),  # protocol 1.0: no person, no direction
        (
            AT + timedelta(minutes=7),
            scan(direction="out", person={"qr_id": "1" * 18, "full_name": "LE VAN AN"}),
        ),
    )
    [total] = [
        r for r in stats(engine, ADMIN, date(2026, 12, 1), date(2026, 12, 1)) if r["key"] == "total"
    ]
    assert (total["scans_in"], total["scans_out"], total["scans_allow"]) == (2, 1, 3)
    result = trace(engine, ADMIN, "046085001234", date(2026, 12, 1), date(2026, 12, 1))
    contacts = result["visits"][0]["contacts"]
    assert [(c["identified"], c["qr_id"], c["subject_ref"]) for c in contacts] == [
        (False, None, "0460******34"),
        (True, "1" * 18, "0460******34"),
    ]
    # the national QR's identifier is itself traceable
    by_qr = trace(engine, ADMIN, "1" * 18, date(2026, 12, 1), date(2026, 12, 1))
    assert "046085001234" in {c["id_number"] for c in by_qr["visits"][0]["contacts"]}
