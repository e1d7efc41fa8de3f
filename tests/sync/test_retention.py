"""Retention (issue 14): once the server holds them, scans, audit rows and assisted declarations
older than the setting are deleted; nothing unsent is deleted however old."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from kiosk.storage import AuditRecord, ScanRecord
from kiosk.storage.models import AssistedDeclaration, AuditEntry, ScanEvent
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
