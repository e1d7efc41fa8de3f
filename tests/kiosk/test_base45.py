import os

import pytest

from kiosk import base45


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_rfc9285_vectors(raw, text):
    assert base45.encode(raw) == text
    assert base45.decode(text) == raw


def test_round_trip_of_random_bytes():
    for n in range(0, 120, 7):
        data = os.urandom(n)
        assert base45.decode(base45.encode(data)) == data


@pytest.mark.parametrize("bad", ["GGW", "ZZZ", "A", "abc", "BB8?"])
def test_damaged_text_is_refused(bad):
    with pytest.raises(ValueError):
        base45.decode(bad)
