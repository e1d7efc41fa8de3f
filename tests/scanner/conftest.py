"""Real QR images, made with segno, for the scanner tests."""

from __future__ import annotations

import cv2
import numpy as np
import segno


def qr_image(data: str | bytes, scale: int = 6) -> np.ndarray:
    """A greyscale QR of `data` (text as UTF-8, bytes as they are) with its quiet zone."""
    encoding = "utf-8" if isinstance(data, str) and not data.isascii() else None
    qr = segno.make_qr(data, encoding=encoding, error="m")
    modules = np.array([list(row) for row in qr.matrix], dtype=np.uint8)
    image = np.pad(np.where(modules == 1, 0, 255).astype(np.uint8), 4, constant_values=255)
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def in_frame(code: np.ndarray, x: int, y: int, size=(1280, 720)) -> np.ndarray:
    """`code` on a grey desk in a BGR camera frame, its top-left corner at (x, y)."""
    frame = np.full((size[1], size[0], 3), (70, 78, 84), np.uint8)
    h, w = code.shape[:2]
    frame[y : y + h, x : x + w] = code[..., None] if code.ndim == 2 else code
    return frame
