"""Retention: what the server has acknowledged is not kept on the kiosk for ever
(docs/storage.md). Scans, market entries, audit rows and assisted declarations older than the
`retention_days` setting (28 by default) are deleted once synced; nothing unsent is ever
deleted, however old. Hospitals' approvals, pulled from the server, go the same number of days
after the last day they let the person in: a lost or stolen laptop holds a month of patients'
ID numbers and hospitals, not every one since the kiosk was paired."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from kiosk.clock import local_day
from kiosk.storage.database import translate_errors
from kiosk.storage.models import (
    AssistedDeclaration,
    AuditEntry,
    HospitalApproval,
    MarketEntry,
    ScanEvent,
)
from kiosk.storage.timeutil import to_db

DEFAULT_DAYS = 28

# each table that goes up to the server, with the column that dates a row
_AGED = (
    (ScanEvent.__table__, "scanned_at"),
    (MarketEntry.__table__, "entered_at"),
    (AuditEntry.__table__, "at"),
    (AssistedDeclaration.__table__, "created_at"),
)


def forget_synced(engine: Engine, days: int, now: datetime) -> dict[str, int]:
    """Deletes synced rows dated before now - days, and hospital approvals whose last entry
    day (a Vietnamese calendar day) is more than `days` days before today's, in one
    transaction; {table: rows}."""
    cutoff = to_db(now - timedelta(days=days))
    last_kept_day = local_day(now) - timedelta(days=days)
    gone: dict[str, int] = {}
    with translate_errors(), engine.begin() as conn:
        for table, column in _AGED:
            result = conn.execute(
                delete(table).where(table.c.synced_at.is_not(None), table.c[column] < cutoff)
            )
            gone[table.name] = result.rowcount
        # pulled, never pushed (no synced_at): dated by its window's end. Once gone, a patient
        # who comes back with no declaration is "not found" (the medic looks) rather than
        # "approval expired on …"; a change the server makes to it comes down again
        approvals = HospitalApproval.__table__
        result = conn.execute(delete(approvals).where(approvals.c.entry_to < last_kept_day))
        gone[approvals.name] = result.rowcount
    return gone
