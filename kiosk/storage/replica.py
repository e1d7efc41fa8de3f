"""The kiosk's side of sync in the database: applying pulled changes page by page, and finding
what waits to be pushed. Wire shapes are in docs/sync-protocol.md."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import (
    Boolean,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from kiosk.storage.database import translate_errors
from kiosk.storage.models import (
    AssistedDeclaration,
    AuditEntry,
    Declaration,
    EpidemicZone,
    HcertRules,
    HcertSigner,
    HospitalApproval,
    Market,
    MarketCard,
    MarketEntry,
    Operator,
    OutgoingIdentity,
    QuarantineHandover,
    RuleSetting,
    ScanEvent,
    SyncState,
    TrustedKey,
    VehicleEntry,
    VehicleRegistration,
)
from kiosk.storage.timeutil import from_db, to_db

# kind on the wire -> (table, key column, datetime columns, date columns)
PULLED = {
    "declaration": (Declaration.__table__, "id", ("valid_until", "updated_at"), ("birth_date",)),
    "epidemic_zone": (EpidemicZone.__table__, "id", (), ("active_from", "active_to")),
    "trusted_key": (TrustedKey.__table__, "key_id", ("valid_from", "valid_to"), ()),
    "vehicle": (VehicleRegistration.__table__, "id", ("valid_from", "valid_to", "updated_at"), ()),
    "market": (Market.__table__, "id", (), ()),
    "market_card": (MarketCard.__table__, "card_id", ("updated_at",), ()),
    "operator": (Operator.__table__, "id", (), ()),
    "setting": (RuleSetting.__table__, "key", (), ()),
    # EU DCC (HC1) trust store and rule set (kiosk/hcert/)
    "hcert_signer": (HcertSigner.__table__, "fingerprint", ("not_before", "not_after"), ()),
    "hcert_rules": (HcertRules.__table__, "key", ("updated_at",), ()),
    # hospitals' approvals of out-of-province patients (directive 82 I.6; protocol 1.2)
    "hospital_approval": (
        HospitalApproval.__table__,
        "id",
        (),
        ("appointment_date", "entry_from", "entry_to"),
    ),
}
# kind on the wire -> (table, time column)
PUSHED = {
    "scan": (ScanEvent.__table__, "scanned_at"),
    "market_entry": (MarketEntry.__table__, "entered_at"),
    "assisted_declaration": (AssistedDeclaration.__table__, "created_at"),
    "audit": (AuditEntry.__table__, "at"),
    "vehicle_entry": (VehicleEntry.__table__, "entered_at"),
    "handover": (QuarantineHandover.__table__, "referred_at"),
}
# kinds pushed again when a column changes after they went up (an exit, a new status): the
# column read with the event; marking it synced waits until that column is unchanged
RESENT = {"market_entry": "exited_at", "vehicle_entry": "exited_at", "handover": "status_at"}
_STATE = SyncState.__table__
_IDENTITY = OutgoingIdentity.__table__


@dataclass(frozen=True)
class OutgoingEvent:
    kind: str
    event_id: str
    occurred_at: datetime
    data: dict[str, object]
    exited_at: datetime | None = None  # RESENT's column as read: a change since then is unsent


# The largest value of an integer column: SQLite's INTEGER and PostgreSQL's bigint are signed
# 64-bit. A storage fact; the sync protocol's own 64-bit bound is sync.protocol.INT64_MAX.
BIGINT_MAX = 2**63 - 1
ED25519_KEY_BYTES = 32


def _to_row(kind: str, key: str, data: dict[str, object]) -> dict[str, object]:
    """The change's data as a row of the kiosk's table, every value of the column's type, or
    ValueError: a page is refused whole rather than half-stored or left to fail in SQLite."""
    key_column = PULLED[kind][1]
    row: dict[str, object] = {}
    for name, convert, nullable in _converters(kind):
        if name not in data:
            continue
        value = data[name]
        if value is None:
            if not nullable:
                raise ValueError(f"{kind}.{name} is null")
            row[name] = None
        else:
            row[name] = convert(value)
    if str(row.get(key_column)) != key:
        raise ValueError(f"{kind} {key!r}: its data says {key_column}={row.get(key_column)!r}")
    if kind == "trusted_key" and len(row.get("public_key") or b"") != ED25519_KEY_BYTES:
        raise ValueError(f"trusted key {key}: not an Ed25519 public key")
    return row


Converter = Callable[[object], object]


@cache
def _converters(kind: str) -> tuple[tuple[str, Converter, bool], ...]:
    """Per column of the kind's table: its name, how a wire value becomes a column value (or
    ValueError), and whether it may be null. Chosen once: a first sync converts millions."""
    table, _key, datetimes, dates = PULLED[kind]
    out = []
    for column in table.columns:
        name = column.name
        convert: Converter
        if name in datetimes:
            convert = _moment
        elif name in dates:
            convert = _day
        elif isinstance(column.type, LargeBinary):
            convert = _hex
        elif isinstance(column.type, Boolean):
            convert = _flag
        elif isinstance(column.type, Integer):
            convert = _whole
        else:
            convert = _text
        out.append((name, convert, bool(column.nullable) and not column.primary_key))
    return tuple(out)


def _text(value: object) -> str:
    if type(value) is not str:
        raise ValueError(f"not text: {type(value).__name__}")
    return value


def _moment(value: object) -> datetime:
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:  # a time without its zone means something else on each kiosk
        raise ValueError(f"time without a zone: {value!r}")
    return to_db(moment)


def _day(value: object) -> date:
    return date.fromisoformat(_text(value))


def _hex(value: object) -> bytes:
    return bytes.fromhex(_text(value))


def _flag(value: object) -> bool:
    if type(value) is not bool:
        raise ValueError(f"not true/false: {value!r}")
    return value


def _whole(value: object) -> int:
    # type() and not isinstance(): a JSON true is not the number 1
    if type(value) is not int or not -BIGINT_MAX - 1 <= value <= BIGINT_MAX:
        raise ValueError(f"not a 64-bit whole number: {value!r}")
    return value


def jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return from_db(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _put_state(conn: Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        conn.execute(insert(_STATE).prefix_with("OR REPLACE").values(key=key, value=value))


class Replica:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- state ----------------------------------------------------------------------------
    def state(self, key: str) -> str | None:
        with translate_errors(), self.engine.connect() as conn:
            return conn.execute(select(_STATE.c.value).where(_STATE.c.key == key)).scalar()

    def set_state(self, values: dict[str, str]) -> None:
        with translate_errors(), self.engine.begin() as conn:
            _put_state(conn, values)

    def paired(self, url: str, credential: str, kiosk_id: str) -> None:
        """A new pairing: the server's keys are the only ones trusted from now on. Keys put here
        by hand or by `kiosk demo` are forgotten, or a key the server never issued (the public
        demo key, say) would go on verifying tokens; the next pull, from cursor 0, brings the
        server's. Cached approvals stay: the kiosk keeps working offline meanwhile."""
        state = {"server_url": url, "credential": credential, "kiosk_id": kiosk_id, "cursor": "0"}
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(delete(TrustedKey.__table__))
            # likewise the HC1 signers and rule set the previous server sent (a supervisor's
            # own `kiosk trust add` stays): the new server's come with the pull from 0
            signers = HcertSigner.__table__
            conn.execute(delete(signers).where(signers.c.source == "sync"))
            conn.execute(delete(HcertRules.__table__))
            _put_state(conn, state)

    # --- pull -----------------------------------------------------------------------------
    def apply_page(self, changes: Iterable[dict[str, object]], cursor: int) -> int:
        """One transaction: every change of the page and the new cursor, or nothing (a kill
        mid-page resumes from the previous cursor; upserts make a replay harmless)."""
        try:
            return self._apply(changes, cursor)
        except (KeyError, TypeError, ValueError, OverflowError, IntegrityError) as exc:
            # the server sent something no kiosk table takes: refuse the page, keep the cursor
            raise ValueError(f"unusable change in page up to {cursor}: {exc!r}") from None

    def _apply(self, changes: Iterable[dict[str, object]], cursor: int) -> int:
        last: dict[tuple[str, str], dict[str, object]] = {}
        for change in changes:  # in seq order: a later change of the same key wins
            if str(change["kind"]) in PULLED:  # a kind this version does not know: skipped
                last[(str(change["kind"]), str(change["key"]))] = change
        upserts: dict[str, list[dict[str, object]]] = defaultdict(list)
        deletes: dict[str, list[object]] = defaultdict(list)
        for (kind, key), change in last.items():
            if change["op"] == "delete":
                deletes[kind].append(key)
            else:
                upserts[kind].append(_to_row(kind, key, change["data"]))  # type: ignore[arg-type]
        count = len(last)
        with translate_errors(), self.engine.begin() as conn:
            for kind, rows in upserts.items():
                table = PULLED[kind][0]
                for group in _same_keys(rows):  # rows hold column names only (_to_row)
                    conn.execute(insert(table).prefix_with("OR REPLACE"), group)
            for kind, keys in deletes.items():
                table, key, _dt, _d = PULLED[kind]
                conn.execute(delete(table).where(table.c[key].in_(keys)))
            _put_state(conn, {"cursor": str(cursor)})
        return count

    # --- push -----------------------------------------------------------------------------
    def pending(self, limit: int) -> list[OutgoingEvent]:
        out: list[OutgoingEvent] = []
        with translate_errors(), self.engine.connect() as conn:
            for kind, (table, time_col) in PUSHED.items():
                room = limit - len(out)
                if room <= 0:
                    break
                query = (
                    select(table)
                    .where(table.c.synced_at.is_(None))
                    .order_by(table.c[time_col])
                    .limit(room)
                )
                rows = list(conn.execute(query))
                people = _identities(conn, [r.event_id for r in rows]) if kind == "scan" else {}
                for r in rows:
                    m = dict(r._mapping)
                    data = {k: jsonable(v) for k, v in m.items() if k not in ("seq", "synced_at")}
                    if kind == "assisted_declaration":
                        data["form"] = json.loads(str(data.pop("form_json")))
                    if m["event_id"] in people:  # protocol 1.1: the identity as read
                        data["person"] = people[m["event_id"]]
                    out.append(
                        OutgoingEvent(
                            kind,
                            str(m["event_id"]),
                            from_db(m[time_col]),
                            data,
                            m.get(RESENT[kind]) if kind in RESENT else None,
                        )
                    )
        return out

    def mark_synced(self, events: Iterable[OutgoingEvent], at: datetime) -> None:
        """Marks what the server acknowledged. An entry whose exit (or a handover whose status)
        was recorded after it was read stays unsent, so the change goes up in the next batch."""
        by_kind: dict[str, list[OutgoingEvent]] = defaultdict(list)
        versioned: list[OutgoingEvent] = []
        for e in events:
            (versioned if e.kind in RESENT else by_kind[e.kind]).append(e)
        with translate_errors(), self.engine.begin() as conn:
            for kind, items in by_kind.items():
                table = PUSHED[kind][0]
                ids = [e.event_id for e in items]
                for i in range(0, len(ids), 500):
                    conn.execute(
                        update(table)
                        .where(table.c.event_id.in_(ids[i : i + 500]))
                        .values(synced_at=to_db(at))
                    )
                    if kind == "scan":  # the server has the identity now: the kiosk forgets it
                        conn.execute(
                            delete(_IDENTITY).where(_IDENTITY.c.event_id.in_(ids[i : i + 500]))
                        )
            for e in versioned:
                table = PUSHED[e.kind][0]
                column = table.c[RESENT[e.kind]]
                same = column.is_(None) if e.exited_at is None else column == e.exited_at
                conn.execute(
                    update(table)
                    .where(table.c.event_id == e.event_id, same)
                    .values(synced_at=to_db(at))
                )

    def pending_count(self) -> int:
        with translate_errors():
            return self.unsent()[0]

    def unsent(self) -> tuple[int, datetime | None]:
        """How many recorded events the server has not acknowledged, and the oldest one's time.
        SQLite's own errors pass through (the health check words a damaged file itself)."""
        count, oldest = 0, None
        with self.engine.connect() as conn:
            for table, at in PUSHED.values():
                n, first = conn.execute(
                    select(func.count(), func.min(table.c[at])).where(table.c.synced_at.is_(None))
                ).one()
                count += int(n)
                if first is not None:
                    when = from_db(first)
                    oldest = when if oldest is None else min(oldest, when)
        return count, oldest


def _identities(conn: Connection, event_ids: list[str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for i in range(0, len(event_ids), 500):
        query = select(_IDENTITY).where(_IDENTITY.c.event_id.in_(event_ids[i : i + 500]))
        for r in conn.execute(query):
            m = r._mapping
            out[m["event_id"]] = {
                k: jsonable(m[k])
                for k in ("id_number", "qr_id", "full_name", "birth_date")
                if m[k] is not None
            }
    return out


def _same_keys(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    """executemany needs one set of columns per statement."""
    groups: dict[frozenset[str], list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        groups[frozenset(r)].append(r)
    return list(groups.values())
