"""Markets, household cards and the entries recorded at a market gate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, func, insert, select, update

from kiosk.storage.audit import ExtraRows
from kiosk.storage.database import replace_row, translate_errors
from kiosk.storage.models import Market, MarketCard, MarketEntry
from kiosk.storage.timeutil import from_db, to_db

_MARKET = Market.__table__
_CARD = MarketCard.__table__
_ENTRY = MarketEntry.__table__


@dataclass(frozen=True)
class CardRow:
    card_id: int
    household_head: str
    phone: str
    market_id: int
    revoked: bool


@dataclass(frozen=True)
class GateCount:
    entered: int  # entries today
    inside: int  # entered and not yet recorded as gone out


class Markets:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put_market(self, market_id: int, name: str) -> None:
        replace_row(self.engine, _MARKET, id=market_id, name=name)

    def market_name(self, market_id: int) -> str | None:
        with translate_errors(), self.engine.connect() as conn:
            return conn.execute(select(_MARKET.c.name).where(_MARKET.c.id == market_id)).scalar()

    def put_card(
        self,
        card_id: int,
        household_head: str,
        phone: str,
        market_id: int,
        revoked: bool,
        updated_at: datetime,
    ) -> None:
        replace_row(
            self.engine,
            _CARD,
            card_id=card_id,
            household_head=household_head,
            phone=phone,
            market_id=market_id,
            revoked=revoked,
            updated_at=to_db(updated_at),
        )

    def card(self, card_id: int) -> CardRow | None:
        query = select(
            _CARD.c.card_id,
            _CARD.c.household_head,
            _CARD.c.phone,
            _CARD.c.market_id,
            _CARD.c.revoked,
        ).where(_CARD.c.card_id == card_id)
        with translate_errors(), self.engine.connect() as conn:
            r = conn.execute(query).first()
        return CardRow(**r._mapping) if r else None

    def entry_time(self, card_id: int, day: date) -> datetime | None:
        query = select(func.min(_ENTRY.c.entered_at)).where(
            _ENTRY.c.card_id == card_id, _ENTRY.c.day == day
        )
        with translate_errors(), self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return from_db(value) if value else None

    def entries_between(self, card_id: int, first: date, last: date) -> int:
        query = select(func.count(func.distinct(_ENTRY.c.day))).where(
            _ENTRY.c.card_id == card_id, _ENTRY.c.day >= first, _ENTRY.c.day <= last
        )
        with translate_errors(), self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    @staticmethod
    def admit(
        card_id: int, market_id: int, day: date, at: datetime, operator_id: str
    ) -> ExtraRows:
        """The entry of an admitted card, written in its scan's transaction (Store.record_scan)."""

        def write(conn: Connection) -> None:
            conn.execute(
                insert(_ENTRY).values(
                    event_id=str(uuid.uuid4()),
                    card_id=card_id,
                    market_id=market_id,
                    day=day,
                    entered_at=to_db(at),
                    operator_id=operator_id,
                )
            )

        return write

    def put_entry(
        self,
        event_id: str,
        card_id: int,
        market_id: int,
        day: date,
        entered_at: datetime,
        operator_id: str,
    ) -> None:
        """An entry recorded elsewhere (sync, demo); the same event id twice is one entry."""
        replace_row(
            self.engine,
            _ENTRY,
            event_id=event_id,
            card_id=card_id,
            market_id=market_id,
            day=day,
            entered_at=to_db(entered_at),
            operator_id=operator_id,
        )

    def record_exit(self, card_id: int, day: date, at: datetime) -> bool:
        """Marks the card's open entry of `day` as gone out; False if there is none."""
        query = (
            update(_ENTRY)
            .where(_ENTRY.c.card_id == card_id, _ENTRY.c.day == day, _ENTRY.c.exited_at.is_(None))
            .values(exited_at=to_db(at), synced_at=None)  # the server must hear of the exit
        )
        with translate_errors(), self.engine.begin() as conn:
            return conn.execute(query).rowcount > 0

    def count(self, market_id: int, day: date) -> GateCount:
        base = (
            select(func.count())
            .select_from(_ENTRY)
            .where(_ENTRY.c.market_id == market_id, _ENTRY.c.day == day)
        )
        with translate_errors(), self.engine.connect() as conn:
            entered = int(conn.execute(base).scalar_one())
            inside = int(conn.execute(base.where(_ENTRY.c.exited_at.is_(None))).scalar_one())
        return GateCount(entered, inside)
