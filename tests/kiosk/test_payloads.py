import unicodedata
from datetime import date

import pytest

from kiosk.errors import InputError
from kiosk.payloads import classify, text_from_bytes

TODAY = date(2026, 11, 22)
CCCD = (
    "046085001234|191234567|Đặng Hữu Đức|12031985|Nam|"
    "Số 12 Lê Lợi, P. Vĩnh Ninh - TP. Huế, Thừa Thiên Huế|01052021"
)


@pytest.mark.parametrize(
    ("text", "number", "masked", "proxy"),
    [
        (
            "079086001094|BUI QUOC ANH|1986-10-11|0|163298720202401368|<1<00<<0909330233",
            "079086001094",
            None,
            False,
        ),
        (
            "212719132|PHAM VAN THIEU|1998-07-01|0|163131983101271543|<0<00<<0981671679",
            "212719132",
            None,
            False,
        ),
        (
            "******509|PHAM VAN THIEU|1998-07-01|1|163131983101271543|<0<00<<09******79",
            None,
            "******509",
            True,
        ),
    ],
)
def test_national_personal_qr_examples(text, number, masked, proxy):
    p = classify(text, TODAY)
    assert p.kind == "personal_qr"
    assert (p.person_id.number if p.person_id else None) == number
    assert p.masked_id == masked and p.declared_by_proxy is proxy
    assert p.birth_date is not None


def test_cccd_qr_keeps_vietnamese_name_and_address_with_commas():
    p = classify(CCCD, TODAY)
    assert p.kind == "cccd_qr"
    assert p.name == "Đặng Hữu Đức" and p.sex == "M" and p.birth_date == date(1985, 3, 12)


def test_cccd_qr_of_newer_cards_with_empty_trailing_fields_is_read():
    assert classify(CCCD + "||||", TODAY).kind == "cccd_qr"


def test_decomposed_unicode_from_a_reader_comes_out_composed():
    p = classify(unicodedata.normalize("NFD", CCCD), TODAY)
    assert p.name == unicodedata.normalize("NFC", "Đặng Hữu Đức")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("046085001234|Đặng Hữu Đức|12031985|Nam|Huế|01052021", "not_checkpoint_code"),  # 6 fields
        ("046085001234||Đặng Hữu Đức|32131985|Nam|Huế|01052021", "cccd_malformed"),
        ("046085001234||Đặng Hữu Đức|12031985|Khác|Huế|01052021", "cccd_malformed"),
        (CCCD + "|extra", "cccd_malformed"),
        ("8934567890123", "id_bad_length"),  # a product barcode
        ("https://tokhaiyte.vn/abc", "not_checkpoint_code"),
        ("", "not_checkpoint_code"),
        ("x" * 5000, "not_checkpoint_code"),
        ("079086001094|BUI QUOC ANH|1986-13-11|0|163298720202401368|<1", "personal_qr_malformed"),
    ],
)
def test_what_is_not_a_checkpoint_code_is_refused_with_a_reason(text, code):
    with pytest.raises(InputError) as err:
        classify(text, TODAY)
    assert err.value.code == code


def test_signed_tokens_and_typed_ids_are_recognised():
    assert classify("CK1:ABC", TODAY).kind == "token"
    assert classify(" 046085001234 ", TODAY).kind == "typed_id"


def test_bytes_that_are_not_utf8_are_refused_not_guessed():
    with pytest.raises(InputError) as err:
        text_from_bytes("Trâm".encode("cp1258"))
    assert err.value.code == "not_utf8"
    assert text_from_bytes("Trần".encode()) == "Trần"
