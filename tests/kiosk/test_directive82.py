"""Directive 82's rules for every vehicle and traveller (issue 11), each test naming the seed
and the part its rule comes from. Seed 000 is Thừa Thiên Huế's 82/CV-BCĐ, seed 004 Đồng Nai's
11580/KH-UBND (/work/shared/seeds, docs/sources.md)."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.assisted import DeclarationDesk
from kiosk.checker import PersonDesk
from kiosk.clock import local_day
from kiosk.errors import InputError
from kiosk.handover_list import write_handover_pdf
from kiosk.market_cards import ODD_DATES, CardRules, MarketCardToken, sign_card
from kiosk.market_gate import CardDesk
from kiosk.storage.rule_settings import (
    FREIGHT_MAX_STAY_HOURS,
    ZONE_LOOKBACK_DAYS,
    market_key,
)
from kiosk.vehicles import VehicleDesk
from tests.kiosk.conftest import NOW
from tests.kiosk.test_assisted import GOOD
from tests.kiosk.test_vehicles import _put

H = timedelta(hours=1)
DUC = "046085001234"


def _decl(i, subject, name, birth, sex, **extra):
    return {
        "id": i,
        "subject_id": subject,
        "full_name": name,
        "birth_date": birth,
        "sex": sex,
        "phone": "0905123456",
        "status": "approved",
        "valid_until": NOW + timedelta(days=7),
        "origin_area": "46.474",
        "travel_areas": "",
        "symptoms": "",
        "declared_by_proxy": False,
        "updated_at": NOW - 2 * H,
        **extra,
    }


@pytest.fixture
def police(store):
    return VehicleDesk(store, checkpoint_id="chot-1", operator_id="p1", clock=lambda: NOW)


@pytest.fixture
def medic(store):
    store.put_declarations([_decl(1, DUC, "Trần Văn Đức", date(1985, 3, 12), "M")])
    return PersonDesk(store, checkpoint_id="chot-1", operator_id="m1", clock=lambda: NOW)


# --- vehicles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "verdict", "reason", "enters"),
    [
        ("freight", "deny", "freight_not_registered", False),
        ("transit", "attention", "vehicle_transit", False),
        ("coach", "attention", "coach_passengers_declare", True),
        ("car", "attention", "car_occupants_declare", True),
        ("delegation", "deny", "delegation_not_registered", False),
    ],
)
def test_an_unregistered_plate_is_judged_by_the_kind_the_officer_names(
    store, police, kind, verdict, reason, enters
):
    """Seed 000 part II.2 and III.2.a (unregistered freight is the violation), III.1.b, III.2.b
    and IV.5 (transit takes the bypass, no declaration), III.3.a (a fixed-route coach enters,
    every passenger declares), III.4.a (a car under 7 seats: every occupant declares at the
    checkpoint), II.3 (a delegation must be registered and approved)."""
    result = police.check_plate("75A-111.11", "typed", kind)
    assert (result.verdict.value, result.reason) == (verdict, reason)
    assert (result.entry_id is not None) == enters
    assert result.kind == kind


def test_the_verdicts_carry_the_directives_instruction_in_both_languages(police):
    """Seed 000 part III.1.b and IV.5: transit goes straight on "Đường tránh Huế"; III.2.a:
    freight crews leave right after delivering ("quay về ngay")."""
    transit = police.check_plate("30K-444.55", "typed", "transit").messages()
    assert "Đường tránh Huế" in transit["vi"] and "Huế bypass" in transit["en"]
    car = police.check_plate("75A-111.11", "typed", "car").messages()
    assert "dưới 7 chỗ" in car["vi"] and "every occupant declares" in car["en"]


def test_a_plate_not_registered_and_no_kind_named_asks_for_the_kind(police):
    """Seed 000 part III: the verdict follows the kind, so without one the officer is asked,
    rather than every unregistered plate being refused as a violation."""
    result = police.check_plate("75A-111.11")
    assert (result.verdict.value, result.reason) == ("attention", "vehicle_kind_needed")
    assert result.entry_id is None
    with pytest.raises(InputError) as err:
        police.check_plate("75A-111.11", "typed", "tractor")
    assert err.value.code == "vehicle_kind_unknown"


def test_a_registered_plate_keeps_its_registration_whatever_kind_is_named(store, police):
    """Seed 000 part II.3: a registered, approved delegation enters as approved."""
    _put(store, 1, "75-B1 456.78", kind="delegation")
    result = police.check_plate("75-B1 456.78", "typed", "freight")
    assert (result.verdict.value, result.reason) == ("allow", "vehicle_approved")
    assert result.kind == "delegation" and result.entry_id is not None


def test_freight_entries_and_exits_are_recorded_and_overstayers_listed(store, police):
    """Seed 000 part III.2.a: the crew must return right after delivering ("bắt buộc phải quay
    về ngay sau khi giao/nhận hàng"): entries and exits are recorded, and freight inside longer
    than the server's `freight_max_stay_hours` (default 12, its source stated) is listed."""
    _put(store, 1, "75C-123.45", start=NOW - 30 * H, end=NOW + H)
    _put(store, 2, "43C-567.89", start=NOW - 30 * H, end=NOW + H)
    early = VehicleDesk(store, checkpoint_id="c", operator_id="p1", clock=lambda: NOW - 13 * H)
    for plate in ("75C-123.45", "43C-567.89"):
        assert early.check_plate(plate).reason == "freight_approved"
    left = police.record_exit("43C 567 89")
    assert left is not None and left.exited_at == NOW
    overdue, hours = police.overdue_freight()
    assert hours == 12 and [r.plate_display for r in overdue] == ["75C-123.45"]
    assert "quay về ngay" in store.rule_settings.get(FREIGHT_MAX_STAY_HOURS).source
    store.rule_settings.put(FREIGHT_MAX_STAY_HOURS, "24", "Sở Y tế, test")
    assert police.overdue_freight() == ([], 24)
    assert police.record_exit("43C-567.89") is None  # already out: nothing to close
    trail = [(e["action"], e["outcome"]) for e in store.audit_trail(5)]
    assert ("vehicle_exit", "no_open_entry") in trail and ("vehicle_exit", "ok") in trail


def test_a_coach_s_passengers_are_checked_one_by_one_under_its_entry(store, police, medic):
    """Seed 000 part III.3.a: every passenger of a coach declares at the checkpoint; the medic
    checks them one by one, each scan recorded under the coach's entry."""
    coach = police.check_plate("43B-055.66", "typed", "coach")
    aboard = PersonDesk(
        store,
        checkpoint_id="chot-1",
        operator_id="m1",
        clock=lambda: NOW,
        vehicle_entry_id=coach.entry_id,
    )
    first = aboard.check_id(DUC, "typed")
    second = aboard.check_id("001203004567", "typed")
    medic.check_id(DUC, "typed")  # someone on foot: not under the coach
    assert first.vehicle_entry_id == coach.entry_id
    scans = store.vehicle_entries.occupant_scans(coach.entry_id)
    assert [s["reason"] for s in scans] == [first.reason, second.reason]
    assert all(DUC not in s["subject_ref"] for s in scans)
    assert [r.event_id for r in store.vehicle_entries.with_occupants(NOW - H)] == [coach.entry_id]
    with pytest.raises(InputError) as err:
        PersonDesk(store, checkpoint_id="c", operator_id="m", vehicle_entry_id="nope")
    assert err.value.code == "vehicle_entry_unknown"


# --- people -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "said_en"),
    [
        ({"from_epidemic_zone": True}, "came from an epidemic zone"),
        ({"contact_with_case": True}, "contact with a case"),
    ],
)
def test_an_assisted_declaration_that_declares_exposure_gets_its_verdict_at_once(
    store, tmp_path, answers, said_en
):
    """Seed 000 part III.4.b and III.5.b: who passed through or came from an epidemic zone goes
    to 21 days of concentrated quarantine and a PCR test; the kiosk that took the declaration
    says so at once, on screen, on the receipt and when its QR is scanned, and puts the person
    on the quarantine team's handover list."""
    desk = DeclarationDesk(
        store, operator_id="a1", checkpoint_id="chot-1", receipts_dir=tmp_path, clock=lambda: NOW
    )
    result, errors = desk.submit({**GOOD, **answers})
    assert errors == {}
    assert (result.verdict.value, result.reason) == ("attention", "declaration_quarantine")
    assert said_en in result.message("en") and "21" in result.message("vi")
    text = subprocess.run(
        ["pdftotext", str(result.receipt), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "cách ly tập trung 21 ngày" in text and "PCR" in text
    assert "pending" not in text.lower() and "Chờ duyệt" not in text
    # the person's next scan, typed or from the receipt's QR: the same instruction, not pending
    medic = PersonDesk(store, checkpoint_id="chot-1", operator_id="m1", clock=lambda: NOW)
    later = medic.check_id(GOOD["id_number"], "typed")
    assert (later.verdict.value, later.reason) == ("attention", "exposure_quarantine")
    listed = store.handovers.listing()
    assert [(h.full_name, h.id_number, h.phone, h.status) for h in listed] == [
        ("Võ Thị Ữ", "046301002345", "0905123456", "waiting")
    ]
    assert listed[0].origin == "Đà Nẵng"


def test_an_assisted_declaration_without_exposure_stays_pending(store, tmp_path):
    """Seed 000 part IV.2: an ordinary assisted declaration waits for the server's approval."""
    desk = DeclarationDesk(
        store, operator_id="a1", checkpoint_id="c", receipts_dir=tmp_path, clock=lambda: NOW
    )
    result, _ = desk.submit(GOOD)
    assert result.reason == "declaration_queued"
    assert store.handovers.listing() == []


def test_the_handover_list_prints_and_records_each_status(store, tmp_path):
    """Seed 000 part III.4.b: people referred to concentrated quarantine are handed to the
    quarantine team: name, ID, phone, origin, time, and whether they were handed over."""
    store.put_zone("79", "TP. Hồ Chí Minh", NOW.date() - timedelta(days=5))
    store.put_declarations(
        [
            _decl(
                1,
                "079088003456",
                "Đặng Văn Ệ",
                date(1988, 9, 9),
                "M",
                origin_area="79.760",
                exposure="",
            ),
            _decl(
                2, "046090006789", "Nguyễn Thị Thu Hà", date(1990, 6, 18), "F", exposure="contact"
            ),
        ]
    )
    medic = PersonDesk(store, checkpoint_id="chot-1", operator_id="m1", clock=lambda: NOW)
    assert medic.check_id("079088003456", "typed").reason == "epidemic_zone"
    medic.check_id("079088003456", "typed")  # scanned twice while waiting: listed once
    assert medic.check_id("046090006789", "typed").reason == "exposure_quarantine"
    rows = store.handovers.listing()
    assert [r.full_name for r in rows] == ["Đặng Văn Ệ", "Nguyễn Thị Thu Hà"]
    assert rows[0].origin == "TP. Hồ Chí Minh"
    assert store.handovers.set_status(rows[0].event_id, "handed_over", "m1", NOW)
    assert store.handovers.set_status(rows[1].event_id, "absent", "m1", NOW)
    assert not store.handovers.set_status("no-such-id", "absent", "m1", NOW)
    rows = store.handovers.listing()
    assert [r.status for r in rows] == ["handed_over", "absent"]
    pdf = write_handover_pdf(tmp_path / "ban-giao.pdf", rows, "chot-1", NOW)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "DANH SÁCH BÀN GIAO CÁCH LY TẬP TRUNG" in text
    for expected in (
        "Đặng Văn Ệ",
        "079088003456",
        "0905123456",
        "TP. Hồ Chí Minh",
        "Nguyễn Thị Thu Hà",
        "đã bàn giao",
        "vắng mặt",
        "10:00 22/11",
    ):
        assert expected in text, expected


def test_an_expired_declaration_tells_the_person_to_declare_again_today(store, medic):
    """Seed 000 part I.2.a ("khai báo y tế ... hằng ngày") and seed 004 part II (a declaration
    every day): expired means declare again today, not just "expired"."""
    store.put_declarations(
        [
            _decl(
                2,
                "046301002345",
                "Võ Thị Ữ",
                date(2001, 2, 14),
                "F",
                valid_until=NOW - timedelta(days=1),
            )
        ]
    )
    result = medic.check_id("046301002345", "typed")
    assert (result.verdict.value, result.reason) == ("deny", "expired")
    assert "khai báo lại ngay hôm nay" in result.message("vi")
    assert "declare again today" in result.message("en")


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        (f"{DUC}||Trần Văn Đạt|12031985|Nam|Số 12 Lê Lợi, TP. Huế|01052021", "Trần Văn Đạt"),
        (f"{DUC}|TRAN VAN DUC|1985-03-21|0|163298720202401368|<1<00<<09******33", "TRAN VAN DUC"),
    ],
)
def test_an_unsigned_code_naming_someone_else_is_not_waved_through(medic, code, printed):
    """Seed 004 part II.5 and seed 000 part IV.3: the medic checks the declaration by the code or
    the ID number; a chip-CCCD QR or national personal QR is not signed, so one whose name or
    birth date disagrees with the declaration it matched gets attention, both names shown."""
    result = medic.check_payload(code, "camera")
    assert (result.verdict.value, result.reason) == ("attention", "code_name_differs")
    assert result.person.name == "Trần Văn Đức"
    assert result.on_code.name == printed
    assert DUC not in str(result.to_json())  # nothing personal on the command line


