import random

import pytest

from kiosk import base45


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
    ],
)
def test_rfc9285_vectors(raw, text):
    assert base45.encode(raw) == text
    assert base45.decode(text) == raw


def test_random_bytes_round_trip_in_qr_alphanumeric_characters():
    rng = random.Random(9285)
    for n in [*range(0, 40), 91, 255, 1000]:
        data = bytes(rng.randrange(256) for _ in range(n))
        text = base45.encode(data)
        assert set(text) <= set(base45.ALPHABET)
        assert len(text) == 3 * (n // 2) + 2 * (n % 2)
        assert base45.decode(text) == data


def test_extreme_byte_values_round_trip():
    for data in (b"\x00", b"\xff", b"\x00\x00", b"\xff\xff", b"\xff\xff\xff", b"\x00" * 7):
        assert base45.decode(base45.encode(data)) == data


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("abc", "not base45"),  # lower case is outside the alphabet
        ("BB8?", "not base45"),
        ("BB8é", "not base45"),
        ("BB\n8", "not base45"),
        ("A", "length"),  # a dangling character
        ("BB8A", "length"),
        ("GGW", "overflow"),  # 65536: one more than two bytes hold
        (":::", "overflow"),
        ("::", "overflow"),  # 2024: more than one byte holds
        ("U7", "overflow"),  # 30 + 7 * 45 = 345
    ],
)
def test_damaged_text_raises_value_error(bad, why):
    with pytest.raises(ValueError, match="not base45"):  # why: the damage, for the reader
        base45.decode(bad)


def test_largest_values_that_fit_are_accepted():
    assert base45.decode("FGW") == b"\xff\xff"  # 15 + 16*45 + 32*2025 = 65535
    assert base45.decode("U5") == b"\xff"  # 30 + 5*45 = 255
