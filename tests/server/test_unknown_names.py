"""The lock-out of names that open no account (kiosk_server/unknown_names.py)."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta

from kiosk_server.unknown_names import UnknownNames


def test_a_long_name_is_locked_as_a_short_one_and_strangers_long_names_fill_no_memory():
    """The sign-in form takes names up to 64 KiB: a stranger posting a new long name each try
    must not make the server keep every one of them as typed."""
    at = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    names = UnknownNames(5, timedelta(minutes=15))
    long = "x" * 60_000
    assert [names.failed(long, at) for _ in range(5)] == ["wrong"] * 4 + ["locked"]
    assert names.locked(long, at) and not names.locked(long[:-1], at)
    assert not names.locked(long, at + timedelta(minutes=16))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(500):  # 30 MB of names, kept as they came
            names.failed(f"{i:05d}" + "y" * 60_000, at)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 2_000_000, held
