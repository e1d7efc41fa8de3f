from datetime import timedelta

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import base45, tokens
from tests.kiosk.conftest import NOW


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


def _keys(key):
    def lookup(key_id, _at):
        return key.public_key() if key_id == 7 else None

    return lookup


def test_a_signed_token_verifies_and_gives_back_its_fields(issuer):
    got = tokens.verify(_token(issuer), _keys(issuer), NOW)
    assert (got.declaration_id, got.subject_id, got.key_id) == (123456789, "046085001234", 7)


def test_nine_digit_cmnd_keeps_leading_zeros(issuer):
    got = tokens.verify(_token(issuer, subject_id="012345678"), _keys(issuer), NOW)
    assert got.subject_id == "012345678"


def test_every_altered_byte_is_caught(issuer):
    text = _token(issuer)
    raw = base45.decode(text[4:])
    for i in range(len(raw)):
        bad = bytearray(raw)
        bad[i] ^= 0x01
        with pytest.raises(tokens.TokenError) as err:
            tokens.verify("CK1:" + base45.encode(bytes(bad)), _keys(issuer), NOW)
        assert err.value.code in ("forged", "unreadable", "unknown_key")


def test_a_token_signed_by_another_key_is_forged(issuer):
    with pytest.raises(tokens.TokenError) as err:
        tokens.verify(_token(Ed25519PrivateKey.generate()), _keys(issuer), NOW)
    assert err.value.code == "forged"


def test_unknown_key_id_is_refused(issuer):
    with pytest.raises(tokens.TokenError) as err:
        tokens.verify(_token(issuer, key_id=8), _keys(issuer), NOW)
    assert err.value.code == "unknown_key"


def test_expired_token_is_refused(issuer):
    with pytest.raises(tokens.TokenError) as err:
        tokens.verify(_token(issuer, expires_at=NOW), _keys(issuer), NOW)
    assert err.value.code == "expired"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:60],
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: t.lower(),
        lambda t: "CK1:" + "A" * 500,
        lambda t: "CK1:",
        lambda t: t.replace("CK1:", "CK2:"),
    ],
)
def test_truncated_oversized_or_garbled_tokens_are_unreadable(issuer, mangle):
    text = mangle(_token(issuer))
    with pytest.raises(tokens.TokenError) as err:
        tokens.verify(text, _keys(issuer), NOW)
    assert err.value.code == "unreadable"


def test_token_stays_a_small_easy_to_scan_qr(issuer):
    text = _token(issuer)
    assert len(text) <= 145
    assert all(c in base45.ALPHABET for c in text)  # QR alphanumeric mode
    assert segno.make_qr(text, error="m").version <= 7
