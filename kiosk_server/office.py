"""What back-office staff change: declarations, zones, operators, kiosks, vehicles. Every
change goes to `entities` (so it reaches kiosks at their next sync) and to the audit trail, in
one transaction. The same functions back the web pages and `kiosk-server`'s commands."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    bindparam,
    cast,
    event,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy import text as sql_text  # `text` is the typed search in places below
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError

from kiosk.auth import ROLE_SCREENS, SignInError, hash_pin
from kiosk.clock import VIETNAM, local_day
from kiosk.ids import id_shaped
from kiosk.storage.repository import fold_name
from kiosk.vehicles import REGISTERED_KINDS
from kiosk_server import csv_columns
from kiosk_server.days import parse_day, parse_moment
from kiosk_server.db import entities, events, kiosks, now, write_entities
from kiosk_server.office_db import assisted_intake, kiosk_status
from kiosk_server.staff import audit

APPROVAL_VALID = timedelta(days=14)  # an approved declaration stands two weeks, then renewed
ASSISTED_ID_BASE = 10**12  # ids the server gives kiosks' assisted declarations: above imports
OPERATOR_ROLES = tuple(ROLE_SCREENS)
STALE_AFTER = timedelta(days=1)
log = logging.getLogger(__name__)


class OfficeError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# --- entities -------------------------------------------------------------------------------
def field(engine_or_conn: Engine | Connection, name: str) -> Any:
    """A top-level value of an entity's JSON document, as text, in either database. The key is
    written into the SQL, not bound: only then does the expression match its index."""
    if not name.isidentifier():
        raise ValueError(name)
    if engine_or_conn.dialect.name == "postgresql":
        return cast(entities.c.data, JSONB).op("->>")(literal_column(f"'{name}'"))
    return cast(func.json_extract(entities.c.data, literal_column(f"'$.{name}'")), String)


INDEXED = ("subject_id", "status")  # search by ID number; the review queue


def ensure_indexes(engine: Engine) -> None:
    """Expression indexes for the look-ups that must stay fast at millions of declarations."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # several workers start at once: one at a time
            conn.execute(text("SELECT pg_advisory_xact_lock(7009)"))
            _name_index(conn)
        for name in INDEXED:
            expr = str(field(conn, name).compile(conn, compile_kwargs={"literal_binds": True}))
            expr = expr.replace("entities.", "")  # an index names its own table's columns
            conn.execute(
                text(
                    f"CREATE INDEX IF NOT EXISTS ix_entities_{name} "
                    f"ON entities (({expr}), kind, key)"
                )
            )
        # the vehicles page's recent plate checks, newest first, among millions of scans
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_events_kind_occurred_at "
                "ON events (kind, occurred_at)"
            )
        )


def _fold_table() -> tuple[str, str]:
    """Every letter `fold_name` strips to an ASCII one, and the combining marks it drops, as
    PostgreSQL's `translate` wants them (from, to: a letter with nothing opposite is deleted)."""
    src, dst = [], []
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        folded = fold_name(chr(cp))
        if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != chr(cp):
            src.append(chr(cp))
            dst.append(folded.lower() if chr(cp).islower() else folded)
    marks = [chr(cp) for cp in range(0x300, 0x370)]
    return "".join(src + marks), "".join(dst)


def _name_index(conn: Connection) -> None:
    """Names typed without accents ("nguyen van an" finds "Nguyễn Văn An") through a trigram
    index on the folded name: `office_fold` is PostgreSQL's twin of SQLite's (and of the
    kiosk's `fold_name`): NFC, the unaccent dictionary (a hash look-up a letter, 4 µs a name),
    capitals; without unaccent, `translate` over every accented letter (80 µs a name). Without
    pg_trgm, search still works, by a scan."""
    if conn.execute(text("SELECT 1 FROM pg_proc WHERE proname = 'office_fold'")).first() is None:
        if _extension(conn, "unaccent"):
            # schema-qualified: a restore (pg_dump) rebuilds the index with an empty path
            schema = conn.execute(
                text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                    "ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
                )
            ).scalar_one()
            fn = f'"{schema}".unaccent'
            body = f"upper({fn}('{fn}'::regdictionary, normalize(t, NFC)))"
        else:
            src, dst = _fold_table()
            body = f"upper(translate(t, '{src}', '{dst}'))"
        conn.execute(
            text(
                "CREATE FUNCTION office_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE "
                f"PARALLEL SAFE AS $fold$ SELECT {body} $fold$"
            )
        )
    expr = str(field(conn, "full_name").compile(conn, compile_kwargs={"literal_binds": True}))
    conn.execute(  # names typed from their start, in name order
        text(
            "CREATE INDEX IF NOT EXISTS ix_entities_full_name_prefix ON entities "
            f'(office_fold({expr.replace("entities.", "")}) COLLATE "C")'
        )
    )
    if not _extension(conn, "pg_trgm"):
        return
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_entities_full_name_folded ON entities USING gin "
            f"(office_fold({expr.replace('entities.', '')}) gin_trgm_ops)"
        )
    )


