from datetime import date

import pytest

from kiosk.errors import InputError
from kiosk.ids import PersonalId, agrees_with, parse_id

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("046085001234", "046085001234"),
        ("046 085 001 234", "046085001234"),
        ("046.085.001.234", "046085001234"),
        ("046-085-001-234", "046085001234"),
        ("191234567", "191234567"),
        ("191 234 567", "191234567"),
        ("012345678", "012345678"),  # an old CMND keeps its leading zero
    ],
)
def test_nine_and_twelve_digit_ids_are_accepted_with_separators(text, number):
    pid = parse_id(text, TODAY)
    assert pid.number == number
    assert pid.kind == ("cccd" if len(number) == 12 else "cmnd")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("04608500123", "id_bad_length"),  # 11 digits
        ("0460850012345", "id_bad_length"),  # 13 digits
        ("12345", "id_bad_length"),
        ("04608500123a", "id_not_digits"),
        ("", "id_not_digits"),
        ("０４６０８５００１２３４", "id_not_digits"),  # full-width digits from an IME
        ("٠٤٦٠٨٥٠٠١٢٣٤", "id_not_digits"),  # other scripts' digits are not ID digits
        ("099085001234", "id_bad_province"),  # 099 is no province
        ("003085001234", "id_bad_province"),  # 003 is unassigned in Circular 07/2016
        ("000085001234", "id_bad_province"),
    ],
)
def test_implausible_ids_are_refused_with_a_reason(text, code):
    with pytest.raises(InputError) as err:
        parse_id(text, TODAY)
    assert err.value.code == code


@pytest.mark.parametrize(
    "text",
    [
        "046327001234",  # G=3: a woman born 2027, next year
        "046499001234",  # G=4: the 2100s
        "046585001234",  # G=5: the 2100s
        "046685001234",  # G=6: the 2200s
        "046985001234",  # G=9
    ],
)
def test_century_digit_giving_a_future_birth_year_is_refused(text):
    with pytest.raises(InputError) as err:
        parse_id(text, TODAY)
    assert err.value.code == "id_bad_century"


def test_a_baby_born_this_year_is_accepted():
    assert parse_id("046226001234", TODAY).birth_year == 2026
    assert parse_id("046326001234", TODAY).birth_year == 2026


@pytest.mark.parametrize(
    ("number", "year", "sex"),
    [
        ("046085001234", 1985, "M"),  # G=0: 1900s, male
        ("046185001234", 1985, "F"),  # G=1: 1900s, female
        ("046301002345", 2001, "F"),  # G=3: 2000s, female
        ("046201002345", 2001, "M"),  # G=2: 2000s, male
        ("079000001234", 1900, "M"),
        ("079199001234", 1999, "F"),
    ],
)
def test_century_digit_gives_birth_year_and_even_is_male(number, year, sex):
    pid = parse_id(number, TODAY)
    assert (pid.birth_year, pid.sex) == (year, sex)


def test_old_cmnd_encodes_neither_year_nor_sex():
    pid = PersonalId("191234567")
    assert (pid.birth_year, pid.sex) == (None, None)


def test_birth_abroad_uses_a_country_code_and_is_accepted():
    assert parse_id("704085001234", TODAY).kind == "cccd"


def test_number_must_agree_with_printed_birth_year_and_sex():
    man_1985 = PersonalId("046085001234")
    assert agrees_with(man_1985, date(1985, 3, 12), "M")
    assert not agrees_with(man_1985, date(1986, 3, 12), "M")
    assert not agrees_with(man_1985, date(1985, 3, 12), "F")
    assert not agrees_with(man_1985, date(2085, 3, 12), "M")  # same YY, wrong century
    woman_2001 = PersonalId("046301002345")
    assert agrees_with(woman_2001, date(2001, 2, 14), "F")
    assert not agrees_with(woman_2001, date(2001, 2, 14), "M")


def test_agreement_checks_only_what_the_card_prints():
    pid = PersonalId("046085001234")
    assert agrees_with(pid, None, None)
    assert agrees_with(pid, date(1985, 1, 1), None)
    assert not agrees_with(pid, None, "F")
    assert agrees_with(PersonalId("191234567"), date(1970, 1, 1), "F")  # a CMND encodes nothing
