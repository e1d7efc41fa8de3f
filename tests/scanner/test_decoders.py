import numpy as np
import pytest

from scanner.decoders import is_image, read_opencv, read_zxing
from scanner.pipeline import decode_frame
from tests.scanner.conftest import in_frame, qr_image

NAME_CCCD = "046085001234||Đặng Hữu Nghệ|12031985|Nam|Số 12 Lê Lợi, TP. Huế|01052021"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Trâm".encode("cp1258"), id="windows-1258"),
        pytest.param(b"\xff\xfe\x00\x81binary", id="binary"),
        pytest.param("Đức".encode("utf-16-le"), id="utf-16"),
    ],
)
def test_a_code_whose_bytes_are_not_utf8_is_flagged_not_guessed(raw):
    (code,) = decode_frame(in_frame(qr_image(raw), 400, 200))
    assert code.utf8 is False
    (direct,) = read_zxing(in_frame(qr_image(raw), 400, 200))
    assert direct.utf8 is False


def test_a_utf8_vietnamese_code_is_read_exactly():
    (code,) = decode_frame(in_frame(qr_image(NAME_CCCD), 300, 100))
    assert code.utf8 is True
    assert code.text == NAME_CCCD
    assert code.format == "QRCode"


@pytest.mark.parametrize(
    "junk",
    [
        None,
        np.array([]),
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((720, 1280), np.float64),
        np.zeros((720, 1280, 2), np.uint8),
        "a frame",
    ],
)
def test_empty_or_not_an_image_gives_no_codes_and_never_raises(junk):
    assert not is_image(junk)
    assert decode_frame(junk) == []
    assert read_zxing(junk) == []
    assert read_opencv(junk) == []


def test_a_frame_without_a_code_gives_nothing():
    frame = np.random.default_rng(1).integers(0, 256, (720, 1280, 3), dtype=np.uint8)
    assert decode_frame(frame) == []


def test_greyscale_bgr_and_bgra_frames_are_all_read():
    grey = in_frame(qr_image("CK1:ABC"), 100, 100)[..., 0]
    bgr = in_frame(qr_image("CK1:ABC"), 100, 100)
    bgra = np.dstack([bgr, np.full(bgr.shape[:2], 255, np.uint8)])
    for frame in (grey, bgr, bgra):
        assert [c.text for c in decode_frame(frame)] == ["CK1:ABC"]
