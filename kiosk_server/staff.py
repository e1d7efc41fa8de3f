"""Staff accounts of the back office: passwords, lock-out, sessions, and the audit trail.

Passwords are scrypt hashes (stdlib, memory-hard: 16 MiB a try), the scheme tag first so a
stronger one can follow. Five wrong passwords lock the account for 15 minutes, except at the
addresses where it signed in with its password lately (KNOWN_ADDRESSES of them, KNOWN_TIME):
there only five wrong passwords from that address itself lock it, for that address. So a
stranger who knows a staff name keeps its owner locked out only where the owner has not
signed in before, and gets no more tries at the password than before. A session is a
random token, stored only as its SHA-256; the cookie carries the token and an HMAC of it under
the server's own secret (`server_meta.web_secret`), so a forged or altered cookie is refused
before the database is asked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, or_, select, update

from kiosk_server.db import digest, meta, now
from kiosk_server.office_db import (
    ROLES,
    office_audit,
    staff_known_addresses,
    staff_sessions,
    staff_users,
)
from kiosk_server.unknown_names import UnknownNames

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
SESSION_TIME = timedelta(hours=8)  # one shift; signing in again is cheap
MIN_PASSWORD = 10
KNOWN_ADDRESSES = 5  # an account's: office, home, phone... the newest kept
KNOWN_TIME = timedelta(days=30)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

# which role opens which section; admin opens every section
SECTIONS: dict[str, tuple[str, ...]] = {
    "declarations": ("health",),
    "zones": ("health",),
    "hospital": ("health",),  # hospitals' approvals of out-of-province patients (I.6)
    "vehicles": ("police",),
    "markets": ("market",),
    "cards": ("market",),
    "operators": (),
    "kiosks": (),
    "users": (),
    "audit": (),
    "tracing": ("health",),  # issue 10: kiosk_server.tracing.TRACE_ROLES
    "stats": ("health",),
}


class StaffError(ValueError):
    """code: 'bad_name', 'bad_role', 'weak_password', 'exists', 'no_user'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StaffUser:
    name: str
    role: str
    csrf: str

    def may(self, section: str) -> bool:
        return self.role == "admin" or self.role in SECTIONS.get(section, ())

    @property
    def sections(self) -> list[str]:
        return [s for s in SECTIONS if self.may(s)]


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    parts = [str(_SCRYPT[k]) for k in ("n", "r", "p")]
    return "$".join(["scrypt", *parts, *(base64.b64encode(v).decode() for v in (salt, key))])


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    actual = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(actual, base64.b64decode(key))


_DUMMY = hash_password("not a password of anyone")  # same cost for an unknown name
_UNKNOWN = UnknownNames(MAX_FAILURES, LOCK_TIME)
# a name's wrong passwords from one address (any name, an account or not): they lock the name
# for that address alone, the owner's known addresses included
_FROM_ADDRESS = UnknownNames(MAX_FAILURES, LOCK_TIME)


def add_user(engine: Engine, name: str, role: str, password: str, actor: str = "cli") -> None:
    if not name or len(name) > 60 or not all(c.isalnum() or c in "._-" for c in name):
        raise StaffError("bad_name")
    if role not in ROLES:
        raise StaffError("bad_role")
    if len(password) < MIN_PASSWORD:
        raise StaffError("weak_password")
    with engine.begin() as conn:
        if conn.execute(select(staff_users.c.name).where(staff_users.c.name == name)).first():
            raise StaffError("exists")
        conn.execute(
            staff_users.insert().values(
                name=name,
                role=role,
                password_hash=hash_password(password),
                active=True,
                failed_count=0,
                created_at=now(),
            )
        )
        audit(conn, actor, "user_add", name, {"role": role})


