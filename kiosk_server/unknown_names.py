"""Sign-in tries at a name that opens no account (none by that name, or a disabled one),
answered as an account's would be: five wrong passwords in a row lock it for 15 minutes.

Otherwise the lock-out itself told a stranger which staff names exist: five tries at an
account ended in "locked", at any other name in "wrong" for ever. The counts live in the
process's memory, at most MOST names (the oldest forgotten first: a stranger who wants a name
forgotten must try that many others first); a restart forgets them, as it forgets the pairing
limits. Accounts keep theirs in the database (`staff_users`).

A name is kept as its SHA-256, not as typed: the sign-in form takes up to 64 KiB, and MOST
names of that length held as they came were 640 MB of the server's memory."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta

MOST = 10_000


class UnknownNames:
    def __init__(self, max_failures: int, lock_time: timedelta, most: int = MOST) -> None:
        self.max_failures, self.lock_time, self.most = max_failures, lock_time, most
        self._seen: dict[bytes, tuple[int, datetime | None]] = {}  # failures, locked until
        self._lock = threading.Lock()  # sign-ins are checked in worker threads

    def locked(self, name: str, at: datetime) -> bool:
        with self._lock:
            until = self._seen.get(_key(name), (0, None))[1]
            return until is not None and until > at

    def failed(self, name: str, at: datetime) -> str:
        """One more wrong password for `name`: 'locked' at the last one allowed, else 'wrong'
        (staff._count_failure's answer for an account)."""
        key = _key(name)
        with self._lock:
            failures = self._seen.pop(key, (0, None))[0] + 1
            if len(self._seen) >= self.most:
                del self._seen[next(iter(self._seen))]
            if failures >= self.max_failures:
                self._seen[key] = (0, at + self.lock_time)
                return "locked"
            self._seen[key] = (failures, None)
            return "wrong"


def _key(name: str) -> bytes:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
