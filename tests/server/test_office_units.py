"""Small rules of the back office that need no server."""

from __future__ import annotations

import pytest

from kiosk_server import office, staff
from kiosk_server.web import _cell, _safe_next


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_sends_the_browser_off_the_server(target):
    assert _safe_next(target) == "/"


def test_sign_in_returns_to_the_page_asked_for():
    assert _safe_next("/declarations?q=1") == "/declarations?q=1"


def test_a_cell_a_spreadsheet_would_run_is_defused_and_flags_read_back():
    assert _cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _cell("+84905123456") == "+84905123456"  # a number, left alone
    assert (_cell(True), _cell(False), _cell(None)) == ("true", "false", "")


def test_passwords_are_salted_scrypt_and_checked_in_constant_form():
    one, two = staff.hash_password("mật khẩu dài lắm"), staff.hash_password("mật khẩu dài lắm")
    assert one != two and one.startswith("scrypt$16384$8$1$")
    assert staff.check_password("mật khẩu dài lắm", one)
    assert not staff.check_password("mật khẩu dài lắ", one)
    assert not staff.check_password("x", "bcrypt$whatever")


def test_a_signed_cookie_altered_by_one_character_is_refused():
    secret = b"k" * 32
    signed = staff.sign_cookie(secret, "token123")
    assert staff.unsign_cookie(secret, signed) == "token123"
    assert staff.unsign_cookie(secret, "token124" + signed[8:]) is None
    assert staff.unsign_cookie(b"other" * 8, signed) is None


@pytest.mark.parametrize(
    ("typed", "area"),
    [("Đà Nẵng", "48"), ("TP. Hồ Chí Minh", "79"), ("thành phố hà nội", "01"), ("Lào", "")],
)
def test_a_place_typed_by_name_gets_its_province_area_code(typed, area):
    assert office.province_area(typed) == area


def test_no_card_is_signed_with_the_public_demo_key_until_it_is_rotated(tmp_path):
    from sqlalchemy import select

    from kiosk_server import admin, cards
    from kiosk_server.db import entities, open_db
    from kiosk_server.demo import load_demo

    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    load_demo(engine, tmp_path)
    with engine.connect() as conn:
        market = (
            conn.execute(select(entities.c.key).where(entities.c.kind == "market"))
            .scalars()
            .first()
        )
    form = {"household_head": "Lê Văn Tám", "phone": "0905 000 111", "market_id": market}
    with pytest.raises(office.OfficeError) as refused:
        cards.issue_card(engine, "cho", form)
    assert refused.value.code == "demo_key"
    admin.rotate_key(engine)  # withdraws the demo key
    assert cards.issue_card(engine, "cho", form)["market_id"] == int(market)
    engine.dispose()
