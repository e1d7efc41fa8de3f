"""Opening the SQLite file: pragmas for durability, migrations with a backup, error translation."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Table, create_engine, event, insert
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from kiosk.errors import EnvironmentProblem

MIGRATIONS = Path(__file__).parent / "migrations"


def open_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10})

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


def replace_row(engine: Engine, table: Table, **values: object) -> None:
    """Writes one row in its own transaction; a row with the same key is replaced."""
    with translate_errors(), engine.begin() as conn:
        conn.execute(insert(table).prefix_with("OR REPLACE").values(**values))


def _alembic_config(connection: object) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine, path: Path) -> None:
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
            _backup(engine, path.with_name(f"{path.name}.before-{head}"))
        command.upgrade(cfg, "head")


def _backup(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(target)
        with dest:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
        dest.close()
    finally:
        raw.close()


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
        raise EnvironmentProblem("db_unavailable") from exc
    except IntegrityError:
        raise  # bad data, not a bad machine: the caller decides
    except SQLAlchemyError as exc:
        if isinstance(getattr(exc, "orig", None), sqlite3.DatabaseError):
            raise EnvironmentProblem("db_unavailable") from exc
        raise
