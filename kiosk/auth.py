"""Operators sign in with a short PIN; the role decides the screens and what personal data shows.

PINs are stored as salted scrypt hashes (slow on purpose: a stolen kiosk.db does not give the
PINs away cheaply). Five wrong PINs within 15 minutes lock that operator's sign-in for 5
minutes; attempts are kept in the database, so restarting the kiosk does not lift a lock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.errors import InputError
from kiosk.storage import AuditRecord, Store

ROLE_SCREENS: dict[str, tuple[str, ...]] = {
    "medic": ("medic",),
    "police": ("police",),
    "market": ("market",),
    "assistant": ("assistant",),
    "supervisor": ("medic", "police", "market", "assistant", "supervisor"),
}
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=5)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # about 50 ms a check on a checkpoint laptop


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


def hash_pin(pin: str) -> str:
    if not valid_pin(pin):
        raise SignInError("pin_format")
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    params = [str(_SCRYPT[k]) for k in ("n", "r", "p")]
    encoded = [base64.b64encode(v).decode() for v in (salt, digest)]
    return "$".join(["scrypt", *params, *encoded])


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    actual = hashlib.scrypt(
        pin.encode(), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(actual, base64.b64decode(digest))


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
