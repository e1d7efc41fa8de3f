"""What a province's operator does to the server: pairing codes, revocation, signing keys,
tokens, imports. The same functions back `kiosk-server` and the tests."""

from __future__ import annotations

import csv
import json
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, delete, func, select, update

from kiosk import tokens
from kiosk.clock import VIETNAM
from kiosk.errors import InputError
from kiosk.plates import parse_plate
from kiosk.storage.replica import BIGINT_MAX
from kiosk.vehicles import REGISTERED_KINDS
from kiosk_server import csv_columns, keys
from kiosk_server.db import (
    digest,
    entities,
    kiosks,
    lock_changes,
    meta,
    now,
    pairing_codes,
    signing_keys,
    upsert_entities,
    write_entities,
)

PAIRING_VALID = timedelta(minutes=30)


def new_pairing_code(engine: Engine) -> str:
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))  # e.g. 3F2A-9C01-77BE
    with engine.begin() as conn:
        conn.execute(
            pairing_codes.insert().values(
                code_hash=digest(code), used=False, expires_at=now() + PAIRING_VALID
            )
        )
    return code


def revoke(engine: Engine, kiosk_id: str) -> bool:
    with engine.begin() as conn:
        return (
            conn.execute(
                update(kiosks).where(kiosks.c.id == kiosk_id).values(revoked=True)
            ).rowcount
            == 1
        )


def list_kiosks(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    kiosks.c.id,
                    kiosks.c.name,
                    kiosks.c.revoked,
                    kiosks.c.paired_at,
                    kiosks.c.last_seen,
                )
            )
        ]


