"""The single decoders, each wrapped so that nothing in an image can raise out of it.

zxing-cpp is the one the pipeline (scanner/pipeline.py) is built on: in our measurements ZBar
garbled 58% of short Vietnamese names by guessing Shift-JIS, zxing-cpp none, and zxing-cpp read
the most camera-like frames in the least time. pyzbar and OpenCV stay here so the benchmark
measures all three side by side on the same frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

# every code a checkpoint reads is a QR code (model 2); zxing-cpp 3's QRCode also means Micro QR
# and rMQR, which no checkpoint code uses: looking for them costs time and finds false codes
QR = zxingcpp.BarcodeFormat.QRCodeModel2


@dataclass(frozen=True)
class Code:
    text: str  # UTF-8 text, or the decoder's best reading when the bytes are not UTF-8
    format: str
    corners: tuple[tuple[int, int], ...]  # four points, in frame pixels, clockwise
    utf8: bool = True


def _text(raw: bytes, fallback: str) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return fallback, False


def to_code(
    barcode: zxingcpp.Barcode, offset: tuple[int, int] = (0, 0), scale: float = 1.0
) -> Code:
    """A zxing-cpp result as a Code in the coordinates of the whole frame."""
    text, utf8 = _text(bytes(barcode.bytes), barcode.text)
    p = barcode.position
    corners = tuple(
        (int(pt.x / scale) + offset[0], int(pt.y / scale) + offset[1])
        for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    )
    return Code(text, barcode.format.name, corners, utf8)


def is_image(frame: object) -> bool:
    """An 8-bit greyscale, BGR or BGRA picture: what cameras and image files give."""
    return (
        isinstance(frame, np.ndarray)
        and frame.dtype == np.uint8
        and frame.size > 0
        and (frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] in (3, 4)))
    )


def to_gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    code = cv2.COLOR_BGR2GRAY if frame.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
    return cv2.cvtColor(frame, code)


def read_zxing(frame: np.ndarray) -> list[Code]:
    if not is_image(frame):
        return []
    try:
        return [to_code(b) for b in zxingcpp.read_barcodes(to_gray(frame), formats=QR)]
    except (ValueError, RuntimeError):
        return []


def read_zbar(frame: np.ndarray) -> list[Code]:
    if not is_image(frame):
        return []
    """ZBar through pyzbar, QR only. Benchmark use only: ZBar can abort the whole process with
    a C assert on some inputs (pyzbar issue 143), so it never runs in the window's process."""
    from pyzbar import pyzbar

    try:
        found = pyzbar.decode(to_gray(frame), symbols=[pyzbar.ZBarSymbol.QRCODE])
    except (ValueError, TypeError):  # pyzbar issue 139: unknown orientation values
        return []
    codes = []
    for s in found:
        r = s.rect
        corners = (
            (r.left, r.top),
            (r.left + r.width, r.top),
            (r.left + r.width, r.top + r.height),
            (r.left, r.top + r.height),
        )
        text, utf8 = _text(s.data, s.data.decode("latin-1"))
        codes.append(Code(text, "QRCode", corners, utf8))
    return codes


_OPENCV = cv2.QRCodeDetector()


def read_opencv(frame: np.ndarray) -> list[Code]:
    if not is_image(frame):
        return []
    """OpenCV's QR detector; the bytes API, since the string API raises on non-UTF-8."""
    try:
        if hasattr(_OPENCV, "detectAndDecodeBytes"):
            raw, points, _ = _OPENCV.detectAndDecodeBytes(to_gray(frame))
        else:
            text, points, _ = _OPENCV.detectAndDecode(to_gray(frame))
            raw = text.encode("utf-8")
    except (cv2.error, UnicodeDecodeError):
        return []
    if not raw or points is None:
        return []
    raw = bytes(raw)
    text, utf8 = _text(raw, raw.decode("latin-1"))
    corners = tuple((int(x), int(y)) for x, y in points.reshape(-1, 2)[:4])
    return [Code(text, "QRCode", corners, utf8)]
