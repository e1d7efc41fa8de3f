"""One check, from text to a recorded verdict, on a real SQLite file."""

from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlcipher3.dbapi2 import Row

from kiosk import base45, tokens
from kiosk.checker import PersonDesk
from kiosk.errors import InputError
from kiosk.rules import Verdict
from kiosk.storage.safekeeping import raw_connection
from tests.kiosk.conftest import NOW, declaration_row

KEY_ID = 3
DUC = "046085001234"  # Trần Văn Đức, a man born 1985, approved
HUONG = "046192004567"  # Lê Thị Hương, a woman born 1992, pending
GIOI = "075086009012"  # Ngô Văn Giỏi, a man born 1986, approved
YEN = "092195005678"  # Hoàng Thị Yến, travelled through an epidemic zone
CCCD_DUC = f"{DUC}||Trần Văn Đức|12031985|Nam|Số 12 Lê Lợi, Phường Vĩnh Ninh, TP. Huế|01052021"


_decl = declaration_row


@pytest.fixture
def checker(store, issuer):
    public = issuer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    store.put_trusted_key(KEY_ID, public, NOW - timedelta(days=30))
    store.put_zone("79", "TP. Hồ Chí Minh", NOW.date() - timedelta(days=10))
    store.put_declarations(
        [
            _decl(1, DUC, "Trần Văn Đức", date(1985, 3, 12), "M"),
            _decl(2, HUONG, "Lê Thị Hương", date(1992, 7, 1), "F", "pending"),
            _decl(3, GIOI, "Ngô Văn Giỏi", date(1986, 10, 11), "M"),
            _decl(4, YEN, "Hoàng Thị Yến", date(1995, 5, 30), "F", travel_areas="79.760.26734"),
        ]
    )
    return PersonDesk(store, checkpoint_id="chot-1", operator_id="medic-1", clock=lambda: NOW)


def _token(issuer, decl_id, subject, key_id=KEY_ID, **changes):
    fields = {
        "key_id": key_id,
        "issued_at": NOW - timedelta(hours=1),
        "expires_at": NOW + timedelta(days=30),
        "declaration_id": decl_id,
        "subject_id": subject,
    }
    fields.update(changes)
    return tokens.sign(tokens.DeclarationToken(**fields), issuer)


def _rows(store, table="scan_events"):
    url = store.engine.url.database
    with raw_connection(url) as db:
        db.row_factory = Row
        return [dict(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY seq")]


def test_a_typed_id_of_an_approved_person_is_allowed_and_recorded(checker, store):
    result = checker.check_id("046 085 001 234", "typed")
    assert (result.verdict, result.reason) == (Verdict.ALLOW, "approved")
    assert result.person.name == "Trần Văn Đức"
    assert result.message("vi") == "Tờ khai đã được duyệt, còn hạn đến 29/11/2026."
    (row,) = _rows(store)
    assert row["event_id"] == result.event_id
    assert (row["checkpoint_id"], row["operator_id"]) == ("chot-1", "medic-1")
    assert (row["source"], row["payload_kind"]) == ("typed", "typed_id")
    assert (row["verdict"], row["reason"]) == ("allow", "approved")
    assert (row["subject_ref"], row["declaration_id"]) == ("0460******34", 1)


def test_a_person_without_a_declaration_is_sent_to_declare(checker):
    result = checker.check_id("001203004567", "typed")
    assert (result.verdict, result.reason) == (Verdict.ATTENTION, "not_found")


def test_a_pending_declaration_needs_attention(checker):
    assert checker.check_id(HUONG, "typed").reason == "pending"


def test_travel_through_an_epidemic_zone_is_caught_from_a_commune_code(checker):
    result = checker.check_id(YEN, "typed")
    assert (result.verdict, result.reason) == (Verdict.ATTENTION, "epidemic_zone")
    assert "TP. Hồ Chí Minh" in result.message("vi")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_input"),
        ("   ", "empty_input"),
        ("12345", "id_bad_length"),
        ("099085001234", "id_bad_province"),
        ("046485001234", "id_bad_century"),
        ("abc", "id_not_digits"),
    ],
)
def test_an_invalid_typed_id_is_refused_and_records_nothing(checker, store, text, code):
    with pytest.raises(InputError) as err:
        checker.check_id(text, "typed")
    assert err.value.code == code
    assert store.scan_event_ids() == set()


