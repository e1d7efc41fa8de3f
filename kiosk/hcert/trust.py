"""Signer certificates (DSCs): read from files, described for the trust store.

A trust-list file is a PEM bundle, one DER certificate, or a JSON list of
{"kid": base64, "country": "VN", "certificate": base64 DER} (the shape national gateways
publish, kid and country optional). The key id of a DSC is the first 8 bytes of the SHA-256
of its DER (HCERT spec 3.3.1); a listed kid wins when it differs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

MAX_FILE = 8 * 1024 * 1024  # a whole EU trust list is about 2 MB


class TrustFileError(ValueError):
    pass


@dataclass(frozen=True)
class Signer:
    fingerprint: str  # sha256 of the DER, first 40 hex digits: the row's key everywhere
    kid: str  # base64
    country: str
    not_before: datetime
    not_after: datetime
    cert_der: bytes

    def to_wire(self) -> dict[str, object]:
        """The change-feed document (docs/sync-protocol.md, kind hcert_signer)."""
        return {
            "fingerprint": self.fingerprint,
            "kid": self.kid,
            "country": self.country,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "cert_der": self.cert_der.hex(),
        }


def kid_of(cert_der: bytes) -> bytes:
    return hashlib.sha256(cert_der).digest()[:8]


def signer_from_der(der: bytes, kid: str | None = None, country: str | None = None) -> Signer:
    try:
        cert = x509.load_der_x509_certificate(der)
        key = cert.public_key()
    except ValueError as exc:
        raise TrustFileError(f"not an X.509 certificate: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise TrustFileError("the certificate's key is neither EC (ES256) nor RSA (PS256)")
    if not country:
        names = cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
        country = str(names[0].value) if names else ""
    if len(country) != 2:
        raise TrustFileError("no two-letter country in the certificate or the list")
    return Signer(
        hashlib.sha256(der).hexdigest()[:40],
        kid or base64.b64encode(kid_of(der)).decode(),
        country.upper(),
        cert.not_valid_before_utc.astimezone(UTC),
        cert.not_valid_after_utc.astimezone(UTC),
        der,
    )


def read_trust_file(data: bytes) -> list[Signer]:
    """Every certificate of the file, or TrustFileError naming what is wrong: all or none."""
    if len(data) > MAX_FILE:
        raise TrustFileError(f"larger than {MAX_FILE} bytes")
    stripped = data.lstrip()
    if stripped.startswith(b"-----BEGIN"):
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise TrustFileError(f"PEM: {exc}") from None
        from cryptography.hazmat.primitives.serialization import Encoding

        return [signer_from_der(c.public_bytes(Encoding.DER)) for c in certs]
    if stripped.startswith((b"[", b"{")):
        return _from_json(stripped)
    return [signer_from_der(data)]


def _from_json(data: bytes) -> list[Signer]:
    try:
        items = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TrustFileError(f"JSON: {exc}") from None
    if isinstance(items, dict):  # {"certificates": [...]} as some gateways wrap it
        items = items.get("certificates")
    if not isinstance(items, list) or not items:
        raise TrustFileError("JSON: expected a non-empty list of certificates")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("certificate"), str):
            raise TrustFileError(f"entry {n}: no 'certificate' (base64 DER)")
        try:
            der = base64.b64decode(item["certificate"], validate=True)
            kid = item.get("kid")
            if kid is not None:
                base64.b64decode(kid, validate=True)
        except (binascii.Error, TypeError) as exc:
            raise TrustFileError(f"entry {n}: not base64: {exc}") from None
        try:
            out.append(signer_from_der(der, kid, item.get("country")))
        except TrustFileError as exc:
            raise TrustFileError(f"entry {n}: {exc}") from None
    return out
