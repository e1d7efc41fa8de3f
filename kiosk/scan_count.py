"""The verdict's number and the scans-today counter: one count, so the two never disagree.

"№ N" on a verdict is the Nth scan of its screen today (the Vietnamese day, kiosk.clock), and
"Scans today" under it is how many scans that screen has recorded today; both are read from the
scan log once the scan is committed, so a refusal (nothing recorded), an exit (no scan), a
sign-out and in again, or another role's scans at the same kiosk shift neither.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from kiosk.clock import start_of_local_day
from kiosk.result import RoleResult
from kiosk.storage import Store

R = TypeVar("R", bound=RoleResult)


def numbered(result: R, store: Store) -> R:
    """The result with its scan's number of the day (read in the lane that recorded it)."""
    since = start_of_local_day(result.checked_at)
    return replace(result, number=store.scan_place(result.event_id, since))


def scans_today(store: Store, screen: str, now: datetime) -> int:
    """The screen's scans of `now`'s Vietnamese day: what the last one's number says."""
    return store.scans_since(start_of_local_day(now), screen)
