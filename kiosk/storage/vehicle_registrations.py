"""Vehicle registrations in the local cache."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from kiosk.storage.database import translate_errors
from kiosk.storage.models import VehicleRegistration
from kiosk.storage.timeutil import from_db, to_db

_VEH = VehicleRegistration.__table__


@dataclass(frozen=True)
class VehicleRow:
    id: int
    plate_key: str
    plate_display: str
    kind: str  # one of kiosk.vehicles.REGISTERED_KINDS
    status: str  # approved, pending, rejected
    business: str
    driver_name: str
    driver_phone: str
    valid_from: datetime
    valid_to: datetime
    updated_at: datetime


def _row(r: object) -> VehicleRow:
    m = dict(r._mapping)  # type: ignore[attr-defined]
    for k in ("valid_from", "valid_to", "updated_at"):
        m[k] = from_db(m[k])
    return VehicleRow(**m)


class VehicleRegistrations:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, rows: Iterable[dict[str, object]]) -> None:
        prepared = [
            {**r, **{k: to_db(r[k]) for k in ("valid_from", "valid_to", "updated_at")}}
            for r in rows
        ]  # type: ignore[arg-type]
        if prepared:
            with translate_errors(), self.engine.begin() as conn:
                conn.execute(insert(_VEH).prefix_with("OR REPLACE"), prepared)

    def by_keys(self, keys: Iterable[str]) -> list[VehicleRow]:
        keys = list(keys)
        if not keys:
            return []
        query = select(_VEH).where(_VEH.c.plate_key.in_(keys)).order_by(_VEH.c.updated_at.desc())
        with translate_errors(), self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query)]
