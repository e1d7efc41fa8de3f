from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest

from kiosk import tokens
from kiosk.market_cards import (
    DATE_LIST,
    EVEN_DATES,
    EVERY_N_DAYS,
    ODD_DATES,
    WEEKDAYS,
    CardRules,
    MarketCardToken,
    allowed_on,
    describe_days,
    period_of,
    sign_card,
    verify_card,
)
from tests.kiosk.conftest import NOW

FIRST = date(2026, 11, 1)


def card(rules, **changes):
    fields = {
        "key_id": 1,
        "issued_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=60),
        "card_id": 5001,
        "market_id": 1,
        "valid_from": FIRST,
        "valid_to": date(2026, 12, 31),
        "rules": rules,
    }
    fields.update(changes)
    return MarketCardToken(**fields)


def test_a_signed_card_round_trips_with_all_its_rules(issuer):
    original = card(CardRules(WEEKDAYS, 0b0010101, (time(6, 0), time(9, 30)), 4, 15))
    text = sign_card(original, issuer)
    assert segment_ok(text)
    got = verify_card(text, lambda k, at: issuer.public_key(), NOW)
    assert got == original


def segment_ok(text):
    return text.startswith("CK1:") and len(text) < 180


def test_a_declaration_token_is_not_taken_for_a_card(issuer):
    text = tokens.sign(
        tokens.DeclarationToken(1, NOW, NOW + timedelta(1), 9, "046085001234"), issuer
    )
    with pytest.raises(tokens.TokenError):
        verify_card(text, lambda k, at: issuer.public_key(), NOW)


@pytest.mark.parametrize(
    ("rules", "allowed", "refused"),
    [
        (CardRules(ODD_DATES), [date(2026, 11, 1), date(2026, 11, 29)], [date(2026, 11, 2)]),
        (CardRules(EVEN_DATES), [date(2026, 11, 2), date(2026, 12, 30)], [date(2026, 12, 31)]),
        (
            CardRules(WEEKDAYS, 0b0000101),
            [date(2026, 11, 23), date(2026, 11, 25)],
            [date(2026, 11, 24)],
        ),  # Mon, Wed
        (CardRules(DATE_LIST, 0b1001), [date(2026, 11, 1), date(2026, 11, 4)], [date(2026, 11, 2)]),
        (
            CardRules(EVERY_N_DAYS, 3),
            [date(2026, 11, 1), date(2026, 11, 4)],
            [date(2026, 11, 3), date(2026, 10, 29)],
        ),
    ],
)
def test_allowed_days(rules, allowed, refused):
    c = card(rules)
    assert all(allowed_on(c, d) for d in allowed)
    assert not any(allowed_on(c, d) for d in refused)


def test_by_default_the_31st_and_29_feb_are_odd_dates_as_the_card_says():
    """No seed says how a market counts the 31st (issue 11): the default is the card's plain
    meaning, so an odd-date card admits on the 31st and on 29 February. This replaces the old
    rule (the 31st given to the even group), which refused odd cards on the 31st."""
    odd, even = card(CardRules(ODD_DATES)), card(CardRules(EVEN_DATES))
    for day in (date(2026, 12, 31), date(2028, 2, 29), date(2027, 1, 31)):
        assert allowed_on(odd, day) and not allowed_on(even, day)
    assert allowed_on(odd, date(2027, 1, 1))  # two days running: what the plain meaning gives
    days = [date(2027, 1, 1) + timedelta(n) for n in range(3 * 366)]
    assert all(allowed_on(odd, d) != allowed_on(even, d) for d in days)  # one group a day


def test_a_market_that_says_even_gives_the_31st_to_the_even_group():
    """The per-market setting "even": an odd-date household never shops two days running."""
    odd, even = card(CardRules(ODD_DATES)), card(CardRules(EVEN_DATES))
    dec31, jan1 = date(2026, 12, 31), date(2027, 1, 1)
    assert not allowed_on(odd, dec31, "even") and allowed_on(odd, jan1, "even")
    assert allowed_on(even, dec31, "even")


def test_with_the_even_setting_over_leap_and_common_years_odd_never_shops_two_days_running():
    odd, even = card(CardRules(ODD_DATES)), card(CardRules(EVEN_DATES))
    days = [date(2027, 1, 1) + timedelta(n) for n in range(3 * 366)]  # 2028 is a leap year
    for group in (odd, even):
        shopping = [d for d in days if allowed_on(group, d, "even")]
        assert max((b - a).days for a, b in pairwise(shopping)) <= 3
    odd_days = {d for d in days if allowed_on(odd, d, "even")}
    assert not any(d + timedelta(1) in odd_days for d in odd_days)
    assert allowed_on(even, date(2028, 2, 29), "even")
    assert not allowed_on(odd, date(2028, 2, 29), "even")
    assert all(allowed_on(odd, d, "even") != allowed_on(even, d, "even") for d in days)


def test_quota_periods_start_on_the_cards_first_day():
    c = card(CardRules(WEEKDAYS, 0b1111111, None, 2, 7))
    assert period_of(c, date(2026, 11, 9)) == (date(2026, 11, 8), date(2026, 11, 14))


def test_not_your_day_says_which_days_are(issuer):
    assert describe_days(card(CardRules(WEEKDAYS, 0b0000101)), FIRST, "vi") == "T2, T4"
    assert "odd" in describe_days(card(CardRules(ODD_DATES)), FIRST, "en")
    assert "03/11" in describe_days(card(CardRules(EVERY_N_DAYS, 2)), date(2026, 11, 2), "vi")


def test_forged_card_is_refused(issuer):
    from kiosk import base45

    text = sign_card(card(CardRules(ODD_DATES)), issuer)
    raw = bytearray(base45.decode(text[4:]))
    raw[tokens.HEADER.size + 11] ^= 0x03  # another market
    with pytest.raises(tokens.TokenError) as err:
        verify_card("CK1:" + base45.encode(bytes(raw)), lambda k, at: issuer.public_key(), NOW)
    assert err.value.code == "forged"
    assert isinstance(NOW, datetime)
