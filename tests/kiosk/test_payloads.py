import unicodedata
from datetime import date

import pytest

from kiosk.errors import InputError
from kiosk.payloads import MAX_PAYLOAD, classify, text_from_bytes

TODAY = date(2026, 11, 22)
NAME = "Đặng Hữu Nghệ"  # Đ, ữ and ệ: the letters decoders garble
ADDRESS = "Số 12 Lê Lợi, P. Vĩnh Ninh - TP. Huế, Thừa Thiên Huế"
CCCD = f"046085001234|191234567|{NAME}|12031985|Nam|{ADDRESS}|01052021"

# section 1.3 of docs/vietnam-formats.md: two real personal QRs
PERSONAL_QR_1 = "079086001094|BUI QUOC ANH|1986-10-11|0|163298720202401368|<1<00<<0909330233"
PERSONAL_QR_2 = "212719132|PHAM VAN THIEU|1998-07-01|0|163131983101271543|<0<00<<0981671679"


def _refusal(text):
    with pytest.raises(InputError) as err:
        classify(text, TODAY)
    return err.value.code


def test_first_real_personal_qr_gives_a_cccd_number_name_and_birth_date():
    p = classify(PERSONAL_QR_1, TODAY)
    assert p.kind == "personal_qr"
    assert p.person_id is not None and p.person_id.number == "079086001094"
    assert p.person_id.kind == "cccd"
    assert (p.name, p.birth_date) == ("BUI QUOC ANH", date(1986, 10, 11))
    assert p.masked_id is None and p.declared_by_proxy is False


def test_second_real_personal_qr_carries_an_old_cmnd():
    p = classify(PERSONAL_QR_2, TODAY)
    assert p.kind == "personal_qr"
    assert p.person_id is not None and p.person_id.number == "212719132"
    assert p.person_id.kind == "cmnd"
    assert (p.name, p.birth_date) == ("PHAM VAN THIEU", date(1998, 7, 1))


def test_personal_qr_with_a_masked_number_declared_by_someone_else():
    p = classify(
        "******509|PHAM VAN THIEU|1998-07-01|1|163131983101271543|<0<00<<09******79", TODAY
    )
    assert p.kind == "personal_qr"
    assert p.person_id is None and p.masked_id == "******509"
    assert p.declared_by_proxy is True


def test_cccd_qr_with_seven_fields_gives_number_name_birth_date_and_sex():
    p = classify(CCCD, TODAY)
    assert p.kind == "cccd_qr"
    assert p.person_id is not None and p.person_id.number == "046085001234"
    assert (p.name, p.birth_date, p.sex) == (NAME, date(1985, 3, 12), "M")


def test_cccd_qr_without_an_old_cmnd_is_read():
    p = classify(CCCD.replace("|191234567|", "||"), TODAY)
    assert p.kind == "cccd_qr" and p.person_id.number == "046085001234"


def test_cccd_qr_of_newer_cards_with_empty_trailing_fields_is_read():
    p = classify(CCCD + "||||", TODAY)
    assert p.kind == "cccd_qr"
    assert (p.person_id.number, p.name) == ("046085001234", NAME)


def test_address_with_commas_and_dashes_does_not_shift_the_fields():
    address = "Thôn 3, Xã Hương Thọ - Thị xã Hương Trà, Tỉnh Thừa Thiên Huế - Việt Nam"
    p = classify(f"046301002345||Võ Thị Ữ|14022001|Nữ|{address}|01052021||||", TODAY)
    assert (p.name, p.birth_date, p.sex) == ("Võ Thị Ữ", date(2001, 2, 14), "F")


@pytest.mark.parametrize("sex", ["Nam", "NAM", "nam"])
def test_upper_case_cards_are_read(sex):
    upper = CCCD.replace(NAME, NAME.upper()).replace("|Nam|", f"|{sex}|")
    p = classify(upper, TODAY)
    assert (p.name, p.sex) == ("ĐẶNG HỮU NGHỆ", "M")


def test_female_sex_word_with_its_diacritic_is_read_in_any_composition():
    woman = "046301002345||Võ Thị Ữ|14022001|Nữ|Huế|01052021"
    assert classify(unicodedata.normalize("NFD", woman), TODAY).sex == "F"
    assert classify(woman.replace("Nữ", "NỮ"), TODAY).sex == "F"


def test_decomposed_unicode_from_a_reader_comes_out_composed():
    decomposed = unicodedata.normalize("NFD", CCCD)
    assert decomposed != CCCD  # the input really is decomposed
    p = classify(decomposed, TODAY)
    assert p.name == NAME
    assert unicodedata.is_normalized("NFC", p.name)
    assert p.text == CCCD


