from datetime import date

import pytest

from kiosk.errors import InputError
from kiosk.ids import PersonalId, agrees_with, parse_id

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text", ["046085001234", "046 085 001 234", "046.085.001.234", "191234567"]
)
def test_typed_ids_with_separators_are_accepted(text):
    assert parse_id(text, TODAY).number == text.replace(" ", "").replace(".", "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("04608500123", "id_bad_length"),
        ("0460850012345", "id_bad_length"),
        ("04608500123a", "id_not_digits"),
        ("０４６０８５００１２３４", "id_not_digits"),  # full-width digits from an IME
        ("099085001234", "id_bad_province"),  # 099 is no province
        ("046485001234", "id_bad_century"),  # 4 = born in the 2100s
    ],
)
def test_implausible_ids_are_refused_with_a_reason(text, code):
    with pytest.raises(InputError) as err:
        parse_id(text, TODAY)
    assert err.value.code == code


def test_century_digit_gives_birth_year_and_even_is_male():
    man_1985 = PersonalId("046085001234")
    woman_2001 = PersonalId("046301002345")
    assert (man_1985.birth_year, man_1985.sex) == (1985, "M")
    assert (woman_2001.birth_year, woman_2001.sex) == (2001, "F")
    assert PersonalId("191234567").birth_year is None  # old CMND: nothing encoded


def test_birth_abroad_uses_a_country_code_and_is_accepted():
    assert parse_id("704085001234", TODAY).kind == "cccd"


def test_number_must_agree_with_printed_birth_year_and_sex():
    pid = PersonalId("046085001234")
    assert agrees_with(pid, date(1985, 3, 12), "M")
    assert not agrees_with(pid, date(1986, 3, 12), "M")
    assert not agrees_with(pid, date(1985, 3, 12), "F")
    assert agrees_with(PersonalId("191234567"), date(1970, 1, 1), "F")
