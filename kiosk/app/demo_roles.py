"""Demo data for the other roles: operators with PINs, vehicles, markets and household cards.

Expected verdicts hold for the first check of the day (a valid card checked twice is then
"already entered today", as at a real gate).
"""

from __future__ import annotations

from dataclasses import dataclass
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

HOME_MARKET = 1


@dataclass(frozen=True)
class DemoOperator:
    id: str
    name: str
    role: str
    pin: str  # demo only: the sign-in screen lists these


@dataclass(frozen=True)
class DemoVehicle:
    plate: str  # as an officer would type it
    kind: str
    status: str
    from_hours: float  # the approved window, in hours from now
    to_hours: float
    business: str
    expect: tuple[str, str]  # verdict and reason


@dataclass(frozen=True)
class DemoCard:
    """A household's card: the base card (the home market, every other date, today allowed,
    valid from ten days back for thirty days) changed only where a field says so."""

    card_id: int
    holder: str
    expect: tuple[str, str]  # verdict and reason of its first check of the day
    market_id: int = HOME_MARKET
    today_allowed: bool = True  # odd or even dates, whichever today is (or is not)
    every_day_slot_hours: int | None = None  # every day, in the one-hour slot this far ahead
    every_day_quota: tuple[int, int] | None = None  # every day, at most N entries in M days
    valid_from_days: int = -10  # from today
    valid_to_days: int = 20
    revoked: bool = False
    entries: tuple[tuple[int, int], ...] = ()  # already recorded: (days, hours) ago


OPERATORS = (
    DemoOperator("medic-demo", "Y sĩ Nguyễn Thị Mai", "medic", "1111"),
    DemoOperator("police-demo", "Thiếu úy Trần Quốc Bảo", "police", "2222"),
    DemoOperator("market-demo", "Bà Lê Thị Hoa (BQL chợ)", "market", "3333"),
    DemoOperator("assistant-demo", "Anh Phạm Minh Khôi (hỗ trợ khai báo)", "assistant", "4444"),
    DemoOperator("supervisor-demo", "Bác sĩ Hồ Văn Thành (trưởng chốt)", "supervisor", "9999"),
)
MARKETS = {1: "Chợ Đông Ba", 2: "Chợ An Cựu"}
EVERY_DAY = 0b1111111
VEHICLES = (
    DemoVehicle(
        "75C-123.45",
        "freight",
        "approved",
        -1,
        8,
        "Công ty TNHH Thực phẩm Huế Xanh",
        ("allow", "freight_approved"),
    ),
    DemoVehicle(
        "43C-567.89",
        "freight",
        "approved",
        24,
        32,
        "Công ty CP Vật tư Y tế Đà Nẵng",
        ("deny", "vehicle_outside_window"),
    ),
    DemoVehicle(
        "92C-246.80",
        "delegation",
        "pending",
        0,
        48,
        "Sở Y tế Thừa Thiên Huế",
        ("attention", "vehicle_pending"),
    ),
    DemoVehicle(
        "51D-135.79",
        "freight",
        "rejected",
        0,
        8,
        "Công ty TNHH Vận tải Sài Gòn",
        ("deny", "vehicle_rejected"),
    ),
    DemoVehicle("29H-111.22", "transit", "approved", -1, 6, "", ("attention", "vehicle_transit")),
    DemoVehicle(
        "75-B1 456.78",
        "delegation",
        "approved",
        -1,
        10,
        "Bệnh viện Trung ương Huế",
        ("allow", "vehicle_approved"),
    ),
    DemoVehicle(
        "75R-012.34",
        "freight",
        "approved",
        -1,
        8,
        "Cảng Chân Mây",
        ("allow", "freight_approved"),
    ),
)
UNREGISTERED_PLATES = (  # plates the cache does not hold: the verdict follows the kind named
    # seed 000 II.2, III.2.a: unregistered freight is the violation
    {
        "plate": "38C-999.99",
        "kind": "freight",
        "verdict": "deny",
        "reason": "freight_not_registered",
    },
    {  # two digits swapped, no kind named yet: offered, never accepted; the officer asks
        "plate": "75c 12354",
        "verdict": "attention",
        "reason": "vehicle_kind_needed",
        "suggestions": ["75C-123.45"],
    },
    # seed 000 III.4.a: a car under 7 seats, every occupant declares at the checkpoint
    {
        "plate": "75 A 123 45",
        "kind": "car",
        "verdict": "attention",
        "reason": "car_occupants_declare",
    },
    # seed 000 III.3.a: a fixed-route coach may enter, every passenger declares
    {
        "plate": "43B-055.66",
        "kind": "coach",
        "verdict": "attention",
        "reason": "coach_passengers_declare",
    },
    # seed 000 III.1.b, III.2.b, IV.5: passing through, on the bypass "Đường tránh Huế"
    {"plate": "30K-444.55", "kind": "transit", "verdict": "attention", "reason": "vehicle_transit"},
    # seed 000 II.3: a delegation must be registered and approved
    {
        "plate": "29A-666.77",
        "kind": "delegation",
        "verdict": "deny",
        "reason": "delegation_not_registered",
    },
)
OVERDUE_FREIGHT = ("75R-012.34", 20)  # let in 20 hours ago, never left: past the 12-hour stay
DEMO_MARKET_SETTINGS = (  # the 31st and 29 Feb: An Cựu gives them to the even-date group
    (2, "even", "demo: Chợ An Cựu's board gives the 31st and 29 Feb to even-date households"),
)
CARDS = (
    DemoCard(5001, "Nguyễn Văn Hùng", ("allow", "card_valid")),
    DemoCard(5002, "Trần Thị Lệ", ("deny", "card_wrong_day"), today_allowed=False),
    DemoCard(5003, "Võ Đình Phúc", ("deny", "card_wrong_market"), market_id=2),
    DemoCard(5004, "Đoàn Thị Ngữ", ("deny", "card_revoked"), revoked=True),
    DemoCard(5005, "Hồ Văn Lực", ("deny", "card_expired"), valid_to_days=-1),
    DemoCard(5006, "Phan Thị Bích", ("deny", "card_already_today"), entries=((0, 1),)),
    DemoCard(5007, "Dương Văn Đạt", ("deny", "card_wrong_time"), every_day_slot_hours=2),
    DemoCard(
        5009,
        "Lý Thị Ánh",
        ("deny", "card_quota_used"),
        every_day_quota=(2, 7),
        valid_from_days=-2,
        entries=((1, 0), (2, 0)),
    ),
)


