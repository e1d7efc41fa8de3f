"""Finding and reading QR codes in a frame.

zxing-cpp is the decoder: in our measurement (bench/bench_vietnamese_decoding.py) ZBar garbled
58% of short Vietnamese names by guessing Shift-JIS, zxing-cpp none. Only the QR symbology is
searched: every code a checkpoint reads is a QR, and each extra symbology costs time per frame.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

_FORMATS = zxingcpp.BarcodeFormat.QRCode


@dataclass(frozen=True)
class Code:
    text: str  # UTF-8 text, or the decoder's best reading when the bytes are not UTF-8
    format: str
    corners: tuple[tuple[int, int], ...]  # four points, in frame pixels, clockwise
    utf8: bool = True


def decode_frame(frame: np.ndarray) -> list[Code]:
    """All QR codes in a BGR or greyscale frame. Never raises on image content."""
    if frame is None or frame.size == 0:
        return []
    try:
        found = zxingcpp.read_barcodes(frame, formats=_FORMATS)
    except (ValueError, RuntimeError):
        return []
    codes = []
    for b in found:
        raw = bytes(b.bytes)
        try:
            text, utf8 = raw.decode("utf-8"), True
        except UnicodeDecodeError:
            text, utf8 = b.text, False
        p = b.position
        corners = tuple(
            (int(pt.x), int(pt.y))
            for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        )
        codes.append(Code(text, b.format.name, corners, utf8))
    return codes


@dataclass(frozen=True)
class ImageResult:
    file: str
    codes: list[Code]
    ms: float
    error: str | None = None


def decode_image_file(path: Path) -> ImageResult:
    """What `kiosk decode` prints for one file; the decoding is the camera's own."""
    data = np.fromfile(str(path), dtype=np.uint8) if path.is_file() else np.array([], np.uint8)
    frame = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if frame is None:
        return ImageResult(str(path), [], 0.0, "image_unreadable")
    start = time.perf_counter()
    codes = decode_frame(frame)
    return ImageResult(str(path), codes, (time.perf_counter() - start) * 1000)
