from datetime import timedelta

import pytest

from kiosk.errors import InputError
from kiosk.vehicles import VehicleDesk
from tests.kiosk.conftest import NOW, vehicle_row

H = timedelta(hours=1)


def _put(store, i, typed, kind="freight", status="approved", start=NOW - H, end=NOW + H):
    store.vehicles.put([vehicle_row(i, typed, kind, status, start, end, updated_at=NOW - H * i)])


@pytest.fixture
def police(store):
    return VehicleDesk(store, checkpoint_id="c", operator_id="p1", clock=lambda: NOW)


@pytest.mark.parametrize(
    ("kind", "status", "start", "end", "verdict", "reason"),
    [
        ("freight", "approved", NOW - H, NOW + H, "allow", "freight_approved"),
        ("delegation", "approved", NOW - H, NOW + H, "allow", "vehicle_approved"),
        ("delegation", "approved", NOW + H, NOW + 2 * H, "deny", "vehicle_outside_window"),
        ("freight", "pending", NOW - H, NOW + H, "attention", "vehicle_pending"),
        ("freight", "rejected", NOW - H, NOW + H, "deny", "vehicle_rejected"),
        ("transit", "approved", NOW - H, NOW + H, "attention", "vehicle_transit"),
    ],
)
def test_registration_states_give_their_verdicts(
    store, police, kind, status, start, end, verdict, reason
):
    _put(store, 1, "75C-123.45", kind, status, start, end)
    result = police.check_plate("75c 123 45")
    assert (result.verdict.value, result.reason) == (verdict, reason)


def test_the_registration_valid_now_wins_over_an_older_or_later_one(store, police):
    _put(store, 1, "75C-123.45", start=NOW - 30 * H, end=NOW - 20 * H)
    _put(store, 2, "75C-123.45", start=NOW - H, end=NOW + H)
    assert police.check_plate("75C12345").reason == "freight_approved"


def test_near_misses_are_offered_never_accepted(store, police):
    _put(store, 1, "75C-123.45")
    result = police.check_plate("75C-123.54")
    assert result.reason == "vehicle_kind_needed"  # unregistered, kind not named yet
    assert result.suggestions == ("75C-123.45",)
    with pytest.raises(InputError) as err:
        police.check_plate("75C-1234S")  # S for 5: not even a plate
    assert err.value.params["suggestions"] == ("75C-123.45",)


def test_every_vehicle_look_up_is_audited_with_the_screen(store, police):
    police.check_plate("38C-999.99")
    entry = store.audit_trail()[0]
    assert (entry["screen"], entry["action"], entry["operator_id"]) == (
        "police",
        "lookup_vehicle",
        "p1",
    )
    assert entry["subject_ref"] == "38C99999"


@pytest.mark.parametrize(
    ("registered", "printed"),
    [
        ("51c12345", "51C-123.45"),
        ("29 a 123 45", "29A-123.45"),
        ("51ld-12345", "51LD-123.45"),
        ("75-b1 456.78", "75-B1 456.78"),  # a motorbike's separators keep it one
    ],
)
def test_a_registered_plate_reads_as_printed_however_the_office_typed_it(
    store, police, registered, printed
):
    _put(store, 1, registered, kind="delegation")
    result = police.check_plate(printed)
    assert result.registration.plate_display == printed
    # the entry it opened, which the exit line and the lists show, reads the same
    assert store.vehicle_entries.get(result.entry_id).plate_display == printed
    assert police.check_plate(printed[:-2] + printed[-1] + printed[-2]).suggestions == (printed,)
