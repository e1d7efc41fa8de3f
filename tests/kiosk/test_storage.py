from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text

from kiosk.errors import EnvironmentProblem
from kiosk.storage import Store
from kiosk.storage.database import _alembic_config
from kiosk.storage.models import Base
from kiosk.storage.replica import PUSHED
from kiosk.storage.repository import fold_name
from kiosk.storage.safekeeping import raw_connection
from tests.kiosk.conftest import NOW, declaration_row, scan_record


def _decl(i, subject, name="Trần Văn Đức", birth=date(1985, 3, 12), **extra):
    extra = {"phone": "", "valid_until": NOW + timedelta(days=5), "updated_at": NOW, **extra}
    return declaration_row(i, subject, name, birth, **extra)


_scan = scan_record


def _head() -> str:
    with create_engine("sqlite://").connect() as conn:
        return ScriptDirectory.from_config(_alembic_config(conn)).get_current_head()


def _tables(path) -> set[str]:
    with raw_connection(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_opening_a_fresh_file_creates_the_whole_schema_at_the_newest_revision(tmp_path):
    path = tmp_path / "data" / "kiosk.db"  # the directory does not exist yet
    Store.open(path).close()
    assert _tables(path) == set(Base.metadata.tables) | {"alembic_version"}
    with raw_connection(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(_head(),)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_what_waits_to_be_sent_is_counted_from_an_index_not_the_whole_table(store):
    # the window counts it after every job on its lane: a table scan there would hold up the
    # next check by tens of milliseconds on a month of scans (migration 0008_unsent)
    with store.engine.connect() as conn:
        for table, at in PUSHED.values():
            query = select(func.count(), func.min(table.c[at])).where(table.c.synced_at.is_(None))
            sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert f"INDEX ix_{table.name}_unsent" in plan, plan


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
    with raw_connection(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_reopening_an_existing_file_is_harmless(tmp_path):
    path = tmp_path / "kiosk.db"
    first = Store.open(path)
    first.put_declarations([_decl(1, "046085001234")])
    kept = first.record_scan(_scan())
    first.close()
    for _ in range(2):
        again = Store.open(path)
        try:
            assert again.scan_event_ids() == {kept}
            assert again.declaration_for_subject("046085001234").id == 1
        finally:
            again.close()
    assert list(tmp_path.glob("kiosk.db.before-*")) == []  # no needless backups
    with raw_connection(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(_head(),)]


def test_a_file_that_is_not_a_database_is_an_environment_problem(tmp_path):
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is not an SQLite file " * 200)
    with pytest.raises(EnvironmentProblem) as err:
        Store.open(path)
    assert err.value.code == "db_damaged"


def test_a_recorded_scan_is_on_disk_for_the_next_process(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    event_ids = [store.record_scan(_scan(reason=f"r{i}")) for i in range(3)]
    store.close()
    assert len(set(event_ids)) == 3
    with raw_connection(tmp_path / "kiosk.db") as db:  # another reader, not our code
        assert db.execute("SELECT count(*) FROM scan_events").fetchone() == (3,)
        rows = db.execute("SELECT event_id, reason, subject_ref FROM scan_events ORDER BY seq")
        assert [tuple(r) for r in rows] == [
            (e, f"r{i}", "0460******34") for i, e in enumerate(event_ids)
        ]
    again = Store.open(tmp_path / "kiosk.db")
    try:
        assert again.scan_event_ids() == set(event_ids)
        assert again.scans_since(NOW) == 3
        assert again.scans_since(NOW + timedelta(seconds=1)) == 0
    finally:
        again.close()


def test_each_scan_is_audited_with_who_looked_up_whom(store):
    store.record_scan(_scan(operator_id="medic-7", verdict="deny", reason="forged"))
    (entry,) = store.audit_trail()
    assert entry["operator_id"] == "medic-7"
    assert entry["action"] == "lookup_person"
    assert entry["subject_ref"] == "0460******34"
    assert entry["outcome"] == "deny:forged"


def test_the_newest_declaration_of_a_person_is_the_one_used(store):
    store.put_declarations(
        [
            _decl(1, "046085001234", status="rejected", updated_at=NOW - timedelta(days=2)),
            _decl(2, "046085001234", status="approved", updated_at=NOW - timedelta(hours=1)),
        ]
    )
    assert store.declaration_for_subject("046085001234").id == 2
    store.put_declarations([_decl(1, "046085001234", status="rejected", updated_at=NOW)])
    assert store.declaration_for_subject("046085001234").status == "rejected"
    assert store.declaration_for_subject("046085001235") is None


def test_a_declaration_reads_back_as_it_was_stored(store):
    store.put_declarations(
        [_decl(9, "092195005678", "Hoàng Thị Yến", travel_areas="79.760 48.490", symptoms="fever")]
    )
    row = store.declaration_by_id(9)
    assert row.full_name == "Hoàng Thị Yến"
    assert row.valid_until == NOW + timedelta(days=5)  # UTC in, UTC out
    assert row.travel_areas == ("79.760", "48.490")
    assert row.symptoms == ("fever",)


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Ngô Văn Giỏi", "NGO VAN GIOI"),
        ("Đặng Hữu Đức", "DANG HUU DUC"),
        ("đỗ  thị   ữ", "DO THI U"),
        ("Võ Thị Ệ", "VO THI E"),
    ],
)
def test_names_fold_to_the_personal_qr_spelling(name, folded):
    assert fold_name(name) == folded


def test_masked_personal_qr_matches_only_the_right_person(store):
    birth = date(1986, 10, 11)
    store.put_declarations(
        [
            _decl(1, "075086009012", "Ngô Văn Giỏi", birth),
            _decl(2, "075086119012", "Ngô Văn Giỏi", birth),  # same name, other ID
            _decl(3, "079086009012", "Lê Thị Lan", birth),  # same visible digits, other name
            _decl(4, "046086009012", "Ngô Văn Giỏi", date(1986, 10, 12)),  # other birth date
        ]
    )
    hit = store.declaration_for_masked("******009012", birth, "NGO VAN GIOI")
    assert hit is not None and hit.id == 1
    assert store.declaration_for_masked("******009012", birth, "Ngô Văn Giỏi").id == 1
    assert store.declaration_for_masked("******009012", birth, "LE THI LAN").id == 3
    # wrong birth date, wrong name, wrong digits, wrong length
    assert store.declaration_for_masked("******009012", date(1986, 10, 13), "NGO VAN GIOI") is None
    assert store.declaration_for_masked("******009012", birth, "NGO VAN GIAU") is None
    assert store.declaration_for_masked("******009013", birth, "NGO VAN GIOI") is None
    assert store.declaration_for_masked("***009012", birth, "NGO VAN GIOI") is None


def test_an_ambiguous_masked_match_is_no_match(store):
    birth = date(1986, 10, 11)
    store.put_declarations(
        [
            _decl(1, "075086009012", "Ngô Văn Giỏi", birth),
            _decl(2, "075086119012", "Ngô Văn Giỏi", birth),
        ]
    )
    # '********9012' fits both people: the kiosk must not pick one
    assert store.declaration_for_masked("********9012", birth, "NGO VAN GIOI") is None


def test_two_declarations_of_one_person_are_not_ambiguous(store):
    birth = date(1986, 10, 11)
    store.put_declarations(
        [
            _decl(1, "075086009012", "Ngô Văn Giỏi", birth, updated_at=NOW - timedelta(days=3)),
            _decl(2, "075086009012", "Ngô Văn Giỏi", birth, updated_at=NOW),
        ]
    )
    assert store.declaration_for_masked("******009012", birth, "NGO VAN GIOI").id == 2


def test_a_province_zone_covers_its_districts_and_communes(store):
    today = NOW.date()
    store.put_zone("79", "TP. Hồ Chí Minh", today - timedelta(days=30))
    assert store.epidemic_zone_for(["79.760.26734"], today) == "TP. Hồ Chí Minh"
    assert store.epidemic_zone_for(["79.760"], today) == "TP. Hồ Chí Minh"
    assert store.epidemic_zone_for(["79"], today) == "TP. Hồ Chí Minh"
    assert store.epidemic_zone_for(["46.474", "79.760"], today) == "TP. Hồ Chí Minh"
    assert store.epidemic_zone_for(["46.474.19774"], today) is None
    assert store.epidemic_zone_for(["7"], today) is None  # a prefix of digits is not an area
    assert store.epidemic_zone_for(["", ".79"], today) is None
    assert store.epidemic_zone_for([], today) is None


def test_a_district_zone_does_not_cover_the_whole_province(store):
    today = NOW.date()
    store.put_zone("48.490", "Quận Liên Chiểu", today - timedelta(days=3))
    assert store.epidemic_zone_for(["48.490.20194"], today) == "Quận Liên Chiểu"
    assert store.epidemic_zone_for(["48.492.20200"], today) is None


def test_a_zone_lapses_fourteen_days_after_it_ended(store):
    today = NOW.date()
    store.put_zone("48", "Đà Nẵng", today - timedelta(days=60), today - timedelta(days=14))
    store.put_zone("92", "Cần Thơ", today - timedelta(days=60), today - timedelta(days=15))
    assert store.epidemic_zone_for(["48.490"], today) == "Đà Nẵng"  # travel in the last 14 days
    assert store.epidemic_zone_for(["92.916"], today) is None


def test_a_zone_that_has_not_started_yet_does_not_count(store):
    today = NOW.date()
    store.put_zone("46", "Thừa Thiên Huế", today + timedelta(days=1))
    assert store.epidemic_zone_for(["46.474"], today) is None
    assert store.epidemic_zone_for(["46.474"], today + timedelta(days=1)) == "Thừa Thiên Huế"


def test_trusted_keys_are_valid_only_inside_their_window(store):
    store.put_trusted_key(1, b"k" * 32, NOW - timedelta(days=10), NOW - timedelta(days=1))
    store.put_trusted_key(2, b"q" * 32, NOW - timedelta(days=1))
    assert store.trusted_key(1, NOW - timedelta(days=5)) == b"k" * 32
    assert store.trusted_key(1, NOW - timedelta(days=10)) == b"k" * 32  # from valid_from on
    assert store.trusted_key(1, NOW - timedelta(days=11)) is None  # not yet valid
    assert store.trusted_key(1, NOW - timedelta(days=1)) is None  # valid_to is exclusive
    assert store.trusted_key(1, NOW) is None  # rotated out
    assert store.trusted_key(2, NOW) == b"q" * 32
    assert store.trusted_key(2, NOW + timedelta(days=3650)) == b"q" * 32  # no end
    assert store.trusted_key(3, NOW) is None


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
    engine.dispose()
    original = command.upgrade

    def upgrade_then_fail(cfg, revision):
        original(cfg, "0003")  # every statement of the step runs (it starts with DDL)...
        raise RuntimeError("power cut before the commit")  # ...and the commit never comes

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError):
        Store.open(path)
    with raw_connection(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        audit = [r[1] for r in db.execute("PRAGMA table_info(audit_log)")]
    assert "sync_state" not in tables and not any(t.startswith("_alembic") for t in tables)
    assert "event_id" not in audit  # the file is exactly as it was


def test_a_file_from_a_newer_kiosk_is_refused_with_a_clear_problem(tmp_path):
    path = tmp_path / "kiosk.db"
    Store.open(path).close()
    with raw_connection(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(EnvironmentProblem) as err:
        Store.open(path)
    assert err.value.code == "db_newer"
    assert list(tmp_path.glob("kiosk.db.before-*")) == []


def test_a_delete_then_an_upsert_of_one_key_in_one_page_keeps_the_upsert(store):
    key = {
        "key_id": 7,
        "algorithm": "Ed25519",
        "public_key": "ab" * 32,
        "valid_from": "2026-01-01T00:00:00+00:00",
        "valid_to": None,
    }
    store.replica.apply_page(
        [
            {"kind": "trusted_key", "key": "7", "op": "upsert", "data": key},
            {"kind": "trusted_key", "key": "7", "op": "delete", "data": None},
            {"kind": "trusted_key", "key": "7", "op": "upsert", "data": key},
        ],
        3,
    )
    assert store.trusted_key(7, datetime.now(UTC)) == bytes.fromhex("ab" * 32)
