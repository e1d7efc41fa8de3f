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
    [("2026-12-05", date(2026, 12, 5)), ("05/12/2026", date(2026, 12, 5)),
     ("5/12/2026", date(2026, 12, 5)), (" 05-12-2026 ", date(2026, 12, 5)),
     ("05.12.2026", date(2026, 12, 5)), ("25/12/2026", date(2026, 12, 25))],
)
def test_iso_and_day_month_year_are_read_as_meant(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize(
    "typed",
    ["5/12/26", "12/2026", "2026/12/05", "12/25/2026", "31/02/2026", "20261205", "",
     "\uff10\uff15/12/2026"],  # a two-digit year, month first, no such day, full-width digits
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
    permit = {"id": "41", "plate": "75C-123.45", "kind": "freight",
              "valid_from": "31/02/2026 08:00", "valid_to": "31/12/2026 18:00"}
    refused = post_form(client, office.url, "/vehicles", "/vehicles", permit)
    assert "Ngày không hợp lệ" in refused.text and "25/12/2026" in refused.text
    assert listing(office.server.engine, "vehicle") == []
    # what a date-and-time picker or a script posts is still read
    saved = post_form(client, office.url, "/vehicles", "/vehicles",
                      {**permit, "valid_from": "2026-12-01T08:00"})
    assert "Đã lưu" in saved.text
    (row,) = listing(office.server.engine, "vehicle")
    assert row["valid_from"] == "2026-12-01T08:00:00+07:00"
