"""The quarantine handover list: people this checkpoint referred to concentrated quarantine
(directive 82/CV-BCĐ III.4.b, III.5.b), with what the quarantine team needs to take them over
and whether they were handed over or were absent when the team came."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update

from kiosk.storage.audit import AuditRecord, ExtraRows, commit_with_audit
from kiosk.storage.database import translate_errors
from kiosk.storage.models import QuarantineHandover
from kiosk.storage.timeutil import from_db, to_db

_HAND = QuarantineHandover.__table__
STATUSES = ("waiting", "handed_over", "absent")
SAME_REFERRAL = timedelta(hours=24)


@dataclass(frozen=True)
class Referral:
    full_name: str
    id_number: str
    phone: str
    origin: str
    reason: str  # the verdict's reason code: exposure_quarantine, epidemic_zone


@dataclass(frozen=True)
class HandoverRow:
    event_id: str
    referred_at: datetime
    checkpoint_id: str
    full_name: str
    id_number: str
    phone: str
    origin: str
    reason: str
    status: str
    status_at: datetime


class Handovers:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def referral_rows(
        self, referral: Referral, *, checkpoint_id: str, operator_id: str, at: datetime
    ) -> ExtraRows:
        """Rows to write in the verdict's own transaction: a referral is never shown without
        its place on the list."""

        def write(conn: Connection) -> None:
            already = conn.execute(
                select(_HAND.c.seq).where(
                    _HAND.c.id_number == referral.id_number,
                    _HAND.c.status == "waiting",
                    _HAND.c.referred_at >= to_db(at - SAME_REFERRAL),
                )
            ).first()
            if already is not None:  # scanned again while waiting: one line on the list
                return
            conn.execute(
                insert(_HAND).values(
                    event_id=str(uuid.uuid4()),
                    referred_at=to_db(at),
                    checkpoint_id=checkpoint_id,
                    operator_id=operator_id,
                    full_name=referral.full_name,
                    id_number=referral.id_number,
                    phone=referral.phone,
                    origin=referral.origin,
                    reason=referral.reason,
                    status="waiting",
                    status_at=to_db(at),
                )
            )

        return write

    def listing(self, since: datetime | None = None) -> list[HandoverRow]:
        query = select(_HAND).order_by(_HAND.c.referred_at)
        if since is not None:
            query = query.where(_HAND.c.referred_at >= to_db(since))
        with translate_errors(), self.engine.connect() as conn:
            return [
                HandoverRow(
                    r.event_id,
                    from_db(r.referred_at),
                    r.checkpoint_id,
                    r.full_name,
                    r.id_number,
                    r.phone,
                    r.origin,
                    r.reason,
                    r.status,
                    from_db(r.status_at),
                )
                for r in conn.execute(query)
            ]

    def set_status(self, event_id: str, status: str, operator_id: str, at: datetime) -> bool:
        """Marks one person handed over or absent; False when no such referral. Audited, and
        sent to the server again with its new status."""
        if status not in STATUSES:
            raise ValueError(f"unknown handover status {status!r}")
        done: list[int] = []

        def write(conn: Connection) -> None:
            done.append(
                conn.execute(
                    update(_HAND)
                    .where(_HAND.c.event_id == event_id)
                    .values(status=status, status_at=to_db(at), synced_at=None)
                ).rowcount
            )

        entry = AuditRecord(operator_id, "medic", "handover_status", event_id[:8], status, at=at)
        commit_with_audit(self.engine, entry, extra=write)
        return bool(done and done[0])
