"""Issue 10 on the kiosk: the identity as read waits in the outgoing queue, goes up inside the
scan event, and is forgotten once the server has it; the scan log and the trail stay masked."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.checker import PersonDesk
from kiosk.storage.safekeeping import raw_connection
from tests.kiosk.conftest import NOW

QID = "123456789012345678"


def test_a_masked_personal_qr_without_declaration_queues_its_identifier_name_and_birth(
    store, tmp_path
):
    desk = PersonDesk(
        store, checkpoint_id="chot-1", operator_id="m1", clock=lambda: NOW, direction="out"
    )
    result = desk.check_payload(f"0460******34|TRAN VAN DUC|1985-03-12|0|{QID}|", "camera")
    assert result.reason == "not_found"  # traceable even so: that is the point
    [event] = [e for e in store.replica.pending(10) if e.kind == "scan"]
    assert event.data["direction"] == "out"
    assert event.data["subject_ref"] == "0460******34"
    assert event.data["person"] == {
        "qr_id": QID,
        "full_name": "TRAN VAN DUC",
        "birth_date": "1985-03-12",
    }
    with raw_connection(tmp_path / "kiosk.db") as db:
        logged = " ".join(
            str(v)
            for table in ("scan_events", "audit_log")
            for r in db.execute(f"SELECT * FROM {table}")
            for v in r
        )
    assert QID not in logged and "TRAN" not in logged

    store.replica.mark_synced([event], datetime.now(UTC))
    with raw_connection(tmp_path / "kiosk.db") as db:
        assert db.execute("SELECT count(*) FROM outgoing_identities").fetchone()[0] == 0


def test_a_typed_id_queues_the_full_number_and_the_scan_log_keeps_it_masked(store, tmp_path):
    desk = PersonDesk(store, checkpoint_id="chot-1", operator_id="m1", clock=lambda: NOW)
    desk.check_id("046085001234", "typed")
    [event] = [e for e in store.replica.pending(10) if e.kind == "scan"]
    assert event.data["person"] == {"id_number": "046085001234"}
    assert event.data["direction"] == "in"
    with raw_connection(tmp_path / "kiosk.db") as db:
        assert db.execute("SELECT subject_ref FROM scan_events").fetchone()[0] == "0460******34"
