"""F0 tracing (issue 10): the scan log with identities, who was where and when, and who else
was there within the overlap; every query in the staff audit trail.

`scan_log` is filled from pushed `scan` events as they are stored (`record_events`, called in
the push's transaction). On PostgreSQL it is partitioned by day (declarative partitioning,
partitions made on first use) with a BRIN index on time and btree indexes on (id_number, time)
and (checkpoint_id, time): the two look-ups a trace makes (docs/benchmarks.md has the EXPLAIN
ANALYZE that chose them). SQLite, for tests and small sites, gets a plain table and the same
btree indexes.

The functions take an Engine and return plain data (dicts, lists), for the command line, the
back office's pages and the reports alike.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

from kiosk import tallies
from kiosk.clock import VIETNAM
from kiosk.ids import id_shaped
from kiosk.privacy import mask_id
from kiosk_server import staff
from kiosk_server.exports import cell
from kiosk_server.sql import insert_ignore, insert_or_replace

trace_metadata = MetaData()

SCAN_COLUMNS = (
    Column("event_id", String(36), nullable=False),
    Column("kiosk_id", String(36), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("checkpoint_id", String(40), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("id_number", String(12)),
    Column("qr_id", String(18)),
    Column("full_name", String(120)),
    Column("birth_date", Date),
    Column("subject_ref", String(20), nullable=False),
    Column("payload_kind", String(20), nullable=False),
    Column("screen", String(12), nullable=False),
    Column("verdict", String(10), nullable=False),
    Column("reason", String(30), nullable=False),
)
scan_log = Table(
    "scan_log",
    trace_metadata,
    *SCAN_COLUMNS,
    Index("ix_scan_log_id_time", "id_number", "occurred_at"),
    Index("ix_scan_log_qr_time", "qr_id", "occurred_at"),
    Index("ix_scan_log_checkpoint_time", "checkpoint_id", "occurred_at"),
    Index("ix_scan_log_time", "occurred_at"),
)
COUNT_NAMES = (
    "scans_in",
    "scans_out",
    "scans_allow",
    "scans_attention",
    "scans_deny",
    "quarantine",
    "vehicles",
    "violations",
)
# The statistics' source: scan counts per UTC hour and checkpoint, added to in the push's
# transaction. A month of a province is 300 x 720 rows however many scans, so a month by
# district reads 216,000 rows, not 45 million (docs/benchmarks.md).
scan_counts = Table(
    "scan_counts",
    trace_metadata,
    Column("hour", DateTime(timezone=True), primary_key=True),  # UTC, whole hour
    Column("checkpoint_id", String(40), primary_key=True),
    *(Column(name, Integer, nullable=False, default=0) for name in COUNT_NAMES),
)
checkpoints = Table(
    "checkpoints",
    trace_metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(160), nullable=False),
    Column("district", String(120), nullable=False),
    Column("province", String(120), nullable=False, default=""),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)
people = Table(  # contact details the server holds, from declarations (self and assisted)
    "people",
    trace_metadata,
    Column("id_number", String(12), primary_key=True),
    Column("full_name", String(120), nullable=False),
    Column("birth_date", Date),
    Column("phone", String(20), nullable=False, default=""),
    Column("address", String(300), nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
declaration_log = Table(  # one row a declaration, when it first reached the server
    "declaration_log",
    trace_metadata,
    Column("key", String(60), primary_key=True),  # decl:<server id> or the kiosk's event id
    Column("declared_at", DateTime(timezone=True), nullable=False, index=True),
    Column("by_proxy", Boolean, nullable=False),
    Column("checkpoint_id", String(40)),
)
staff_audit = Table(  # the server's own trail: who traced whom (masked), who read which numbers
    "staff_audit",
    trace_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(30), nullable=False),
    Column("subject", String(40), nullable=False, default=""),
    Column("params", Text, nullable=False, default="{}"),
    Column("outcome", String(20), nullable=False),
    Column("rows", Integer, nullable=False, default=0),
)

TRACE_ROLES = frozenset({"health", "admin"})
STATS_ROLES = frozenset({"health", "admin", "statistics"})
UNREGISTERED = "(chưa đăng ký)"  # a checkpoint kiosks reported that nobody registered


class Refused(PermissionError):
    """The staff member's role may not do this (audited as refused)."""


