"""Checkpoint time. Vietnam keeps UTC+7 all year (no daylight saving), and "today" at a market
gate or on a card is the Vietnamese calendar day, whatever the laptop's own time zone says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def utc_now() -> datetime:
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM)


def local_day(moment: datetime) -> date:
    return local(moment).date()


def start_of_local_day(moment: datetime) -> datetime:
    """The UTC instant at which `moment`'s Vietnamese day began."""
    day = local_day(moment)
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM).astimezone(UTC)
