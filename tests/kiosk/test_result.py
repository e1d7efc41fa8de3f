"""Every role's desk answers in one shape (kiosk/result.py) and leaves exactly one audit row."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization

from kiosk.assisted import DeclarationDesk
from kiosk.checker import PersonDesk, PersonResult
from kiosk.clock import local_day
from kiosk.desks import check_text
from kiosk.errors import InputError
from kiosk.market_cards import WEEKDAYS, CardRules, MarketCardToken, sign_card
from kiosk.market_gate import CardDesk, CardResult
from kiosk.result import RoleResult
from kiosk.rules import Verdict
from kiosk.settings import Settings
from kiosk.storage.timeutil import to_db
from kiosk.vehicles import VehicleDesk, VehicleResult
from tests.kiosk.conftest import ASSISTED_FORM, NOW, declaration_row, vehicle_row

DUC = "046085001234"  # Trần Văn Đức, approved
WHO = {"checkpoint_id": "chot-1", "operator_id": "op-1"}
FORM = {**ASSISTED_FORM, "symptoms": []}


def _card(issuer, market_id=1):
    today = local_day(NOW)
    token = MarketCardToken(
        key_id=1,
        issued_at=NOW - timedelta(days=1),
        expires_at=NOW + timedelta(days=30),
        card_id=7001,
        market_id=market_id,
        valid_from=today - timedelta(days=3),
        valid_to=today + timedelta(days=20),
        rules=CardRules(WEEKDAYS, 0b1111111),
    )
    return sign_card(token, issuer)


@pytest.fixture
def cache(store, issuer):
    """A kiosk's cache with one of everything: a person, a vehicle, a market and its key."""
    raw = issuer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    store.put_trusted_key(1, raw, NOW - timedelta(days=30))
    store.put_declarations([declaration_row(1, DUC)])
    store.vehicles.put([vehicle_row(1, "75C-123.45")])
    store.markets.put_market(1, "Chợ Đông Ba")
    store.markets.put_market(2, "Chợ An Cựu")
    return store


def _person(number):
    return lambda store, issuer, receipts: PersonDesk(store, **WHO, clock=lambda: NOW).check_id(
        number, "typed"
    )


def _plate(text):
    return lambda store, issuer, receipts: VehicleDesk(store, **WHO, clock=lambda: NOW).check_plate(
        text
    )


def _market_card(market_id):
    return lambda store, issuer, receipts: CardDesk(
        store, market_id=1, **WHO, clock=lambda: NOW
    ).check_card(_card(issuer, market_id))


def _assisted(store, issuer, receipts):
    desk = DeclarationDesk(store, receipts_dir=receipts, **WHO, clock=lambda: NOW)
    return desk.submit(FORM)[0]


# case -> (the check, verdict, reason, audit screen, audit action)
CASES = {
    "medic": (_person(DUC), "allow", "approved", "medic", "lookup_person"),
    "medic_unknown": (_person("046301009999"), "attention", "not_found", "medic", "lookup_person"),
    "police": (_plate("75C12345"), "allow", "freight_approved", "police", "lookup_vehicle"),
    "police_unregistered": (
        _plate("75C-123.46"),
        "attention",
        "vehicle_kind_needed",
        "police",
        "lookup_vehicle",
    ),
    "market": (_market_card(1), "allow", "card_valid", "market", "market_card"),
    "market_elsewhere": (_market_card(2), "deny", "card_wrong_market", "market", "market_card"),
    "assistant": (
        _assisted,
        "attention",
        "declaration_queued",
        "assistant",
        "assisted_declaration",
    ),
}


@pytest.fixture(params=sorted(CASES))
def case(request, cache, issuer, tmp_path):
    act, *expected = CASES[request.param]
    return request.param, (lambda: act(cache, issuer, tmp_path / "receipts")), expected


