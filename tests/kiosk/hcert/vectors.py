"""HC1 test vectors made here: a country signing CA, its DSCs (ES256 and PS256) and codes.

Nothing is copied from a real trust list: every key is generated, every certificate is signed
by the tests' own CA, every code is built with cbor2 + zlib + base45 as an issuer would.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from kiosk import base45
from kiosk.hcert.trust import Signer, kid_of, signer_from_der

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
ES256, PS256 = -7, -37


@dataclass(frozen=True)
class Dsc:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def kid(self) -> bytes:
        return kid_of(self.der)

    @property
    def alg(self) -> int:
        return ES256 if isinstance(self.key, ec.EllipticCurvePrivateKey) else PS256

    def signer(self) -> Signer:
        return signer_from_der(self.der)

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return self.key.sign(data, pss, hashes.SHA256())


def _name(country: str, cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@cache
def csca() -> tuple[ec.EllipticCurvePrivateKey, x509.Name]:
    return ec.generate_private_key(ec.SECP256R1()), _name("VN", "Test CSCA")


@cache
def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


def make_dsc(
    kind: str = "ES256",
    country: str = "VN",
    not_before: datetime = NOW - timedelta(days=365),
    not_after: datetime = NOW + timedelta(days=365),
    fresh_key: bool = True,
) -> Dsc:
    ca_key, ca_name = csca()
    if kind == "ES256":
        key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = ec.generate_private_key(
            ec.SECP256R1()
        )
    else:  # 2048-bit RSA takes a while: one shared key unless a test needs another
        key = rsa.generate_private_key(65537, 2048) if fresh_key else _rsa_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(country, f"Test DSC {kind}"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(ca_key, hashes.SHA256())
    )
    return Dsc(key, cert)


def vaccination(dn: int = 2, sd: int = 2, dt: str = "2026-10-01", **extra: object) -> dict:
    return {
        "v": [
            {
                "tg": "840539006",
                "vp": "1119349007",
                "mp": "EU/1/20/1528",
                "ma": "ORG-100030215",
                "dn": dn,
                "sd": sd,
                "dt": dt,
                "co": "VN",
                "is": "Ministry of Health of Viet Nam",
                "ci": "URN:UVCI:01:VN:TEST0001#X",
                **extra,
            }
        ]
    }


def pcr_test(tr: str = "260415000", sc: datetime = NOW - timedelta(hours=20)) -> dict:
    return {
        "t": [
            {
                "tg": "840539006",
                "tt": "LP6464-4",
                "nm": "PCR",
                "sc": sc.isoformat().replace("+00:00", "Z"),
                "tr": tr,
                "tc": "Bệnh viện Trung ương Huế",
                "co": "VN",
                "is": "Ministry of Health of Viet Nam",
                "ci": "URN:UVCI:01:VN:TEST0002#Y",
            }
        ]
    }


def recovery(fr: str = "2026-09-01", df: str = "2026-09-12", du: str = "2027-02-28") -> dict:
    return {
        "r": [
            {
                "tg": "840539006",
                "fr": fr,
                "df": df,
                "du": du,
                "co": "VN",
                "is": "Ministry of Health of Viet Nam",
                "ci": "URN:UVCI:01:VN:TEST0003#Z",
            }
        ]
    }


def dgc(entry: dict | None = None) -> dict:
    return {
        "ver": "1.3.0",
        "nam": {"fn": "Nguyễn", "gn": "Thị Ngọc Bích", "fnt": "NGUYEN", "gnt": "THI<NGOC<BICH"},
        "dob": "1990-05-17",
        **(entry if entry is not None else vaccination()),
    }


def cose_bytes(
    dsc: Dsc,
    *,
    body: dict | None = None,
    iat: datetime = NOW - timedelta(days=30),
    exp: datetime = NOW + timedelta(days=300),
    alg_in_unprotected: bool = False,
    kid: bytes | None = None,
    tamper: bool = False,
    tag: bool = True,
) -> bytes:
    claims = {
        1: "VN",
        4: int(exp.timestamp()),
        6: int(iat.timestamp()),
        -260: {1: body if body is not None else dgc()},
    }
    payload = cbor2.dumps(claims)
    kid = dsc.kid if kid is None else kid
    if alg_in_unprotected:
        protected, unprotected = cbor2.dumps({4: kid}), {1: dsc.alg}
    else:
        protected, unprotected = cbor2.dumps({1: dsc.alg, 4: kid}), {}
    signature = dsc.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    if tamper:  # a changed claim after signing: the holder's birth year
        payload = payload.replace(b"1990-05-17", b"1980-05-17")
    item = [protected, unprotected, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(18, item) if tag else item)


def hc1(dsc: Dsc, **kwargs: object) -> str:
    return "HC1:" + base45.encode(zlib.compress(cose_bytes(dsc, **kwargs), 9))  # type: ignore[arg-type]


def wrap(raw: bytes, compress: bool = True) -> str:
    return "HC1:" + base45.encode(zlib.compress(raw, 9) if compress else raw)
