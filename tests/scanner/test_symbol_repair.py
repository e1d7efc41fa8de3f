"""A code whose place zxing-cpp finds but whose error correction fails (a reflection filling
the sensor across part of a phone's screen) is read by correcting the doubtful codewords as
erasures; a code damaged beyond that is not read at all, never read as another text."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
import reedsolo
import segno.consts as qr_consts
import zxingcpp

from scanner import symbol_repair
from scanner.decoders import QR, read_zxing
from scanner.pipeline import ScanPipeline
from tests.scanner.conftest import in_frame, qr_image

CCCD = (
    "046301002345|191234567|Võ Thị Ữ Nghệ|14022001|Nữ|"
    "Thôn 3, Xã Hương Thọ - Thị xã Hương Trà, Tỉnh Thừa Thiên Huế|01052021||||"
)
MODULE = 6
AT = (400, 100)


def _reflected(rows: int, first_row: int = 11, dark_mode: bool = False) -> np.ndarray:
    """CCCD's code in a camera frame, with a soft band of light `rows` modules tall across it,
    filling the sensor in its middle: the modules under it read as light."""
    code = qr_image(CCCD, MODULE)
    if dark_mode:
        code = 255 - code
    band = np.zeros(code.shape, np.float32)
    top = (4 + first_row) * MODULE
    band[top : top + rows * MODULE] = 1.0
    band = cv2.GaussianBlur(band, (0, 0), MODULE)
    glared = np.clip(code.astype(np.float32) + band * 400, 0, 255).astype(np.uint8)
    return in_frame(glared, *AT)


def _codec(nsym: int, size: int) -> reedsolo.RSCodec:
    """QR's Reed–Solomon code, to make test blocks with."""
    return reedsolo.RSCodec(nsym, nsize=size, c_exp=8, prim=0x11D, generator=2, fcr=0)


def _pipeline() -> ScanPipeline:
    return ScanPipeline(budget_ms=5000, second_look_ms=5000)


@pytest.mark.parametrize("rows", [6, 8])
def test_a_reflection_across_the_code_is_read_by_erasing_what_it_hid(rows: int) -> None:
    frame = _reflected(rows)
    assert read_zxing(frame) == []  # too many wrong codewords for zxing-cpp to find alone
    codes = _pipeline().decode(frame)
    assert [c.text for c in codes] == [CCCD]
    # where the code is in the frame: its own corners, within a module
    side = qr_image(CCCD, MODULE).shape[0] - 8 * MODULE
    x0, y0 = AT[0] + 4 * MODULE, AT[1] + 4 * MODULE
    expected = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side)]
    for (x, y), (ex, ey) in zip(codes[0].corners, expected, strict=True):
        assert abs(x - ex) <= MODULE and abs(y - ey) <= MODULE


def test_a_phone_in_dark_mode_is_repaired_too() -> None:
    """Light modules on a dark screen: zxing-cpp gives the same corners and says nothing of
    the colours; the function patterns tell the repair which way round the code is."""
    frame = _reflected(6, dark_mode=True)
    assert read_zxing(frame) == []
    assert [c.text for c in _pipeline().decode(frame)] == [CCCD]


def test_a_repair_stops_when_the_frame_has_no_time_left() -> None:
    gray = cv2.cvtColor(_reflected(6), cv2.COLOR_BGR2GRAY)
    found = zxingcpp.read_barcodes(gray, formats=QR, return_errors=True)
    detection = next(d for b in found if (d := symbol_repair.detection_of(b)))
    score = symbol_repair.scores(gray, detection)
    assert symbol_repair.repair(score, detection) is not None
    assert symbol_repair.repair(score, detection, out_of_time=lambda: True) is None


def test_a_reflection_hiding_too_much_reads_nothing() -> None:
    assert _pipeline().decode(_reflected(16, first_row=10)) == []


def test_a_reflection_hiding_too_much_is_named_as_the_reason_until_a_frame_is_read() -> None:
    """What the window tells the person (tilt the phone) comes from here: a glared code that
    is not read says so; a read code, and a frame with no code, say nothing."""
    pipeline = _pipeline()
    pipeline.decode(_reflected(16, first_row=10))
    assert pipeline.trouble == "glare"
    assert [c.text for c in pipeline.decode(in_frame(qr_image(CCCD, MODULE), *AT))] == [CCCD]
    assert pipeline.trouble == ""
    pipeline.decode(_reflected(16, first_row=10))
    assert pipeline.trouble == "glare"
    assert pipeline.decode(np.full((720, 1280, 3), 128, np.uint8)) == []
    assert pipeline.trouble == ""


def test_a_repaired_reflection_is_no_trouble() -> None:
    pipeline = _pipeline()
    assert [c.text for c in pipeline.decode(_reflected(6))] == [CCCD]
    assert pipeline.trouble == ""


# bits left over after the last codeword, per version (ISO/IEC 18004, table 1)
REMAINDER = [0, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4]
REMAINDER += [3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("version", range(1, 41))
def test_the_data_modules_are_those_of_the_standard(version: int) -> None:
    """Every codeword bit has a module: the layout leaves out exactly the function patterns."""
    data = int((~symbol_repair._function_modules(version)).sum())
    total = sum(
        ec.num_blocks * ec.num_total for ec in qr_consts.ECC[version][qr_consts.ERROR_LEVEL_M]
    )
    assert data == total * 8 + REMAINDER[version - 1]


@pytest.mark.parametrize(("nsym", "size"), [(16, 43), (22, 60), (24, 67)])
def test_a_block_damaged_beyond_repair_is_refused_not_miscorrected(nsym: int, size: int) -> None:
    """Reed–Solomon can turn a word damaged past its power into another valid word; the margin
    kept (SPARE) must make that rare enough that it was never seen in these draws, even when
    the damaged codewords are the ones marked least sure, as under a reflection."""
    rng = random.Random(f"miscorrection-{size}")
    codec = _codec(nsym, size)
    returned = wrong = 0
    for _ in range(300):
        message = bytes(rng.randrange(256) for _ in range(size - nsym))
        block = bytearray(codec.encode(message))
        damaged = rng.sample(range(size), rng.randint(nsym // 2 + 1, size // 2))
        for i in damaged:
            block[i] ^= rng.randrange(1, 256)
        sureness = np.array([rng.random() * (0.6 if i in damaged else 1.0) for i in range(size)])
        corrected = symbol_repair._correct(block, sureness, nsym)
        if corrected is not None:
            returned += 1
            wrong += bytes(corrected[: size - nsym]) != message
    assert wrong == 0
    assert returned <= 3  # almost every such block is refused: nothing is guessed


def test_within_its_power_a_block_is_corrected() -> None:
    codec = _codec(16, 43)
    message = bytes(range(27))
    block = bytearray(codec.encode(message))
    sureness = np.ones(43)
    for i in range(12):  # 12 doubtful codewords, all wrong: as erasures, 12 <= 16 - SPARE
        block[i * 3] ^= 0xA5
        sureness[i * 3] = 0.05
    corrected = symbol_repair._correct(block, sureness, 16)
    assert corrected is not None and bytes(corrected[:27]) == message