@dataclass(frozen=True)
class Staff:
    """Who asks: the back office's signed-in user, or `cli:<os user>` with the admin role on
    the server's own console."""

    actor: str
    role: str


# --- schema ---------------------------------------------------------------------------------
def create_tables(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        trace_metadata.create_all(engine)
        _mask_old_subjects(engine)
        return
    trace_metadata.create_all(
        engine, tables=[scan_counts, checkpoints, people, declaration_log, staff_audit]
    )
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('scan_log_schema'))"))
        exists = conn.execute(text("SELECT to_regclass('scan_log') IS NOT NULL")).scalar()
        if not exists:
            conn.execute(text(PG_SCAN_LOG))
    _mask_old_subjects(engine)
    _known_partitions.clear()


def _mask_old_subjects(engine: Engine) -> None:
    """Trail rows written when the whole number was kept, masked now: a masked subject has
    its `*`, so this changes each row once (traces are a person's requests: a few rows)."""
    c = staff_audit.c
    with engine.begin() as conn:
        old = conn.execute(
            select(c.seq, c.subject).where(c.subject != "", ~c.subject.contains("*"))
        ).all()
        for seq, subject in old:
            conn.execute(staff_audit.update().where(c.seq == seq).values(subject=mask_id(subject)))


PG_SCAN_LOG = """
CREATE TABLE scan_log (
    event_id varchar(36) NOT NULL,
    kiosk_id varchar(36) NOT NULL,
    occurred_at timestamptz NOT NULL,
    checkpoint_id varchar(40) NOT NULL,
    direction varchar(3) NOT NULL,
    id_number varchar(12),
    qr_id varchar(18),
    full_name varchar(120),
    birth_date date,
    subject_ref varchar(20) NOT NULL,
    payload_kind varchar(20) NOT NULL,
    screen varchar(12) NOT NULL,
    verdict varchar(10) NOT NULL,
    reason varchar(30) NOT NULL
) PARTITION BY RANGE (occurred_at);
CREATE INDEX ix_scan_log_time ON scan_log USING brin (occurred_at);
CREATE INDEX ix_scan_log_id_time ON scan_log (id_number, occurred_at)
    WHERE id_number IS NOT NULL;
CREATE INDEX ix_scan_log_qr_time ON scan_log (qr_id, occurred_at) WHERE qr_id IS NOT NULL;
CREATE INDEX ix_scan_log_checkpoint_time ON scan_log (checkpoint_id, occurred_at);
"""

_known_partitions: set[date] = set()


def ensure_partitions(conn: Connection, days: Iterable[date]) -> None:
    """PostgreSQL: a partition for each UTC day, made on first use (a kiosk back online may push
    days-old scans). Serialised by an advisory lock so that two server processes do not race."""
    missing = sorted(set(days) - _known_partitions)
    if not missing or conn.dialect.name != "postgresql":
        return
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('scan_log_partitions'))"))
    for day in missing:
        nxt = day + timedelta(days=1)
        conn.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS scan_log_p{day:%Y%m%d} PARTITION OF scan_log "
                f"FOR VALUES FROM ('{day.isoformat()} 00:00+00') TO ('{nxt.isoformat()} 00:00+00')"
            )
        )
    _known_partitions.update(missing)


# --- ingest ---------------------------------------------------------------------------------
def scan_row(kiosk_id: str, event_id: str, occurred_at: datetime, data: dict) -> dict:
    """A pushed scan event as a scan_log row. Protocol 1.1 scans carry `person` and
    `direction`; older kiosks' do not, and are kept with the identity unknown."""
    person = data.get("person") if isinstance(data.get("person"), dict) else {}
    birth = person.get("birth_date")
    try:
        birth_date = date.fromisoformat(birth) if isinstance(birth, str) else None
    except ValueError:
        birth_date = None

    def field(value: object, size: int) -> str | None:
        return str(value)[:size] if value not in (None, "") else None

    direction = data.get("direction")
    return {
        "event_id": event_id,
        "kiosk_id": kiosk_id,
        "occurred_at": occurred_at.astimezone(UTC),
        "checkpoint_id": str(data.get("checkpoint_id") or "")[:40],
        "direction": direction if direction in ("in", "out") else "in",
        "id_number": field(person.get("id_number"), 12),
        "qr_id": field(person.get("qr_id"), 18),
        "full_name": field(person.get("full_name"), 120),
        "birth_date": birth_date,
        "subject_ref": str(data.get("subject_ref") or "")[:20],
        "payload_kind": str(data.get("payload_kind") or "")[:20],
        "screen": str(data.get("screen") or "medic")[:12],
        "verdict": str(data.get("verdict") or "")[:10],
        "reason": str(data.get("reason") or "")[:30],
    }


