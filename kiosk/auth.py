"""Operators sign in with a short PIN; the role decides the screens and what personal data shows.

PINs are stored as salted Argon2id hashes, 256 MiB and 3 passes: 0.94 CPU-seconds a try on
the reference machine, so the 10,000 four-digit PINs cost 2.6 CPU-hours to exhaust offline
(bench/bench_at_rest.py; scrypt at 36 ms let one fall in 6 minutes). Older scrypt hashes are
still read, and replaced by Argon2id at the operator's next good sign-in. Five wrong PINs
within 15 minutes lock that operator's sign-in for 5 minutes; attempts are kept in the
database, so restarting the kiosk does not lift a lock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2.low_level import Type, hash_secret_raw

from kiosk.errors import InputError
from kiosk.storage import AuditRecord, Store

ROLE_SCREENS: dict[str, tuple[str, ...]] = {
    "medic": ("medic",),
    "police": ("police",),
    "market": ("market",),
    "assistant": ("assistant",),
    "supervisor": ("medic", "police", "market", "assistant"),
}
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=5)
ARGON2 = {"time_cost": 3, "memory_cost": 256 * 1024, "parallelism": 1}  # memory in KiB
# The test suite signs in thousands of times: it alone may ask for a cheap hash (still Argon2id,
# and the stored hash carries its parameters, so a real kiosk never reads one as strong).
_FAST_FOR_TESTS = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}


class SignInError(InputError):
    """code: 'pin_format', 'unknown_operator', 'pin_wrong' (params: left), 'locked' (minutes)."""


@dataclass(frozen=True)
class Session:
    operator_id: str
    display_name: str
    role: str

    @property
    def screens(self) -> tuple[str, ...]:
        return ROLE_SCREENS[self.role]


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8


def _argon2(pin: str, salt: bytes, t: int, m: int, p: int) -> bytes:
    return hash_secret_raw(
        pin.encode(), salt, time_cost=t, memory_cost=m, parallelism=p, hash_len=32, type=Type.ID
    )


def hash_pin(pin: str) -> str:
    """'argon2id$t$m$p$salt$digest' (base64)."""
    if not valid_pin(pin):
        raise SignInError("pin_format")
    cost = _FAST_FOR_TESTS if os.environ.get("KIOSK_TESTS_ONLY_FAST_PIN_HASH") else ARGON2
    t, m, p = cost["time_cost"], cost["memory_cost"], cost["parallelism"]
    salt = os.urandom(16)
    encoded = [base64.b64encode(v).decode() for v in (salt, _argon2(pin, salt, t, m, p))]
    return "$".join(["argon2id", str(t), str(m), str(p), *encoded])


def is_current(stored: str) -> bool:
    return stored.startswith("argon2id$")


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, a, b, c, salt_text, digest_text = stored.split("$")
        salt, digest = base64.b64decode(salt_text), base64.b64decode(digest_text)
        if scheme == "argon2id":
            actual = _argon2(pin, salt, int(a), int(b), int(c))
        elif scheme == "scrypt":  # written before Argon2id; replaced at the next good sign-in
            actual = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, n=int(a), r=int(b), p=int(c))
        else:
            return False
    except ValueError:
        return False
    return hmac.compare_digest(actual, digest)


def _now() -> datetime:
    return datetime.now(UTC)


class Authenticator:
    def __init__(self, store: Store, clock: Callable[[], datetime] = _now) -> None:
        self.store = store
        self.clock = clock

    def add_operator(self, operator_id: str, display_name: str, role: str, pin: str) -> None:
        if role not in ROLE_SCREENS:
            raise ValueError(f"unknown role {role!r}")
        self.store.accounts.put(operator_id, display_name, role, hash_pin(pin))

    def sign_in(self, operator_id: str, pin: str) -> Session:
        now = self.clock()
        operator = self.store.accounts.get(operator_id)
        if operator is None or not operator.active or operator.pin_hash is None:
            raise SignInError("unknown_operator")
        failures = self.store.accounts.failures_since_success(operator_id, now - FAILURE_WINDOW)
        if len(failures) >= MAX_FAILURES:
            until = failures[-1].replace(tzinfo=UTC) + LOCK_TIME
            if now < until:
                minutes = max(1, int((until - now).total_seconds() // 60) + 1)
                raise SignInError("locked", minutes=minutes)
        ok = check_pin(pin, operator.pin_hash)
        if ok and not is_current(operator.pin_hash):
            new_hash = hash_pin(pin)
            self.store.accounts.put(operator.id, operator.display_name, operator.role, new_hash)
        self.store.accounts.record_attempt(operator_id, ok, now)
        outcome = "ok" if ok else "wrong_pin"
        self.store.audit(AuditRecord(operator_id, "sign_in", "sign_in", outcome=outcome, at=now))
        if not ok:
            # Once locked, a wrong PIN within the window locks again at once: the failures that
            # caused the first lock still count, so a guesser gets one try per lock period.
            left = MAX_FAILURES - len(failures) - 1
            if left <= 0:
                raise SignInError("locked", minutes=int(LOCK_TIME.total_seconds() // 60))
            raise SignInError("pin_wrong", left=left)
        return Session(operator.id, operator.display_name, operator.role)
