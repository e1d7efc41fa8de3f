"""Queries over the local cache and the scan log, on SQLAlchemy Core for speed at 2 M rows."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, or_, select

from kiosk.storage.accounts import Accounts
from kiosk.storage.audit import AuditRecord, ExtraRows, commit_with_audit
from kiosk.storage.database import migrate, replace_row, translate_errors
from kiosk.storage.handovers import Handovers
from kiosk.storage.hcert import HcertTrust
from kiosk.storage.hospital_approvals import HospitalApprovals
from kiosk.storage.keys import note
from kiosk.storage.markets import Markets
from kiosk.storage.models import (
    AuditEntry,
    Declaration,
    EpidemicZone,
    OutgoingIdentity,
    ScanEvent,
    TrustedKey,
)
from kiosk.storage.outbox import Outbox
from kiosk.storage.replica import Replica
from kiosk.storage.rule_settings import DEFAULTS, ZONE_LOOKBACK_DAYS, RuleSettings
from kiosk.storage.safekeeping import Backup, make_backup, open_checked
from kiosk.storage.timeutil import from_db, to_db
from kiosk.storage.vehicle_entries import VehicleEntries
from kiosk.storage.vehicle_registrations import VehicleRegistrations

# A zone lifted this recently still counts: the default of the server's `zone_lookback_days`
# setting (kiosk/storage/rule_settings.py says where it comes from; docs/sources.md).
ZONE_LOOKBACK = timedelta(days=int(DEFAULTS[ZONE_LOOKBACK_DAYS].value))


def fold_name(name: str) -> str:
    """'Đặng Hữu Đức' -> 'DANG HUU DUC', the way the national personal QR prints names."""
    name = name.replace("Đ", "D").replace("đ", "d")
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)
    )
    return " ".join(stripped.upper().split())


@dataclass(frozen=True)
class DeclarationRow:
    id: int
    subject_id: str
    full_name: str
    birth_date: date
    sex: str
    phone: str
    status: str
    valid_until: datetime
    origin_area: str
    travel_areas: tuple[str, ...]
    symptoms: tuple[str, ...]
    exposure: tuple[str, ...] = ()  # declared: epidemic_zone, contact


@dataclass(frozen=True)
class TracedIdentity:
    """The person as read at a scan, in full: for the server's tracing only. It is kept in the
    outgoing queue until the server has it, never in the scan log, the audit trail or a log."""

    id_number: str | None = None  # CMND/CCCD, when the code or the typist gave it in full
    qr_id: str | None = None  # the national personal QR's 18-digit identifier
    full_name: str | None = None
    birth_date: date | None = None

    def __bool__(self) -> bool:
        return any((self.id_number, self.qr_id, self.full_name, self.birth_date))


@dataclass(frozen=True)
class ScanRecord:
    checkpoint_id: str
    operator_id: str
    source: str
    payload_kind: str
    subject_ref: str
    declaration_id: int | None
    verdict: str
    reason: str
    scanned_at: datetime
    screen: str = "medic"  # also the audit trail's screen
    action: str = "lookup_person"  # what the audit trail says was looked up
    vehicle_entry_id: str | None = None  # the coach or car the person came in
    direction: str = "in"  # into or out of the checkpoint's area
    identity: TracedIdentity | None = None  # queued for the server, never logged


_DECL = Declaration.__table__
_ZONE = EpidemicZone.__table__
_SCAN = ScanEvent.__table__
_KEY = TrustedKey.__table__
_AUDIT = AuditEntry.__table__
_IDENTITY = OutgoingIdentity.__table__


def _row(r: object) -> DeclarationRow:
    m = r._mapping  # type: ignore[attr-defined]
    return DeclarationRow(
        id=m["id"],
        subject_id=m["subject_id"],
        full_name=m["full_name"],
        birth_date=m["birth_date"],
        sex=m["sex"],
        phone=m["phone"],
        status=m["status"],
        valid_until=from_db(m["valid_until"]),
        origin_area=m["origin_area"],
        travel_areas=tuple(m["travel_areas"].split()),
        symptoms=tuple(s for s in m["symptoms"].split(",") if s),
        exposure=tuple(s for s in (m["exposure"] or "").split(",") if s),
    )


class Store:
    """The kiosk's one SQLite file. Use one Store per thread; the window gives it one lane."""

    def __init__(self, engine: Engine, path: Path | None = None, key: bytes | None = None) -> None:
        self.engine = engine
        self.path = path
        self.key = key
        self.accounts = Accounts(engine)
        self.vehicles = VehicleRegistrations(engine)
        self.markets = Markets(engine)
        self.outbox = Outbox(engine)
        self.replica = Replica(engine)
        self.rule_settings = RuleSettings(engine)
        self.vehicle_entries = VehicleEntries(engine)
        self.handovers = Handovers(engine)
        self.hcert = HcertTrust(engine)
        self.hospital_approvals = HospitalApprovals(engine)

    @classmethod
    def open(cls, path: Path, verify: bool = True) -> Store:
        """Opens (creating if new) the encrypted database at `path`. `verify`: run
        PRAGMA quick_check first (every page read once); raises EnvironmentProblem
        ('db_damaged', 'db_lost', 'db_key_missing', ...)."""
        engine, key = open_checked(path, verify)
        try:
            migrate(engine, path, key)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, path, key)

    def note_paired(self, url: str) -> None:
        """Written outside the database: from now on a missing database is 'db_lost'."""
        assert self.path is not None
        note(self.path.parent, paired_with=url)

    def backup(self, now: datetime | None = None) -> Backup:
        """A rolling backup (kiosk/storage/safekeeping.py): encrypted like the database."""
        assert self.path is not None and self.key is not None
        return make_backup(self.engine, self.path.parent, self.key, now)

    def close(self) -> None:
        self.engine.dispose()

    # --- look-ups -------------------------------------------------------------------------
    def declaration_for_subject(self, subject_id: str) -> DeclarationRow | None:
        query = (
            select(_DECL)
            .where(_DECL.c.subject_id == subject_id)
            .order_by(_DECL.c.updated_at.desc())
            .limit(1)
        )
        with translate_errors(), self.engine.connect() as conn:
            r = conn.execute(query).first()
        return _row(r) if r else None

    def declaration_by_id(self, declaration_id: int) -> DeclarationRow | None:
        with translate_errors(), self.engine.connect() as conn:
            r = conn.execute(select(_DECL).where(_DECL.c.id == declaration_id)).first()
        return _row(r) if r else None

    def declaration_for_masked(
        self, masked_id: str, birth_date: date, ascii_name: str
    ) -> DeclarationRow | None:
        """The personal QR may hide most of the number: match the visible digits, the birth
        date and the name; an ambiguous match is no match."""
        with translate_errors(), self.engine.connect() as conn:
            rows = [
                _row(r)
                for r in conn.execute(
                    select(_DECL)
                    .where(_DECL.c.birth_date == birth_date)
                    .order_by(_DECL.c.updated_at.desc())
                )
            ]
        wanted = fold_name(ascii_name)

        def visible_digits_match(subject: str) -> bool:
            return len(subject) == len(masked_id) and all(
                m in ("*", s) for m, s in zip(masked_id, subject, strict=True)
            )

        hits = [
            r
            for r in rows
            if visible_digits_match(r.subject_id) and fold_name(r.full_name) == wanted
        ]
        if len({r.subject_id for r in hits}) != 1:
            return None
        return hits[0]

    def epidemic_zone_for(self, areas: Iterable[str], today: date) -> str | None:
        """Name of an active zone containing any of the areas (codes like '46.474.19774')."""
        prefixes: set[str] = set()
        for area in areas:
            parts = area.split(".")
            prefixes.update(".".join(parts[: i + 1]) for i in range(len(parts)) if parts[0])
        if not prefixes:
            return None
        lookback = timedelta(days=self.rule_settings.number(ZONE_LOOKBACK_DAYS))
        query = (
            select(_ZONE.c.name)
            .where(
                _ZONE.c.area_code.in_(prefixes),
                _ZONE.c.active_from <= today,
                or_(_ZONE.c.active_to.is_(None), _ZONE.c.active_to >= today - lookback),
            )
            .order_by(_ZONE.c.area_code)
            .limit(1)
        )
        with translate_errors(), self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def trusted_key(self, key_id: int, at: datetime) -> bytes | None:
        query = select(_KEY.c.public_key).where(
            _KEY.c.key_id == key_id,
            _KEY.c.valid_from <= to_db(at),
            or_(_KEY.c.valid_to.is_(None), _KEY.c.valid_to > to_db(at)),
        )
        with translate_errors(), self.engine.connect() as conn:
            return conn.execute(query).scalar()

    # --- the scan log ---------------------------------------------------------------------
    def record_scan(self, scan: ScanRecord, extra: ExtraRows | None = None) -> str:
        """Every role's scan goes through here: the scan row, its audit row and any `extra`
        rows (a market entry) in one transaction, committed (fsync'd) before it returns the
        event id; raises EnvironmentProblem."""
        event_id = str(uuid.uuid4())
        values = {
            "event_id": event_id,
            "scanned_at": to_db(scan.scanned_at),
            "checkpoint_id": scan.checkpoint_id,
            "operator_id": scan.operator_id,
            "source": scan.source,
            "payload_kind": scan.payload_kind,
            "subject_ref": scan.subject_ref,
            "declaration_id": scan.declaration_id,
            "verdict": scan.verdict,
            "reason": scan.reason,
            "screen": scan.screen,
            "vehicle_entry_id": scan.vehicle_entry_id,
            "direction": scan.direction,
        }
        entry = AuditRecord(
            scan.operator_id,
            scan.screen,
            scan.action,
            scan.subject_ref,
            f"{scan.verdict}:{scan.reason}",
            at=scan.scanned_at,
        )
        identity = scan.identity

        def rows(conn: Connection) -> None:
            if identity:
                conn.execute(
                    insert(_IDENTITY).values(
                        event_id=event_id,
                        id_number=identity.id_number,
                        qr_id=identity.qr_id,
                        full_name=identity.full_name,
                        birth_date=identity.birth_date,
                    )
                )
            if extra is not None:
                extra(conn)

        commit_with_audit(self.engine, entry, scan=values, extra=rows)
        return event_id

    def audit(self, entry: AuditRecord) -> None:
        """An entry in the audit trail for what is not a scan (sign-in, an exit)."""
        commit_with_audit(self.engine, entry)

    def audit_trail(self, limit: int = 200) -> list[dict[str, object]]:
        query = select(_AUDIT).order_by(_AUDIT.c.seq.desc()).limit(limit)
        with translate_errors(), self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def scans_since(self, since: datetime, screen: str | None = None) -> int:
        """Scans recorded at or after `since`; only one screen's when `screen` is given."""
        query = select(func.count()).select_from(_SCAN).where(_SCAN.c.scanned_at >= to_db(since))
        if screen is not None:
            query = query.where(_SCAN.c.screen == screen)
        with translate_errors(), self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def scan_place(self, event_id: str, since: datetime) -> int:
        """How many scans of this scan's screen were recorded at or after `since`, up to and
        including this one (0 if there is no such scan)."""
        this = select(_SCAN.c.seq, _SCAN.c.screen).where(_SCAN.c.event_id == event_id).subquery()
        query = (
            select(func.count())
            .select_from(_SCAN.join(this, _SCAN.c.screen == this.c.screen))
            .where(_SCAN.c.scanned_at >= to_db(since), _SCAN.c.seq <= this.c.seq)
        )
        with translate_errors(), self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def scan_event_ids(self) -> set[str]:
        with translate_errors(), self.engine.connect() as conn:
            return set(conn.execute(select(_SCAN.c.event_id)).scalars())

    # --- loading the cache directly (demo, tests, benchmarks; sync goes through Replica) ---
    def put_declarations(self, rows: Iterable[dict[str, object]]) -> None:
        """Inserts or replaces declarations; datetimes must be timezone-aware."""
        prepared = [
            {
                **r,
                "valid_until": to_db(r["valid_until"]),  # type: ignore[arg-type]
                "updated_at": to_db(r["updated_at"]),
            }
            for r in rows
        ]  # type: ignore[arg-type]
        if not prepared:
            return
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(insert(_DECL).prefix_with("OR REPLACE"), prepared)

    def put_zone(
        self, area_code: str, name: str, active_from: date, active_to: date | None = None
    ) -> None:
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(_ZONE.delete().where(_ZONE.c.area_code == area_code))
            conn.execute(
                insert(_ZONE).values(
                    area_code=area_code, name=name, active_from=active_from, active_to=active_to
                )
            )

    def put_trusted_key(
        self, key_id: int, public_key: bytes, valid_from: datetime, valid_to: datetime | None = None
    ) -> None:
        replace_row(
            self.engine,
            _KEY,
            key_id=key_id,
            algorithm="Ed25519",
            public_key=public_key,
            valid_from=to_db(valid_from),
            valid_to=to_db(valid_to) if valid_to else None,
        )
