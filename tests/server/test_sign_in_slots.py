"""The sign-in slots (kiosk_server/web/sign_in_slots.py) with a real SQLite file and real
event loops."""

from __future__ import annotations

import threading
import time

import anyio

from kiosk_server import staff
from kiosk_server.db import open_db
from kiosk_server.web import sign_in_slots

PASSWORD = "một mật khẩu đủ dài"


def test_a_second_server_in_the_process_is_not_held_behind_the_firsts_checks(tmp_path, monkeypatch):
    """Two servers in one process (two event loops, as tests and an embedded server run): a
    sign-in on one must not wait for the other's checks, nor sleep until it is told "busy"
    because the other loop's thread woke it."""
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    staff.add_user(engine, "yte", "health", PASSWORD)
    monkeypatch.setattr(sign_in_slots, "WAIT", 3.0)
    real, gate, holding = staff.sign_in, threading.Event(), threading.Semaphore(0)

    def held_check(engine_, name: str, password: str, address: str = ""):
        if name == "held":
            holding.release()
            gate.wait(10)
        return real(engine_, name, password, address)

    monkeypatch.setattr(staff, "sign_in", held_check)

    async def first_server() -> None:  # both of its slots busy until the gate opens
        async with anyio.create_task_group() as tg:
            for _ in range(sign_in_slots.CHECKERS):
                tg.start_soon(sign_in_slots.sign_in, engine, "held", "x")

    first = threading.Thread(target=anyio.run, args=(first_server,))
    first.start()
    try:
        for _ in range(sign_in_slots.CHECKERS):
            assert holding.acquire(timeout=10)
        started = time.monotonic()
        token, outcome = anyio.run(sign_in_slots.sign_in, engine, "yte", PASSWORD)
        took = time.monotonic() - started
    finally:
        gate.set()
        first.join(10)
    assert (outcome, token is not None) == ("ok", True)
    assert took < 2.0, took
