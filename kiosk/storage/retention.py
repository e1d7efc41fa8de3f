"""Retention: what the server has acknowledged is not kept on the kiosk for ever
(docs/storage.md). Scans, market entries, audit rows and assisted declarations older than the
`retention_days` setting (28 by default) are deleted once synced; nothing unsent is ever
deleted, however old."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from kiosk.storage.database import translate_errors
from kiosk.storage.models import AssistedDeclaration, AuditEntry, MarketEntry, ScanEvent
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
    """Deletes synced rows dated before now - days, in one transaction; {table: rows}."""
    cutoff = to_db(now - timedelta(days=days))
    gone: dict[str, int] = {}
    with translate_errors(), engine.begin() as conn:
        for table, column in _AGED:
            result = conn.execute(
                delete(table).where(table.c.synced_at.is_not(None), table.c[column] < cutoff)
            )
            gone[table.name] = result.rowcount
    return gone