def record_events(conn: Connection, kiosk_id: str, fresh: Sequence[object]) -> None:
    """Inside the push's transaction, for the events stored for the first time: scans into
    scan_log, assisted declarations into declaration_log and people (their contact details)."""
    scans: list[dict] = []
    for e in fresh:
        kind, data = e.kind, e.data  # type: ignore[attr-defined]
        if kind == "scan":
            scans.append(scan_row(kiosk_id, e.event_id, e.occurred_at, data))  # type: ignore[attr-defined]
        elif kind == "assisted_declaration":
            form = data.get("form") if isinstance(data.get("form"), dict) else {}
            conn.execute(
                insert_ignore(conn.engine, declaration_log, ["key"]),
                {
                    "key": e.event_id,  # type: ignore[attr-defined]
                    "declared_at": e.occurred_at.astimezone(UTC),  # type: ignore[attr-defined]
                    "by_proxy": True,
                    "checkpoint_id": str(data.get("checkpoint_id") or "")[:40] or None,
                },
            )
            _remember_person(conn, form, e.occurred_at)  # type: ignore[attr-defined]
    if scans:
        ensure_partitions(conn, {r["occurred_at"].date() for r in scans})
        conn.execute(scan_log.insert(), scans)
        add_counts(conn, scans)


def counts_of(row: dict) -> dict[str, int]:
    """What one scan adds to each count; the definitions are kiosk/tallies.py's."""
    person = row["screen"] == tallies.PERSON_SCREEN
    return {
        "scans_in": int(person and row["direction"] == "in"),
        "scans_out": int(person and row["direction"] == "out"),
        "scans_allow": int(row["verdict"] == "allow"),
        "scans_attention": int(row["verdict"] == "attention"),
        "scans_deny": int(row["verdict"] == "deny"),
        "quarantine": int(person and row["reason"] in tallies.QUARANTINE_REASONS),
        "vehicles": int(row["screen"] == tallies.VEHICLE_SCREEN),
        "violations": int(row["verdict"] == tallies.VIOLATION_VERDICT),
    }


def add_counts(conn: Connection, scans: Sequence[dict]) -> None:
    totals: dict[tuple[datetime, str], dict[str, int]] = {}
    for r in scans:
        key = (r["occurred_at"].replace(minute=0, second=0, microsecond=0), r["checkpoint_id"])
        target = totals.setdefault(key, dict.fromkeys(COUNT_NAMES, 0))
        for name, n in counts_of(r).items():
            target[name] += n
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(scan_counts)
    stmt = stmt.on_conflict_do_update(
        index_elements=["hour", "checkpoint_id"],
        set_={n: scan_counts.c[n] + stmt.excluded[n] for n in COUNT_NAMES},
    )
    # in key order: two pushes touching the same hours lock them in the same order
    for (hour, checkpoint), counts in sorted(totals.items()):
        conn.execute(stmt, {"hour": hour, "checkpoint_id": checkpoint, **counts})


def rebuild_counts(engine: Engine) -> None:
    """scan_counts from scan_log again (after a bulk load that bypassed the push path)."""
    c = scan_log.c
    person = c.screen == tallies.PERSON_SCREEN

    def total(condition):
        return func.sum(case((condition, 1), else_=0))

    hour = (
        func.date_trunc("hour", c.occurred_at)
        if engine.dialect.name == "postgresql"
        else func.strftime("%Y-%m-%d %H:00:00.000000", c.occurred_at)
    )
    query = select(
        hour,
        c.checkpoint_id,
        total(person & (c.direction == "in")),
        total(person & (c.direction == "out")),
        total(c.verdict == "allow"),
        total(c.verdict == "attention"),
        total(c.verdict == "deny"),
        total(person & c.reason.in_(tallies.QUARANTINE_REASONS)),
        total(c.screen == tallies.VEHICLE_SCREEN),
        total(c.verdict == tallies.VIOLATION_VERDICT),
    ).group_by(hour, c.checkpoint_id)
    with engine.begin() as conn:
        conn.execute(scan_counts.delete())
        conn.execute(
            scan_counts.insert().from_select(["hour", "checkpoint_id", *COUNT_NAMES], query)
        )