def _extension(conn: Connection, name: str) -> bool:
    try:
        with conn.begin_nested():
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
    except DBAPIError as exc:  # not installed, or not ours to install
        log.warning("PostgreSQL extension %s missing: %s", name, str(exc.orig).splitlines()[0])
        return False
    return True


def get(conn: Connection, kind: str, key: str) -> dict[str, Any] | None:
    data = conn.execute(
        select(entities.c.data).where(entities.c.kind == kind, entities.c.key == key)
    ).scalar()
    return json.loads(data) if data is not None else None


def put(conn: Connection, kind: str, key: str, data: dict[str, Any]) -> None:
    write_entities(conn, kind, [(key, data)])


def listing(
    engine: Engine, kind: str, where: list | None = None, limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    q = select(entities.c.data).where(entities.c.kind == kind, *(where or []))
    q = q.order_by(entities.c.key).limit(limit).offset(offset)
    with engine.connect() as conn:
        return [json.loads(d) for d in conn.execute(q).scalars()]


def entity_query(kind: str):
    return select(entities.c.data).where(entities.c.kind == kind).order_by(entities.c.key)


# --- declarations ---------------------------------------------------------------------------
def search_declarations(engine: Engine, text: str, limit: int = 100) -> list[dict[str, Any]]:
    text = text.strip()
    if not text:
        return []
    if text.isdigit():
        return listing(engine, "declaration", [field(engine, "subject_id") == text], limit)
    where = [name_contains(engine, "full_name", text)]
    if engine.dialect.name != "postgresql":
        return listing(engine, "declaration", where, limit)
    folded = fold_name(text)
    # byte order ("C"): what lets one btree serve both the prefix and the order
    name = func.office_fold(field(engine, "full_name")).collate("C")
    # Most names are typed from their start (the family name): the prefix index gives the
    # first `limit` in name order at once, however common the name (1 in 5 is "Nguyễn Văn").
    prefix = name.like(
        bindparam("prefix", _like_escape(folded) + "%", literal_execute=True), escape="/"
    )
    q = select(entities.c.key, entities.c.data).where(entities.c.kind == "declaration", prefix)
    with engine.begin() as conn:
        conn.execute(sql_text("SET LOCAL enable_seqscan = off"))
        found = conn.execute(q.order_by(name).limit(limit)).all()
    if len(found) == limit:
        return [json.loads(r.data) for r in sorted(found)]
    # Only the trigram index answers a name well. Left to itself the planner may walk the
    # table in key order until it has `limit` hits: quick for a common name, the whole table
    # (seconds) for a rare one; so plain and key-order scans are off for this one query. And
    # the first `limit` hits are taken as the index finds them, then put in key order: ordering
    # all of them first would fetch and fold every Nguyễn of a province (760,000 in 2 million).
    q = select(entities.c.key, entities.c.data).where(entities.c.kind == "declaration", *where)
    with engine.begin() as conn:
        conn.execute(sql_text("SET LOCAL enable_seqscan = off"))
        conn.execute(sql_text("SET LOCAL enable_indexscan = off"))
        found = sorted(conn.execute(q.limit(limit)).all())
    return [json.loads(r.data) for r in found]


def _like_escape(value: str) -> str:
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


def name_contains(engine: Engine, name: str, text: str) -> Any:
    """A name matches typed without its accents or capitals ("anh" finds "Ánh"): both sides
    folded, by the kiosk's own folding on SQLite (registered on each connection), by the
    `office_fold` function on PostgreSQL (made with its index by `ensure_indexes`)."""
    return func.office_fold(field(engine, name)).contains(fold_name(text), autoescape=True)


def enable_folding(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _fold(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.create_function(
            "office_fold",
            1,
            lambda v: fold_name(v) if isinstance(v, str) else v,
            deterministic=True,
        )

    engine.dispose()  # connections opened before have no such function


def pending_declarations(engine: Engine, limit: int = 100, offset: int = 0):
    return listing(engine, "declaration", [field(engine, "status") == "pending"], limit, offset)


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(entities)
                .where(entities.c.kind == "declaration", field(engine, "status") == "pending")
            ).scalar_one()
        )


def declaration(engine: Engine, decl_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        return get(conn, "declaration", decl_id)


def assisted_form(engine: Engine, event_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        data = conn.execute(select(events.c.data).where(events.c.event_id == event_id)).scalar()
    return json.loads(data).get("form") if data else None


def review(engine: Engine, decl_id: str, approve: bool, reason: str, actor: str) -> dict:
    reason = " ".join(reason.split())[:200]
    if not approve and not reason:
        raise OfficeError("reason_needed")
    with engine.begin() as conn:
        data = get(conn, "declaration", decl_id)
        if data is None:
            raise OfficeError("no_declaration", id=decl_id)
        at = now()
        data["status"] = "approved" if approve else "rejected"
        data["review_reason"] = reason
        if approve:
            data["valid_until"] = (at + APPROVAL_VALID).isoformat()
        data["updated_at"] = at.isoformat()
        put(conn, "declaration", decl_id, data)
        audit(
            conn,
            actor,
            "approve" if approve else "reject",
            f"declaration:{decl_id}",
            {"reason": reason},
        )
    return data


def intake_assisted(conn: Connection, kiosk_id: str, pushed: list[tuple[str, dict]]) -> int:
    """Assisted declarations a kiosk pushed become pending declarations, once each: the
    review queue is where staff approve them, and the approval reaches every kiosk."""
    made = 0
    for event_id, data in pushed:
        if conn.execute(
            select(assisted_intake.c.seq).where(assisted_intake.c.event_id == event_id)
        ).first():
            continue
        form = data.get("form") or {}
        seq = conn.execute(
            assisted_intake.insert().values(event_id=event_id, kiosk_id=kiosk_id, received_at=now())
        ).inserted_primary_key[0]
        decl_id = ASSISTED_ID_BASE + int(seq)
        at = now()
        try:
            subject = str(form["id_number"])
            doc = {
                "id": decl_id,
                "subject_id": subject,
                "full_name": str(form["full_name"]),
                "birth_date": date.fromisoformat(str(form["birth_date"])).isoformat(),
                "sex": str(form["sex"]),
                "phone": str(form.get("phone", "")),
                "status": "pending",
                "valid_until": (at + APPROVAL_VALID).isoformat(),
                "origin_area": province_area(str(form.get("came_from", ""))),
                "travel_areas": " ".join(
                    a for a in map(province_area, _places(str(form.get("travel_14d", "")))) if a
                ),
                "symptoms": ",".join(form.get("symptoms") or []),
                "declared_by_proxy": True,
                "updated_at": at.isoformat(),
                "source": "assisted",
                "event_id": event_id,
                "checkpoint_id": str(data.get("checkpoint_id", "")),
                "receipt_no": str(data.get("receipt_no", "")),
            }
        except (KeyError, ValueError, TypeError):
            continue  # the event is kept as pushed; a form no kiosk validated is not a person
        if not id_shaped(subject) or doc["sex"] not in ("M", "F"):
            continue
        put(conn, "declaration", str(decl_id), doc)
        audit(
            conn,
            f"kiosk:{kiosk_id[:8]}",
            "assisted_intake",
            f"declaration:{decl_id}",
            {"checkpoint": doc["checkpoint_id"]},
        )
        made += 1
    return made


def province_area(text: str) -> str:
    """The area code (the province's two digits, as zones name them) of a place typed as a
    province's name: "TP. Đà Nẵng" is 48. Empty when no province is named."""
    from kiosk.provinces import PROVINCE_CODES

    folded = fold_name(text)
    if not folded:
        return ""
    hits = [code for code, name in PROVINCE_CODES.items() if fold_name(name) in folded]
    return max(hits, key=lambda c: len(PROVINCE_CODES[c]))[1:] if hits else ""


def _places(text: str) -> list[str]:
    return [p for p in text.replace(";", ",").split(",") if p.strip()]


def risk(engine: Engine, decl: dict[str, Any], form: dict[str, Any] | None) -> dict[str, Any]:
    """What directive 82/CV-BCĐ asks of this person, from the answers: an active epidemic zone
    on the way or contact with a case means 21 days' quarantine and a PCR test; symptoms a
    PCR test. Zones are read now, so a zone declared after the form still counts."""
    areas = [
        a for a in [decl.get("origin_area", ""), *str(decl.get("travel_areas", "")).split()] if a
    ]
    prefixes = {".".join(a.split(".")[: i + 1]) for a in areas for i in range(len(a.split(".")))}
    today = local_day(now())
    zone = None
    for z in listing(engine, "epidemic_zone", limit=10_000):
        end = z.get("active_to")
        if (
            z.get("area_code") in prefixes
            and z.get("active_from", "9999") <= today.isoformat()
            and (not end or end >= (today - timedelta(days=14)).isoformat())
        ):
            zone = z.get("name")
            break
    contact = bool((form or {}).get("contact_with_case"))
    symptoms = bool(decl.get("symptoms"))
    return {
        "zone": zone,
        "contact": contact,
        "quarantine": bool(zone or contact),
        "pcr": bool(zone or contact or symptoms),
    }


# --- epidemic zones -------------------------------------------------------------------------
def save_zone(
    engine: Engine,
    actor: str,
    zone_id: str,
    area_code: str,
    name: str,
    active_from: str,
    active_to: str,
) -> None:
    number = _whole(zone_id, "bad_zone", "id")
    start = _day(active_from, "active_from")
    end = _day(active_to, "active_to") if active_to.strip() else None
    area_code = area_code.strip()
    if not area_code or not all(p.isdigit() for p in area_code.split(".")):
        raise OfficeError("bad_zone", field="area_code")
    if end is not None and end < start:
        raise OfficeError("bad_dates", field="active_to")
    doc = {
        "id": number,
        "area_code": area_code,
        "name": name.strip() or area_code,
        "active_from": start.isoformat(),
        "active_to": end.isoformat() if end else None,
    }
    with engine.begin() as conn:
        put(conn, "epidemic_zone", str(number), doc)
        audit(conn, actor, "zone_save", f"zone:{number}", doc)


# --- operators ------------------------------------------------------------------------------
def add_operator(
    engine: Engine, actor: str, operator_id: str, name: str, role: str, checkpoint: str, pin: str
) -> None:
    operator_id = operator_id.strip()
    if (
        not operator_id
        or len(operator_id) > 40
        or not operator_id.replace("-", "").replace("_", "").isalnum()
    ):
        raise OfficeError("bad_operator_id", field="id")
    if role not in OPERATOR_ROLES:
        raise OfficeError("bad_role", field="role")
    if not checkpoint.strip():
        raise OfficeError("checkpoint_needed", field="checkpoint")
    try:
        pin_hash = hash_pin(pin)
    except SignInError:
        raise OfficeError("bad_pin", field="pin") from None
    doc = {
        "id": operator_id,
        "display_name": name.strip() or operator_id,
        "role": role,
        "pin_hash": pin_hash,
        "active": True,
        "checkpoint_id": checkpoint.strip(),
    }
    with engine.begin() as conn:
        if get(conn, "operator", operator_id) is not None:
            raise OfficeError("operator_exists", field="id")
        put(conn, "operator", operator_id, doc)
        audit(
            conn,
            actor,
            "operator_add",
            f"operator:{operator_id}",
            {"role": role, "checkpoint": doc["checkpoint_id"]},
        )


def change_operator(
    engine: Engine,
    actor: str,
    operator_id: str,
    *,
    active: bool | None = None,
    pin: str | None = None,
) -> None:
    with engine.begin() as conn:
        doc = get(conn, "operator", operator_id)
        if doc is None:
            raise OfficeError("no_operator")
        detail: dict[str, object] = {}
        if active is not None:
            doc["active"] = active
            detail["active"] = active
        if pin is not None:
            try:
                doc["pin_hash"] = hash_pin(pin)
            except SignInError:
                raise OfficeError("bad_pin") from None
            detail["pin"] = "new"
        put(conn, "operator", operator_id, doc)
        audit(conn, actor, "operator_change", f"operator:{operator_id}", detail)


def public_operator(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc.get(k) for k in ("id", "display_name", "role", "checkpoint_id", "active")}


# --- kiosks ---------------------------------------------------------------------------------
def record_push(conn: Connection, kiosk_id: str, agent: str, skew: float, stored: int) -> None:
    """What the kiosks list shows: the last push, its clock skew, what the kiosk sent."""
    row = conn.execute(select(kiosk_status).where(kiosk_status.c.kiosk_id == kiosk_id)).first()
    values = {"agent": agent[:80], "last_push": now(), "clock_skew_seconds": skew}
    if row is None:
        conn.execute(
            kiosk_status.insert().values(kiosk_id=kiosk_id, events_received=stored, **values)
        )
    else:
        conn.execute(
            update(kiosk_status)
            .where(kiosk_status.c.kiosk_id == kiosk_id)
            .values(events_received=kiosk_status.c.events_received + stored, **values)
        )


def retire_same_name(conn: Connection, name: str, keep: str) -> int:
    """A kiosk paired again under its name (a new laptop, a reinstall): the old credential
    stops working, so a lost laptop cannot go on syncing as the checkpoint."""
    return conn.execute(
        update(kiosks)
        .where(kiosks.c.name == name, kiosks.c.id != keep, kiosks.c.revoked.is_(False))
        .values(revoked=True)
    ).rowcount


def kiosk_query():
    return (
        select(
            kiosks.c.id,
            kiosks.c.name,
            kiosks.c.revoked,
            kiosks.c.paired_at,
            kiosks.c.last_seen,
            kiosk_status.c.agent,
            kiosk_status.c.last_push,
            kiosk_status.c.clock_skew_seconds,
            kiosk_status.c.events_received,
        )
        .select_from(kiosks.outerjoin(kiosk_status, kiosk_status.c.kiosk_id == kiosks.c.id))
        .order_by(kiosks.c.revoked, kiosks.c.name, kiosks.c.paired_at.desc())
    )


def kiosk_rows(engine: Engine) -> list[dict[str, Any]]:
    at = now()
    out = []
    with engine.connect() as conn:
        for r in conn.execute(kiosk_query()):
            m = dict(r._mapping)
            seen = _aware(m["last_seen"]) if m["last_seen"] else None
            m["stale"] = not m["revoked"] and (seen is None or at - seen > STALE_AFTER)
            out.append(m)
    return out


def revoke_kiosk(engine: Engine, actor: str, kiosk_id: str) -> bool:
    with engine.begin() as conn:
        hit = conn.execute(update(kiosks).where(kiosks.c.id == kiosk_id).values(revoked=True))
        if hit.rowcount == 1:
            audit(conn, actor, "kiosk_revoke", f"kiosk:{kiosk_id}", {})
        return hit.rowcount == 1


# --- vehicles -------------------------------------------------------------------------------
VEHICLE_KINDS = REGISTERED_KINDS  # the kiosk's own list: a kind it could not judge never reaches it
# the pasted CSV's columns: the form's names, and the Vietnamese ones the Vietnamese page's hint
# gives (either taken, in any case, with or without the diacritics); a pasted permit is approved
VEHICLE_COLUMNS = tuple(c for c in csv_columns.COLUMNS["vehicles"] if c[0] != "status")
VEHICLE_NEEDED = ("id", "plate", "kind", "valid_from", "valid_to")  # what vehicle_doc reads
# a pasted row's refusal that the form words for several boxes, said for its column alone
PASTED_RULES = {
    ("bad_vehicle", "id"): "import_rule_id",
    ("bad_vehicle", "plate"): "import_rule_plate",
}


def save_vehicle(engine: Engine, actor: str, form: dict[str, str]) -> dict[str, Any]:
    doc = vehicle_doc(form)
    with engine.begin() as conn:
        put(conn, "vehicle", str(doc["id"]), doc)
        audit(
            conn,
            actor,
            "vehicle_save",
            f"vehicle:{doc['id']}",
            {"plate": doc["plate_display"], "kind": doc["kind"]},
        )
    return doc


def import_vehicles(engine: Engine, actor: str, text: str) -> int:
    """Pasted CSV (the columns of the vehicle form): every row checked first, then all rows
    written in one transaction, or none; a bad row is named by its line."""
    import csv
    import io

    docs = []
    try:
        reader = csv_columns.keyed("vehicles", csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv_columns.DuplicateColumn as exc:
        raise OfficeError(
            "bad_vehicle_line", line=1, problem="duplicate_column", column=exc.key
        ) from None
    if reader.fieldnames:
        header = csv_columns.header_problem("vehicles", list(reader.fieldnames), VEHICLE_NEEDED)
        if header is not None:  # each row would otherwise be refused for the column's value
            raise OfficeError("bad_vehicle_line", line=1, problem=header[0], column=header[1])
    for line, row in enumerate(reader, start=2):
        try:
            docs.append(vehicle_doc({k: (v or "") for k, v in row.items() if k}))
        except OfficeError as exc:
            # the form's box a refusal names is the column of the same key
            column = str(exc.params.get("field", ""))
            problem = PASTED_RULES.get((exc.code, column), exc.code)
            raise OfficeError(
                "bad_vehicle_line", line=line, problem=problem, column=column
            ) from None
    if not docs:
        raise OfficeError("bad_vehicle_line", line=1, problem="empty")
    with engine.begin() as conn:
        write_entities(conn, "vehicle", [(str(d["id"]), d) for d in docs])
        audit(conn, actor, "vehicle_import", "vehicles", {"rows": len(docs)})
    return len(docs)


def vehicle_doc(form: dict[str, str]) -> dict[str, Any]:
    from kiosk.errors import InputError
    from kiosk.plates import parse_plate

    if form.get("kind") not in VEHICLE_KINDS:
        raise OfficeError("bad_vehicle_kind", kind=form.get("kind", ""), field="kind")
    number = _whole(form.get("id", ""), "bad_vehicle", "id")
    try:
        plate = parse_plate(form.get("plate", ""))
    except InputError:
        raise OfficeError("bad_vehicle", field="plate") from None
    start = _day(form.get("valid_from", ""), "valid_from", _local_time)
    end = _day(form.get("valid_to", ""), "valid_to", lambda t: _local_time(t, whole_day=True))
    if end <= start:
        raise OfficeError("bad_dates", field="valid_to")
    doc = {
        "id": number,
        "plate_key": plate.key,
        "plate_display": plate.display,  # as printed, however the clerk typed it
        "kind": form["kind"],
        "status": "approved",
        "business": form.get("business", "").strip(),
        "driver_name": form.get("driver_name", "").strip(),
        "driver_phone": form.get("driver_phone", "").strip(),
        "valid_from": start.isoformat(),
        "valid_to": end.isoformat(),
        "route": form.get("route", "").strip(),
        "updated_at": now().isoformat(),
    }
    return doc


def vehicle_checks(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """Where vehicles were checked: the police screen's scans kiosks pushed."""
    q = (
        select(events.c.kiosk_id, events.c.occurred_at, events.c.data)
        .where(events.c.kind == "scan")
        .order_by(events.c.occurred_at.desc())
        .limit(limit * 10)
    )
    out = []
    with engine.connect() as conn:
        for r in conn.execute(q):
            d = json.loads(r.data)
            if d.get("screen") == "police":
                out.append(
                    {
                        "at": r.occurred_at,
                        "checkpoint": d.get("checkpoint_id", ""),
                        "plate": d.get("subject_ref", ""),
                        "verdict": d.get("verdict", ""),
                        "reason": d.get("reason", ""),
                    }
                )
                if len(out) >= limit:
                    break
    return out


def _whole(text: str, code: str, field: str) -> int:
    """A positive id typed in the form's `field`, or OfficeError(code) naming that field."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise OfficeError(code, field=field)
    return number


def _day(text: str, field: str, read: Callable[[str], Any] = parse_day) -> Any:
    """A day (or with `read` a time) typed in the form's `field`, or OfficeError naming it."""
    try:
        return read(text)
    except ValueError:
        raise OfficeError("bad_date", field=field) from None


def _local_time(text: str, whole_day: bool = False) -> datetime:
    """A typed time; a day alone is its start, or with `whole_day` its last minute (a permit
    "to 31/12/2026" holds all that day)."""
    try:
        moment = parse_moment(text)
    except ValueError:
        day = parse_day(text)
        moment = datetime.combine(day, time(23, 59) if whole_day else time(0, 0))
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
