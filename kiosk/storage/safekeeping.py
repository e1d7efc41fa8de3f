"""Damage noticed and survived: the checks before the database is opened, the upgrade of an
older plain file to SQLCipher, rolling backups and bringing one back (docs/storage.md).

Backups are `backups/kiosk-YYYYMMDDTHHMMSSZ.db` in the data directory, made with SQLite's backup
API from the open (encrypted) database and encrypted with the same key; the window makes one an
hour and at each sign-out, the newest BACKUPS_KEPT are kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from kiosk.errors import EnvironmentProblem
from kiosk.storage.database import connect, copy_to, open_engine, quick_check
from kiosk.storage.keys import (
    database_key,
    device_state,
    is_plain_sqlite,
    note,
    private_dir,
    private_file,
)

BACKUPS_KEPT = 24
BACKUP_DIR = "backups"
_STAMP = "%Y%m%dT%H%M%SZ"


def key_for_opening(path: Path) -> bytes:
    """The key to open `path` with, after the checks that must come before opening it: a
    missing or empty database where one was paired (or backed up) is 'db_lost', not a new
    empty cache; an older plain SQLite file is encrypted in place first."""
    data_dir = path.parent
    private_dir(data_dir)
    state = device_state(data_dir)
    empty = not path.exists() or path.stat().st_size == 0
    if empty:
        if state.get("paired_with") or list_backups(data_dir):
            raise EnvironmentProblem("db_lost")
        return database_key(data_dir, create=True)
    if is_plain_sqlite(path):
        key = database_key(data_dir, create=not state)
        _encrypt_plain(path, key)
        return key
    if not state:
        raise EnvironmentProblem("db_damaged")  # not SQLite, and no key was ever made here
    return database_key(data_dir, create=False)


def _encrypt_plain(path: Path, key: bytes) -> None:
    """A file written before encryption at rest: exported into a keyed copy that replaces it
    (the old WAL checkpointed into it first). The freed blocks of the plain file may still
    hold its bytes on the disk: docs/security.md."""
    tmp = path.with_name(path.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    private_file(tmp)
    try:
        plain = connect(path, None)
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.close()
        enc = sqlcipher.connect(str(path))  # no key given: SQLCipher reads a plain file
        enc.isolation_level = None
        enc.execute(f"ATTACH DATABASE '{tmp}' AS encrypted KEY \"x'{key.hex()}'\"")
        enc.execute("SELECT sqlcipher_export('encrypted')")
        version = enc.execute("PRAGMA user_version").fetchone()[0]
        enc.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        enc.execute("DETACH DATABASE encrypted")
        enc.close()
    except Exception:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem("db_damaged") from None
    _fsync(tmp)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)


def open_checked(path: Path, verify: bool = True) -> tuple[Engine, bytes]:
    key = key_for_opening(path)
    engine = open_engine(path, key)
    if verify:
        try:
            quick_check(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine, key


# --- backups ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime

    @property
    def name(self) -> str:
        return self.path.name

    def to_json(self) -> dict[str, object]:
        return {
            "backup": self.name,
            "taken_at": self.taken_at.isoformat(timespec="seconds"),
            "bytes": self.path.stat().st_size,
        }


def _disk_full(exc: Exception) -> bool:
    """The OS's ENOSPC (or a quota), or SQLite's own words for it; anything else that stops the
    write is the folder: one that cannot be created or written, a read-only or missing disk."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return "disk is full" in str(exc).lower()


def list_backups(data_dir: Path) -> list[Backup]:
    """Newest first."""
    found = []
    for p in (data_dir / BACKUP_DIR).glob("kiosk-*.db"):
        try:
            at = datetime.strptime(p.stem.removeprefix("kiosk-"), _STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(Backup(p, at))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def make_backup(engine: Engine, data_dir: Path, key: bytes, now: datetime | None = None) -> Backup:
    """A backup of the open database, then only the newest BACKUPS_KEPT kept. A backup that
    cannot be written is 'backup_disk_full' or 'backup_not_writable' (the database itself is
    untouched), and leaves no part-written file behind."""
    now = now or datetime.now(UTC)
    target = data_dir / BACKUP_DIR / f"kiosk-{now.astimezone(UTC).strftime(_STAMP)}.db"
    try:
        private_dir(target.parent)
        copy_to(engine, target, key)
    except (OSError, sqlite3.Error, sqlcipher.Error) as exc:
        with contextlib.suppress(OSError):
            target.with_name(target.name + ".part").unlink(missing_ok=True)
        raise EnvironmentProblem(
            "backup_disk_full" if _disk_full(exc) else "backup_not_writable"
        ) from exc
    for old in list_backups(data_dir)[BACKUPS_KEPT:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, now)


def restore(data_dir: Path, name: str | None = None, now: datetime | None = None) -> Backup:
    """Brings back backup `name` (default: the newest that passes quick_check) as kiosk.db; the
    file it replaces is kept beside it as kiosk.db.replaced-<time>. Raises EnvironmentProblem
    'no_backup' (none, or not that name), 'backup_damaged' (that one fails its check)."""
    now = now or datetime.now(UTC)
    key = database_key(data_dir, create=False)
    backups = list_backups(data_dir)
    if name is not None:
        backups = [b for b in backups if b.name == name or b.name == f"{name}.db"]
    if not backups:
        raise EnvironmentProblem("no_backup")
    chosen = None
    for b in backups:
        if _backup_ok(b.path, key):
            chosen = b
            break
        if name is not None:
            raise EnvironmentProblem("backup_damaged")
    if chosen is None:
        raise EnvironmentProblem("backup_damaged")
    db = data_dir / "kiosk.db"
    stamp = now.astimezone(UTC).strftime(_STAMP)
    if db.exists():
        os.replace(db, db.with_name(f"kiosk.db.replaced-{stamp}"))
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    tmp = db.with_name("kiosk.db.restoring")
    private_file(tmp)
    shutil.copyfile(chosen.path, tmp)
    _fsync(tmp)
    os.replace(tmp, db)
    note(data_dir, restored_from=chosen.name, restored_at=now.isoformat(timespec="seconds"))
    return chosen


def _backup_ok(path: Path, key: bytes) -> bool:
    try:
        conn = connect(path, key)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, sqlcipher.DatabaseError):
        return False


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def raw_connection(path: Path | str, data_dir: Path | None = None) -> sqlite3.Connection:
    """A plain DB-API connection to an encrypted file of this kiosk (`path`, or a backup of
    the database in `data_dir`): for tools and tests that read the file as another reader."""
    path = Path(path)
    key = database_key(data_dir or path.parent, create=False)
    return connect(path, key)