def test_every_role_answers_in_the_one_result_shape(case):
    _name, act, (verdict, reason, _screen, _action) = case
    result = act()
    assert isinstance(result, RoleResult)
    assert (result.verdict.value, result.reason) == (verdict, reason)
    assert result.checked_at == NOW and result.event_id
    answer = result.to_json()
    assert list(answer)[:4] == ["verdict", "reason", "message_vi", "message_en"]
    assert set(answer) - {"verdict", "reason", "message_vi", "message_en"} <= {"suggestions"}
    assert (answer["verdict"], answer["reason"]) == (verdict, reason)
    assert result.messages() == {"vi": answer["message_vi"], "en": answer["message_en"]}
    assert answer["message_vi"] == result.message("vi") != result.message("en")
    assert "{" not in answer["message_vi"] + answer["message_en"]
    printed = json.dumps(answer, ensure_ascii=False)
    for personal in (DUC, "Trần Văn Đức", "Lê Văn Tám", "046301002345", "Võ Thị Ữ"):
        assert personal not in printed  # the JSON is the same for every role: nothing personal


def test_every_role_check_writes_exactly_one_audit_row(cache, case):
    name, act, (verdict, reason, screen, action) = case
    before = cache.audit_trail()
    scans = cache.scan_event_ids()
    result = act()
    after = cache.audit_trail()
    assert len(after) == len(before) + 1
    row = after[0]
    assert (row["operator_id"], row["screen"], row["action"]) == ("op-1", screen, action)
    assert row["at"] == to_db(NOW)
    for personal in (DUC, "046301002345", "Trần", "Võ"):
        assert personal not in row["subject_ref"]
    if name == "assistant":  # a declaration is queued, not a scan
        assert row["outcome"] == "queued"
        assert cache.scan_event_ids() == scans
        assert [q.event_id for q in cache.outbox.queued()] == [result.event_id]
    else:  # one scan row, the one the result names, in the same transaction as the audit row
        assert row["outcome"] == f"{verdict}:{reason}"
        assert cache.scan_event_ids() == scans | {result.event_id}


def test_a_refused_input_records_nothing_in_any_role(cache, tmp_path):
    before = cache.audit_trail()
    with pytest.raises(InputError):
        PersonDesk(cache, **WHO).check_id("12345", "typed")
    with pytest.raises(InputError):
        VehicleDesk(cache, **WHO).check_plate("xe máy")
    with pytest.raises(InputError):
        CardDesk(cache, market_id=1, **WHO).check_card("not a card")
    result, errors = DeclarationDesk(cache, receipts_dir=tmp_path, **WHO).submit(
        {**FORM, "phone": "0123"}
    )
    assert result is None and errors == {"phone": "form_phone"}
    assert cache.audit_trail() == before and cache.scan_event_ids() == set()


def test_kiosk_check_sends_each_input_to_its_desk(cache, issuer):
    conf = replace(Settings(), market_id=1, **WHO)
    assert isinstance(check_text(cache, conf, id_text=DUC), PersonResult)
    assert isinstance(check_text(cache, conf, plate="75C-123.45"), VehicleResult)
    assert isinstance(check_text(cache, conf, payload=_card(issuer)), CardResult)
    near = check_text(cache, conf, plate="75C-123.54")
    assert near.to_json()["suggestions"] == ["75C-123.45"]
    assert len(cache.audit_trail()) == 4


def test_the_four_keys_are_the_kiosk_check_contract():
    result = PersonResult(
        Verdict.ALLOW,
        "approved",
        "e1",
        NOW,
        payload_kind="typed_id",
        params={"date": "25/11/2026"},
    )
    assert json.dumps(result.to_json(), ensure_ascii=False) == (
        '{"verdict": "allow", "reason": "approved", '
        '"message_vi": "Tờ khai đã được duyệt, còn hạn đến 25/11/2026.", '
        '"message_en": "Declaration approved, valid until 25/11/2026."}'
    )
