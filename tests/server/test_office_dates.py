"""Days typed into the back office: a date picker posts ISO whatever order it shows; a text
field, a CSV row or a browser without a picker brings day/month/year, the Vietnamese habit.
Both are read as meant; anything else is refused with a message, never guessed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk_server.days import parse_day, parse_moment
from kiosk_server.office import listing
from tests.server.office import post_form


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("05/12/2026", date(2026, 12, 5)),
        ("5/12/2026", date(2026, 12, 5)),
        (" 05-12-2026 ", date(2026, 12, 5)),
        ("05.12.2026", date(2026, 12, 5)),
        ("25/12/2026", date(2026, 12, 25)),
    ],
)
def test_iso_and_day_month_year_are_read_as_meant(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "5/12/26",
        "12/2026",
        "2026/12/05",
        "12/25/2026",
        "31/02/2026",
        "20261205",
        "",
        "\uff10\uff15/12/2026",
    ],  # a two-digit year, month first, no such day, full-width digits
)
def test_anything_else_is_refused_not_guessed(typed):
    with pytest.raises(ValueError):
        parse_day(typed)


def test_a_day_and_time_typed_day_first_is_read_too():
    assert parse_moment("05/12/2026 8:30") == datetime(2026, 12, 5, 8, 30)
    assert parse_moment("2026-12-05T08:30") == datetime(2026, 12, 5, 8, 30)
    with pytest.raises(ValueError):
        parse_moment("05/12/2026")  # no time


def test_a_zone_typed_day_first_is_saved_and_a_bad_day_is_said_with_an_example(office):
    client = office.session("yte")
    zone = {"id": "4", "area_code": "48", "name": "TP. Đà Nẵng", "active_to": ""}
    saved = post_form(client, office.url, "/zones", "/zones", {**zone, "active_from": "01/12/2026"})
    assert "Đã lưu" in saved.text
    (row,) = listing(office.server.engine, "epidemic_zone")
    assert row["active_from"] == "2026-12-01"  # 1 December, not 12 January
    refused = post_form(client, office.url, "/zones", "/zones", {**zone, "active_from": "1/12/26"})
    assert "Ngày không hợp lệ" in refused.text and "25/12/2026" in refused.text
    assert "YYYY" not in refused.text


def test_statistics_take_a_day_first_date_in_the_address(office):
    client = office.session("yte")
    page = client.get(office.url + "/stats", params={"start": "01/12/2026", "end": "02/12/2026"})
    assert page.ok and 'class="error"' not in page.text and 'value="01/12/2026"' in page.text
    page = client.get(office.url + "/stats", params={"start": "12/31/2026"})  # month first
    assert "Ngày không hợp lệ" in page.text and "25/12/2026" in page.text


def test_a_permit_with_a_day_that_does_not_exist_is_refused_as_a_date_and_nothing_saved(office):
    client = office.session("congan")
    permit = {
        "id": "41",
        "plate": "75C-123.45",
        "kind": "freight",
        "valid_from": "31/02/2026 08:00",
        "valid_to": "31/12/2026 18:00",
    }
    refused = post_form(client, office.url, "/vehicles", "/vehicles", permit)
    assert "Ngày không hợp lệ" in refused.text and "25/12/2026" in refused.text
    assert listing(office.server.engine, "vehicle") == []
    # what a date-and-time picker or a script posts is still read
    saved = post_form(
        client, office.url, "/vehicles", "/vehicles", {**permit, "valid_from": "2026-12-01T08:00"}
    )
    assert "Đã lưu" in saved.text
    (row,) = listing(office.server.engine, "vehicle")
    assert row["valid_from"] == "2026-12-01T08:00:00+07:00"


PERMIT = {
    "id": "990001",
    "plate": "75C-123.45",
    "kind": "freight",
    "business": "Công ty Huế Xanh",
    "driver_name": "Lê Văn Tám",
    "driver_phone": "0905123456",
    "valid_from": "01/12/2026 08:00",
    "valid_to": "31/12/2026 18:00",
    "route": "QL1A",
}
SELECTS = {"kind", "days", "role"}


@pytest.mark.parametrize(
    ("user", "path", "typed", "bad", "label"),
    [
        (
            "congan",
            "/vehicles",
            {**PERMIT, "valid_from": "31/02/2026 08:00"},
            "valid_from",
            "Hiệu lực từ",
        ),
        ("congan", "/vehicles", {**PERMIT, "valid_to": "abc"}, "valid_to", "Hiệu lực đến"),
        (
            "yte",
            "/zones",
            {
                "id": "4",
                "area_code": "48",
                "name": "TP. Đà Nẵng",
                "active_from": "01/12/2026",
                "active_to": "31/02/2027",
            },
            "active_to",
            "Đến ngày",
        ),
        (
            "cho",
            "/cards",
            {
                "household_head": "Nguyễn Văn Hộ",
                "phone": "0905123456",
                "household": "HK-12",
                "valid_from": "abc",
                "valid_to": "",
            },
            "valid_from",
            "Hiệu lực từ",
        ),
        (
            "cho",
            "/markets",
            {
                "id": "7",
                "name": "Chợ Đông Ba",
                "days": "every",
                "param": "hai",
                "slot_from": "",
                "slot_to": "",
                "max_entries": "4",
                "period_days": "7",
            },
            "param",
            "Thứ (bit: T2=1 … CN=64) hoặc N",
        ),
        (
            "admin",
            "/operators",
            {
                "id": "yt-09",
                "name": "Trần Thị Yến",
                "role": "medic",
                "checkpoint": "CP-A",
                "pin": "12",
            },
            "pin",
            "Mã PIN (4–8 số)",
        ),
    ],
)
def test_a_refused_form_keeps_what_was_typed_and_names_the_box(
    office, user, path, typed, bad, label
):
    """After a refusal the user corrects one box, not the whole form again: every other box
    keeps what was typed (a PIN aside), and the message names the box by its label."""
    client = office.session(user)
    refused = post_form(client, office.url, path, path, {**typed, "market_id": "1"})
    assert refused.status_code == 400 and "Đã lưu" not in refused.text
    said = refused.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert f"Ô cần sửa: «{label}»." in said, said
    for name, value in typed.items():
        if name == "pin":
            assert 'name="pin" value=' not in refused.text  # a secret is not sent back
        elif name in SELECTS:
            assert f'<option value="{value}" selected>' in refused.text, name
        else:
            assert f'name="{name}" value="{value}"' in refused.text, name
    box = refused.text.split(f'name="{bad}"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in box and "autofocus" in box


def test_a_refused_permit_names_the_box_in_english_too(office):
    client = office.session("congan")
    client.get(office.url + "/lang/en")
    refused = post_form(client, office.url, "/vehicles", "/vehicles", {**PERMIT, "valid_to": "abc"})
    assert refused.status_code == 400 and "Box to correct: “Valid to”." in refused.text
    assert 'name="plate" value="75C-123.45"' in refused.text
    assert listing(office.server.engine, "vehicle") == []
