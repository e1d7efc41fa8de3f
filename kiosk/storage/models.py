"""The tables of the kiosk's SQLite file. Schema changes go through an Alembic revision."""

from __future__ import annotations

import uuid
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
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# the rows sync has not sent yet: each pushed table indexes them apart (migration 0008_unsent),
# so counting what waits to be sent reads those few rows, not the table
UNSENT = text("synced_at IS NULL")


def unsent_index(table: str, column: str) -> Index:
    return Index(f"ix_{table}_unsent", column, sqlite_where=UNSENT)


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
    # what the person declared of exposure: "epidemic_zone", "contact" (comma-separated)
    exposure: Mapped[str] = mapped_column(String(40), default="", server_default="")
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
    __table_args__ = (unsent_index("scan_events", "scanned_at"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)  # client-made UUID, for sync
    scanned_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    checkpoint_id: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10))  # camera, wedge, serial, typed, cli
    payload_kind: Mapped[str] = mapped_column(String(20))
    subject_ref: Mapped[str] = mapped_column(String(20), default="")  # masked ID
    declaration_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verdict: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(30))
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    screen: Mapped[str] = mapped_column(String(12), default="medic")
    # the coach or car this person came in (a VehicleEntry's event_id), when checked as one
    vehicle_entry_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    direction: Mapped[str] = mapped_column(String(3), default="in")  # 'in' or 'out'
    # what was done with the person after the check (kiosk/storage/history.py DISPOSITIONS)
    disposition: Mapped[str | None] = mapped_column(String(24), nullable=True)


class OutgoingIdentity(Base):
    """The identity as read at a scan, for the health authority's tracing (issue 10): it waits
    here, beside its masked scan row, only until the server acknowledged the scan, then goes."""

    __tablename__ = "outgoing_identities"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the scan's event id
    id_number: Mapped[str | None] = mapped_column(String(12), nullable=True)  # CMND/CCCD
    qr_id: Mapped[str | None] = mapped_column(String(18), nullable=True)  # national QR's id
    full_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class Operator(Base):
    __tablename__ = "operators"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # medic, police, market, assistant, supervisor
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # where the back office assigned them; None for operators made on the kiosk (the demo)
    checkpoint_id: Mapped[str | None] = mapped_column(String(40), nullable=True)


class TrustedKey(Base):
    """Public keys that sign CK1 tokens; a key id lets the server rotate keys."""

    __tablename__ = "trusted_keys"
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(20))  # 'Ed25519'
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    valid_from: Mapped[datetime] = mapped_column(DateTime)
    valid_to: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEntry(Base):
    """Who looked up whom or what, when, from which screen (masked references only)."""

    __tablename__ = "audit_log"
    __table_args__ = (unsent_index("audit_log", "at"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    operator_id: Mapped[str] = mapped_column(String(40))
    screen: Mapped[str] = mapped_column(String(12))  # medic, police, market, assistant, sign_in
    action: Mapped[str] = mapped_column(String(30))
    subject_ref: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(String(30), default="")
    event_id: Mapped[str | None] = mapped_column(
        String(36), unique=True, nullable=True, default=lambda: str(uuid.uuid4())
    )
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operator_id: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    ok: Mapped[bool] = mapped_column(Boolean)


class VehicleRegistration(Base):
    """'Đăng ký xe giao, nhận hàng' (freight), 'Đăng ký đoàn vào làm việc' (delegation), transit."""

    __tablename__ = "vehicle_registrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plate_key: Mapped[str] = mapped_column(String(16), index=True)  # compact form, kiosk.plates
    plate_display: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))  # freight, delegation, transit
    status: Mapped[str] = mapped_column(String(10))  # approved, pending, rejected
    business: Mapped[str] = mapped_column(String(160), default="")  # receiving business or host
    driver_name: Mapped[str] = mapped_column(String(120), default="")
    driver_phone: Mapped[str] = mapped_column(String(20), default="")
    valid_from: Mapped[datetime] = mapped_column(DateTime)  # UTC
    valid_to: Mapped[datetime] = mapped_column(DateTime)  # UTC
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Market(Base):
    __tablename__ = "markets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class MarketCard(Base):
    """A household's card as the server knows it: who holds it and whether it was revoked.
    The rules (days, slot, quota) travel signed inside the card's QR."""

    __tablename__ = "market_cards"
    card_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_head: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), default="")
    market_id: Mapped[int] = mapped_column(Integer)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class MarketEntry(Base):
    __tablename__ = "market_entries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    card_id: Mapped[int] = mapped_column(Integer)
    market_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)  # local date of the market
    entered_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    exited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    operator_id: Mapped[str] = mapped_column(String(40))
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        Index(None, "card_id", "day"),
        Index(None, "market_id", "day"),
        unsent_index("market_entries", "entered_at"),
    )


