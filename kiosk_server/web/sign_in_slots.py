"""Passwords checked off the event loop, a few at a time.

A sign-in costs a scrypt (16 MiB, tens of milliseconds of one core), the unknown names too, so
that they take as long. Checked on the event loop, eight strangers posting wrong passwords as
fast as they were answered held every other request behind them: a kiosk's `/v1/health` took
2.2 s instead of 4 ms, its sync as long. Here each check runs in a worker thread (hashlib's
scrypt lets go of the GIL), at most CHECKERS at once: the loop keeps answering kiosks, and a
flood costs CHECKERS × 16 MiB at most. A try that waits more than WAIT seconds for a slot is
answered "busy" without a check (and counts toward no lock-out)."""

from __future__ import annotations

import anyio
from sqlalchemy import Engine

from kiosk_server import staff

CHECKERS = 2  # the machine's cores: a flood of tries slows sign-ins, not the kiosks' syncs
WAIT = 10.0

_slots: anyio.Semaphore | None = None


def _semaphore() -> anyio.Semaphore:
    global _slots
    if _slots is None:  # made inside the running loop that will use it
        _slots = anyio.Semaphore(CHECKERS)
    return _slots


async def sign_in(engine: Engine, name: str, password: str) -> tuple[str | None, str]:
    """As `staff.sign_in`, or (None, 'sign_in_busy') when no slot came free in time."""
    try:
        with anyio.fail_after(WAIT):
            await _semaphore().acquire()
    except TimeoutError:
        return None, "sign_in_busy"
    try:
        return await anyio.to_thread.run_sync(staff.sign_in, engine, name, password)
    finally:
        _semaphore().release()
