"""The server's tables, created on first start; `server_meta.schema_version` names the layout.

`entities` holds the current state of everything kiosks cache (one JSON document per kind and
key); every change to it also appends to `changes`, whose sequence number is the pull cursor.
`events` holds what kiosks pushed, keyed by the kiosk-made event id: a repeat is one row.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from itertools import islice

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
    text,
)

SCHEMA_VERSION = 1
metadata = MetaData()

meta = Table(
    "server_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)
kiosks = Table(
    "kiosks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("credential_hash", String(64), nullable=False, unique=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("paired_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True)),
)
pairing_codes = Table(
    "pairing_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used", Boolean, nullable=False, default=False),
)
entities = Table(
    "entities",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("key", String(40), primary_key=True),
    Column("data", Text, nullable=False),
)
changes = Table(
    "changes",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("kind", String(20), nullable=False),
    Column("key", String(40), nullable=False),
    Column("op", String(6), nullable=False),
    Column("data", Text),
)
events = Table(
    "events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("kiosk_id", String(36), nullable=False, index=True),
    Column("kind", String(24), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("clock_skew_seconds", Float, nullable=False),
    Column("data", Text, nullable=False),
)
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("key_id", Integer, primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_to", DateTime(timezone=True)),
)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _private_file(path: str) -> None:
    """server.db made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the
    database file's mode, whatever the umask. A file from before is closed to others too."""
    if not path or path == ":memory:":
        return
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.exists(name):
            os.chmod(name, 0o600)


def open_db(url: str) -> Engine:
    import kiosk_server.office_db  # noqa: F401  (the back office's tables are created with ours)

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        _private_file(engine.url.database or "")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: object, _record: object) -> None:
            cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()
    else:
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    metadata.create_all(engine)
    from kiosk_server.tracing import create_tables  # issue 10's tables (scan_log, ...)

    create_tables(engine)
    with engine.begin() as conn:
        found = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if found is None:
            conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        elif int(found) != SCHEMA_VERSION:
            raise RuntimeError(f"database schema {found}, this server knows {SCHEMA_VERSION}")
    return engine


def lock_changes(conn: Connection) -> None:
    """One writer of `changes` at a time on PostgreSQL, so that sequence order is commit order
    and a kiosk's cursor never steps over a row committed late (SQLite has one writer anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE changes IN EXCLUSIVE MODE"))


def write_entities(conn: Connection, kind: str, items: list[tuple[str, dict[str, object]]]) -> int:
    """Sets entities and appends their changes inside the caller's transaction; returns how
    many."""
    from kiosk_server.sql import insert_or_replace

    lock_changes(conn)
    docs = [
        {"kind": kind, "key": k, "data": json.dumps(d, ensure_ascii=False, default=str)}
        for k, d in items
    ]
    conn.execute(insert_or_replace(conn.engine, entities, ["kind", "key"], ["data"]), docs)
    conn.execute(changes.insert(), [{**d, "op": "upsert"} for d in docs])
    if kind == "declaration":  # contact details and the day's self-declarations (tracing.py)
        from kiosk_server.tracing import record_declarations

        record_declarations(conn, items)
    return len(docs)


def upsert_entities(
    engine: Engine,
    kind: str,
    rows: Iterable[tuple[str, dict[str, object]]],
    chunk: int = 5000,
    atomic: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Sets entities and appends their changes, in chunks, one transaction a chunk; or, with
    `atomic` (an import: all rows or none), every chunk in one transaction. `progress` hears
    the rows written so far after each chunk."""
    items = iter(rows)
    batches = iter(lambda: list(islice(items, chunk)), [])
    count = 0
    if atomic:
        with engine.begin() as conn:
            for batch in batches:
                count += write_entities(conn, kind, batch)
                if progress is not None:
                    progress(count)
        return count
    for batch in batches:
        with engine.begin() as conn:
            count += write_entities(conn, kind, batch)
        if progress is not None:
            progress(count)
    return count


def now() -> datetime:
    return datetime.now(UTC)