def set_user(
    engine: Engine,
    name: str,
    actor: str,
    *,
    active: bool | None = None,
    password: str | None = None,
) -> None:
    values: dict[str, object] = {}
    if active is not None:
        values["active"] = active
    if password is not None:
        if len(password) < MIN_PASSWORD:
            raise StaffError("weak_password")
        values.update(password_hash=hash_password(password), failed_count=0, locked_until=None)
    with engine.begin() as conn:
        hit = conn.execute(update(staff_users).where(staff_users.c.name == name).values(**values))
        if hit.rowcount != 1:
            raise StaffError("no_user")
        if active is False or password is not None:  # their open sessions end now
            conn.execute(delete(staff_sessions).where(staff_sessions.c.user_name == name))
            # and the places they signed in from are strangers again: one may have been a
            # thief's, who had the old password
            conn.execute(
                delete(staff_known_addresses).where(staff_known_addresses.c.user_name == name)
            )
        audit(
            conn,
            actor,
            "user_password" if password is not None else "user_active",
            name,
            {"active": active} if active is not None else {},
        )


def change_own_password(
    engine: Engine,
    name: str,
    current: str,
    new: str,
    repeat: str,
    keep_token: str = "",
    address: str = "",
) -> str:
    """A signed-in user's own change: 'ok', or why not ('wrong', 'locked', 'weak',
    'mismatch'). The current password is checked as at sign-in and counts toward the same
    lock-out, so a session left open cannot be used to guess it; every attempt is audited.
    The other sessions of the account end; the one asking (`keep_token`) goes on."""
    at = now()
    with engine.begin() as conn:
        row = conn.execute(select(staff_users).where(staff_users.c.name == name)).first()
        if row is None or not row.active:
            return "wrong"
        known = _known(conn, name, address, at)
        if _locked(row, name, address, known, at):
            outcome = "locked"
        elif not check_password(current, row.password_hash):
            outcome = _failed(conn, row, name, address, known, at)
        elif new != repeat:
            outcome = "mismatch"
        elif len(new) < MIN_PASSWORD or new == current or new.strip().lower() == name.lower():
            outcome = "weak"
        else:
            conn.execute(
                update(staff_users)
                .where(staff_users.c.name == name)
                .values(password_hash=hash_password(new), failed_count=0, locked_until=None)
            )
            _FROM_ADDRESS.forget(_pair(name, address))
            conn.execute(
                delete(staff_sessions).where(
                    staff_sessions.c.user_name == name,
                    staff_sessions.c.token_hash != digest(keep_token),
                )
            )
            outcome = "ok"
        audit(conn, name, "password_change", name, {"outcome": outcome})
    return outcome


def _pair(name: str, address: str) -> str:
    return f"{address}\0{name}"  # a form's NUL is refused (web.refusals): no two pairs meet


def _known(conn: Connection, name: str, address: str, at: datetime) -> bool:
    """Whether `name` signed in with its password from `address` within KNOWN_TIME."""
    if not address:
        return False
    found = conn.execute(
        select(staff_known_addresses.c.last_ok).where(
            staff_known_addresses.c.user_name == name,
            staff_known_addresses.c.address == address,
        )
    ).scalar()
    return found is not None and _aware(found) > at - KNOWN_TIME


def _remember(conn: Connection, name: str, address: str, at: datetime) -> None:
    """`address` known for `name` from now; only the newest KNOWN_ADDRESSES kept. Written only
    after the right password, so no stranger's flood adds a row."""
    if not address:
        return
    table = staff_known_addresses
    mine = table.c.user_name == name
    conn.execute(delete(table).where(mine, table.c.address == address))
    conn.execute(table.insert().values(user_name=name, address=address, last_ok=at))
    older = (
        conn.execute(
            select(table.c.address)
            .where(mine)
            .order_by(table.c.last_ok.desc())
            .offset(KNOWN_ADDRESSES)
        )
        .scalars()
        .all()
    )
    if older:
        conn.execute(delete(table).where(mine, table.c.address.in_(older)))


def _locked(row, name: str, address: str, known: bool, at: datetime) -> bool:
    """Locked for this try: the name from this address, or the name itself (an account's lock,
    or a name that opens no account) unless the account signed in from here lately."""
    if _FROM_ADDRESS.locked(_pair(name, address), at):
        return True
    if known:
        return False
    if row is None or not row.active:
        return _UNKNOWN.locked(name, at)
    return bool(row.locked_until and _aware(row.locked_until) > at)