@pytest.mark.parametrize("text", ["8934567890123", "https://example.com", "", "a|b"])
def test_a_scan_that_is_no_checkpoint_code_records_nothing(checker, store, text):
    with pytest.raises(InputError):
        checker.check_payload(text, "camera")
    assert store.scan_event_ids() == set()


def test_a_chip_card_qr_of_an_approved_person_is_allowed(checker):
    result = checker.check_payload(CCCD_DUC, "camera")
    assert (result.verdict, result.reason, result.payload_kind) == (
        Verdict.ALLOW,
        "approved",
        "cccd_qr",
    )


def test_a_chip_card_qr_whose_number_contradicts_the_printed_sex_is_denied(checker):
    result = checker.check_payload(CCCD_DUC.replace("|Nam|", "|Nữ|"), "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "id_inconsistent")


def test_a_chip_card_qr_whose_number_contradicts_the_birth_year_is_denied(checker):
    result = checker.check_payload(CCCD_DUC.replace("12031985", "12031986"), "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "id_inconsistent")


def test_a_masked_personal_qr_finds_the_person_by_digits_birth_date_and_name(checker, store):
    qr = "******009012|NGO VAN GIOI|1986-10-11|0|163298720202401368|<1<00<<09******33"
    result = checker.check_payload(qr, "camera")
    assert (result.reason, result.payload_kind) == ("approved", "personal_qr")
    assert result.person.id_number == GIOI
    assert _rows(store)[-1]["subject_ref"] == "0750******12"


def test_a_masked_personal_qr_with_another_birth_date_is_not_found(checker):
    qr = "******009012|NGO VAN GIOI|1986-10-12|0|163298720202401368|<1<00<<09******33"
    assert checker.check_payload(qr, "camera").reason == "not_found"


def test_a_signed_token_of_a_cached_declaration_gets_its_verdict_offline(checker, issuer):
    result = checker.check_payload(_token(issuer, 1, DUC), "camera")
    assert (result.verdict, result.reason, result.payload_kind) == (
        Verdict.ALLOW,
        "approved",
        "token",
    )
    assert result.person.name == "Trần Văn Đức"
    assert checker.check_payload(_token(issuer, 2, HUONG), "camera").reason == "pending"


def test_forged_token_is_denied_offline(checker, issuer):
    text = _token(issuer, 2, HUONG)
    raw = bytearray(base45.decode(text[len(tokens.PREFIX) :]))
    raw[13:21] = (1).to_bytes(8, "big")  # claim Đức's approved declaration
    forged = tokens.PREFIX + base45.encode(bytes(raw))
    result = checker.check_payload(forged, "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "forged")
    assert result.person is None  # nothing about anyone is shown for a forgery


def test_a_token_signed_by_a_stranger_is_forged(checker):
    result = checker.check_payload(_token(Ed25519PrivateKey.generate(), 1, DUC), "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "forged")


def test_a_token_naming_another_persons_declaration_is_forged(checker, issuer):
    # validly signed, but the cached declaration 1 belongs to someone else: an issuer mix-up
    result = checker.check_payload(_token(issuer, 1, HUONG), "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "forged")


def test_a_token_with_an_unknown_key_is_denied(checker, issuer):
    result = checker.check_payload(_token(issuer, 1, DUC, key_id=99), "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "unknown_key")


def test_an_expired_token_is_denied_even_for_an_approved_person(checker, issuer):
    text = _token(issuer, 1, DUC, expires_at=NOW - timedelta(minutes=1))
    result = checker.check_payload(text, "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "expired")


def test_a_truncated_token_is_unreadable(checker, issuer):
    result = checker.check_payload(_token(issuer, 1, DUC)[:60], "camera")
    assert (result.verdict, result.reason) == (Verdict.DENY, "unreadable")


def test_a_signed_token_missing_from_the_cache_asks_for_papers(checker, issuer):
    result = checker.check_payload(_token(issuer, 777, "046099000111"), "camera")
    assert (result.verdict, result.reason) == (Verdict.ATTENTION, "signed_not_cached")
    assert result.person.id_number == "046099000111"


def test_a_token_issued_before_its_key_was_retired_still_verifies(checker, store, issuer):
    public = issuer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    store.put_trusted_key(KEY_ID, public, NOW - timedelta(days=30), NOW - timedelta(minutes=30))
    before = _token(issuer, 1, DUC, issued_at=NOW - timedelta(hours=1))
    after = _token(issuer, 1, DUC, issued_at=NOW - timedelta(minutes=10))
    assert checker.check_payload(before, "camera").reason == "approved"
    assert checker.check_payload(after, "camera").reason == "unknown_key"


def test_a_market_card_shown_to_the_medic_is_sent_to_the_market_screen(checker, store, issuer):
    env = tokens.Envelope(
        tokens.TYPE_MARKET_CARD, KEY_ID, NOW - timedelta(hours=1), NOW + timedelta(days=1), b"x"
    )
    with pytest.raises(InputError) as err:
        checker.check_payload(tokens.seal(env, issuer), "camera")
    assert err.value.code == "market_card_here"
    assert store.scan_event_ids() == set()


def test_scan_log_and_audit_never_hold_a_full_id_number(checker, store, issuer):
    checker.check_id(DUC, "typed")
    checker.check_id("001203004567", "typed")  # not found: the typed number itself
    checker.check_payload(CCCD_DUC, "camera")
    checker.check_payload(CCCD_DUC.replace("|Nam|", "|Nữ|"), "camera")  # inconsistent
    checker.check_payload(_token(issuer, 1, DUC), "camera")
    checker.check_payload(_token(issuer, 777, "046099000111"), "camera")
    checker.check_payload(
        "******009012|NGO VAN GIOI|1986-10-11|0|163298720202401368|<1<00<<09******33", "camera"
    )
    checker.check_payload(
        "079086001094|BUI QUOC ANH|1986-10-11|0|163298720202401368|<1<00<<0909330233", "camera"
    )
    full_numbers = (DUC, "001203004567", GIOI, "046099000111", "079086001094")
    scans, audits = _rows(store), _rows(store, "audit_log")
    assert len(scans) == len(audits) == 8
    for table, rows in (("scan_events", scans), ("audit_log", audits)):
        for row in rows:
            for column, value in row.items():
                for number in full_numbers:
                    assert number not in str(value), (table, column, value)


def test_the_json_verdict_holds_nothing_personal(checker):
    out = checker.check_id(DUC, "cli").to_json()
    assert set(out) == {"verdict", "reason", "message_vi", "message_en"}
    assert DUC not in str(out) and "Đức" not in str(out)


# 00:30 on 23/11 in Vietnam is still 22/11 in UTC: the checkpoint lives on the Vietnamese day.
JUST_AFTER_MIDNIGHT = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)


def test_a_zone_declared_from_today_applies_from_midnight_in_vietnam(store, checker):
    store.put_zone("46", "Thừa Thiên Huế", date(2026, 11, 23))
    at_night = PersonDesk(
        store, checkpoint_id="chot-1", operator_id="medic-1", clock=lambda: JUST_AFTER_MIDNIGHT
    )
    result = at_night.check_id(DUC, "typed")
    assert (result.verdict, result.reason) == (Verdict.ATTENTION, "epidemic_zone")


def test_the_validity_date_shown_is_the_vietnamese_date(store, checker):
    store.put_declarations(
        [
            _decl(
                3,
                GIOI,
                "Ngô Văn Giỏi",
                date(1986, 10, 11),
                "M",
                valid_until=datetime(2026, 11, 23, 20, 0, tzinfo=UTC),
            )  # 03:00, 24/11 in Vietnam
        ]
    )
    result = checker.check_id(GIOI, "typed")
    assert result.reason == "approved"
    assert "24/11/2026" in result.message("vi") and "24/11/2026" in result.message("en")
