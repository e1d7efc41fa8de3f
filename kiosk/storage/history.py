"""What the supervisor reads back: the last scans (with a search) and today's numbers by verdict
and by hour. Read-only; the scan log never holds a full ID number (subject_ref is masked)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_, select, update

from kiosk.clock import local
from kiosk.errors import InputError
from kiosk.storage.audit import AuditRecord, write_audit
from kiosk.storage.database import translate_errors
from kiosk.storage.models import ScanEvent
from kiosk.storage.timeutil import from_db, to_db

_SCAN = ScanEvent.__table__
# what was done with the person after a check: recorded on the scan and, for the server, as an
# audit row (action `disposition`, subject the scan's event id, outcome the disposition), which
# the existing audit push carries: pushed scans are immutable on the server
DISPOSITIONS = ("allowed", "sent_for_testing", "referred_to_quarantine", "turned_back")


def record_disposition(
    engine: Engine, event_id: str, disposition: str, operator_id: str, screen: str, at: datetime
) -> None:
    """Raises InputError for an unknown disposition or scan; both rows in one transaction."""
    if disposition not in DISPOSITIONS:
        raise InputError("bad_disposition")
    with translate_errors(), engine.begin() as conn:
        done = conn.execute(
            update(_SCAN).where(_SCAN.c.event_id == event_id).values(disposition=disposition)
        )
        if done.rowcount != 1:
            raise InputError("bad_disposition")
        entry = AuditRecord(operator_id, screen, "disposition", event_id, disposition, at)
        write_audit(conn, entry)


@dataclass(frozen=True)
class ScanLine:
    scanned_at: datetime
    screen: str
    operator_id: str
    source: str
    subject_ref: str
    verdict: str
    reason: str
    disposition: str | None = None


def last_scans(engine: Engine, limit: int = 200, search: str = "") -> list[ScanLine]:
    """Newest first; `search` matches the masked subject, the reason, the verdict, the screen or
    the operator (case-insensitive substring)."""
    query = select(
        _SCAN.c.scanned_at,
        _SCAN.c.screen,
        _SCAN.c.operator_id,
        _SCAN.c.source,
        _SCAN.c.subject_ref,
        _SCAN.c.verdict,
        _SCAN.c.reason,
        _SCAN.c.disposition,
    ).order_by(_SCAN.c.seq.desc())
    words = search.strip()
    if words:
        like = f"%{words}%"
        query = query.where(
            or_(
                *(
                    col.ilike(like)
                    for col in (
                        _SCAN.c.subject_ref,
                        _SCAN.c.reason,
                        _SCAN.c.verdict,
                        _SCAN.c.screen,
                        _SCAN.c.operator_id,
                        _SCAN.c.disposition,
                    )
                )
            )
        )
    with engine.connect() as conn:
        rows = conn.execute(query.limit(limit)).all()
    return [ScanLine(from_db(r.scanned_at), *r[1:]) for r in rows]


def counts_since(engine: Engine, since: datetime) -> tuple[Counter[str], Counter[tuple[int, str]]]:
    """(scans by verdict, scans by (local hour, verdict)) from `since` on."""
    query = select(_SCAN.c.scanned_at, _SCAN.c.verdict).where(_SCAN.c.scanned_at >= to_db(since))
    by_verdict: Counter[str] = Counter()
    by_hour: Counter[tuple[int, str]] = Counter()
    with engine.connect() as conn:
        for at, verdict in conn.execute(query):
            by_verdict[verdict] += 1
            by_hour[(local(from_db(at)).hour, verdict)] += 1
    return by_verdict, by_hour