def _failed(conn: Connection, row, name: str, address: str, known: bool, at: datetime) -> str:
    """A wrong password for `name` from `address`, counted for both: 'locked' when it locked
    this try's way in, else 'wrong'."""
    here = _FROM_ADDRESS.failed(_pair(name, address), at)
    if row is None or not row.active:
        anywhere = _UNKNOWN.failed(name, at)
    else:
        anywhere = _count_failure(conn, name, at)
    return "locked" if here == "locked" or (anywhere == "locked" and not known) else "wrong"


def _count_failure(conn: Connection, name: str, at: datetime) -> str:
    """A wrong password for `name`: counted, and the account locked at MAX_FAILURES in a row
    (sign-in and one's own password change share the count). 'locked' or 'wrong'."""
    mine = staff_users.c.name == name
    # added in the database, not to the count read before the password's check: two checks
    # at once read one count and each wrote it plus one, half the tries counted
    conn.execute(
        update(staff_users).where(mine).values(failed_count=staff_users.c.failed_count + 1)
    )
    failures = conn.execute(select(staff_users.c.failed_count).where(mine)).scalar_one()
    if failures < MAX_FAILURES:
        return "wrong"
    conn.execute(
        update(staff_users).where(mine).values(failed_count=0, locked_until=at + LOCK_TIME)
    )
    return "locked"


def user_query():
    """Everything about accounts except the password hash."""
    cols = [staff_users.c[c] for c in ("name", "role", "active", "locked_until", "created_at")]
    return select(*cols).order_by(staff_users.c.name)


def users(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(user_query())]


def sign_in(engine: Engine, name: str, password: str, address: str = "") -> tuple[str | None, str]:
    """(session token, 'ok') or (None, 'wrong' | 'locked'). `address` is the client's
    (sign_in_guard.client_key), "" when there is none (the lock-out is then the name's alone).
    Every attempt is audited, with the address."""
    at = now()
    where = {"address": address} if address else {}
    with engine.begin() as conn:
        row = conn.execute(select(staff_users).where(staff_users.c.name == name)).first()
        # a name that opens no account is answered as an account would be, lock-out too
        account = row is not None and row.active
        actor = name if account else stranger(name)
        known = account and _known(conn, name, address, at)
        if _locked(row, name, address, known, at):
            audit(conn, actor, "sign_in", "", {"outcome": "locked", **where})
            return None, "locked"
        if not check_password(password, row.password_hash if account else _DUMMY) or not account:
            outcome = _failed(conn, row, name, address, known, at)
            audit(conn, actor, "sign_in", "", {"outcome": "wrong", **where})
            return None, outcome
        name_locked = row.locked_until and _aware(row.locked_until) > at
        if not name_locked:  # a lock strangers made stays for them, the owner in from here
            conn.execute(
                update(staff_users)
                .where(staff_users.c.name == name)
                .values(failed_count=0, locked_until=None)
            )
        _FROM_ADDRESS.forget(_pair(name, address))
        _remember(conn, name, address, at)
        token = _open_session(conn, name, at)
        conn.execute(delete(staff_sessions).where(staff_sessions.c.expires_at < at))
        audit(conn, name, "sign_in", "", {"outcome": "ok", **where})
    return token, "ok"


def sign_in_refused(engine: Engine, name: str, address: str) -> None:
    """The trail's line for an address refused for too many failed sign-ins (sign_in_guard):
    the first refusal of its window, so a flood of refused tries writes no flood of lines."""
    with engine.begin() as conn:
        row = conn.execute(select(staff_users.c.name).where(staff_users.c.name == name)).first()
        audit(
            conn,
            name if row else stranger(name),
            "sign_in",
            "",
            {"outcome": "too_many_tries", "address": address},
        )


def stranger(name: str) -> str:
    """How the trail names a sign-in's name that opens no account: its first two characters
    and a star for each of the rest (at most 8). Such a name is often a password typed into
    the wrong box, which the trail must not keep; the address and the time still tell a
    guesser's tries apart."""
    if not name:
        return "?"
    return name[:2] + "*" * min(max(len(name) - 2, 1), 8)


def _open_session(conn: Connection, name: str, at: datetime) -> str:
    token = secrets.token_urlsafe(32)
    conn.execute(
        staff_sessions.insert().values(
            token_hash=digest(token),
            user_name=name,
            csrf=secrets.token_urlsafe(32),
            created_at=at,
            expires_at=at + SESSION_TIME,
        )
    )
    return token


