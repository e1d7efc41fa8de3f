"""Market-day cards ("thẻ đi chợ"): the signed card (CK1 type 2) and its day rules.

The schemes provinces used in 2021 (Huế: one card per household and allowed days; Đà Nẵng:
coupons bound to one market; Hà Nội: odd/even days and time slots) fit one model: allowed days
as odd or even dates, fixed weekdays, a list of dates, or every N days; an optional time slot;
a validity period; one entry a day; optionally at most N entries per period. The rules travel
signed inside the QR, so a card is judged offline even before the kiosk has cached it; the cache
adds the household's name and revocations.

An odd last day of a month (the 31st; 29 February) gives the odd-date group two days running
(31st then 1st) and leaves the even-date group waiting three. The seeds do not say what to do,
so it is each market's setting (`market_last_odd_day.<id>`, pulled from the server): by default
the card's plain meaning, an odd date is an odd date ("odd"); a market that wants the even-date
group to take the 31st and 29 February says "even".
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import messages, tokens

EPOCH = date(2020, 1, 1)  # card days are counted from here, two bytes each
_BODY = struct.Struct(">QIHHBQHHBB")
NO_SLOT = 0xFFFF
MINUTES_A_DAY = 24 * 60

ODD_DATES, EVEN_DATES, WEEKDAYS, DATE_LIST, EVERY_N_DAYS = 1, 2, 3, 4, 5
RULE_NAMES = {
    ODD_DATES: "odd",
    EVEN_DATES: "even",
    WEEKDAYS: "weekdays",
    DATE_LIST: "dates",
    EVERY_N_DAYS: "every_n_days",
}


@dataclass(frozen=True)
class CardRules:
    kind: int
    param: int = 0  # weekday bitmask (bit 0 Monday), date bitmask from valid_from, or N
    slot: tuple[time, time] | None = None
    max_entries: int = 0  # 0: no limit beyond one a day
    period_days: int = 0


@dataclass(frozen=True)
class MarketCardToken:
    key_id: int
    issued_at: datetime
    expires_at: datetime
    card_id: int
    market_id: int
    valid_from: date
    valid_to: date
    rules: CardRules


def _day(d: date) -> int:
    return (d - EPOCH).days


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _time(m: int) -> time:
    return time(m // 60, m % 60)


def sign_card(card: MarketCardToken, key: Ed25519PrivateKey) -> str:
    r = card.rules
    slot = (_minutes(r.slot[0]), _minutes(r.slot[1])) if r.slot else (NO_SLOT, NO_SLOT)
    body = _BODY.pack(
        card.card_id,
        card.market_id,
        _day(card.valid_from),
        _day(card.valid_to),
        r.kind,
        r.param,
        *slot,
        r.max_entries,
        r.period_days,
    )
    return tokens.seal(
        tokens.Envelope(
            tokens.TYPE_MARKET_CARD, card.key_id, card.issued_at, card.expires_at, body
        ),
        key,
    )


def verify_card(text: str, public_key_for: tokens.PublicKeyFor, now: datetime) -> MarketCardToken:
    env = tokens.open_envelope(text, public_key_for, now, _BODY.size, tokens.TYPE_MARKET_CARD)
    card_id, market_id, first, last, kind, param, s0, s1, max_n, period = _BODY.unpack(env.body)
    if kind not in RULE_NAMES or (kind == EVERY_N_DAYS and param < 1):
        raise tokens.TokenError("unreadable")
    if s0 != NO_SLOT and not (s0 < MINUTES_A_DAY and s1 < MINUTES_A_DAY):
        raise tokens.TokenError("unreadable")  # signed, but no time of day: an issuer's bug
    slot = None if s0 == NO_SLOT else (_time(s0), _time(s1))
    return MarketCardToken(
        env.key_id,
        env.issued_at,
        env.expires_at,
        card_id,
        market_id,
        EPOCH + timedelta(first),
        EPOCH + timedelta(last),
        CardRules(kind, param, slot, max_n, period),
    )


LAST_ODD_DAY_CHOICES = ("odd", "even")  # a market's setting; "odd" is the card's plain meaning


def _even_group_day(day: date, last_odd_day: str) -> bool:
    last_of_month = (day + timedelta(days=1)).day == 1
    return day.day % 2 == 0 or (last_odd_day == "even" and last_of_month)


def allowed_on(card: MarketCardToken, day: date, last_odd_day: str = "odd") -> bool:
    """`last_odd_day`: the market's choice for the 31st and 29 February ("odd": an odd date
    like any other; "even": given to the even-date group)."""
    r = card.rules
    if r.kind == ODD_DATES:
        return not _even_group_day(day, last_odd_day)
    if r.kind == EVEN_DATES:
        return _even_group_day(day, last_odd_day)
    if r.kind == WEEKDAYS:
        return bool(r.param >> day.weekday() & 1)
    offset = (day - card.valid_from).days
    if r.kind == DATE_LIST:
        return 0 <= offset < 64 and bool(r.param >> offset & 1)
    return offset >= 0 and offset % r.param == 0  # EVERY_N_DAYS


def next_allowed(card: MarketCardToken, after: date, last_odd_day: str = "odd") -> date | None:
    day = after + timedelta(1)
    while day <= card.valid_to:
        if allowed_on(card, day, last_odd_day):
            return day
        day += timedelta(1)
    return None


def period_of(card: MarketCardToken, day: date) -> tuple[date, date]:
    """The quota period containing `day`: blocks of period_days from the card's first day."""
    n = card.rules.period_days
    start = card.valid_from + timedelta(((day - card.valid_from).days // n) * n)
    return start, start + timedelta(n - 1)


def describe_days(card: MarketCardToken, today: date, lang: str, last_odd_day: str = "odd") -> str:
    """The allowed days in the operator's words, for 'not your day'."""
    r = card.rules
    plain = last_odd_day != "even"
    if r.kind == ODD_DATES:
        return messages.text(messages.PLAIN_ODD_DATES if plain else messages.ODD_DATES, lang)
    if r.kind == EVEN_DATES:
        return messages.text(messages.PLAIN_EVEN_DATES if plain else messages.EVEN_DATES, lang)
    if r.kind == WEEKDAYS:
        days = [messages.WEEKDAY_WORDS[i] for i in range(7) if r.param >> i & 1]
        return ", ".join(messages.text(day, lang) for day in days)
    upcoming = next_allowed(card, today - timedelta(1), last_odd_day)
    when = upcoming.strftime("%d/%m") if upcoming else messages.text(messages.NONE_LEFT, lang)
    if r.kind == DATE_LIST:
        return messages.text(messages.DATES_ON_CARD, lang, when=when)
    return messages.text(messages.EVERY_N_DAYS, lang, n=r.param, when=when)
