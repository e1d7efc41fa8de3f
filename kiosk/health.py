"""The data directory's health, as a supervisor reads it: free disk space, the database's own
check, the last backup and its age, encryption at rest, and what still waits to be sent.

`check_health` reads the disk and the database (PRAGMA quick_check reads every page: run it off
the window's thread); `Health.lines` words each finding in the operator's language with a state,
'ok' or 'act' (something to do now). The window's panel and `kiosk health` show the same lines.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import DatabaseError

from kiosk import messages
from kiosk.catalogue import Message, gettext_noop, ngettext_noop
from kiosk.clock import local
from kiosk.errors import EnvironmentProblem
from kiosk.storage import Store
from kiosk.storage.database import quick_check
from kiosk.storage.keys import device_state, is_plain_sqlite
from kiosk.storage.safekeeping import Backup, list_backups

# below this the disk needs freeing: a day of scans is a few MB, but 24 rolling backups of a
# database with a province's declarations and the event log take hundreds (docs/storage.md)
LOW_DISK_BYTES = 1024**3
BACKUP_STALE = timedelta(days=1)  # one is made every hour and at each sign-out
UNSENT_STALE = timedelta(days=1)  # the oldest record still waiting for the server

DISK_OK = gettext_noop("Disk: {free} free of {total}.")
DISK_LOW = gettext_noop(
    "Disk almost full: only {free} free of {total}. Free some space, or scans cannot be recorded."
)
DB_OK = gettext_noop("Database checked: no damage found.")
DB_DAMAGED = gettext_noop(
    "Database damaged: call technical support; the last good backup can be restored."
)
DB_BUSY = gettext_noop("Database busy: check again in a moment.")
BACKUP_OK = gettext_noop("Last backup: {when} ({age} ago).")
BACKUP_OLD = gettext_noop("No backup for {age} (last: {when}): back up now.")
BACKUP_NONE = gettext_noop("No backup yet: back up now.")
ENCRYPTED = gettext_noop("Data encrypted on disk.")
NOT_ENCRYPTED = gettext_noop("Data NOT encrypted on disk: call technical support.")
ALL_SENT = gettext_noop("Everything has been sent to the server.")
UNSENT_UNKNOWN = gettext_noop(
    "The records not yet sent could not be counted: the database is damaged."
)
UNSENT: Message = ngettext_noop(
    "{count} record waiting to be sent to the server.",
    "{count} records waiting to be sent to the server.",
    "count",
)
UNSENT_UNPAIRED: Message = ngettext_noop(
    "{count} record kept on this kiosk only: it is not paired with a server yet.",
    "{count} records kept on this kiosk only: it is not paired with a server yet.",
    "count",
)
UNSENT_OLD: Message = ngettext_noop(
    "{count} record not sent for {age}: check the network and press Sync now.",
    "{count} records not sent for {age}: check the network and press Sync now.",
    "count",
)
MINUTES: Message = ngettext_noop("{n} minute", "{n} minutes", "n")
HOURS: Message = ngettext_noop("{n} hour", "{n} hours", "n")
DAYS: Message = ngettext_noop("{n} day", "{n} days", "n")


@dataclass(frozen=True)
class HealthLine:
    topic: str  # disk, database, backup, encryption, sync
    state: str  # 'ok', or 'act': the supervisor has something to do
    text: str


@dataclass(frozen=True)
class Health:
    checked_at: datetime
    free_bytes: int
    total_bytes: int
    database: str  # 'ok', or the problem's code: 'db_damaged', 'db_locked'
    last_backup: Backup | None
    encrypted: bool
    unsent: int | None  # None: not countable (a damaged file)
    oldest_unsent: datetime | None
    paired: bool = True  # a kiosk never paired keeps everything: pairing, not the network

    @property
    def backup_age(self) -> timedelta | None:
        return self.checked_at - self.last_backup.taken_at if self.last_backup else None

    def lines(self, lang: str) -> list[HealthLine]:
        def say(message: Message, **params: object) -> str:
            return messages.text(message, lang, **params)

        free, total = size_text(self.free_bytes), size_text(self.total_bytes)
        low = self.free_bytes < LOW_DISK_BYTES
        out = [
            HealthLine(
                "disk",
                "act" if low else "ok",
                say(DISK_LOW if low else DISK_OK, free=free, total=total),
            )
        ]
        db = {"ok": DB_OK, "db_locked": DB_BUSY}.get(self.database, DB_DAMAGED)
        out.append(HealthLine("database", "ok" if self.database == "ok" else "act", say(db)))
        age = self.backup_age
        if self.last_backup is None or age is None:
            out.append(HealthLine("backup", "act", say(BACKUP_NONE)))
        else:
            when = f"{local(self.last_backup.taken_at):%H:%M %d/%m/%Y}"
            old = age > BACKUP_STALE
            out.append(
                HealthLine(
                    "backup",
                    "act" if old else "ok",
                    say(BACKUP_OLD if old else BACKUP_OK, when=when, age=duration_text(age, lang)),
                )
            )
        out.append(
            HealthLine(
                "encryption",
                "ok" if self.encrypted else "act",
                say(ENCRYPTED if self.encrypted else NOT_ENCRYPTED),
            )
        )
        if self.unsent is None:
            out.append(HealthLine("sync", "act", say(UNSENT_UNKNOWN)))
        elif not self.unsent:
            out.append(HealthLine("sync", "ok", say(ALL_SENT)))
        elif not self.paired:
            out.append(HealthLine("sync", "act", say(UNSENT_UNPAIRED, count=self.unsent)))
        else:
            waited = self.checked_at - self.oldest_unsent if self.oldest_unsent else timedelta(0)
            stale = waited > UNSENT_STALE
            out.append(
                HealthLine(
                    "sync",
                    "act" if stale else "ok",
                    say(
                        UNSENT_OLD if stale else UNSENT,
                        count=self.unsent,
                        age=duration_text(waited, lang),
                    ),
                )
            )
        return out

    @property
    def needs_action(self) -> bool:
        return any(line.state == "act" for line in self.lines("en"))


def size_text(n: int) -> str:
    """Bytes as a person reads them: '850 MB', '12.4 GB' (decimal units, as disks are sold)."""
    if n >= 10**9:
        return f"{n / 10**9:.1f} GB"
    return f"{n / 10**6:.0f} MB"


def duration_text(age: timedelta, lang: str) -> str:
    """The largest whole unit: '40 phút', '3 giờ', '2 ngày'."""
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 120:
        return messages.text(MINUTES, lang, n=minutes)
    if minutes < 48 * 60:
        return messages.text(HOURS, lang, n=minutes // 60)
    return messages.text(DAYS, lang, n=minutes // (24 * 60))


def check_health(store: Store, now: datetime | None = None) -> Health:
    """Reads every page of the database (quick_check): seconds on a big file, never on the GUI
    thread. A damaged or busy file is a finding, not an exception."""
    assert store.path is not None
    now = now or datetime.now(UTC)
    data_dir = store.path.parent
    disk = shutil.disk_usage(data_dir)
    try:
        quick_check(store.engine)
        database = "ok"
    except EnvironmentProblem as exc:
        database = exc.code
    unsent: int | None
    try:
        unsent, oldest = store.replica.unsent()
    except DatabaseError:  # a damaged page under the events: the database line says it
        unsent, oldest = None, None
        database = "db_damaged"
    backups = list_backups(data_dir)
    return Health(
        checked_at=now,
        free_bytes=disk.free,
        total_bytes=disk.total,
        database=database,
        last_backup=backups[0] if backups else None,
        encrypted=store.key is not None and not is_plain_sqlite(store.path),
        unsent=unsent,
        oldest_unsent=oldest,
        paired=bool(device_state(data_dir).get("paired_with")),
    )