def renew_session(engine: Engine, token: str, name: str) -> str:
    """The session of `token` ended and a new one opened for `name`, its token returned: after
    a password change, so a copy of the old cookie opens nothing."""
    with engine.begin() as conn:
        conn.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == digest(token)))
        return _open_session(conn, name, now())


def session_user(engine: Engine, token: str) -> StaffUser | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(staff_users.c.name, staff_users.c.role, staff_sessions.c.csrf)
            .join(staff_users, staff_users.c.name == staff_sessions.c.user_name)
            .where(
                staff_sessions.c.token_hash == digest(token),
                staff_sessions.c.expires_at > now(),
                staff_users.c.active.is_(True),
            )
        ).first()
    return StaffUser(row.name, row.role, row.csrf) if row else None


def sign_out(engine: Engine, token: str, name: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == digest(token)))
        audit(conn, name, "sign_out", "", {})


def web_secret(engine: Engine) -> bytes:
    with engine.begin() as conn:
        found = conn.execute(select(meta.c.value).where(meta.c.key == "web_secret")).scalar()
        if found is None:
            found = secrets.token_hex(32)
            conn.execute(meta.insert().values(key="web_secret", value=found))
    return bytes.fromhex(found)


def sign_cookie(secret: bytes, value: str) -> str:
    mac = hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign_cookie(secret: bytes, signed: str) -> str | None:
    value, _, mac = signed.rpartition(".")
    good = hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()
    return value if value and same_secret(mac, good) else None


def same_secret(given: str, good: str) -> bool:
    """`hmac.compare_digest` of two texts as UTF-8: on text itself it raises TypeError for any
    character past ASCII, which anyone can put in a form's CSRF token or a cookie (a 500)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), good.encode())


# --- audit trail --------------------------------------------------------------------------
def audit(conn: Connection, actor: str, action: str, target: str, detail: dict) -> None:
    """Inside the change's own transaction: a change and its audit line are one."""
    conn.execute(
        office_audit.insert().values(
            at=now(),
            actor=actor,
            action=action,
            target=target[:80],
            detail=json.dumps(detail, ensure_ascii=False, default=str),
        )
    )


ACTIONS = (
    "sign_in",
    "sign_out",
    "search",
    "open",
    "export",
    "import",
    "approve",
    "reject",
    "assisted_intake",
    "zone_save",
    "operator_add",
    "operator_change",
    "pairing_code",
    "kiosk_revoke",
    "vehicle_save",
    "vehicle_import",
    "market_save",
    "card_issue",
    "card_revoke",
    "card_print",
    "poster",
    "user_add",
    "user_active",
    "user_password",
    "password_change",
    "hospital_add",
    "hospital_import",
    "hospital_revoke",
    "trace",
)  # every action written here; the filter offers them without scanning the trail


def audit_query(
    actor: str = "",
    action: str = "",
    target: str = "",
    *,
    also: Sequence[str] = (),
    kinds: Sequence[str] = (),
    actors: Sequence[str] = (),
    actor_like: Sequence[str] = (),
):
    """The trail, newest first. `target` is a stored target as it is; `also` more stored
    targets and `kinds` whole kinds ("vehicle" for every "vehicle:…") any of which a row's may
    be instead: what the page's words for a target name (kiosk_server.web.audit_shown).
    `actor` likewise, with `actors` more stored actors and `actor_like` LIKE patterns."""
    q = select(office_audit).order_by(office_audit.c.at.desc(), office_audit.c.seq.desc())
    if actor:
        column = office_audit.c.actor
        q = q.where(or_(column.in_([actor, *actors]), *(column.like(p) for p in actor_like)))
    if action:
        q = q.where(office_audit.c.action == action)
    if target:
        column = office_audit.c.target
        # a kind's rows by their prefix: a kind is a plain word, no LIKE wildcard in it
        q = q.where(
            or_(
                column.in_([target, *also]),
                *(column.startswith(f"{kind}:", autoescape=True) for kind in kinds),
            )
        )
    return q


def count(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iterate(engine: Engine, query, size: int = 1000) -> Iterator[dict]:
    """Rows of a query a few at a time, for exports: memory stays flat however many."""
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=size).execute(query)
        for row in result:
            yield dict(row._mapping)
