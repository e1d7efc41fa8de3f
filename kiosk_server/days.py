"""The one reader of a day typed into the back office, wherever it comes from.

A date picker posts ISO (2026-12-05) whatever order it shows (dd/mm/yyyy in a Vietnamese
browser, mm/dd/yyyy in an en-US one); a text field, a CSV row or an old browser without a
picker brings what staff type, in the Vietnamese habit: day/month/year. Both are taken; anything
else (a two-digit year, a month first, a day that does not exist) is refused, never guessed."""

from __future__ import annotations

import re
from datetime import date, datetime, time

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_VIETNAMESE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")  # 5/12/2026, 05-12-2026
_CLOCK = re.compile(r"\d{1,2}:\d{2}")


def parse_day(text: str) -> date:
    """`text` as a day: 2026-12-05, or 05/12/2026 (also with - or .); ValueError otherwise."""
    text = text.strip()
    if not text.isascii():  # \d also matches full-width and Arabic-Indic digits
        raise ValueError(text)
    if found := _ISO.fullmatch(text):
        year, month, day = found.groups()
    elif found := _VIETNAMESE.fullmatch(text):
        day, month, year = found.groups()
    else:
        raise ValueError(text)
    return date(int(year), int(month), int(day))


def parse_moment(text: str) -> datetime:
    """A day and a time: 2026-12-05T08:30 (what a date-and-time picker posts, an offset
    allowed) or 05/12/2026 08:30; ValueError otherwise."""
    text = text.strip()
    day, sep, clock = text.replace("T", " ", 1).partition(" ")
    if _ISO.fullmatch(day):
        return datetime.fromisoformat(text)
    if not sep or not _CLOCK.fullmatch(clock):
        raise ValueError(text)
    return datetime.combine(parse_day(day), time.fromisoformat(clock.zfill(5)))