def seed_operators(store: Store) -> list[dict[str, str]]:
    auth = Authenticator(store)
    for o in OPERATORS:
        auth.add_operator(o.id, o.name, o.role, o.pin)
    return [{"id": o.id, "role": o.role, "pin": o.pin} for o in OPERATORS]


def seed_vehicles(store: Store, now: datetime) -> list[dict[str, object]]:
    from kiosk.plates import parse_plate

    hour = timedelta(hours=1)
    store.vehicles.put(
        {
            "id": 2001 + i,
            "plate_key": parse_plate(v.plate).key,
            "plate_display": v.plate,
            "kind": v.kind,
            "status": v.status,
            "business": v.business,
            "driver_name": "Lê Văn Tám",
            "driver_phone": "0905123488",
            "valid_from": now + v.from_hours * hour,
            "valid_to": now + v.to_hours * hour,
            "updated_at": now - 2 * hour,
        }
        for i, v in enumerate(VEHICLES)
    )
    expected: list[dict[str, object]] = [
        {"plate": v.plate, "verdict": v.expect[0], "reason": v.expect[1]} for v in VEHICLES
    ]
    return expected + [dict(p) for p in UNREGISTERED_PLATES]


def seed_vehicle_entries(store: Store, now: datetime) -> list[str]:
    """A freight vehicle let in long ago that never left: the police screen lists it."""
    from kiosk.plates import parse_plate
    from kiosk.storage.models import VehicleEntry
    from kiosk.storage.timeutil import to_db

    plate, hours = OVERDUE_FREIGHT
    table = VehicleEntry.__table__
    with store.engine.begin() as conn:
        conn.execute(table.delete().where(table.c.event_id == "demo-overdue-freight"))
        conn.execute(
            table.insert().values(
                event_id="demo-overdue-freight",
                plate_key=parse_plate(plate).key,
                plate_display=plate,
                kind="freight",
                registration_id=2001 + [v.plate for v in VEHICLES].index(plate),
                checkpoint_id="demo",
                operator_id="police-demo",
                entered_at=to_db(now - timedelta(hours=hours)),
            )
        )
    return [plate]


def seed_rule_settings(store: Store) -> list[dict[str, str]]:
    """Per-market choices; the rest keep their defaults (kiosk/storage/rule_settings.py)."""
    from kiosk.storage.rule_settings import market_key

    out = []
    for market_id, value, source in DEMO_MARKET_SETTINGS:
        store.rule_settings.put(market_key(market_id), value, source)
        out.append({"key": market_key(market_id), "value": value, "source": source})
    return out


def _parity_rules(today: date, matching: bool) -> CardRules:
    probe = MarketCardToken(0, datetime.min, datetime.max, 0, 0, today, today, CardRules(ODD_DATES))
    odd_today = allowed_on(probe, today)
    return CardRules(ODD_DATES if odd_today == matching else EVEN_DATES)


def _rules(c: DemoCard, now: datetime) -> CardRules:
    if c.every_day_slot_hours is not None:
        h = (local(now).hour + c.every_day_slot_hours) % 24
        return CardRules(WEEKDAYS, EVERY_DAY, (time(h, 0), time(h, 59)))
    if c.every_day_quota is not None:
        return CardRules(WEEKDAYS, EVERY_DAY, None, *c.every_day_quota)
    return _parity_rules(local_day(now), c.today_allowed)


def seed_cards(
    store: Store, key: Ed25519PrivateKey, key_id: int, now: datetime
) -> list[dict[str, str]]:
    today = local_day(now)
    for market_id, name in MARKETS.items():
        store.markets.put_market(market_id, name)
    expected = []
    for c in CARDS:
        card = MarketCardToken(
            key_id,
            now - timedelta(days=1),
            now + timedelta(days=30),
            c.card_id,
            c.market_id,
            today + timedelta(days=c.valid_from_days),
            today + timedelta(days=c.valid_to_days),
            _rules(c, now),
        )
        store.markets.put_card(c.card_id, c.holder, "09******21", c.market_id, c.revoked, now)
        for days, hours in c.entries:
            day = today - timedelta(days=days)
            at = now - timedelta(days=days, hours=hours)
            store.markets.put_entry(
                f"demo-{c.card_id}-{day}", c.card_id, c.market_id, day, at, "market-demo"
            )
        verdict, reason = c.expect
        payload = sign_card(card, key)
        expected.append(
            {"name": f"card-{c.card_id}", "payload": payload, "verdict": verdict, "reason": reason}
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
