"""Trust-list files as national gateways and supervisors bring them."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from kiosk.hcert.trust import TrustFileError, kid_of, read_trust_file

from .vectors import NOW, csca, make_dsc


def test_a_pem_bundle_a_der_file_and_a_json_list_give_the_same_signers():
    es, ps = make_dsc("ES256"), make_dsc("PS256", fresh_key=False)
    from_pem = read_trust_file(es.pem + b"\n" + ps.pem)
    from_der = read_trust_file(es.der) + read_trust_file(ps.der)
    listed = [
        {
            "kid": base64.b64encode(d.kid).decode(),
            "country": "VN",
            "certificate": base64.b64encode(d.der).decode(),
        }
        for d in (es, ps)
    ]
    from_json = read_trust_file(json.dumps(listed).encode())
    wrapped = read_trust_file(json.dumps({"certificates": listed}).encode())
    assert from_pem == from_der == from_json == wrapped
    assert [s.kid for s in from_pem] == [base64.b64encode(kid_of(d.der)).decode() for d in (es, ps)]
    assert {s.country for s in from_pem} == {"VN"}


def test_a_listed_key_id_and_country_win_over_the_certificate():
    es = make_dsc("ES256", country="DE")
    item = {
        "kid": "AQIDBAUGBwg=",
        "country": "at",
        "certificate": base64.b64encode(es.der).decode(),
    }
    (signer,) = read_trust_file(json.dumps([item]).encode())
    assert (signer.kid, signer.country) == ("AQIDBAUGBwg=", "AT")


def _ed25519_cert() -> bytes:
    ca_key, ca_name = csca()
    key = Ed25519PrivateKey.generate()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW)
        .not_valid_after(NOW)
        .sign(ca_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "PEM"),
        (b"\x30\x03\x02\x01\x00", "not an X.509 certificate"),
        (b"[]", "non-empty list"),
        (b'[{"certificate": "%%%"}]', "entry 1: not base64"),
        (b'[{"kid": "x"}]', "entry 1: no 'certificate'"),
        (b"[{", "JSON"),
        (b"0" * (9 * 1024 * 1024), "larger than"),
    ],
)
def test_a_broken_file_is_refused_with_what_is_wrong(data, says):
    with pytest.raises(TrustFileError, match=says):
        read_trust_file(data)


def test_a_key_hcert_does_not_use_is_refused():
    with pytest.raises(TrustFileError, match="neither EC"):
        read_trust_file(_ed25519_cert())
