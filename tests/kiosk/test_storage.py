import sqlite3
from datetime import date, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, text

from kiosk.errors import EnvironmentProblem
from kiosk.storage import ScanRecord, Store
from kiosk.storage.database import _alembic_config
from kiosk.storage.models import Base
from tests.kiosk.conftest import NOW


def _decl(i, subject, name="Trần Văn Đức", birth=date(1985, 3, 12), **extra):
    row = {
        "id": i,
        "subject_id": subject,
        "full_name": name,
        "birth_date": birth,
        "sex": "M",
        "phone": "",
        "status": "approved",
        "valid_until": NOW + timedelta(days=5),
        "origin_area": "46.474",
        "travel_areas": "",
        "symptoms": "",
        "declared_by_proxy": False,
        "updated_at": NOW,
    }
    row.update(extra)
    return row


def _scan(**changes):
    fields = {
        "checkpoint_id": "c1",
        "operator_id": "o1",
        "source": "typed",
        "payload_kind": "typed_id",
        "subject_ref": "0460******34",
        "declaration_id": 1,
        "verdict": "allow",
        "reason": "approved",
        "scanned_at": NOW,
    }
    fields.update(changes)
    return ScanRecord(**fields)


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_an_older_database_is_upgraded_in_place_with_a_backup(tmp_path):
    path = tmp_path / "kiosk.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO scan_events (event_id, scanned_at, checkpoint_id, operator_id,"
                " source, payload_kind, subject_ref, verdict, reason) VALUES ('old-1',"
                " '2021-06-03 08:00:00', 'c', 'o', 'camera', 'token', '', 'allow', 'approved')"
            )
        )
    engine.dispose()
    store = Store.open(path)
    try:
        assert "old-1" in store.scan_event_ids()  # nothing recorded is lost
        store.record_scan(_scan())
    finally:
        store.close()
    backups = list(tmp_path.glob("kiosk.db.before-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_reopening_an_up_to_date_file_changes_nothing(tmp_path):
    Store.open(tmp_path / "kiosk.db").close()
    Store.open(tmp_path / "kiosk.db").close()
    assert list(tmp_path.glob("kiosk.db.before-*")) == []


def test_a_recorded_scan_is_on_disk_for_the_next_process(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    event_id = store.record_scan(_scan())
    store.close()
    again = Store.open(tmp_path / "kiosk.db")
    try:
        assert event_id in again.scan_event_ids()
        assert again.audit_trail()[0]["action"] == "lookup_person"
    finally:
        again.close()


def test_masked_personal_qr_matches_only_the_right_person(store):
    store.put_declarations(
        [
            _decl(1, "075086009012", "Ngô Văn Giỏi", date(1986, 10, 11)),
            _decl(2, "075086119012", "Ngô Văn Giỏi", date(1986, 10, 11)),  # same name, other ID
            _decl(3, "079086009012", "Lê Thị Lan", date(1986, 10, 11)),
        ]
    )
    assert store.declaration_for_masked("********9012", date(1986, 10, 11), "NGO VAN GIOI") is None
    hit = store.declaration_for_masked("******009012", date(1986, 10, 11), "NGO VAN GIOI")
    assert hit is not None and hit.id == 1
    assert store.declaration_for_masked("******009012", date(1986, 10, 12), "NGO VAN GIOI") is None


def test_zone_of_a_province_covers_its_districts_and_lapses_after_14_days(store):
    today = NOW.date()
    store.put_zone("79", "TP. Hồ Chí Minh", today - timedelta(days=30))
    store.put_zone("48.490", "Quận Liên Chiểu", today - timedelta(days=40), today - timedelta(15))
    assert store.epidemic_zone_for(["79.760.26734"], today) == "TP. Hồ Chí Minh"
    assert store.epidemic_zone_for(["48.490"], today) is None
    assert store.epidemic_zone_for(["46.474"], today) is None
    assert store.epidemic_zone_for([], today) is None


def test_trusted_keys_are_valid_only_inside_their_window(store):
    store.put_trusted_key(1, b"k" * 32, NOW - timedelta(days=10), NOW - timedelta(days=1))
    store.put_trusted_key(2, b"q" * 32, NOW - timedelta(days=1))
    assert store.trusted_key(1, NOW - timedelta(days=5)) == b"k" * 32
    assert store.trusted_key(1, NOW) is None  # rotated out
    assert store.trusted_key(2, NOW) == b"q" * 32
    assert store.trusted_key(3, NOW) is None


def test_full_disk_is_a_clear_problem_and_loses_nothing_recorded(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    kept = store.record_scan(_scan())

    @event.listens_for(store.engine, "connect")
    def _tiny(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    store.engine.dispose()  # new connections get the cap: the disk is now "full"
    with pytest.raises(EnvironmentProblem) as err:
        for _ in range(500):
            store.record_scan(_scan(subject_ref="x" * 20))
    assert err.value.code == "disk_full"
    store.close()
    again = Store.open(tmp_path / "kiosk.db")
    try:
        assert kept in again.scan_event_ids()
    finally:
        again.close()