def record_declarations(conn: Connection, items: Sequence[tuple[str, dict[str, object]]]) -> None:
    """Declarations as the server imports them: contact details, and the first time each was
    seen (the day's self-declarations)."""
    at = datetime.now(UTC)
    # one statement for the whole batch (a statement a person made a 100,000-row import take
    # minutes); the last row of a person wins, as one statement may set a row only once
    people_rows = {
        row["id_number"]: row
        for _k, d in items
        if (row := _person_row(d, at, id_field="subject_id")) is not None
    }
    if people_rows:
        conn.execute(_people_upsert(conn), list(people_rows.values()))
    if items:
        conn.execute(
            insert_ignore(conn.engine, declaration_log, ["key"]),
            [
                {
                    "key": f"decl:{key}",
                    "declared_at": at,
                    "by_proxy": bool(d.get("declared_by_proxy")),
                    "checkpoint_id": None,
                }
                for key, d in items
            ],
        )


def _remember_person(conn: Connection, d: dict, at: datetime, id_field: str = "id_number") -> None:
    row = _person_row(d, at, id_field)
    if row is not None:
        conn.execute(_people_upsert(conn), row)


def _people_upsert(conn: Connection):
    return insert_or_replace(
        conn.engine,
        people,
        ["id_number"],
        ["full_name", "birth_date", "phone", "address", "updated_at"],
    )


def _person_row(d: dict, at: datetime, id_field: str = "id_number") -> dict | None:
    number = str(d.get(id_field) or "")
    if not (number.isdigit() and len(number) in (9, 12)):
        return None
    birth = d.get("birth_date")
    try:
        birth_date = date.fromisoformat(birth) if isinstance(birth, str) else None
    except ValueError:
        birth_date = None
    address = d.get("address") or d.get("origin_area") or ""
    return {
        "id_number": number,
        "full_name": str(d.get("full_name") or "")[:120],
        "birth_date": birth_date,
        "phone": str(d.get("phone") or "")[:20],
        "address": str(address)[:300],
        "updated_at": at.astimezone(UTC),
    }


