import pytest

from kiosk.errors import InputError
from kiosk.plates import one_typo_away, parse_plate


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("29c12345", "29C-123.45"),  # the police trial's unregistered car
        ("75 A 123 45", "75A-123.45"),  # loose spaces: still a car
        ("43c1234", "43C-1234"),
        ("75-b1 12345", "75-B1 123.45"),
        ("75-B1 2345", "75-B1 2345"),  # the key is a car's; the typing says motorbike
        ("29aa12345", "29-AA 123.45"),
        ("75r01234", "75R-012.34"),
        ("75md1 12345", "75MĐ1-123.45"),
        ("75ld12345", "75LD-123.45"),
        ("80011ng01", "80-011-NG-01"),
        ("tm1234", "TM-12-34"),
        ("７５Ｃ－１２３.４５", "75C-123.45"),
    ],
)
def test_a_plate_is_shown_in_its_printed_form_however_it_was_typed(typed, shown):
    assert parse_plate(typed).display == shown
    assert parse_plate(shown).display == shown  # the printed form is its own


@pytest.mark.parametrize(
    ("typed", "key", "series"),
    [
        ("75A-123.45", "75A12345", "car"),
        ("75a12345", "75A12345", "car"),
        ("75 A 123 45", "75A12345", "car"),
        ("43C-1234", "43C1234", "car"),
        ("75-B1 123.45", "75B112345", "motorbike"),
        ("29-AA 123.45", "29AA12345", "motorbike_under_50cc"),
        ("75R-012.34", "75R01234", "trailer"),
        ("75RM-012.34", "75RM01234", "trailer"),
        ("75MĐ1-123.45", "75MĐ112345", "tractor_or_electric"),
        ("75md1 12345", "75MĐ112345", "tractor_or_electric"),  # no Vietnamese keyboard
        ("75LD-123.45", "75LD12345", "special"),
        ("75TD 12345", "75TĐ12345", "special"),
        ("80-011-NG-01", "80011NG01", "diplomatic"),
        ("TM-12-34", "TM1234", "military"),
        ("T75-12345", "T7512345", "temporary"),
        ("７５Ｃ－１２３.４５", "75C12345", "car"),  # full-width, from an East Asian input method
    ],
)
def test_every_common_form_finds_one_key(typed, key, series):
    plate = parse_plate(typed)
    assert (plate.key, plate.series, plate.typed) == (key, series, typed)


@pytest.mark.parametrize(
    "typed", ["hello", "", "00A12345", "75C-12", "7512345", "75C-1234O", "٧٥C-123.45"]
)
def test_what_is_not_a_plate_is_refused(typed):
    with pytest.raises(InputError) as err:
        parse_plate(typed)
    assert err.value.code == "plate_malformed"


def test_one_typo_covers_confusables_and_swapped_neighbours():
    near = one_typo_away("75C12345")
    assert {"75C12354", "75C1234S", "57C12345", "75C1Z345"} <= near
    assert "75C12345" not in near
    assert "75C12340" in one_typo_away("75C1234O")
