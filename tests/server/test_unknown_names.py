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


def test_a_locked_name_stays_locked_however_many_other_names_are_tried():
    """A stranger locks a name, tries as many other names as are counted, then the first
    again: forgotten, it answered "wrong" where an account still said "locked"."""
    at = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    names = UnknownNames(5, timedelta(minutes=15), most=10)
    assert [names.failed("nguyenvana", at) for _ in range(5)][-1] == "locked"
    for i in range(50):
        assert names.failed(f"name-{i}", at) == "wrong"
    assert names.locked("nguyenvana", at + timedelta(minutes=14))
    # its lock over, it counts from none again, as an account's does
    later = at + timedelta(minutes=16)
    assert not names.locked("nguyenvana", later)
    assert [names.failed("nguyenvana", later) for _ in range(5)] == ["wrong"] * 4 + ["locked"]
    # locks made past the most kept end the oldest first, not the newest
    for i in range(12):
        for _ in range(5):
            names.failed(f"locked-{i}", later)
    assert names.locked("locked-11", later) and not names.locked("nguyenvana", later)