class AssistedDeclaration(Base):
    """A declaration typed by staff for a person without a smartphone ('khai hộ'), queued for
    the central server. It holds personal data: it leaves only through sync."""

    __tablename__ = "assisted_declarations"
    __table_args__ = (unsent_index("assisted_declarations", "created_at"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(18), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    operator_id: Mapped[str] = mapped_column(String(40))
    checkpoint_id: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(12), index=True)
    form_json: Mapped[str] = mapped_column(String)  # the validated form, format in docs/formats.md
    # The kiosk only writes "queued": synced_at says it went up; approving it is the server's.
    status: Mapped[str] = mapped_column(String(10), default="queued")
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Draft(Base):
    """What an operator has typed but not saved, so nothing is lost to a crash or a close."""

    __tablename__ = "drafts"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    data_json: Mapped[str] = mapped_column(String)


class SyncState(Base):
    """Where sync stands: the server, this kiosk's credential, the pull cursor, the last good
    cycle. Values are text; the credential is a secret and is never logged."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String)


class RuleSetting(Base):
    """A rule's number or choice set by the health authority, pulled from the server; each says
    where it comes from (a directive's part, or the project's own choice)."""

    __tablename__ = "rule_settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(200), default="")


class VehicleEntry(Base):
    """A vehicle let in at this checkpoint (freight, coach, car, delegation) and, for freight,
    when it left; pushed to the server, and again once it has left."""

    __tablename__ = "vehicle_entries"
    __table_args__ = (unsent_index("vehicle_entries", "entered_at"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    plate_key: Mapped[str] = mapped_column(String(16), index=True)
    plate_display: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))  # freight, coach, car, delegation
    registration_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checkpoint_id: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[str] = mapped_column(String(40))
    entered_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    exited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class QuarantineHandover(Base):
    """A person referred to concentrated quarantine at this checkpoint, for the quarantine
    team's handover list. Holds personal data (the team needs it): it leaves only through sync."""

    __tablename__ = "quarantine_handovers"
    __table_args__ = (unsent_index("quarantine_handovers", "referred_at"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    referred_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    checkpoint_id: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[str] = mapped_column(String(40))
    full_name: Mapped[str] = mapped_column(String(120))
    id_number: Mapped[str] = mapped_column(String(12))
    phone: Mapped[str] = mapped_column(String(20), default="")
    origin: Mapped[str] = mapped_column(String(160), default="")
    reason: Mapped[str] = mapped_column(String(30))  # the verdict's reason code
    status: Mapped[str] = mapped_column(String(12), default="waiting")  # handed_over, absent
    status_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, the last change of status
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class HcertSigner(Base):
    """A signer certificate (DSC) of EU DCC (HC1) codes. Several may share one key id."""

    __tablename__ = "hcert_signers"
    fingerprint: Mapped[str] = mapped_column(String(40), primary_key=True)  # sha256(DER), hex
    kid: Mapped[str] = mapped_column(String(64), index=True)  # base64 of the COSE key id
    country: Mapped[str] = mapped_column(String(2))
    not_before: Mapped[datetime] = mapped_column(DateTime)  # UTC
    not_after: Mapped[datetime] = mapped_column(DateTime)  # UTC
    cert_der: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(10), default="sync")  # sync or manual


class HcertRules(Base):
    """Which HC1 certificates pass, as the central server sets it: one row per checkpoint id,
    or 'default'. The rule set's format is in docs/formats.md."""

    __tablename__ = "hcert_rules"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    rules_json: Mapped[str] = mapped_column(String)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class HospitalApproval(Base):
    """A hospital's approval for a patient from another province to enter for an examination
    (directive 82/CV-BCĐ I.6), as the server sends it: only what the check needs, the name
    masked by the server (the full identity stays on the server)."""

    __tablename__ = "hospital_approvals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the server's approval id
    subject_id: Mapped[str] = mapped_column(String(12), index=True)  # CMND (9) or CCCD (12)
    masked_name: Mapped[str] = mapped_column(String(120), default="")
    hospital: Mapped[str] = mapped_column(String(160))
    appointment_date: Mapped[date] = mapped_column(Date)  # local date
    entry_from: Mapped[date] = mapped_column(Date)  # first local day it lets the person in
    entry_to: Mapped[date] = mapped_column(Date)  # last local day, inclusive
    status: Mapped[str] = mapped_column(String(10))  # approved or revoked
