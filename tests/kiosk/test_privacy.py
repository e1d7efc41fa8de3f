import pytest

from kiosk.privacy import mask_digits, mask_id, mask_name, mask_phone, sees_personal_data


def test_masked_name_keeps_the_family_name_and_initials():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V** A*"
    assert mask_name("Đặng Hữu Ệ") == "Đặng H** Ệ"
    assert mask_name("  Lê   Thị  Hương ") == "Lê T** H****"
    assert mask_name("Ngô") == "Ngô"
    assert mask_name("") == ""


def test_masked_id_keeps_first_and_last_digits_only():
    assert mask_id("001012345645") == "0010******45"
    assert mask_id("191234567") == "19*****67"


def test_masked_phone_keeps_two_digits_each_end():
    assert mask_phone("0912345612") == "09******12"


@pytest.mark.parametrize("number", ["001012345645", "191234567", "0912345612"])
def test_a_mask_never_shows_more_than_six_digits(number):
    for masked in (mask_id(number), mask_phone(number)):
        assert len(masked) == len(number)
        assert sum(c.isdigit() for c in masked) <= 6


def test_too_short_to_mask_is_hidden_entirely():
    assert mask_digits("1234", 2, 2) == "****"
    assert mask_digits("123", 2, 2) == "***"


def test_only_medics_and_supervisors_see_whole_personal_data():
    assert sees_personal_data("medic") and sees_personal_data("supervisor")
    for role in ("police", "market", "assistant", "", "MEDIC"):
        assert not sees_personal_data(role)


def test_a_number_masked_elsewhere_is_masked_again_our_way():
    from kiosk.privacy import remask_id

    assert remask_id("00101234564*") == "0010******4*"
    assert remask_id("******009012") == "**********12"
