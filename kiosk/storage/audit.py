"""The audit trail of look-ups (directive 004): the one writer of its rows, and the one
transaction in which a role records what it did.

The trail is a privacy guarantee, so its columns, its masking and its clock live here and
nowhere else: every row, whichever role or screen it comes from, goes through `write_audit`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert

from kiosk.privacy import mask_id
from kiosk.storage.database import translate_errors
from kiosk.storage.models import AuditEntry, ScanEvent
from kiosk.storage.timeutil import to_db

_AUDIT = AuditEntry.__table__
_SCAN = ScanEvent.__table__
_FULL_ID = re.compile(r"\d{9}|\d{12}")  # a CMND or CCCD number, unmasked

# More rows written in the recording's transaction (a market entry, a queued declaration).
ExtraRows = Callable[[Connection], None]


@dataclass(frozen=True)
class AuditRecord:
    operator_id: str
    screen: str  # medic, police, market, assistant, sign_in
    action: str  # lookup_person, lookup_vehicle, market_card, market_exit, sign_in, ...
    subject_ref: str = ""  # masked, a plate, card:N or a receipt number
    outcome: str = ""  # verdict:reason, ok, wrong_pin, queued, ...
    at: datetime | None = None  # when it happened; None: now


def safe_ref(ref: str) -> str:
    """A full CMND/CCCD number never reaches the scan log or the trail, even from a caller
    that forgot to mask it; masked numbers, plates, card and receipt numbers pass as they are."""
    return mask_id(ref) if _FULL_ID.fullmatch(ref) else ref


def write_audit(conn: Connection, entry: AuditRecord) -> None:
    """The only insert into `audit_log`: inside the caller's transaction."""
    conn.execute(
        insert(_AUDIT).values(
            at=to_db(entry.at or datetime.now(UTC)),
            operator_id=entry.operator_id,
            screen=entry.screen,
            action=entry.action,
            subject_ref=safe_ref(entry.subject_ref),
            outcome=entry.outcome,
        )
    )


def commit_with_audit(
    engine: Engine,
    entry: AuditRecord,
    *,
    scan: dict[str, object] | None = None,
    extra: ExtraRows | None = None,
) -> None:
    """One transaction: the scan row (if any), its audit row and the extra rows; committed, and
    with `synchronous=FULL` on disk, before it returns, so a verdict is never shown for a
    scan that is not recorded. Raises EnvironmentProblem when the disk or file fails."""
    with translate_errors(), engine.begin() as conn:
        if scan is not None:
            ref = safe_ref(str(scan.get("subject_ref", "")))
            conn.execute(insert(_SCAN).values(**{**scan, "subject_ref": ref}))
        if extra is not None:
            extra(conn)
        write_audit(conn, entry)
