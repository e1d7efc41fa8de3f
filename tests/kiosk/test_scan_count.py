"""A verdict's number is its scan's place in its screen's Vietnamese day: the count the medic's
counter shows, untouched by refusals, other screens' scans or yesterday's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.checker import PersonDesk
from kiosk.errors import InputError
from kiosk.scan_count import numbered, scans_today
from kiosk.vehicles import VehicleDesk
from tests.kiosk.conftest import NOW, Clock

WHO = {"checkpoint_id": "chot-1", "operator_id": "op-1"}


def test_each_screen_numbers_its_own_scans_of_the_vietnamese_day(store):
    clock = Clock()
    clock.now = NOW.replace(hour=16, minute=30)  # 23:30 in Vietnam: the day before
    medic = PersonDesk(store, clock=clock, **WHO)
    police = VehicleDesk(store, clock=clock, **WHO)
    assert numbered(medic.check_id("046085001234", "typed"), store).number == 1
    clock.now = NOW.replace(hour=17, minute=5)  # 00:05 in Vietnam, still the 22nd in UTC
    assert numbered(medic.check_id("046085001234", "typed"), store).number == 1
    with pytest.raises(InputError):
        medic.check_id("12", "typed")  # refused: recorded as nothing, numbered as nothing
    assert numbered(police.check_plate("29c12345", "typed", "car"), store).number == 1
    clock.now += timedelta(minutes=1)
    second = numbered(medic.check_payload("046085001234", "camera"), store)
    assert second.number == 2 == scans_today(store, "medic", clock.now)
    assert scans_today(store, "police", clock.now) == 1
