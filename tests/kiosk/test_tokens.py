from datetime import timedelta

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import base45, tokens
from tests.kiosk.conftest import NOW

OTHER_TRUSTED = Ed25519PrivateKey.generate()  # another key the kiosk trusts, e.g. a newer one


def _token(key, **changes):
    fields = {
        "key_id": 7,
        "issued_at": NOW - timedelta(hours=1),
        "expires_at": NOW + timedelta(days=30),
        "declaration_id": 123456789,
        "subject_id": "046085001234",
    }
    fields.update(changes)
    return tokens.sign(tokens.DeclarationToken(**fields), key)


def _only_key_7(key):
    def lookup(key_id, _at):
        return key.public_key() if key_id == 7 else None

    return lookup


def _keyring(key):
    """Key 7 is the issuer; every other id is some other trusted key."""

    def lookup(key_id, _at):
        return key.public_key() if key_id == 7 else OTHER_TRUSTED.public_key()

    return lookup


def _refusal(text, lookup, now=NOW):
    with pytest.raises(tokens.TokenError) as err:
        tokens.verify(text, lookup, now)
    return err.value.code


def test_a_signed_token_verifies_and_gives_back_its_fields(issuer):
    got = tokens.verify(_token(issuer), _only_key_7(issuer), NOW)
    assert (got.declaration_id, got.subject_id, got.key_id) == (123456789, "046085001234", 7)
    assert got.issued_at == NOW - timedelta(hours=1)
    assert got.expires_at == NOW + timedelta(days=30)


@pytest.mark.parametrize("subject", ["012345678", "001000000001", "999999999999", "000000000"])
def test_subject_numbers_round_trip_with_leading_zeros(issuer, subject):
    got = tokens.verify(_token(issuer, subject_id=subject), _only_key_7(issuer), NOW)
    assert got.subject_id == subject


@pytest.mark.parametrize("subject", ["04608500123", "0460850012345", "04608500123a", ""])
def test_only_nine_or_twelve_digit_subjects_can_be_signed(issuer, subject):
    with pytest.raises(ValueError):
        _token(issuer, subject_id=subject)


def test_every_flipped_bit_in_the_signed_part_is_caught(issuer):
    text = _token(issuer)
    raw = base45.decode(text[len(tokens.PREFIX) :])
    outcomes = {}
    for i in range(len(raw)):
        for bit in range(8):
            bad = bytearray(raw)
            bad[i] ^= 1 << bit
            forged = tokens.PREFIX + base45.encode(bytes(bad))
            outcomes[(i, bit)] = _refusal(forged, _keyring(issuer))
    # the type byte routes the token: a changed type no longer has a declaration's layout
    assert {outcomes[(0, bit)] for bit in range(8)} == {"unreadable"}
    # header, body and signature: the signature no longer matches
    assert {code for (i, _), code in outcomes.items() if i > 0} == {"forged"}


def test_a_changed_key_id_is_refused_when_no_such_key_is_trusted(issuer):
    raw = bytearray(base45.decode(_token(issuer)[len(tokens.PREFIX) :]))
    raw[4] ^= 0x01  # key id 7 -> 6
    assert _refusal(tokens.PREFIX + base45.encode(bytes(raw)), _only_key_7(issuer)) == (
        "unknown_key"
    )


def test_a_flipped_bit_in_the_prefix_is_unreadable(issuer):
    text = _token(issuer)
    for i in range(len(tokens.PREFIX)):
        for bit in range(7):
            bad = text[:i] + chr(ord(text[i]) ^ (1 << bit)) + text[i + 1 :]
            assert _refusal(bad, _keyring(issuer)) == "unreadable", bad[:4]


def test_a_token_signed_by_another_key_is_forged(issuer):
    assert _refusal(_token(Ed25519PrivateKey.generate()), _only_key_7(issuer)) == "forged"


def test_unknown_key_id_is_refused(issuer):
    assert _refusal(_token(issuer, key_id=8), _only_key_7(issuer)) == "unknown_key"


