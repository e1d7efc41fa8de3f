"""Opening the database: SQLCipher keyed from kiosk/storage/keys.py, pragmas for durability, a
quick_check on open, migrations with a backup, error translation."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Table, create_engine, event, insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from kiosk.errors import EnvironmentProblem
from kiosk.storage.keys import pragma_key, private_file

MIGRATIONS = Path(__file__).parent / "migrations"


def connect(path: Path, key: bytes | None) -> sqlite3.Connection:
    """One DB-API connection: SQLCipher keyed with `key`, or plain SQLite when `key` is None
    (only the benchmark's before/after comparison and the upgrade of an older plain file)."""
    if key is None:
        return sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn = sqlcipher.connect(str(path), timeout=10, check_same_thread=False)
    # SQLCipher writes its own log lines to stderr (a page's HMAC failing...): the command
    # line's contract is one line on stderr, and the error reaches us as an exception anyway.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(pragma_key(key))  # before anything else touches the file
    return conn  # type: ignore[return-value]


def open_engine(path: Path, key: bytes | None) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        private_file(path)  # 0600 before SQLite writes a byte; -wal and -shm take its mode
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher if key is not None else sqlite3,
        creator=lambda: connect(path, key),
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # pysqlite commits DDL on its own, which would leave a failed upgrade half done: take
        # transactions over (the recipe in SQLAlchemy's SQLite notes) so a migration is atomic.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # WAL lets the window read while a scan is written; synchronous=FULL makes a commit
        # survive a power cut, not only a killed process: a shown verdict must never be lost.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: object) -> None:
        conn.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]

    return engine


def quick_check(engine: Engine) -> None:
    """PRAGMA quick_check over every page (each page's HMAC too, under SQLCipher): a damaged
    file is refused with 'db_damaged' rather than giving verdicts from what is left of it."""
    try:
        raw = engine.raw_connection()  # the pragmas on connect read the file: may fail too
        try:
            rows = raw.driver_connection.execute("PRAGMA quick_check").fetchall()  # type: ignore[union-attr]
        finally:
            raw.close()
    except (sqlite3.DatabaseError, sqlcipher.DatabaseError, DBAPIError) as exc:
        if _is_busy(exc):
            raise EnvironmentProblem("db_locked") from exc
        raise EnvironmentProblem("db_damaged") from exc
    if rows != [("ok",)]:
        raise EnvironmentProblem("db_damaged")


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def replace_row(engine: Engine, table: Table, **values: object) -> None:
    """Writes one row in its own transaction; a row with the same key is replaced."""
    with translate_errors(), engine.begin() as conn:
        conn.execute(insert(table).prefix_with("OR REPLACE").values(**values))


def _alembic_config(connection: object) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine, path: Path, key: bytes | None) -> None:
    """Brings the file to the newest schema; an older non-empty file is backed up first."""
    with translate_errors(), engine.begin() as conn:
        cfg = _alembic_config(conn)
        scripts = ScriptDirectory.from_config(cfg)
        head = scripts.get_current_head()
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return
        if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
            raise EnvironmentProblem("db_newer")  # written by a newer kiosk: never downgrade
        if current is not None:
            copy_to(engine, path.with_name(f"{path.name}.before-{head}"), key)
        command.upgrade(cfg, "head")


def copy_to(engine: Engine, target: Path, key: bytes | None) -> None:
    """A consistent copy of the open database through SQLite's backup API, encrypted with the
    same key (the destination is keyed before the first page is copied), mode 0600, fsync'd."""
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    private_file(tmp)
    raw = engine.raw_connection()
    try:
        dest = connect(tmp, key)
        try:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
        finally:
            dest.close()
    finally:
        raw.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turns SQLite failures the operator can act on into EnvironmentProblem codes."""
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig).lower()
        if "disk is full" in text or "disk i/o" in text:
            raise EnvironmentProblem("disk_full") from exc
        if "locked" in text or "busy" in text:
            raise EnvironmentProblem("db_locked") from exc
        if _DAMAGE in text or "malformed" in text:
            raise EnvironmentProblem("db_damaged") from exc
        raise EnvironmentProblem("db_unavailable") from exc
    except IntegrityError:
        raise  # bad data, not a bad machine: the caller decides
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.DatabaseError | sqlcipher.DatabaseError):
            text = str(orig).lower()
            damaged = _DAMAGE in text or "malformed" in text
            raise EnvironmentProblem("db_damaged" if damaged else "db_unavailable") from exc
        raise


# what SQLite (and SQLCipher, for a page whose HMAC fails) says about a damaged file
_DAMAGE = "file is not a database"
