"""Vehicles let in at this checkpoint: freight entries and exits (directive 82/CV-BCĐ III.2.a:
the crew leaves right after delivering), and the coach or car whose occupants the medic checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update

from kiosk.storage.audit import ExtraRows
from kiosk.storage.database import translate_errors
from kiosk.storage.models import ScanEvent, VehicleEntry
from kiosk.storage.timeutil import from_db, to_db

_ENTRY = VehicleEntry.__table__
_SCAN = ScanEvent.__table__
WITH_OCCUPANTS = ("coach", "car")  # every occupant declares at the checkpoint


@dataclass(frozen=True)
class VehicleEntryRow:
    event_id: str
    plate_key: str
    plate_display: str
    kind: str
    registration_id: int | None
    checkpoint_id: str
    entered_at: datetime
    exited_at: datetime | None


def _row(r: object) -> VehicleEntryRow:
    m = r._mapping  # type: ignore[attr-defined]
    return VehicleEntryRow(
        m["event_id"],
        m["plate_key"],
        m["plate_display"],
        m["kind"],
        m["registration_id"],
        m["checkpoint_id"],
        from_db(m["entered_at"]),
        from_db(m["exited_at"]) if m["exited_at"] else None,
    )


class VehicleEntries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def entry_rows(
        self,
        *,
        plate_key: str,
        plate_display: str,
        kind: str,
        registration_id: int | None,
        checkpoint_id: str,
        operator_id: str,
        at: datetime,
    ) -> tuple[str, ExtraRows]:
        """The new entry's id, and the rows to write in the scan's own transaction."""
        event_id = str(uuid.uuid4())

        def write(conn: Connection) -> None:
            conn.execute(
                insert(_ENTRY).values(
                    event_id=event_id,
                    plate_key=plate_key,
                    plate_display=plate_display,
                    kind=kind,
                    registration_id=registration_id,
                    checkpoint_id=checkpoint_id,
                    operator_id=operator_id,
                    entered_at=to_db(at),
                )
            )

        return event_id, write

    def record_exit(self, plate_key: str, at: datetime) -> VehicleEntryRow | None:
        """Closes the plate's latest open entry; None when it has none."""
        with translate_errors(), self.engine.begin() as conn:
            r = conn.execute(
                select(_ENTRY)
                .where(_ENTRY.c.plate_key == plate_key, _ENTRY.c.exited_at.is_(None))
                .order_by(_ENTRY.c.entered_at.desc())
                .limit(1)
            ).first()
            if r is None:
                return None
            conn.execute(
                update(_ENTRY)
                .where(_ENTRY.c.event_id == r.event_id)
                .values(exited_at=to_db(at), synced_at=None)  # the exit goes up again
            )
        return replace(_row(r), exited_at=at)

    def overdue_freight(self, now: datetime, max_stay: timedelta) -> list[VehicleEntryRow]:
        """Freight still inside (no exit recorded) longer than it may stay, oldest first."""
        query = (
            select(_ENTRY)
            .where(
                _ENTRY.c.kind == "freight",
                _ENTRY.c.exited_at.is_(None),
                _ENTRY.c.entered_at < to_db(now - max_stay),
            )
            .order_by(_ENTRY.c.entered_at)
        )
        with translate_errors(), self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query)]

    def with_occupants(self, since: datetime) -> list[VehicleEntryRow]:
        """Coaches and cars let in since `since`, newest first: the medic groups their
        occupants' scans under them."""
        query = (
            select(_ENTRY)
            .where(_ENTRY.c.kind.in_(WITH_OCCUPANTS), _ENTRY.c.entered_at >= to_db(since))
            .order_by(_ENTRY.c.entered_at.desc())
        )
        with translate_errors(), self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query)]

    def get(self, event_id: str) -> VehicleEntryRow | None:
        with translate_errors(), self.engine.connect() as conn:
            r = conn.execute(select(_ENTRY).where(_ENTRY.c.event_id == event_id)).first()
        return _row(r) if r else None

    def occupant_scans(self, event_id: str) -> list[dict[str, object]]:
        """The scans recorded under a vehicle entry: masked reference, verdict, reason, time."""
        query = (
            select(_SCAN.c.subject_ref, _SCAN.c.verdict, _SCAN.c.reason, _SCAN.c.scanned_at)
            .where(_SCAN.c.vehicle_entry_id == event_id)
            .order_by(_SCAN.c.scanned_at)
        )
        with translate_errors(), self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
