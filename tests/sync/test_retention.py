"""Retention (issue 14): once the server holds them, scans, audit rows and assisted declarations
older than the setting are deleted; nothing unsent is deleted however old. Hospital approvals,
pulled, go as long after their entry window ends."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from kiosk.checker import PersonDesk
from kiosk.clock import local_day
from kiosk.storage import AuditRecord, ScanRecord
from kiosk.storage.models import AssistedDeclaration, AuditEntry, HospitalApproval, ScanEvent
from kiosk.storage.timeutil import to_db
from sync import engine as sync_engine


def _count(store, model, synced=None):
    table = model.__table__
    query = select(func.count()).select_from(table)
    if synced is not None:
        sent = table.c.synced_at.is_not(None)
        query = query.where(sent if synced else ~sent)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _scan(at):
    return ScanRecord("c1", "o1", "typed", "cccd", "0460******34", None, "allow", "approved", at)


def test_old_rows_go_once_the_server_has_them_and_unsent_ones_stay(kiosk_store):
    store = kiosk_store
    now = datetime.now(UTC)
    old = now - timedelta(days=30)
    for _ in range(3):
        store.record_scan(_scan(old))  # each with its audit row
    store.record_scan(_scan(now - timedelta(days=2)))
    store.audit(AuditRecord("o1", "sign_in", "sign_in", outcome="ok", at=old))
    client = sync_engine.client_for(store)
    sync_engine.run_cycle(store, client, keep_days=28)
    assert _count(store, ScanEvent) == 1  # the 30-day-old scans went once pushed
    assert _count(store, AuditEntry) == 1
    # an old scan not yet sent stays, whatever its age
    store.record_scan(_scan(old - timedelta(days=400)))
    assert _count(store, ScanEvent, synced=False) == 1
    from kiosk.storage import retention

    retention.forget_synced(store.engine, 28, now)
    assert _count(store, ScanEvent) == 2
    # a longer setting keeps more
    with store.engine.begin() as conn:
        conn.execute(update(ScanEvent.__table__).values(synced_at=to_db(now)))
    retention.forget_synced(store.engine, 500, now)
    assert _count(store, ScanEvent) == 2
    retention.forget_synced(store.engine, 1, now)
    assert _count(store, ScanEvent) == 0
    assert _count(store, AssistedDeclaration) == 0


def _approval(approval_id, entry_to):
    return {
        "id": approval_id,
        "subject_id": f"04809000{approval_id:04d}",
        "masked_name": "Phan V** T**",
        "hospital": "Bệnh viện Trung ương Huế",
        "appointment_date": entry_to,
        "entry_from": entry_to - timedelta(days=1),
        "entry_to": entry_to,
        "status": "approved",
    }


def _approval_ids(store):
    with store.engine.connect() as conn:
        return set(conn.execute(select(HospitalApproval.__table__.c.id)).scalars())


def test_hospital_approvals_go_the_retention_after_their_window_ends(kiosk_store):
    """A stolen laptop holds a month of patients' approvals, not every one ever pulled; the
    approvals of patients still due, or just seen, stay and keep deciding the medic's verdict."""
    store = kiosk_store
    now = datetime.now(UTC)
    today = local_day(now)
    with store.engine.begin() as conn:  # as a pull leaves them
        conn.execute(
            insert(HospitalApproval.__table__),
            [
                _approval(1, today - timedelta(days=400)),
                _approval(2, today - timedelta(days=29)),  # ended 29 days ago: gone
                _approval(3, today - timedelta(days=28)),  # 28 days: kept, as a scan that old
                _approval(4, today - timedelta(days=2)),
                _approval(5, today + timedelta(days=10)),  # not yet due
            ],
        )
    client = sync_engine.client_for(store)
    sync_engine.run_cycle(store, client, keep_days=28)
    assert _approval_ids(store) == {3, 4, 5}
    desk = PersonDesk(store, checkpoint_id="chot-test", operator_id="medic-1")
    assert desk.check_id("048090000004", "typed").reason == "hospital_expired"
    assert desk.check_id("048090000005", "typed").reason == "hospital_not_yet"
    assert desk.check_id("048090000002", "typed").reason == "not_found"
    # the same setting as the scans: a shorter one keeps fewer
    from kiosk.storage import retention

    gone = retention.forget_synced(store.engine, 1, now)
    assert gone["hospital_approvals"] == 2 and _approval_ids(store) == {5}
