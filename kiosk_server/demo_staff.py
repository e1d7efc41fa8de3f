"""The demo's back-office accounts: one a role, made by `kiosk-server demo` so that someone
trying the back office on the demo data has an account to sign in with.

Their passwords are public (README, docs/back-office.md, the sign-in page), so while one still
opens its account the server serves only this machine (`kiosk_server.cli`), as it does while it
holds the public demo key. "Still opens" is asked of the password itself, not of a flag: an
account whose password was set back to the demo one is as open as one never changed.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import Engine, select

from kiosk_server import staff
from kiosk_server.office_db import ROLES, staff_users

ACTOR = "demo"  # the audit trail's name for `kiosk-server demo`


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: str
    password: str


# one a role, named apart from any account a province would make (`admin` stays theirs)
DEMO_STAFF: tuple[DemoAccount, ...] = tuple(
    DemoAccount(f"demo-{role}", role, f"demo-{role}-pass") for role in ROLES
)

# (stored hash, password) -> whether it opens: the sign-in page asks on every visit, and a hash
# changes whenever its password is set (a new salt), so an answer once found stays true
_opens: dict[tuple[str, str], bool] = {}


def _still_opens(stored: str, password: str) -> bool:
    key = (stored, password)
    if key not in _opens:
        if len(_opens) > 256:  # bounded: each password change adds one
            _opens.clear()
        _opens[key] = staff.check_password(password, stored)
    return _opens[key]


def add_demo_staff(engine: Engine) -> list[dict[str, object]]:
    """Makes the demo accounts that are missing; an account that exists is left as it is (its
    password, role and whether it is enabled). For each: its name, its role, the demo password
    while it still opens the account (else None) and whether it was made now."""
    made = set()
    for account in DEMO_STAFF:
        try:
            staff.add_user(engine, account.name, account.role, account.password, actor=ACTOR)
            made.add(account.name)
        except staff.StaffError as exc:
            if exc.code != "exists":
                raise
    found = _stored(engine)
    out: list[dict[str, object]] = []
    for account in DEMO_STAFF:
        role, stored, _active = found[account.name]
        out.append(
            {
                "user": account.name,
                "role": role,
                "password": account.password if _still_opens(stored, account.password) else None,
                "created": account.name in made,
            }
        )
    return out


def open_demo_accounts(engine: Engine, active_only: bool = False) -> list[DemoAccount]:
    """The demo accounts whose public password still opens them. A disabled one counts unless
    `active_only`: an admin can enable it again from the web while the server serves."""
    found = _stored(engine)
    return [
        a
        for a in DEMO_STAFF
        if a.name in found
        and (found[a.name][2] or not active_only)
        and _still_opens(found[a.name][1], a.password)
    ]


def is_public_password(name: str, password: str) -> bool:
    """Whether this is a demo account's name with its public password: signing in with it is
    taken only from this machine. A server bound to 127.0.0.1 behind a reverse proxy (the
    README's setup) passes the check at start, yet serves the world; uvicorn names the proxied
    client's own address, which is not a loopback one."""
    given = password.encode()  # compare_digest takes ASCII text only
    return any(
        a.name == name and hmac.compare_digest(a.password.encode(), given) for a in DEMO_STAFF
    )


def warning(names: list[str]) -> str:
    listed = ", ".join(names)
    return (
        f"the back office's demo accounts {listed} still have their public passwords from "
        "`kiosk-server demo`: anyone can sign in with them. Set a new password for each with "
        "`kiosk-server user password NAME` (it reads the password from standard input)"
    )


def _stored(engine: Engine) -> dict[str, tuple[str, str, bool]]:
    names = [a.name for a in DEMO_STAFF]
    query = select(
        staff_users.c.name, staff_users.c.role, staff_users.c.password_hash, staff_users.c.active
    ).where(staff_users.c.name.in_(names))
    with engine.connect() as conn:
        return {r.name: (r.role, r.password_hash, bool(r.active)) for r in conn.execute(query)}
