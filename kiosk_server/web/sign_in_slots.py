"""Passwords checked off the event loop, a few at a time.

A sign-in costs a scrypt (16 MiB, tens of milliseconds of one core), the unknown names too, so
that they take as long. Checked on the event loop, eight strangers posting wrong passwords as
fast as they were answered held every other request behind them: a kiosk's `/v1/health` took
2.2 s instead of 4 ms, its sync as long. Here each check runs in a worker thread (hashlib's
scrypt lets go of the GIL), at most CHECKERS at once: the loop keeps answering kiosks, and a
flood costs CHECKERS × 16 MiB at most. A try that waits more than WAIT seconds for a slot is
answered "busy" without a check (and counts toward no lock-out).

The slots belong to the running event loop (a server process has one): an anyio semaphore
wakes its waiters through futures of the loop they wait in, so one shared by two loops in one
process (two servers, a test's) woke a waiter from the other loop's thread, unsafely, and it
slept until its WAIT ran out."""

from __future__ import annotations

from collections.abc import Callable

import anyio
from anyio.lowlevel import RunVar
from sqlalchemy import Engine

from kiosk_server import staff

CHECKERS = 2  # the machine's cores: a flood of tries slows sign-ins, not the kiosks' syncs
WAIT = 10.0

_slots: RunVar[anyio.Semaphore] = RunVar("sign_in_slots")


def _semaphore() -> anyio.Semaphore:
    try:
        return _slots.get()
    except LookupError:  # this loop's first sign-in
        slots = anyio.Semaphore(CHECKERS)
        _slots.set(slots)
        return slots


async def sign_in(
    engine: Engine,
    name: str,
    password: str,
    address: str = "",
    may_try: Callable[[], bool] = lambda: True,
) -> tuple[str | None, str]:
    """As `staff.sign_in`, or (None, 'sign_in_busy') when no slot came free in time, or
    (None, 'too_many_tries') when `may_try` says no once the slot is had: tries sent at once
    all passed the caller's check of its address before the first of them was counted."""
    slots = _semaphore()
    try:
        with anyio.fail_after(WAIT):
            await slots.acquire()
    except TimeoutError:
        return None, "sign_in_busy"
    try:
        if not may_try():
            return None, "too_many_tries"
        return await anyio.to_thread.run_sync(staff.sign_in, engine, name, password, address)
    finally:
        slots.release()
