from datetime import date, time, timedelta

import pytest

from kiosk.clock import local_day
from kiosk.errors import InputError
from kiosk.market_cards import WEEKDAYS, CardRules, MarketCardToken, sign_card
from kiosk.market_gate import CardDesk
from tests.kiosk.conftest import NOW, Clock  # 10:00 in Vietnam

EVERY_DAY = 0b1111111
ANY_DAY = CardRules(WEEKDAYS, EVERY_DAY)


@pytest.fixture
def gate(store, issuer):
    from cryptography.hazmat.primitives import serialization

    raw = issuer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    store.put_trusted_key(1, raw, NOW - timedelta(days=30))
    store.markets.put_market(1, "Chợ Đông Ba")
    store.markets.put_market(2, "Chợ An Cựu")
    clock = Clock()
    return CardDesk(store, market_id=1, checkpoint_id="g", operator_id="m1", clock=clock), clock


def make(issuer, rules=ANY_DAY, **changes):
    today = local_day(NOW)
    fields = {
        "key_id": 1,
        "issued_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=30),
        "card_id": 7001,
        "market_id": 1,
        "valid_from": today - timedelta(days=3),
        "valid_to": today + timedelta(days=20),
        "rules": rules,
    }
    fields.update(changes)
    return sign_card(MarketCardToken(**fields), issuer)


def test_valid_card_enters_once_a_day_and_the_gate_counts_it(store, gate, issuer):
    g, clock = gate
    text = make(issuer)
    assert g.check_card(text).reason == "card_valid"
    clock.now += timedelta(hours=1)
    again = g.check_card(text)
    assert again.reason == "card_already_today"
    assert "10:00" in again.message("vi")
    assert g.today().entered == 1 and g.today().inside == 1
    assert g.record_exit(text).done
    assert g.today().inside == 0 and g.today().entered == 1
    clock.now += timedelta(days=1)
    assert g.check_card(text).reason == "card_valid"  # a new day


def test_card_of_another_market_names_that_market(gate, issuer):
    g, _ = gate
    result = g.check_card(make(issuer, market_id=2))
    assert result.reason == "card_wrong_market" and "Chợ An Cựu" in result.message("vi")


def test_time_slot_is_enforced(gate, issuer):
    g, _ = gate
    result = g.check_card(
        make(issuer, rules=CardRules(WEEKDAYS, EVERY_DAY, (time(14, 0), time(16, 0))))
    )
    assert result.reason == "card_wrong_time" and "14:00–16:00" in result.message("vi")


def test_a_time_slot_holds_to_the_end_of_its_last_minute(gate, issuer):
    g, clock = gate
    rules = CardRules(WEEKDAYS, EVERY_DAY, (time(7, 0), time(11, 0)))
    clock.now = NOW + timedelta(hours=1, seconds=59)  # 11:00:59 in Vietnam
    assert g.check_card(make(issuer, rules=rules)).reason == "card_valid"
    clock.now = NOW + timedelta(hours=1, minutes=1)  # 11:01
    later = g.check_card(make(issuer, rules=rules, card_id=7002))
    assert later.reason == "card_wrong_time"


def test_quota_per_period_is_enforced(gate, issuer):
    g, clock = gate
    text = make(issuer, rules=CardRules(WEEKDAYS, EVERY_DAY, None, 2, 7))
    assert g.check_card(text).verdict.value == "allow"
    clock.now += timedelta(days=1)
    assert g.check_card(text).verdict.value == "allow"
    clock.now += timedelta(days=1)
    assert g.check_card(text).reason == "card_quota_used"


def test_revoked_and_expired_cards_are_refused(store, gate, issuer):
    g, _ = gate
    store.markets.put_card(7001, "Trần Thị Lệ", "0905", 1, True, NOW)
    assert g.check_card(make(issuer)).reason == "card_revoked"
    expired = make(issuer, card_id=7002, valid_to=date(2026, 11, 1))
    assert g.check_card(expired).reason == "card_expired"


def test_wrong_day_refusal_says_which_days(gate, issuer):
    g, _ = gate
    weekday = local_day(NOW).weekday()
    other = EVERY_DAY & ~(1 << weekday)
    result = g.check_card(make(issuer, rules=CardRules(WEEKDAYS, other)))
    assert result.reason == "card_wrong_day"
    assert "T2" in result.message("vi") and "Mon" in result.message("en")


def test_what_is_no_card_is_an_input_error_and_records_nothing(store, gate):
    g, _ = gate
    before = len(store.scan_event_ids())
    with pytest.raises(InputError):
        g.check_card("046085001234")
    assert len(store.scan_event_ids()) == before


@pytest.mark.parametrize(
    "typed",
    ["5.001", "5 001", "No. 5001", "Số thẻ 5001", "So\u0302\u0301 the\u0309 5001", "#5001"],
)
def test_a_card_number_typed_as_people_write_it_is_that_card(store, gate, typed):
    """The trial: '5 001' (or 100.001, a Vietnamese thousands dot; or 'No. 5001', as the
    printed card says 'Số thẻ / No. 5001') was refused as no market card at all."""
    g, _ = gate
    store.markets.put_card(5001, "Nguyễn Văn Hùng", "0905123456", 1, False, NOW)
    first = g.check_card_number(typed)
    assert (first.reason, first.holder.card_id) == ("card_typed", 5001)
    assert g.check_card_number("5001").reason == "card_already_today"  # the same card
    assert g.record_exit(typed).done


@pytest.mark.parametrize("typed", ["abc", "50O1", "5001a", "1.2.3.4.5.6.7.8.9.0.1.2.3", ""])
def test_what_is_no_card_number_records_nothing(store, gate, typed):
    g, _ = gate
    before = len(store.scan_event_ids())
    with pytest.raises(InputError):
        g.check_card_number(typed)
    with pytest.raises(InputError):
        g.record_exit(typed)
    assert len(store.scan_event_ids()) == before
