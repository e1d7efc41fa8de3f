"""Signed checkpoint tokens, the CK1 family (specified in docs/formats.md).

Text form: "CK1:" + base45(header | body | Ed25519 signature). The header names the body's type,
the signing key and the validity; the signature covers the ASCII prefix, the header and the
body, so neither the version nor a single field can be changed. Types: 1 personal declaration
(this module), 2 market-day card (kiosk/market_cards.py), 3 vehicle permit (reserved).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk import base45

PREFIX = "CK1:"
TYPE_DECLARATION = 1
TYPE_MARKET_CARD = 2
TYPE_VEHICLE_PERMIT = 3  # reserved
HEADER = struct.Struct(">BIII")  # type, key id, issued at, expires at (unix seconds, UTC)
_DECLARATION = struct.Struct(">QB5s")  # declaration id, ID digit count, ID number as 40-bit int
SIGNATURE_SIZE = 64
FUTURE_TOLERANCE = timedelta(days=1)  # a kiosk clock may be hours off, never a day behind
MAX_TEXT = 400  # far above any CK1 token; longer text is refused before base45 decoding

PublicKeyFor = Callable[[int, datetime], Ed25519PublicKey | None]


class TokenError(Exception):
    """code: 'unreadable' (damaged or not CK1), 'unknown_key', 'forged', 'expired'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Envelope:
    type: int
    key_id: int
    issued_at: datetime
    expires_at: datetime
    body: bytes


def _ts(value: datetime) -> int:
    return int(value.timestamp())


def _dt(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def looks_like_token(text: str) -> bool:
    return text.startswith(PREFIX)


def seal(envelope: Envelope, key: Ed25519PrivateKey) -> str:
    header = HEADER.pack(
        envelope.type, envelope.key_id, _ts(envelope.issued_at), _ts(envelope.expires_at)
    )
    signed = header + envelope.body
    return PREFIX + base45.encode(signed + key.sign(PREFIX.encode() + signed))


def _raw(text: str) -> bytes:
    if not looks_like_token(text) or len(text) > MAX_TEXT:
        raise TokenError("unreadable")
    try:
        raw = base45.decode(text[len(PREFIX) :])
    except ValueError:
        raise TokenError("unreadable") from None
    if len(raw) < HEADER.size + SIGNATURE_SIZE:
        raise TokenError("unreadable")
    return raw


def token_type(text: str) -> int | None:
    """The type byte of a CK1 text, unverified: to route a code to the screen that reads it."""
    try:
        return _raw(text)[0]
    except TokenError:
        return None


def open_envelope(
    text: str, public_key_for: PublicKeyFor, now: datetime, body_size: int, expected_type: int
) -> Envelope:
    """Verifies signature and validity; raises TokenError with the reason to refuse it.

    public_key_for(key_id, issued_at) returns the trusted key valid at that time, or None.
    """
    raw = _raw(text)
    if raw[0] != expected_type or len(raw) != HEADER.size + body_size + SIGNATURE_SIZE:
        raise TokenError("unreadable")
    signed, signature = raw[:-SIGNATURE_SIZE], raw[-SIGNATURE_SIZE:]
    kind, key_id, issued, expires = HEADER.unpack_from(signed)
    key = public_key_for(key_id, _dt(issued))
    if key is None:
        raise TokenError("unknown_key")
    try:
        key.verify(signature, PREFIX.encode() + signed)
    except InvalidSignature:
        raise TokenError("forged") from None
    if now >= _dt(expires):
        raise TokenError("expired")
    if _dt(issued) > now + FUTURE_TOLERANCE:
        raise TokenError("forged")  # no issuer signs tomorrow's tokens; a thief might
    return Envelope(kind, key_id, _dt(issued), _dt(expires), signed[HEADER.size :])


@dataclass(frozen=True)
class DeclarationToken:
    key_id: int
    issued_at: datetime
    expires_at: datetime
    declaration_id: int
    subject_id: str


def sign(token: DeclarationToken, key: Ed25519PrivateKey) -> str:
    digits = len(token.subject_id)
    if digits not in (9, 12) or not token.subject_id.isdigit():
        raise ValueError("subject_id must be 9 or 12 digits")
    body = _DECLARATION.pack(token.declaration_id, digits, int(token.subject_id).to_bytes(5, "big"))
    return seal(
        Envelope(TYPE_DECLARATION, token.key_id, token.issued_at, token.expires_at, body), key
    )


def verify(text: str, public_key_for: PublicKeyFor, now: datetime) -> DeclarationToken:
    """A personal declaration token, verified; raises TokenError with the reason to refuse it."""
    env = open_envelope(text, public_key_for, now, _DECLARATION.size, TYPE_DECLARATION)
    decl_id, digits, number = _DECLARATION.unpack(env.body)
    if digits not in (9, 12):
        raise TokenError("unreadable")  # signed, so an issuer bug, but still not usable
    subject = str(int.from_bytes(number, "big")).zfill(digits)
    return DeclarationToken(env.key_id, env.issued_at, env.expires_at, decl_id, subject)
