"""The audit trail's one writer (kiosk/storage/audit.py): columns, masking, time, atomicity."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from kiosk.errors import EnvironmentProblem
from kiosk.storage import AuditRecord, ScanRecord, Store
from kiosk.storage.audit import safe_ref
from kiosk.storage.safekeeping import raw_connection
from kiosk.storage.timeutil import to_db
from tests.kiosk.conftest import NOW


def _scan(ref):
    return ScanRecord("c", "o", "typed", "typed_id", ref, None, "allow", "approved", NOW)


@pytest.mark.parametrize(
    ("ref", "kept"),
    [
        ("046085001234", "0460******34"),  # a CCCD a caller forgot to mask
        ("123456789", "12*****89"),  # a CMND
        ("0460******34", "0460******34"),  # already masked: left as it is
        ("75C12345", "75C12345"),  # a plate key
        ("card:7001", "card:7001"),
        ("123456789012345678", "123456789012345678"),  # an 18-digit receipt number
        ("", ""),
    ],
)
def test_no_full_id_number_reaches_the_trail_whoever_writes_it(ref, kept):
    assert safe_ref(ref) == kept


def test_an_unmasked_number_is_masked_in_both_the_scan_and_its_audit_row(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    try:
        store.record_scan(_scan("046085001234"))
        store.audit(AuditRecord("o", "market", "market_exit", "046085001234", "ok", at=NOW))
    finally:
        store.close()
    with raw_connection(tmp_path / "kiosk.db") as db:  # read back by another reader
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = "\n".join(repr(db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables)
        assert "046085001234" not in dump
        refs = db.execute("SELECT subject_ref FROM audit_log ORDER BY seq").fetchall()
        assert refs == [("0460******34",), ("0460******34",)]


def test_an_entry_without_a_time_is_stamped_now_in_utc(store):
    before = to_db(datetime.now(UTC))
    store.audit(AuditRecord("medic-1", "sign_in", "sign_in", outcome="ok"))
    (row,) = store.audit_trail()
    assert before <= row["at"] <= to_db(datetime.now(UTC))
    assert (row["screen"], row["action"], row["subject_ref"]) == ("sign_in", "sign_in", "")


def test_when_an_extra_row_fails_neither_the_scan_nor_its_audit_row_is_kept(store):
    def broken(conn):
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))

    with pytest.raises(EnvironmentProblem):
        store.record_scan(_scan("0460******34"), extra=broken)
    assert store.scan_event_ids() == set() and store.audit_trail() == []
    store.record_scan(_scan("0460******34"))  # the store is still usable
    assert len(store.audit_trail()) == 1
