"""SQLite stores naive datetimes: the kiosk writes UTC and reads it back as aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def from_db(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)