def test_a_byte_order_mark_and_reader_whitespace_are_ignored():
    p = classify("\ufeff" + CCCD + "\r\n", TODAY)
    assert p.kind == "cccd_qr" and p.text == CCCD


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the layout some public parsers assume, without the old-CMND field: not a real card
        pytest.param(f"046085001234|{NAME}|12031985|Nam|{ADDRESS}|01052021", "not_checkpoint_code"),
        pytest.param(CCCD.replace("12031985", "32131985"), "cccd_malformed", id="bad-birth-date"),
        pytest.param(CCCD.replace("12031985", "1985-03-12"), "cccd_malformed", id="iso-birth-date"),
        pytest.param(CCCD.replace("|Nam|", "|Khác|"), "cccd_malformed", id="unknown-sex"),
        pytest.param(CCCD.replace(NAME, ""), "cccd_malformed", id="no-name"),
        pytest.param(CCCD.replace("01052021", "2021"), "cccd_malformed", id="bad-issue-date"),
        pytest.param(CCCD.replace("191234567", "1912345"), "cccd_malformed", id="short-cmnd"),
        pytest.param(CCCD.replace("046085001234", "04608500123"), "cccd_malformed", id="11-digit"),
        pytest.param(CCCD.replace("046085001234", "099085001234"), "cccd_malformed", id="prov"),
        pytest.param(CCCD + "|extra", "cccd_malformed", id="non-empty-extra"),
        pytest.param(PERSONAL_QR_1.replace("1986-10-11", "1986-13-11"), "personal_qr_malformed"),
        pytest.param(PERSONAL_QR_1.replace("|0|", "|2|"), "personal_qr_malformed", id="proxy"),
        pytest.param(PERSONAL_QR_1.replace("163298720202401368", "1632"), "personal_qr_malformed"),
        pytest.param(PERSONAL_QR_1.replace("BUI QUOC ANH", ""), "personal_qr_malformed"),
        pytest.param(
            PERSONAL_QR_1.replace("079086001094", "************"), "personal_qr_malformed"
        ),
        pytest.param(PERSONAL_QR_1.replace("079086001094", "0790860010"), "personal_qr_malformed"),
        pytest.param("a|b|c", "not_checkpoint_code", id="few-fields"),
    ],
)
def test_malformed_identity_codes_are_refused_with_a_reason(text, code):
    assert _refusal(text) == code


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("8934567890123", id="product-barcode-ean13"),
        pytest.param("89345678", id="product-barcode-ean8"),
        pytest.param("0905123456", id="phone-number"),
        pytest.param("https://tokhaiyte.vn/abc", id="url"),
        pytest.param("WIFI:S:quan-ca-phe;T:WPA;P:12345678;;", id="wifi-qr"),
        pytest.param("", id="empty"),
        pytest.param("  \r\n", id="blank"),
        pytest.param("x" * (MAX_PAYLOAD + 1), id="oversized"),
        pytest.param("046085001234|" * 200, id="oversized-with-fields"),
    ],
)
def test_what_is_not_a_checkpoint_code_is_refused_as_such(text):
    assert _refusal(text) == "not_checkpoint_code"


def test_a_long_but_legal_cccd_qr_is_not_oversized():
    long_address = ("Thôn Phú Lễ, Xã Quảng Phú, Huyện Quảng Điền, " * 6).strip(", ")
    assert classify(CCCD.replace(ADDRESS, long_address), TODAY).kind == "cccd_qr"


def test_a_scanned_id_with_a_wrong_province_says_so():
    assert _refusal("099085001234") == "id_bad_province"


def test_signed_tokens_and_typed_ids_are_recognised():
    assert classify("CK1:ABC", TODAY).kind == "token"
    p = classify(" 046 085 001 234 ", TODAY)
    assert p.kind == "typed_id" and p.person_id.number == "046085001234"
    assert classify("191234567", TODAY).person_id.kind == "cmnd"


def test_bytes_that_are_not_utf8_are_refused_not_guessed():
    for raw in ("Trâm".encode("cp1258"), b"\xff\xfe\x00A", "Đức".encode("utf-16")):
        with pytest.raises(InputError) as err:
            text_from_bytes(raw)
        assert err.value.code == "not_utf8"


def test_utf8_bytes_keep_vietnamese_letters():
    assert text_from_bytes(CCCD.encode("utf-8")) == CCCD