def test_the_genuine_cccd_qr_is_still_approved(medic):
    """Seed 000 part IV.3: the same person's own code, name and birth date agreeing."""
    code = f"{DUC}||Trần Văn Đức|12031985|Nam|Số 12 Lê Lợi, TP. Huế|01052021"
    result = medic.check_payload(code, "camera")
    assert (result.reason, result.on_code) == ("approved", None)


def test_the_zone_look_back_is_a_server_setting_with_its_source(store, medic):
    """Seed 000 part III.4.b ("đã đi qua/đến từ các vùng có dịch") names no period: 14 days is
    the project's choice, the default of a setting the server can change (and then its
    source is the server's)."""
    store.put_declarations(
        [_decl(3, "079088003456", "Đặng Văn Ệ", date(1988, 9, 9), "M", origin_area="79.760")]
    )
    store.put_zone(
        "79", "TP. Hồ Chí Minh", NOW.date() - timedelta(days=60), NOW.date() - timedelta(days=20)
    )  # lifted 20 days ago
    setting = store.rule_settings.get(ZONE_LOOKBACK_DAYS)
    assert setting.value == "14" and "project choice" in setting.source
    assert medic.check_id("079088003456", "typed").reason == "approved"
    store.replica.apply_page(
        [
            {
                "kind": "setting",
                "key": ZONE_LOOKBACK_DAYS,
                "op": "upsert",
                "data": {"key": ZONE_LOOKBACK_DAYS, "value": "21", "source": "Sở Y tế 2021"},
            }
        ],
        7,
    )
    assert store.rule_settings.get(ZONE_LOOKBACK_DAYS).source == "Sở Y tế 2021"
    assert medic.check_id("079088003456", "typed").reason == "epidemic_zone"


def test_whether_an_odd_card_admits_on_the_31st_is_the_market_s_setting(store, issuer):
    """No seed says (seed 000 part I.3 asks markets to scan QR codes; the card's days are our
    model): by default the card's plain meaning, the 31st is an odd date; a market may give it
    to the even-date group instead."""
    from cryptography.hazmat.primitives import serialization

    public = issuer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    dec31 = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)  # 09:00 in Huế
    store.put_trusted_key(1, public, dec31 - timedelta(days=30))
    for market in (1, 2):
        store.markets.put_market(market, f"Chợ {market}")
    day = local_day(dec31)

    def check(market: int, card_id: int) -> str:
        card = MarketCardToken(
            1,
            dec31 - H,
            dec31 + 30 * 24 * H,
            card_id,
            market,
            day - timedelta(days=5),
            day + timedelta(days=5),
            CardRules(ODD_DATES),
        )
        gate = CardDesk(
            store, market_id=market, checkpoint_id="c", operator_id="m", clock=lambda: dec31
        )
        return gate.check_card(sign_card(card, issuer)).reason

    store.rule_settings.put(market_key(2), "even", "ban quản lý chợ 2")
    assert check(1, 71) == "card_valid"
    assert check(2, 72) == "card_wrong_day"
