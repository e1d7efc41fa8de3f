"""The back office's own tables, beside the sync tables of `kiosk_server.db` (same metadata,
created on first start; new tables only, so schema version 1 databases gain them as they are).

Nothing here travels to kiosks: what kiosks cache stays in `entities`/`changes`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from kiosk_server.db import metadata

ROLES = ("admin", "health", "police", "market")

staff_users = Table(
    "staff_users",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("role", String(12), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(60), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
# where each account signed in with its password lately (kiosk_server.staff.KNOWN_ADDRESSES a
# name): a lock-out that strangers' wrong passwords made does not hold there
staff_known_addresses = Table(
    "staff_known_addresses",
    metadata,
    Column("user_name", String(60), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("last_ok", DateTime(timezone=True), nullable=False),
)
office_audit = Table(
    "office_audit",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(60), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(80), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_office_audit_actor_at", "actor", "at"),
)
# what the server saw of each kiosk at its syncs (the protocol itself is unchanged)
kiosk_status = Table(
    "kiosk_status",
    metadata,
    Column("kiosk_id", String(36), primary_key=True),
    Column("agent", String(80), nullable=False, default=""),
    Column("last_push", DateTime(timezone=True)),
    Column("clock_skew_seconds", Float),
    Column("events_received", BigInteger, nullable=False, default=0),
)
# a kiosk's assisted declaration becomes a server declaration once: its id is made here
assisted_intake = Table(
    "assisted_intake",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("kiosk_id", String(36), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
# market cards as issued: the signed QR text and the rules it carries (kiosks get the card's
# holder and revocation through `entities`; the QR is printed, never pulled)
issued_cards = Table(
    "issued_cards",
    metadata,
    Column("card_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("household_key", String(80), nullable=False, index=True),
    Column("qr_text", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issued_by", String(60), nullable=False),
)
# hospitals' approvals of patients from other provinces (directive 82/CV-BCĐ I.6), with the
# full identity; kiosks get only what the check needs (kiosk_server.hospital.kiosk_doc)
hospital_approvals = Table(
    "hospital_approvals",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("subject_id", String(12), nullable=False, index=True),
    Column("full_name", String(120), nullable=False),
    Column("home_province", String(60), nullable=False),
    Column("hospital", String(160), nullable=False),
    Column("purpose", String(12), nullable=False),  # kham (examination) or tai_kham (follow-up)
    Column("appointment_date", Date, nullable=False),
    Column("entry_from", Date, nullable=False),
    Column("entry_to", Date, nullable=False),
    Column("approved_by", String(120), nullable=False),
    Column("status", String(10), nullable=False),  # approved or revoked
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(60), nullable=False),
)
