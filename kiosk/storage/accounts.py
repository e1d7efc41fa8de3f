"""Operators and sign-in attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select

from kiosk.storage.database import replace_row, translate_errors
from kiosk.storage.models import Operator, SignInAttempt
from kiosk.storage.timeutil import to_db

_OP = Operator.__table__
_TRY = SignInAttempt.__table__


@dataclass(frozen=True)
class OperatorRow:
    id: str
    display_name: str
    role: str
    pin_hash: str | None
    active: bool
    checkpoint_id: str | None = None


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(
        self, operator_id: str, display_name: str, role: str, pin_hash: str | None = None
    ) -> None:
        replace_row(
            self.engine,
            _OP,
            id=operator_id,
            display_name=display_name,
            role=role,
            pin_hash=pin_hash,
            active=True,
        )

    def get(self, operator_id: str) -> OperatorRow | None:
        with translate_errors(), self.engine.connect() as conn:
            r = conn.execute(select(_OP).where(_OP.c.id == operator_id)).first()
        return OperatorRow(**r._mapping) if r else None

    def everyone(self) -> list[OperatorRow]:
        with translate_errors(), self.engine.connect() as conn:
            return [OperatorRow(**r._mapping) for r in conn.execute(select(_OP).order_by(_OP.c.id))]

    def all_active(self) -> list[OperatorRow]:
        query = select(_OP).where(_OP.c.active.is_(True)).order_by(_OP.c.display_name)
        with translate_errors(), self.engine.connect() as conn:
            return [OperatorRow(**r._mapping) for r in conn.execute(query)]

    def record_attempt(self, operator_id: str, ok: bool, at: datetime) -> None:
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(insert(_TRY).values(operator_id=operator_id, ok=ok, at=to_db(at)))

    def failures_since_success(self, operator_id: str, since: datetime) -> list[datetime]:
        """Times of failed attempts after `since` and after the last successful one."""
        with translate_errors(), self.engine.connect() as conn:
            last_ok = conn.execute(
                select(func.max(_TRY.c.at)).where(
                    _TRY.c.operator_id == operator_id, _TRY.c.ok.is_(True)
                )
            ).scalar()
            floor = max(to_db(since), last_ok) if last_ok else to_db(since)
            rows = conn.execute(
                select(_TRY.c.at)
                .where(_TRY.c.operator_id == operator_id, _TRY.c.ok.is_(False), _TRY.c.at > floor)
                .order_by(_TRY.c.at)
            )
            return [r.at for r in rows]
