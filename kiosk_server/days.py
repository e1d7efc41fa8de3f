"""The one reader of a day typed into the back office, wherever it comes from, and the one
writer of a day or a time the back office shows (`shown`, the pages' `when` filter).

A date picker posts ISO (2026-12-05) whatever order it shows (dd/mm/yyyy in a Vietnamese
browser, mm/dd/yyyy in an en-US one); a text field, a CSV row or an old browser without a
picker brings what staff type, in the Vietnamese habit: day/month/year. Both are taken; anything
else (a two-digit year, a month first, a day that does not exist) is refused, never guessed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from kiosk.clock import VIETNAM

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


def shown(value: object, year: bool = True) -> str:
    """A stored day or time as staff read it, in both languages: day/month/year, what they
    type and what `parse_day` reads back (an English page keeps it: the province is Vietnamese,
    and one order on every page is one less misreading); a time in Vietnamese time, to the
    minute. A time the database gave without a zone is UTC (the server stores UTC; the CSV
    exports write it so too); a text time without one is Vietnamese time (what the imports and
    the statistics' hour keys mean by it). Anything else is shown as it is. `year=False` leaves
    a day's year out: the first day of a range that names it at its end (`04/12–06/12/2026`)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return f"{aware.astimezone(VIETNAM):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}" if year else f"{value:%d/%m}"
    text = str(value).strip()
    if not (text.isascii() and _ISO.match(text)):
        return str(value)
    try:
        if _ISO.fullmatch(text):
            return shown(date.fromisoformat(text), year)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return str(value)
    return shown(moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM))
