"""Hostile and broken HC1 input: each gets a clear reason, fast, and never an exception."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import cbor2
import pytest

from kiosk import messages
from kiosk.hcert import decode
from kiosk.hcert.checker import HcertChecker
from kiosk.payloads import classify
from kiosk.rules import REASON_VERDICTS, Verdict

from .vectors import NOW, cose_bytes, hc1, make_dsc, wrap

DSC = make_dsc("ES256")


def _reason(store, text: str) -> str:
    checker = HcertChecker(store, checkpoint_id="c1", operator_id="medic-1")
    result = checker.check(text, "cli", NOW)  # bounded at every step: returns, never hangs
    assert result.verdict is Verdict.DENY
    assert result.message("vi") and result.message("en")
    return result.reason


def _nested(depth: int) -> bytes:
    return b"\x81" * depth + b"\x00"  # [[[[...0...]]]]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("HC1:abc", "hc1_damaged", id="base45-lower-case"),
        pytest.param("HC1:BB8A", "hc1_damaged", id="base45-dangling-char"),
        pytest.param("HC1:GGW", "hc1_damaged", id="base45-overflow"),
        pytest.param("HC1:", "hc1_damaged", id="empty-after-prefix"),
        pytest.param(
            wrap(b"\x78\x9c" + b"\x00" * 40, compress=False), "hc1_damaged", id="bad-zlib"
        ),
        pytest.param(
            wrap(zlib.compress(cose_bytes(DSC))[:-9], compress=False), "hc1_damaged", id="zlib-cut"
        ),
        pytest.param(wrap(cose_bytes(DSC)[:-30]), "hc1_damaged", id="truncated-cose"),
        pytest.param(wrap(cose_bytes(DSC)[:5]), "hc1_damaged", id="cose-first-bytes-only"),
        pytest.param(wrap(cbor2.dumps([1, 2, 3])), "hc1_damaged", id="array-of-three"),
        pytest.param(wrap(cbor2.dumps(cbor2.CBORTag(98, []))), "hc1_damaged", id="cose-sign-tag"),
        pytest.param(wrap(cose_bytes(DSC) + b"\x00"), "hc1_damaged", id="trailing-byte"),
        pytest.param(wrap(_nested(30_000)), "hc1_damaged", id="cbor-nesting-bomb"),
        pytest.param(
            wrap(b"\x9b" + (2**62).to_bytes(8, "big")), "hc1_damaged", id="cbor-huge-array"
        ),
        pytest.param(
            wrap(b"\x5b" + (2**62).to_bytes(8, "big") + b"ab"), "hc1_damaged", id="cbor-huge-bytes"
        ),
        pytest.param(
            wrap(cbor2.dumps(cbor2.CBORTag(28, [cbor2.CBORTag(29, 0)]))),
            "hc1_damaged",
            id="cbor-shared-reference",
        ),
        pytest.param(wrap(b"\x9f" * 10 + b"\xff" * 10), "hc1_damaged", id="cbor-indefinite"),
        pytest.param(
            wrap(zlib.compress(b"\x00" * 2_000_000, 9), compress=False),
            "hc1_damaged",
            id="zlib-bomb-2MB-from-2KB",
        ),
        pytest.param("HC1:" + "0" * 1_000_000, "hc1_damaged", id="huge-payload"),
        pytest.param("HC2:6BFOXN%TS3DH", "not_hc1", id="another-version"),
        pytest.param("LT1:6BFOXN%TS3DH", "not_hc1", id="light-certificate"),
    ],
)
def test_malformed_input_gets_a_reason_not_a_crash(store, text, reason):
    assert _reason(store, text) == reason


def test_a_cbor_bomb_inside_the_signed_payload_is_damaged_too(store):
    text = wrap(
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -7}), {}, _nested(5000), b"\x00" * 64]))
    )
    assert _reason(store, text) == "hc1_damaged"


def test_random_damage_to_a_good_code_never_raises(store):
    import random

    rng = random.Random(12)
    raw = cose_bytes(DSC)
    seen = set()
    for _ in range(80):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        seen.add(_reason(store, wrap(bytes(data))))
    assert seen <= {"hc1_damaged", "hc1_unknown_signer", "hc1_signature_invalid"}


def test_a_scanned_hc1_code_is_classified_as_one_whatever_its_length():
    assert classify(hc1(DSC)).kind == "hcert"
    assert classify("HC1:" + "0" * 9000).kind == "hcert"  # refused by the verifier, recorded


def test_decode_alone_raises_only_its_own_error():
    for text in ("HC1:%%%", "CK1:ABC", "HC1:" + "A" * 10_000):
        with pytest.raises(decode.HcertError):
            decode.decode(text)


def test_every_hc1_reason_has_a_verdict_and_words_in_both_languages():
    root = Path(decode.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in root.glob("*.py"))
    codes = set(re.findall(r'"((?:not_hc1|hc1_[a-z_]+))"', source))
    assert len(codes) >= 14
    for code in codes:
        assert code in REASON_VERDICTS, code
        words = {lang: messages.reason_text(code, {}, lang) for lang in messages.LANGUAGES}
        assert all(words.values()) and words["vi"] != words["en"], code