def import_checkpoints(engine: Engine, path: Path) -> int:
    """`kiosk-server import checkpoints FILE.csv`: id,name,district[,province] (all or none):
    the QR points registered, and the district each one's numbers count for."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if not (r.get("id") or "").strip() or not (r.get("district") or "").strip():
                raise ValueError(f"{path.name}, line {line}: id and district are required")
            rows.append(
                {
                    "id": r["id"].strip(),
                    "name": (r.get("name") or r["id"]).strip(),
                    "district": r["district"].strip(),
                    "province": (r.get("province") or "").strip(),
                    "registered_at": _parse_registered(r.get("registered_at")),
                }
            )
    with engine.begin() as conn:
        if rows:
            conn.execute(
                insert_or_replace(
                    engine, checkpoints, ["id"], ["name", "district", "province", "registered_at"]
                ),
                rows,
            )
    return len(rows)


def _parse_registered(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = (
            datetime.combine(moment.date(), time(), VIETNAM)
            if len(value) == 10
            else (moment.replace(tzinfo=VIETNAM))
        )
    return moment.astimezone(UTC)


def checkpoint_places(conn: Connection) -> dict[str, dict[str, object]]:
    return {
        r.id: {"name": r.name, "district": r.district, "registered_at": r.registered_at}
        for r in conn.execute(select(checkpoints))
    }


# --- audit ---------------------------------------------------------------------------------
def begin_audit(
    engine: Engine,
    staff: Staff,
    action: str,
    allowed: frozenset[str],
    subject: str = "",
    params: dict[str, object] | None = None,
) -> int:
    """Commits the audit row before the query runs (a query that fails is still on the trail)
    and returns its number; a role that may not do this is audited as refused and gets
    Refused."""
    ok = staff.role in allowed
    with engine.begin() as conn:
        seq = conn.execute(
            staff_audit.insert().values(
                at=datetime.now(UTC),
                actor=staff.actor[:120],
                role=staff.role[:20],
                action=action,
                subject=subject[:40],
                params=json.dumps(params or {}, ensure_ascii=False, default=str),
                outcome="ok" if ok else "refused",
                rows=0,
            )
        ).inserted_primary_key[0]
    if not ok:
        raise Refused(f"role {staff.role!r} may not {action}")
    return int(seq)


def end_audit(engine: Engine, seq: int, rows: int) -> None:
    with engine.begin() as conn:
        conn.execute(staff_audit.update().where(staff_audit.c.seq == seq).values(rows=rows))


def office_trail(
    engine: Engine, actor: str, number: str, params: dict[str, object], contacts: object
) -> None:
    """A trace on the office's own trail too (/audit), where an admin reads who looked whom
    up, from the web or the command line alike; whom masked, as every trail here has it."""
    with engine.begin() as conn:
        staff.audit(
            conn,
            actor,
            "trace",
            f"person:{mask_id(number)}",
            {
                "from": params["from"],
                "to": params["to"],
                "overlap_minutes": params["overlap"],
                "trace_level": "F1 + F2" if params["level"] == 2 else "F1",
                "contacts_found": contacts,
            },
        )


def audit_trail(engine: Engine, limit: int = 100) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                select(staff_audit).order_by(staff_audit.c.seq.desc()).limit(limit)
            )
        ]


# --- tracing --------------------------------------------------------------------------------
FIRST_DAY, LAST_DAY = date(2020, 1, 1), date(2100, 12, 31)  # no checkpoint recorded outside
ID_LENGTHS = (9, 12, 18)  # CMND, CCCD, and the national QR's number


def in_recorded_years(day: date) -> bool:
    """Whether `day` falls in the years kiosks record (FIRST_DAY to LAST_DAY)."""
    return FIRST_DAY <= day <= LAST_DAY


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end`, Vietnamese days, as UTC instants.
    ValueError for a day outside the years kiosks record (year 1 or 9999 has no such instant)."""
    if not (in_recorded_years(start) and in_recorded_years(end)):
        raise ValueError(f"days between {FIRST_DAY} and {LAST_DAY}")
    a = datetime.combine(start, time(), VIETNAM).astimezone(UTC)
    b = datetime.combine(end + timedelta(days=1), time(), VIETNAM).astimezone(UTC)
    return a, b


def _who(number: str):
    c = scan_log.c
    return c.qr_id == number if len(number) == 18 else c.id_number == number


def _key(r: object) -> str:
    m = r._mapping  # type: ignore[attr-defined]
    return m["id_number"] or (f"qr:{m['qr_id']}" if m["qr_id"] else f"event:{m['event_id']}")


def visits_of(
    conn: Connection, number: str, a: datetime, b: datetime, merge: timedelta
) -> list[dict[str, object]]:
    """Where the person was scanned: one window per stay at a checkpoint (scans there less than
    `merge` apart are one stay)."""
    c = scan_log.c
    rows = conn.execute(
        select(c.checkpoint_id, c.occurred_at, c.direction)
        .where(_who(number), c.occurred_at >= a, c.occurred_at < b)
        .order_by(c.checkpoint_id, c.occurred_at)
    ).all()
    windows: list[dict[str, object]] = []
    for r in rows:
        at = _utc(r.occurred_at)
        last = windows[-1] if windows else None
        if last and last["checkpoint_id"] == r.checkpoint_id and at - last["last"] <= merge:  # type: ignore[operator]
            last["last"] = at
            last["scans"] += 1  # type: ignore[operator]
            last["directions"].add(r.direction)  # type: ignore[union-attr]
        else:
            windows.append(
                {
                    "checkpoint_id": r.checkpoint_id,
                    "first": at,
                    "last": at,
                    "scans": 1,
                    "directions": {r.direction},
                }
            )
    return sorted(windows, key=lambda w: w["first"])  # type: ignore[arg-type,return-value]


