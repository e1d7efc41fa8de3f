"""Demo data for the other roles: operators with PINs, vehicles, markets and household cards.

Expected verdicts hold for the first check of the day (a valid card checked twice is then
"already entered today", as at a real gate).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import base45, tokens
from kiosk.auth import Authenticator
from kiosk.clock import local, local_day
from kiosk.market_cards import (
    EVEN_DATES,
    ODD_DATES,
    WEEKDAYS,
    CardRules,
    MarketCardToken,
    allowed_on,
    sign_card,
)
from kiosk.storage import Store

OPERATORS = (  # id, name, role, PIN (demo only)
    ("medic-demo", "Y sĩ Nguyễn Thị Mai", "medic", "1111"),
    ("police-demo", "Thiếu úy Trần Quốc Bảo", "police", "2222"),
    ("market-demo", "Bà Lê Thị Hoa (BQL chợ)", "market", "3333"),
    ("assistant-demo", "Anh Phạm Minh Khôi (hỗ trợ khai báo)", "assistant", "4444"),
    ("supervisor-demo", "Bác sĩ Hồ Văn Thành (trưởng chốt)", "supervisor", "9999"),
)
MARKETS = ((1, "Chợ Đông Ba"), (2, "Chợ An Cựu"))
HOME_MARKET = 1
EVERY_DAY = 0b1111111


def seed_operators(store: Store) -> list[dict[str, str]]:
    auth = Authenticator(store)
    for operator_id, name, role, pin in OPERATORS:
        auth.add_operator(operator_id, name, role, pin)
    return [{"id": o, "role": r, "pin": p} for o, _n, r, p in OPERATORS]


def seed_vehicles(store: Store, now: datetime) -> list[dict[str, object]]:
    hour = timedelta(hours=1)
    rows = [  # typed form, kind, status, from, to, business, expected verdict and reason
        (
            "75C-123.45",
            "freight",
            "approved",
            now - hour,
            now + 8 * hour,
            "Công ty TNHH Thực phẩm Huế Xanh",
            "allow",
            "vehicle_approved",
        ),
        (
            "43C-567.89",
            "freight",
            "approved",
            now + 24 * hour,
            now + 32 * hour,
            "Công ty CP Vật tư Y tế Đà Nẵng",
            "deny",
            "vehicle_outside_window",
        ),
        (
            "92C-246.80",
            "delegation",
            "pending",
            now,
            now + 48 * hour,
            "Sở Y tế Thừa Thiên Huế",
            "attention",
            "vehicle_pending",
        ),
        (
            "51D-135.79",
            "freight",
            "rejected",
            now,
            now + 8 * hour,
            "Công ty TNHH Vận tải Sài Gòn",
            "deny",
            "vehicle_rejected",
        ),
        (
            "29H-111.22",
            "transit",
            "approved",
            now - hour,
            now + 6 * hour,
            "",
            "attention",
            "vehicle_transit",
        ),
        (
            "75-B1 456.78",
            "delegation",
            "approved",
            now - hour,
            now + 10 * hour,
            "Bệnh viện Trung ương Huế",
            "allow",
            "vehicle_approved",
        ),
        (
            "75R-012.34",
            "freight",
            "approved",
            now - hour,
            now + 8 * hour,
            "Cảng Chân Mây",
            "allow",
            "vehicle_approved",
        ),
    ]
    from kiosk.plates import parse_plate

    store.vehicles.put(
        {
            "id": 2001 + i,
            "plate_key": parse_plate(typed).key,
            "plate_display": typed,
            "kind": kind,
            "status": status,
            "business": business,
            "driver_name": "Lê Văn Tám",
            "driver_phone": "0905123488",
            "valid_from": start,
            "valid_to": end,
            "updated_at": now - 2 * hour,
        }
        for i, (typed, kind, status, start, end, business, _v, _r) in enumerate(rows)
    )
    expected = [{"plate": r[0], "verdict": r[6], "reason": r[7]} for r in rows]
    expected += [
        {"plate": "38C-999.99", "verdict": "deny", "reason": "vehicle_not_registered"},
        {
            "plate": "75c 12354",
            "verdict": "deny",
            "reason": "vehicle_not_registered",
            "suggestions": ["75C-123.45"],
        },  # two digits swapped: offered, never accepted
        {"plate": "75 A 123 45", "verdict": "deny", "reason": "vehicle_not_registered"},
    ]
    return expected


def _parity_rules(today: date, matching: bool) -> CardRules:
    probe = MarketCardToken(0, datetime.min, datetime.max, 0, 0, today, today, CardRules(ODD_DATES))
    odd_today = allowed_on(probe, today)
    return CardRules(ODD_DATES if odd_today == matching else EVEN_DATES)


def seed_cards(
    store: Store, key: Ed25519PrivateKey, key_id: int, now: datetime
) -> list[dict[str, str]]:
    today = local_day(now)
    for market_id, name in MARKETS:
        store.markets.put_market(market_id, name)
    h = (local(now).hour + 2) % 24
    base = MarketCardToken(
        key_id,
        now - timedelta(days=1),
        now + timedelta(days=30),
        0,
        HOME_MARKET,
        today - timedelta(days=10),
        today + timedelta(days=20),
        _parity_rules(today, True),
    )
    cards = [  # card id, holder, changes to the base card, revoked, expected
        (5001, "Nguyễn Văn Hùng", {}, False, "allow", "card_valid"),
        (
            5002,
            "Trần Thị Lệ",
            {"rules": _parity_rules(today, False)},
            False,
            "deny",
            "card_wrong_day",
        ),
        (5003, "Võ Đình Phúc", {"market_id": 2}, False, "deny", "card_wrong_market"),
        (5004, "Đoàn Thị Ngữ", {}, True, "deny", "card_revoked"),
        (
            5005,
            "Hồ Văn Lực",
            {"valid_to": today - timedelta(days=1)},
            False,
            "deny",
            "card_expired",
        ),
        (5006, "Phan Thị Bích", {}, False, "deny", "card_already_today"),
        (
            5007,
            "Dương Văn Đạt",
            {"rules": CardRules(WEEKDAYS, EVERY_DAY, (time(h, 0), time(h, 59)))},
            False,
            "deny",
            "card_wrong_time",
        ),
        (
            5009,
            "Lý Thị Ánh",
            {
                "valid_from": today - timedelta(days=2),
                "rules": CardRules(WEEKDAYS, EVERY_DAY, None, 2, 7),
            },
            False,
            "deny",
            "card_quota_used",
        ),
    ]
    expected = []
    for card_id, holder, changes, revoked, verdict, reason in cards:
        card = replace(base, card_id=card_id, **changes)
        store.markets.put_card(card_id, holder, "09******21", card.market_id, revoked, now)
        expected.append(
            {
                "name": f"card-{card_id}",
                "payload": sign_card(card, key),
                "verdict": verdict,
                "reason": reason,
            }
        )
    store.markets.put_entry(
        f"demo-5006-{today}", 5006, HOME_MARKET, today, now - timedelta(hours=1), "market-demo"
    )
    for back in (1, 2):
        day = today - timedelta(days=back)
        store.markets.put_entry(
            f"demo-5009-{day}", 5009, HOME_MARKET, day, now - timedelta(days=back), "market-demo"
        )
    valid = expected[0]["payload"]
    raw = bytearray(base45.decode(valid[len(tokens.PREFIX) :]))
    raw[tokens.HEADER.size + 8 : tokens.HEADER.size + 12] = (2).to_bytes(4, "big")  # market
    expected.append(
        {
            "name": "card-forged",
            "payload": tokens.PREFIX + base45.encode(bytes(raw)),
            "verdict": "deny",
            "reason": "forged",
        }
    )
    return expected
