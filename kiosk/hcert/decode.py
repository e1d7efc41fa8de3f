"""HC1 text to its parts, bounded at every step: a scanned code is hostile input.

"HC1:" + Base45(zlib(COSE_Sign1(protected, unprotected, CWT payload, signature))). Every
size is capped before the next step runs (text, inflated bytes, CBOR nesting), CBOR tags that
build shared or cyclic structures are refused, and every failure is one HcertError code: no
exception of the libraries' own leaks, nothing waits on an unbounded loop.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from kiosk import base45

PREFIX = "HC1:"
MAX_TEXT = 4_500  # chars: a version-40 QR holds 4,296 alphanumeric characters
MAX_INFLATED = 64 * 1024  # bytes: real DCCs inflate to well under 2 KB
MAX_DEPTH = 16  # nesting of CBOR containers: a DCC needs 6
COSE_SIGN1_TAG = 18
CWT_TAG = 61
# A health-certificate-like prefix that is not HC1 (a future version, a country's own "light"
# certificate): said so rather than taken for a product barcode.
_OTHER_HEALTH_PREFIX = re.compile(r"^(?:HC[02-9]|LT\d|NL\d|hc1):", re.ASCII)

# Claims of the CWT payload (RFC 8392) and the HCERT claim (-260, with the DGC under 1).
CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_HCERT = 1, 4, 6, -260
HEADER_ALG, HEADER_KID = 1, 4
ALG_ES256, ALG_PS256 = -7, -37


class HcertError(Exception):
    """code: a reason of kiosk.rules (not_hc1, hc1_damaged)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class CoseSign1:
    protected: bytes  # as signed: the exact bytes go into Sig_structure
    alg: int | None
    kid: bytes | None
    payload: bytes
    signature: bytes

    def signed_bytes(self) -> bytes:
        """Sig_structure (RFC 9052, 4.4): what the signer signed."""
        return cbor2.dumps(["Signature1", self.protected, b"", self.payload])


@dataclass(frozen=True)
class Hcert:
    cose: CoseSign1
    issuer: str  # the issuing country, ISO 3166-1 alpha-2
    issued_at: int  # seconds since the epoch
    expires: int
    dgc: dict[str, Any]  # the EU DGC (schema 1.x): ver, nam, dob and one of v/t/r


def looks_like_hcert(text: str) -> bool:
    """HC1 or a code of the same family that this kiosk cannot read (see not_hc1)."""
    return text.startswith(PREFIX) or _OTHER_HEALTH_PREFIX.match(text) is not None


def decode(text: str) -> Hcert:
    """Raises HcertError('not_hc1') or HcertError('hc1_damaged')."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise HcertError("not_hc1")
    if len(text) > MAX_TEXT:
        raise HcertError("hc1_damaged", "longer than any QR holds")
    try:
        raw = base45.decode(text[len(PREFIX) :])
    except ValueError as exc:
        raise HcertError("hc1_damaged", str(exc)) from None
    cose = parse_cose(inflate(raw))
    return Hcert(cose, *_claims(cose.payload))


def inflate(raw: bytes) -> bytes:
    """zlib as the spec says; bytes that are not zlib (some issuers skip it) pass as they are."""
    if not raw or raw[0] != 0x78:
        return raw
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, MAX_INFLATED)
    except zlib.error as exc:
        raise HcertError("hc1_damaged", f"zlib: {exc}") from None
    if inflater.unconsumed_tail:
        raise HcertError("hc1_damaged", f"inflates beyond {MAX_INFLATED} bytes")
    if not inflater.eof:
        raise HcertError("hc1_damaged", "zlib stream cut short")
    return out


def _refuse_tag(decoder: object) -> object:
    raise cbor2.CBORDecodeError("tag not allowed in an HC1 code")


# Tags cbor2 would act on that have no place in a DCC: shared references can build cycles,
# string references and sets multiply work. Refused before they are built.
_REFUSED_TAGS = dict.fromkeys((25, 28, 29, 256, 258, 30, 35, 36, 100, 1004), _refuse_tag)


def loads(data: bytes) -> Any:
    """CBOR with the bounds above; one top-level item and nothing after it."""
    try:
        value, rest = _loads_one(data)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise HcertError("hc1_damaged", f"CBOR: {exc}") from None
    if rest:
        raise HcertError("hc1_damaged", "bytes after the CBOR item")
    return value


def _loads_one(data: bytes) -> tuple[Any, int]:
    stream = io.BytesIO(data)
    value = cbor2.load(
        stream,
        max_depth=MAX_DEPTH,
        semantic_decoders=_REFUSED_TAGS,
        allow_indefinite=False,
        allow_duplicate_keys=False,
    )
    return value, len(data) - stream.tell()


def parse_cose(data: bytes) -> CoseSign1:
    item = loads(data)
    if isinstance(item, cbor2.CBORTag) and item.tag == CWT_TAG:
        item = item.value
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise HcertError("hc1_damaged", f"CBOR tag {item.tag}, not COSE_Sign1")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise HcertError("hc1_damaged", "not a COSE_Sign1 array of four")
    protected, unprotected, payload, signature = item
    if not (
        isinstance(protected, bytes)
        and isinstance(unprotected, Mapping)
        and isinstance(payload, bytes)
        and isinstance(signature, bytes)
    ):
        raise HcertError("hc1_damaged", "COSE_Sign1 parts of the wrong types")
    headers = loads(protected) if protected else {}
    if not isinstance(headers, Mapping):
        raise HcertError("hc1_damaged", "protected header is not a map")
    # the spec lets the algorithm and the key id sit in either bucket; the protected one wins
    alg = headers.get(HEADER_ALG, unprotected.get(HEADER_ALG))
    kid = headers.get(HEADER_KID, unprotected.get(HEADER_KID))
    if alg is not None and type(alg) is not int:
        raise HcertError("hc1_damaged", "algorithm is not a number")
    if kid is not None and not isinstance(kid, bytes):
        raise HcertError("hc1_damaged", "key id is not bytes")
    return CoseSign1(protected, alg, kid, payload, signature)


def _claims(payload: bytes) -> tuple[str, int, int, dict[str, Any]]:
    claims = loads(payload)
    if not isinstance(claims, Mapping):
        raise HcertError("hc1_damaged", "payload is not a map of claims")
    issuer = claims.get(CLAIM_ISS, "")
    issued_at, expires = claims.get(CLAIM_IAT), claims.get(CLAIM_EXP)
    hcert = claims.get(CLAIM_HCERT)
    dgc = hcert.get(1) if isinstance(hcert, Mapping) else None
    if not isinstance(issuer, str) or len(issuer) > 8:
        raise HcertError("hc1_damaged", "issuer")
    for name, value in (("issued-at", issued_at), ("expiry", expires)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise HcertError("hc1_damaged", f"{name} missing or not a number")
        if not 0 <= value < 2**40:
            raise HcertError("hc1_damaged", f"{name} out of range")
    if not isinstance(dgc, Mapping):
        raise HcertError("hc1_damaged", "no EU DGC in the HCERT claim")
    return issuer, int(issued_at), int(expires), dict(dgc)  # type: ignore[arg-type]