def contacts_at(
    conn: Connection,
    window: dict[str, object],
    overlap: timedelta,
    exclude: set[str],
) -> list[dict[str, object]]:
    """Everyone scanned at the window's checkpoint from `overlap` before its first scan to
    `overlap` after its last; one line a person, at the scan nearest the window."""
    c = scan_log.c
    first, last = window["first"], window["last"]
    rows = conn.execute(
        select(scan_log)
        .where(
            c.checkpoint_id == window["checkpoint_id"],
            c.occurred_at >= first - overlap,  # type: ignore[operator]
            c.occurred_at <= last + overlap,  # type: ignore[operator]
            c.screen == "medic",
        )
        .order_by(c.occurred_at)
    ).all()
    best: dict[str, dict[str, object]] = {}
    for r in rows:
        key = _key(r)
        if key in exclude or (r.qr_id and r.qr_id in exclude):
            continue
        at = _utc(r.occurred_at)
        gap = (
            0.0
            if first <= at <= last
            else min(abs((at - first).total_seconds()), abs((at - last).total_seconds()))
        )  # type: ignore[operator]
        if key in best and best[key]["_gap"] <= gap:  # type: ignore[operator]
            continue
        best[key] = {
            "_gap": gap,
            "id_number": r.id_number,
            "qr_id": r.qr_id,
            "subject_ref": r.subject_ref,
            "full_name": r.full_name,
            "birth_date": r.birth_date.isoformat() if r.birth_date else None,
            "scanned_at": at.isoformat(),
            "direction": r.direction,
            "minutes_apart": round(gap / 60, 1),
            "identified": bool(r.id_number or r.qr_id),
        }
    out = sorted(best.values(), key=lambda x: (x["minutes_apart"], x["scanned_at"]))
    for x in out:
        x.pop("_gap")
    return out


def _add_contact_details(conn: Connection, contacts: list[dict[str, object]]) -> None:
    numbers = {str(x["id_number"]) for x in contacts if x["id_number"]}
    if not numbers:
        for x in contacts:
            x.update({"phone": "", "address": ""})
        return
    known = {
        r.id_number: r
        for r in conn.execute(select(people).where(people.c.id_number.in_(sorted(numbers))))
    }
    for x in contacts:
        p = known.get(x["id_number"])  # type: ignore[arg-type]
        x["phone"] = p.phone if p else ""
        x["address"] = p.address if p else ""
        if p and not x["full_name"]:
            x["full_name"] = p.full_name
        if p and not x["birth_date"] and p.birth_date:
            x["birth_date"] = p.birth_date.isoformat()


def _trace_level(
    conn: Connection,
    number: str,
    a: datetime,
    b: datetime,
    overlap: timedelta,
    exclude: set[str],
    places: dict[str, dict[str, object]],
) -> list[dict[str, object]]:
    out = []
    for w in visits_of(conn, number, a, b, merge=2 * overlap):
        contacts = contacts_at(conn, w, overlap, exclude | {number})
        _add_contact_details(conn, contacts)
        place = places.get(str(w["checkpoint_id"]), {})
        out.append(
            {
                "checkpoint_id": w["checkpoint_id"],
                "checkpoint_name": place.get("name", w["checkpoint_id"]),
                "district": place.get("district", UNREGISTERED),
                "first_seen": w["first"].isoformat(),  # type: ignore[union-attr]
                "last_seen": w["last"].isoformat(),  # type: ignore[union-attr]
                "window_from": (w["first"] - overlap).isoformat(),  # type: ignore[operator]
                "window_to": (w["last"] + overlap).isoformat(),  # type: ignore[operator]
                "scans": w["scans"],
                "directions": sorted(w["directions"]),  # type: ignore[arg-type]
                "contacts": contacts,
            }
        )
    return out


