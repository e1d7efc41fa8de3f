"""sync/backoff.py: how long the kiosk waits before trying an unreachable server again."""

from __future__ import annotations

from sync.backoff import Backoff


def test_backoff_stays_at_its_cap_through_a_month_offline():
    backoff = Backoff(base=2.0, cap=300.0)
    waits = [backoff.failed() for _ in range(10_000)]  # a failure every 5 minutes, a month
    assert 150.0 <= waits[-1] <= 300.0
