"""Whose signature an HC1 code carries, and whether it holds at a given moment.

Signer certificates are looked up by key id; several may share one (key ids are 8 bytes of a
hash, and countries re-issue), so each is tried until one verifies. Only then do the signer's
validity and the code's own dates count: an unknown signer and a bad signature are different
problems, and neither is "expired".
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from kiosk.clock import local
from kiosk.hcert.decode import ALG_ES256, ALG_PS256, Hcert
from kiosk.storage.hcert import SignerRow

# A laptop's clock and an issuer's drift by minutes; a code "issued" later than this is not.
CLOCK_SKEW = timedelta(minutes=5)

SignerLookup = Callable[[str], Sequence[SignerRow]]  # base64 kid -> candidate DSCs


class VerifyError(Exception):
    """code: hc1_unknown_signer, hc1_signature_invalid, hc1_signer_expired, hc1_expired,
    hc1_issued_future."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@lru_cache(maxsize=256)
def _public_key(cert_der: bytes) -> ec.EllipticCurvePublicKey | rsa.RSAPublicKey | None:
    try:
        key = x509.load_der_x509_certificate(cert_der).public_key()
    except ValueError:
        return None
    return key if isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey) else None


def signature_holds(cert_der: bytes, alg: int | None, signed: bytes, signature: bytes) -> bool:
    key = _public_key(cert_der)
    if key is None:
        return False
    if alg is None:  # no algorithm given: the key's kind names the only one HCERT allows
        alg = ALG_ES256 if isinstance(key, ec.EllipticCurvePublicKey) else ALG_PS256
    try:
        if alg == ALG_ES256 and isinstance(key, ec.EllipticCurvePublicKey):
            if len(signature) != 64 or not isinstance(key.curve, ec.SECP256R1):
                return False
            der = encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
            return True
        if alg == ALG_PS256 and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            key.verify(signature, signed, pss, hashes.SHA256())
            return True
    except InvalidSignature:
        return False
    return False  # an algorithm this key cannot make, or one HCERT does not use


def check_signature(cert: Hcert, signers: SignerLookup, now: datetime) -> SignerRow:
    """The signer that verifies the code, valid now; or VerifyError."""
    cose = cert.cose
    candidates = signers(base64.b64encode(cose.kid).decode()) if cose.kid else ()
    if not candidates:
        raise VerifyError("hc1_unknown_signer", country=cert.issuer or "?")
    signed = cose.signed_bytes()
    for signer in candidates:
        if signature_holds(signer.cert_der, cose.alg, signed, cose.signature):
            if not signer.not_before <= now <= signer.not_after:
                raise VerifyError("hc1_signer_expired", date=f"{local(signer.not_after):%d/%m/%Y}")
            return signer
    raise VerifyError("hc1_signature_invalid")


def check_dates(cert: Hcert, now: datetime) -> None:
    issued = datetime.fromtimestamp(cert.issued_at, UTC)
    expires = datetime.fromtimestamp(cert.expires, UTC)
    if issued > now + CLOCK_SKEW:
        raise VerifyError("hc1_issued_future", date=f"{local(issued):%d/%m/%Y %H:%M}")
    if expires <= now:
        raise VerifyError("hc1_expired", date=f"{local(expires):%d/%m/%Y}")