def _public_hex(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def rotate_key(engine: Engine) -> int:
    """A new signing key from now on; the old one stays trusted for what it already signed,
    unless it is the public demo key: anyone can sign with that, so it is withdrawn."""
    key = Ed25519PrivateKey.generate()
    secret = keys.passphrase(engine)
    demo = demo_public_hex()
    at = now().replace(microsecond=0)  # tokens carry whole seconds: a key starts on one
    with engine.begin() as conn:
        # the key change and its publication in one transaction, the changes lock taken first
        # (as revoke_key does): a revocation can then fall neither between them nor deadlock
        lock_changes(conn)
        latest = max(
            conn.execute(select(func.max(signing_keys.c.key_id))).scalar() or 0,
            _last_key_id(conn),
        )
        _key_id_used(conn, latest + 1)
        old = [
            (r, _public_hex(keys.unseal(r.private_pem, r.key_id, secret)))
            for r in conn.execute(select(signing_keys).where(signing_keys.c.valid_to.is_(None)))
        ]
        conn.execute(
            update(signing_keys).where(signing_keys.c.valid_to.is_(None)).values(valid_to=at)
        )
        for r, public in old:
            if public == demo:
                _withdraw(conn, r.key_id)
        conn.execute(
            signing_keys.insert().values(
                key_id=latest + 1,
                private_pem=keys.seal(key, latest + 1, secret),
                valid_from=at - timedelta(days=365) if latest == 0 else at,
            )
        )
        published = [
            (
                str(r.key_id),
                {
                    "key_id": r.key_id,
                    "algorithm": "Ed25519",
                    "public_key": public,
                    "valid_from": _utc(r.valid_from).isoformat(),
                    "valid_to": at.isoformat(),
                },
            )
            for r, public in old
            if public != demo
        ]
        published.append(
            (
                str(latest + 1),
                {
                    "key_id": latest + 1,
                    "algorithm": "Ed25519",
                    "public_key": _public_hex(key),
                    "valid_from": (at - timedelta(days=365) if latest == 0 else at).isoformat(),
                    "valid_to": None,
                },
            )
        )
        write_entities(conn, "trusted_key", published)
    return latest + 1


def revoke_key(engine: Engine, key_id: int) -> bool:
    """A leaked key: gone from the server, and a delete for every kiosk's trusted keys."""
    with engine.begin() as conn:
        lock_changes(conn)
        return _withdraw(conn, key_id)


def _withdraw(conn: Connection, key_id: int) -> bool:
    from kiosk_server.db import changes

    # its id is never given to a new key, even when no key was ever rotated here (the demo)
    _key_id_used(conn, key_id)
    gone = conn.execute(delete(signing_keys).where(signing_keys.c.key_id == key_id)).rowcount
    conn.execute(
        delete(entities).where(entities.c.kind == "trusted_key", entities.c.key == str(key_id))
    )
    conn.execute(
        changes.insert().values(kind="trusted_key", key=str(key_id), op="delete", data=None)
    )
    return gone == 1


def _last_key_id(conn: Connection) -> int:
    used = conn.execute(select(meta.c.value).where(meta.c.key == "last_key_id")).scalar()
    return int(used or 0)


def _key_id_used(conn: Connection, key_id: int) -> None:
    """Key ids are never reused, not even a revoked key's: kiosks may still hold its delete."""
    highest = max(_last_key_id(conn), key_id)
    conn.execute(delete(meta).where(meta.c.key == "last_key_id"))
    conn.execute(meta.insert().values(key="last_key_id", value=str(highest)))


def _utc(moment: datetime) -> datetime:
    """SQLite gives back the UTC times it stored without their zone; the wire wants it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def active_key(engine: Engine) -> tuple[int, Ed25519PrivateKey]:
    """The key signing from now on; a new server makes its own on first use."""
    with engine.connect() as conn:
        row = conn.execute(select(signing_keys).where(signing_keys.c.valid_to.is_(None))).first()
    if row is None:
        return rotate_key(engine), active_key(engine)[1]
    return int(row.key_id), keys.unseal(row.private_pem, row.key_id, keys.passphrase(engine))


def seal_plain_keys(engine: Engine) -> int:
    """Seals keys a server stored before keys were sealed; how many."""
    with engine.begin() as conn:
        plain = [
            r
            for r in conn.execute(select(signing_keys.c.key_id, signing_keys.c.private_pem))
            if not keys.is_sealed(r.private_pem)
        ]
        if plain:
            secret = keys.passphrase(engine)
        for r in plain:
            sealed = keys.seal(keys.unseal(r.private_pem, r.key_id, secret), r.key_id, secret)
            conn.execute(
                update(signing_keys)
                .where(signing_keys.c.key_id == r.key_id)
                .values(private_pem=sealed)
            )
    return len(plain)


def demo_public_hex() -> str:
    from kiosk_server.demo import demo_key

    return _public_hex(demo_key())


def demo_key_in_use(engine: Engine) -> bool:
    """True while the public demo key is one this server publishes as trusted: every kiosk
    synced with it then allows codes that anyone who read kiosk/demo.py can make."""
    with engine.connect() as conn:
        published = conn.execute(
            select(entities.c.data).where(entities.c.kind == "trusted_key")
        ).scalars()
        return any(json.loads(d).get("public_key") == demo_public_hex() for d in published)


DEMO_KEY_WARNING = (
    "this server still signs with the public demo key of `kiosk-server demo`: anyone can make "
    "codes that its kiosks allow. Run `kiosk-server rotate-key` first (it withdraws the demo key)"
)


class DemoKeyInUse(RuntimeError):
    pass


class UnknownDeclaration(ValueError):
    pass


def issue_token(
    engine: Engine, declaration_id: int, subject_id: str, valid: timedelta = timedelta(days=14)
) -> str:
    """Signs only what the server holds: a declaration it knows, for the person it names. A
    token is a promise every kiosk believes offline, so a typo here must not become one."""
    with engine.connect() as conn:
        data = conn.execute(
            select(entities.c.data).where(
                entities.c.kind == "declaration", entities.c.key == str(declaration_id)
            )
        ).scalar()
    if data is None:
        raise UnknownDeclaration(f"no declaration {declaration_id} on this server")
    if json.loads(data).get("subject_id") != subject_id:
        raise UnknownDeclaration(f"declaration {declaration_id} is not for that ID number")
    if demo_key_in_use(engine):
        raise DemoKeyInUse(DEMO_KEY_WARNING)
    key_id, key = active_key(engine)
    at = now()
    return tokens.sign(
        tokens.DeclarationToken(key_id, at, at + valid, declaration_id, subject_id), key
    )


# --- CSV import: one function a kind, each row checked before anything is written ----------
# what each kind's file holds (the importer's columns, in the order the import page lists them;
# * marks the ones it needs)
IMPORT_COLUMNS = {
    "declarations": (
        "id*",
        "subject_id*",
        "full_name*",
        "birth_date*",
        "sex*",
        "status*",
        "valid_until*",
        "phone",
        "origin_area",
        "travel_areas",
        "symptoms",
        "declared_by_proxy",
    ),
    "vehicles": (
        "id*",
        "plate*",
        "kind*",
        "status*",
        "valid_from*",
        "valid_to*",
        "business",
        "driver_name",
        "driver_phone",
    ),
    "cards": ("card_id*", "household_head*", "market_id*", "phone", "revoked"),
    "zones": ("id*", "area_code*", "name*", "active_from*", "active_to"),
    "markets": ("id*", "name*"),
}


class ImportError_(ValueError):
    """A refused file, nothing written. `rule` says what to fix (a key of the back office's
    catalogue, kiosk_server.web.i18n, its placeholders in `params`); `line` the file's line at
    fault (1 its header, 0 the whole file), `column` the column's key. A person reads it
    through kiosk_server.web.imports.said, in their language; the text here is codes, for a
    log: never a cell's value (it may be an ID number)."""

    def __init__(
        self,
        filename: str,
        kind: str,
        rule: str,
        line: int = 0,
        column: str = "",
        **params: str,
    ) -> None:
        where = f", line {line}" if line else ""
        named = f", column {column}" if column else ""
        super().__init__(f"{filename}{where}{named}: {rule}")
        self.filename = filename
        self.kind = kind
        self.rule = rule
        self.line = line
        self.column = column
        self.params = params


class _Refused(ValueError):
    """A row's cell breaking `rule`; the row's line is added where the row is read."""

    def __init__(self, column: str, rule: str, **params: str) -> None:
        super().__init__(f"{column}: {rule}")
        self.column = column
        self.rule = rule
        self.params = params


def _cell(
    r: dict[str, str], column: str, read: Callable[[str], Any], rule: str, **params: str
) -> Any:
    """`column`'s cell read by `read`, or _Refused naming the column and the rule it breaks."""
    try:
        return read(r.get(column) or "")
    except (ValueError, InputError):
        raise _Refused(column, rule, **params) from None


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value not in choices:
            raise ValueError(value)
        return value

    return read


def _iso_datetime(value: str) -> str:
    """A time typed in a spreadsheet in Vietnam: without a zone it is Vietnamese time. Sent
    without one, each kiosk would read it in its own laptop's zone."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.isoformat()


def _id(value: str) -> int:
    """An entity id: the key the kiosks match on is its decimal form, so `007` is 7."""
    number = int(value)
    if not 1 <= number <= BIGINT_MAX:  # what a kiosk's id column holds
        raise ValueError("id out of range")
    return number


def _id_number(value: str) -> str:
    if not (value.isascii() and value.isdigit() and len(value) in (9, 12)):
        raise ValueError("not an ID number")
    return value


def _iso_date(value: str) -> str:
    return date.fromisoformat(value).isoformat()


DECLARATION_STATUSES = ("approved", "pending", "rejected")
SEXES = ("M", "F")


def _declaration(r: dict[str, str]) -> tuple[str, dict[str, object]]:
    number = _cell(r, "id", _id, "import_rule_id")
    data = {
        "id": number,
        "subject_id": _cell(r, "subject_id", _id_number, "import_rule_id_number"),
        "full_name": r.get("full_name") or "",
        "birth_date": _cell(r, "birth_date", _iso_date, "import_rule_date"),
        "sex": _cell(r, "sex", _one_of(SEXES), "import_rule_one_of", choices=", ".join(SEXES)),
        "phone": r.get("phone") or "",
        "status": _cell(
            r,
            "status",
            _one_of(DECLARATION_STATUSES),
            "import_rule_one_of",
            choices=", ".join(DECLARATION_STATUSES),
        ),
        "valid_until": _cell(r, "valid_until", _iso_datetime, "import_rule_time"),
        "origin_area": r.get("origin_area") or "",
        "travel_areas": r.get("travel_areas") or "",
        "symptoms": r.get("symptoms") or "",
        "declared_by_proxy": (r.get("declared_by_proxy") or "0") in ("1", "true"),
        "updated_at": now().isoformat(),
    }
    return str(number), data


def _vehicle(r: dict[str, str]) -> tuple[str, dict[str, object]]:
    number = _cell(r, "id", _id, "import_rule_id")
    plate = _cell(r, "plate", parse_plate, "import_rule_plate")
    kind = _cell(
        r,
        "kind",
        _one_of(REGISTERED_KINDS),
        "import_rule_one_of",
        choices=", ".join(REGISTERED_KINDS),
    )
    return str(number), {
        "id": number,
        "plate_key": plate.key,
        "plate_display": plate.display,
        "kind": kind,
        "status": r.get("status") or "",
        "business": r.get("business") or "",
        "driver_name": r.get("driver_name") or "",
        "driver_phone": r.get("driver_phone") or "",
        "valid_from": _cell(r, "valid_from", _iso_datetime, "import_rule_time"),
        "valid_to": _cell(r, "valid_to", _iso_datetime, "import_rule_time"),
        "updated_at": now().isoformat(),
    }


def _card(r: dict[str, str]) -> tuple[str, dict[str, object]]:
    number = _cell(r, "card_id", _id, "import_rule_id")
    return str(number), {
        "card_id": number,
        "household_head": r.get("household_head") or "",
        "phone": r.get("phone") or "",
        "market_id": _cell(r, "market_id", _id, "import_rule_id"),
        "revoked": (r.get("revoked") or "0") in ("1", "true"),
        "updated_at": now().isoformat(),
    }


def _zone(r: dict[str, str]) -> tuple[str, dict[str, object]]:
    number = _cell(r, "id", _id, "import_rule_id")
    return str(number), {
        "id": number,
        "area_code": r.get("area_code") or "",
        "name": r.get("name") or "",
        "active_from": _cell(r, "active_from", _iso_date, "import_rule_date"),
        "active_to": _cell(r, "active_to", _iso_date, "import_rule_date")
        if r.get("active_to")
        else None,
    }


def _market(r: dict[str, str]) -> tuple[str, dict[str, object]]:
    number = _cell(r, "id", _id, "import_rule_id")
    return str(number), {"id": number, "name": r.get("name") or ""}


IMPORTERS = {
    "declarations": ("declaration", _declaration),
    "vehicles": ("vehicle", _vehicle),
    "cards": ("market_card", _card),
    "zones": ("epidemic_zone", _zone),
    "markets": ("market", _market),
}


def import_csv(
    engine: Engine,
    kind: str,
    path: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """All rows or none: a bad file or row stops the import, ImportError_ saying where and
    what to fix. `progress` hears ("checked", rows, total) as rows are read, then
    ("written", rows, total) as they are stored."""
    entity, convert = IMPORTERS[kind]
    refused = partial(ImportError_, path.name, kind)
    try:
        total = 0
        if progress is not None:  # a first pass for the total: a tenth of the checking's time
            with path.open(encoding="utf-8-sig", newline="") as f:
                lines = csv.reader(f)
                try:
                    total = max(sum(1 for _ in lines) - 1, 0)
                except csv.Error:  # met here before the check below: said as it says it
                    raise refused("import_bad_csv", line=lines.line_num) from None
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = _checked_rows(kind, csv.DictReader(f), convert, refused, progress, total)
    except UnicodeDecodeError:
        raise refused("import_not_utf8") from None
    if progress is None:
        return upsert_entities(engine, entity, rows, atomic=True)
    progress("checked", len(rows), len(rows))
    return upsert_entities(
        engine, entity, rows, atomic=True, progress=lambda n: progress("written", n, len(rows))
    )


def _checked_rows(
    kind: str,
    reader: csv.DictReader,
    convert: Callable[[dict[str, str]], tuple[str, dict[str, object]]],
    refused: Callable[..., ImportError_],
    progress: Callable[[str, int, int], None] | None,
    total: int,
) -> list[tuple[str, dict[str, object]]]:
    try:
        try:
            reader = csv_columns.keyed(kind, reader)
        except csv_columns.DuplicateColumn as exc:
            raise refused("import_duplicate_column", line=1, column=exc.key) from None
        if not reader.fieldnames:
            raise refused("import_empty")
        needed = [c.rstrip("*") for c in IMPORT_COLUMNS[kind] if c.endswith("*")]
        problem = csv_columns.header_problem(kind, list(reader.fieldnames), needed)
        if problem is not None:
            rule, column, unknown = problem
            raise refused(rule, line=1, column=column, unknown=unknown)
        rows: list[tuple[str, dict[str, object]]] = []
        for line, record in enumerate(reader, start=2):
            nul = _nul_column(record)
            if nul is not None:  # PostgreSQL refuses it in text mid-import (a traceback)
                raise refused("import_nul", line=line, column=nul)
            try:
                rows.append(convert(record))
            except _Refused as exc:
                raise refused(exc.rule, line=line, column=exc.column, **exc.params) from None
            if progress is not None and len(rows) % 1000 == 0:
                progress("checked", len(rows), total)
    except csv.Error:  # an unclosed quote running to the end, a cell past the field limit
        raise refused("import_bad_csv", line=reader.line_num) from None
    # a header with no rows imports nothing and is not refused: a nightly export of a quiet
    # day is such a file, and a script that imports it must not fail
    return rows


def _nul_column(record: dict[str | None, Any]) -> str | None:
    """The key of a cell holding a NUL character ("" for one past the header's columns)."""
    for key, value in record.items():
        cells = value if isinstance(value, list) else [value or ""]
        if any("\0" in c for c in cells):
            return key or ""
    return None