def trace(
    engine: Engine,
    staff: Staff,
    number: str,
    start: date,
    end: date,
    overlap_minutes: int = 15,
    level: int = 1,
) -> dict[str, object]:
    """The list a health officer acts on: the person's places and time windows, and for each
    the people scanned there within the overlap with the contact details the server holds;
    with `level=2` each identified contact's own contacts too. Audited; health and admin only.
    Raises Refused (audited) for another role, ValueError for a bad request."""
    number = number.strip()
    if not id_shaped(number, ID_LENGTHS):
        raise ValueError("ID: 9 or 12 digits (CMND/CCCD), or the national QR's 18 digits")
    if end < start or not 1 <= overlap_minutes <= 24 * 60 or level not in (1, 2):
        raise ValueError("dates reversed, overlap outside 1..1440 minutes, or level not 1 or 2")
    params = {"from": start, "to": end, "overlap_minutes": overlap_minutes, "level": level}
    overlap = timedelta(minutes=overlap_minutes)
    a, b = day_range(start, end)
    # the trail names whom as every trail here does, masked: its readers need who traced and
    # when, not a number to look the person up with
    seq = begin_audit(engine, staff, "trace", TRACE_ROLES, mask_id(number), params)
    with engine.connect() as conn:
        places = checkpoint_places(conn)
        visits = _trace_level(conn, number, a, b, overlap, set(), places)
        person = conn.execute(select(people).where(people.c.id_number == number)).first()
        named = conn.execute(
            select(scan_log.c.full_name, scan_log.c.birth_date)
            .where(_who(number), scan_log.c.full_name.is_not(None))
            .limit(1)
        ).first()
        second: list[dict[str, object]] = []
        if level == 2:
            first_level = {
                str(x["id_number"] or x["qr_id"]): x
                for v in visits
                for x in v["contacts"]  # type: ignore[attr-defined]
                if x["identified"]
            }
            for f1, x in first_level.items():
                second.append(
                    {
                        "via": f1,
                        "via_name": x["full_name"],
                        "visits": _trace_level(
                            conn, f1, a, b, overlap, {number, *first_level}, places
                        ),
                    }
                )
    count = sum(len(v["contacts"]) for v in visits) + sum(  # type: ignore[arg-type]
        len(v["contacts"])
        for s in second
        for v in s["visits"]  # type: ignore[attr-defined]
    )
    end_audit(engine, seq, count)
    return {
        "subject": {
            "id_number": number,
            "full_name": (person.full_name if person else None)
            or (named.full_name if named else None),
            "birth_date": (
                (person.birth_date if person and person.birth_date else None)
                or (named.birth_date if named else None)
            ),
            "phone": person.phone if person else "",
        },
        "from": start.isoformat(),
        "to": end.isoformat(),
        "overlap_minutes": overlap_minutes,
        "level": level,
        "visits": visits,
        "second_level": second,
        "contacts": count,
    }


CSV_FIELDS = (
    "level",
    "via",
    "checkpoint_id",
    "checkpoint_name",
    "district",
    "first_seen",
    "last_seen",
    "id_number",
    "qr_id",
    "masked_ref",
    "full_name",
    "birth_date",
    "phone",
    "address",
    "scanned_at",
    "direction",
    "minutes_apart",
)


def whole_minutes(value: object) -> str:
    """Minutes apart as staff read them, on the page and in the PDF alike: 9, not 9.0 (the
    trace keeps a tenth, which the CSV and JSON give)."""
    return "" if value is None or value == "" else str(round(float(value)))  # type: ignore[arg-type]


def trace_rows(result: dict[str, object]) -> list[dict[str, object]]:
    """One row a contact (a visit without contacts gets one row of its own, its contact's
    fields None). Every row has every CSV field: the page reads them all."""
    rows: list[dict[str, object]] = []
    empty = dict.fromkeys(CSV_FIELDS)

    def add(level: int, via: str, visits: list[dict[str, object]]) -> None:
        for v in visits:
            base = {**empty, **{k: v[k] for k in ("checkpoint_id", "checkpoint_name", "district")}}
            base.update(level=level, via=via, first_seen=v["first_seen"], last_seen=v["last_seen"])
            if not v["contacts"]:
                rows.append(base)
            for x in v["contacts"]:  # type: ignore[attr-defined]
                rows.append(
                    {
                        **base,
                        **{k: x.get(k) for k in CSV_FIELDS if k in x},
                        "masked_ref": x["subject_ref"],
                    }
                )

    add(1, str(result["subject"]["id_number"]), result["visits"])  # type: ignore[index,arg-type]
    for s in result["second_level"]:  # type: ignore[attr-defined]
        add(2, s["via"], s["visits"])
    return rows


def to_csv(rows: list[dict[str, object]], fields: Sequence[str]) -> bytes:
    """UTF-8 with a BOM: Excel, which the province's staff open it in, reads Vietnamese then.
    Each value through the exports' `cell`: a name or an address typed as a formula is text."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in r.items()} for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def masked(number: str | None) -> str:
    return mask_id(number) if number else ""