def test_the_key_is_looked_up_for_the_time_the_token_was_issued(issuer):
    asked = []

    def lookup(key_id, at):
        asked.append((key_id, at))
        return issuer.public_key()

    tokens.verify(_token(issuer), lookup, NOW)
    assert asked == [(7, NOW - timedelta(hours=1))]


def test_expired_token_is_refused_from_its_expiry_second(issuer):
    text = _token(issuer, expires_at=NOW)
    assert _refusal(text, _only_key_7(issuer)) == "expired"
    assert _refusal(text, _only_key_7(issuer), NOW + timedelta(days=400)) == "expired"
    valid = tokens.verify(text, _only_key_7(issuer), NOW - timedelta(seconds=1))
    assert valid.declaration_id == 123456789


def test_a_forged_expired_token_says_forged_not_expired(issuer):
    # the signature is checked first: a stranger's token is never just "expired"
    text = _token(Ed25519PrivateKey.generate(), expires_at=NOW - timedelta(days=1))
    assert _refusal(text, _only_key_7(issuer)) == "forged"


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t[:60], id="truncated"),
        pytest.param(lambda t: t[:-1], id="last-char-lost"),
        pytest.param(lambda t: t[:-3], id="last-pair-lost"),
        pytest.param(lambda t: t + "AAA", id="extra-bytes"),
        pytest.param(lambda t: t.lower(), id="lower-case"),
        pytest.param(lambda t: "CK1:" + "A" * (tokens.MAX_TEXT + 10), id="oversized"),
        pytest.param(lambda t: t + "00" * tokens.MAX_TEXT, id="oversized-valid-base45"),
        pytest.param(lambda t: "CK1:", id="empty-body"),
        pytest.param(lambda t: "CK1:hello, world!", id="not-base45"),
        pytest.param(lambda t: "CK1:" + "\x00\xff" * 70, id="binary-garbage"),
        pytest.param(lambda t: t.replace("CK1:", "CK2:"), id="other-version"),
        pytest.param(lambda t: t[4:], id="no-prefix"),
        pytest.param(lambda t: "", id="empty"),
    ],
)
def test_truncated_oversized_or_garbled_tokens_are_unreadable(issuer, mangle):
    assert _refusal(mangle(_token(issuer)), _keyring(issuer)) == "unreadable"


def test_a_market_card_type_is_not_accepted_as_a_declaration(issuer):
    env = tokens.Envelope(
        tokens.TYPE_MARKET_CARD, 7, NOW - timedelta(hours=1), NOW + timedelta(days=1), b"\0" * 14
    )
    text = tokens.seal(env, issuer)
    assert tokens.token_type(text) == tokens.TYPE_MARKET_CARD
    assert _refusal(text, _only_key_7(issuer)) == "unreadable"


def test_token_type_reads_the_type_byte_and_tolerates_garbage(issuer):
    assert tokens.token_type(_token(issuer)) == tokens.TYPE_DECLARATION
    assert tokens.token_type("CK1:garbage") is None
    assert tokens.token_type("hello") is None


def test_token_stays_a_small_easy_to_scan_qr(issuer):
    # the largest values a declaration token can carry
    text = _token(issuer, declaration_id=2**64 - 1, subject_id="999999999999")
    assert len(text) <= 145
    assert set(text) <= set(base45.ALPHABET)  # the QR alphanumeric character set
    qr = segno.make_qr(text)
    assert qr.mode == "alphanumeric"
    assert qr.version <= 7
    assert segno.make_qr(text, error="m").version <= 7  # still small at medium error correction


def test_a_token_issued_more_than_a_day_ahead_is_refused_as_forged(issuer):
    t, td, now, key = tokens, timedelta, NOW, issuer
    ahead = t.sign(
        t.DeclarationToken(1, now + td(days=2), now + td(days=30), 5, "046085001234"), key
    )
    with pytest.raises(t.TokenError) as err:
        t.verify(ahead, lambda _k, _at: key.public_key(), now)
    assert err.value.code == "forged"
    hours = t.sign(
        t.DeclarationToken(1, now + td(hours=5), now + td(days=30), 5, "046085001234"), key
    )
    assert t.verify(hours, lambda _k, _at: key.public_key(), now).declaration_id == 5
