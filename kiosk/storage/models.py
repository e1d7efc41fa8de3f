"""The tables of the kiosk's SQLite file. Schema changes go through an Alembic revision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Declaration(Base):
    """A health declaration as approved (or not) by the central server."""

    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the server's declaration id
    subject_id: Mapped[str] = mapped_column(String(12))  # CMND (9) or CCCD (12) digits
    full_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))  # 'M' or 'F'
    phone: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(10))  # approved, pending, rejected
    valid_until: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive in SQLite
    origin_area: Mapped[str] = mapped_column(String(20), default="")  # "46.474.19774"
    travel_areas: Mapped[str] = mapped_column(String(400), default="")  # space-separated
    symptoms: Mapped[str] = mapped_column(String(60), default="")  # comma-separated codes
    declared_by_proxy: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index(None, "subject_id", "updated_at"),
        Index(None, "birth_date"),
    )


class EpidemicZone(Base):
    __tablename__ = "epidemic_zones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20), index=True)  # province, district or commune
    name: Mapped[str] = mapped_column(String(120))
    active_from: Mapped[date] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: still active


class ScanEvent(Base):
    """One scan or look-up, committed before its verdict is shown. Never holds a full ID number."""

    __tablename__ = "scan_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)  # client-made UUID, for sync
    scanned_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    checkpoint_id: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10))  # camera, wedge, serial, typed, cli, file
    payload_kind: Mapped[str] = mapped_column(String(20))
    subject_ref: Mapped[str] = mapped_column(String(20), default="")  # masked ID
    declaration_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verdict: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(30))
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Operator(Base):
    __tablename__ = "operators"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # medic, police, market, assistant, supervisor
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TrustedKey(Base):
    """Public keys that sign CK1 tokens; a key id lets the server rotate keys."""

    __tablename__ = "trusted_keys"
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(20))  # 'Ed25519'
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    valid_from: Mapped[datetime] = mapped_column(DateTime)
    valid_to: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
