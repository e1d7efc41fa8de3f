"""Signed checkpoint tokens (format CK1, specified in docs/formats.md).

Text form: "CK1:" + base45(header | body | Ed25519 signature). The signature covers the ASCII
prefix, the header and the body, so neither the version nor a single field can be changed.
Only the personal declaration body (type 1) exists yet; market cards and vehicle permits reuse
the header and the signature with bodies of their own.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk import base45

PREFIX = "CK1:"
TYPE_DECLARATION = 1
_HEADER = struct.Struct(">BIII")  # type, key id, issued at, expires at (unix seconds, UTC)
_DECLARATION = struct.Struct(">QB5s")  # declaration id, ID digit count, ID number as 40-bit int
SIGNATURE_SIZE = 64
MAX_TEXT = 400  # far above any CK1 token; longer text is refused before base45 decoding


class TokenError(Exception):
    """code: 'unreadable' (damaged or not CK1), 'unknown_key', 'forged', 'expired'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DeclarationToken:
    key_id: int
    issued_at: datetime
    expires_at: datetime
    declaration_id: int
    subject_id: str


def _ts(value: datetime) -> int:
    return int(value.timestamp())


def _dt(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _body(token: DeclarationToken) -> bytes:
    header = _HEADER.pack(
        TYPE_DECLARATION, token.key_id, _ts(token.issued_at), _ts(token.expires_at)
    )
    digits = len(token.subject_id)
    if digits not in (9, 12) or not token.subject_id.isdigit():
        raise ValueError("subject_id must be 9 or 12 digits")
    number = int(token.subject_id).to_bytes(5, "big")
    return header + _DECLARATION.pack(token.declaration_id, digits, number)


def sign(token: DeclarationToken, key: Ed25519PrivateKey) -> str:
    body = _body(token)
    signature = key.sign(PREFIX.encode() + body)
    return PREFIX + base45.encode(body + signature)


def looks_like_token(text: str) -> bool:
    return text.startswith(PREFIX)


def verify(
    text: str,
    public_key_for: Callable[[int, datetime], Ed25519PublicKey | None],
    now: datetime,
) -> DeclarationToken:
    """Parses and verifies a token; raises TokenError with the reason it must be refused.

    public_key_for(key_id, issued_at) returns the trusted key valid at that time, or None.
    """
    if not looks_like_token(text) or len(text) > MAX_TEXT:
        raise TokenError("unreadable")
    try:
        raw = base45.decode(text[len(PREFIX) :])
    except ValueError:
        raise TokenError("unreadable") from None
    expected = _HEADER.size + _DECLARATION.size + SIGNATURE_SIZE
    if len(raw) != expected or raw[0] != TYPE_DECLARATION:
        raise TokenError("unreadable")
    body, signature = raw[:-SIGNATURE_SIZE], raw[-SIGNATURE_SIZE:]
    _type, key_id, issued, expires = _HEADER.unpack_from(body)
    decl_id, digits, number = _DECLARATION.unpack_from(body, _HEADER.size)
    key = public_key_for(key_id, _dt(issued))
    if key is None:
        raise TokenError("unknown_key")
    try:
        key.verify(signature, PREFIX.encode() + body)
    except InvalidSignature:
        raise TokenError("forged") from None
    if digits not in (9, 12):
        raise TokenError("unreadable")  # signed, so an issuer bug, but still not usable
    if now >= _dt(expires):
        raise TokenError("expired")
    subject = str(int.from_bytes(number, "big")).zfill(digits)
    return DeclarationToken(key_id, _dt(issued), _dt(expires), decl_id, subject)
