"""Sign-in tries at a name that opens no account (none by that name, or a disabled one),
answered as an account's would be: five wrong passwords in a row lock it for 15 minutes.

Otherwise the lock-out itself told a stranger which staff names exist: five tries at an
account ended in "locked", at any other name in "wrong" for ever. The counts live in the
process's memory; a restart forgets them, as it forgets the pairing limits. Accounts keep
theirs in the database (`staff_users`).

At most MOST names are counting (the oldest forgotten first) and MOST locked. A lock is
forgotten before its time only when MOST others are locked meanwhile: forgetting the oldest
of one list for every new name, a stranger locked a few names, tried MOST others once each
(four minutes of sign-ins) and tried the first again: "wrong" told them apart from accounts,
still "locked". Locking MOST names in 15 minutes takes 50,000 tries, more than the sign-in
slots check in that time (about 40 a second).

A name is kept as its SHA-256, not as typed: the sign-in form takes up to 64 KiB, and MOST
names of that length held as they came were 640 MB of the server's memory.

`staff` counts a name's tries from one address with the same class, the address and the name
as one key: the lock a stranger's tries make there holds only for their address."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta

MOST = 10_000


class UnknownNames:
    def __init__(self, max_failures: int, lock_time: timedelta, most: int = MOST) -> None:
        self.max_failures, self.lock_time, self.most = max_failures, lock_time, most
        self._failures: dict[bytes, int] = {}  # names not locked, oldest try first
        self._locked: dict[bytes, datetime] = {}  # until when, the soonest ending first
        self._lock = threading.Lock()  # sign-ins are checked in worker threads

    def locked(self, name: str, at: datetime) -> bool:
        with self._lock:
            until = self._locked.get(_key(name))
            return until is not None and until > at

    def failed(self, name: str, at: datetime) -> str:
        """One more wrong password for `name`: 'locked' at the last one allowed, else 'wrong'
        (staff._count_failure's answer for an account)."""
        key = _key(name)
        with self._lock:
            self._locked.pop(key, None)  # a lock that ended: counting from none again
            failures = self._failures.pop(key, 0) + 1
            if failures >= self.max_failures:
                self._forget_ended_locks(at)
                if len(self._locked) >= self.most:
                    del self._locked[next(iter(self._locked))]
                self._locked[key] = at + self.lock_time
                return "locked"
            if len(self._failures) >= self.most:
                del self._failures[next(iter(self._failures))]
            self._failures[key] = failures
            return "wrong"

    def forget(self, name: str) -> None:
        """Its count from none again (the right password given), a lock kept."""
        with self._lock:
            self._failures.pop(_key(name), None)

    def _forget_ended_locks(self, at: datetime) -> None:
        # every lock is as long, so they end in the order they were made
        while self._locked and next(iter(self._locked.values())) <= at:
            del self._locked[next(iter(self._locked))]


def _key(name: str) -> bytes:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
