"""A camera feed for a kiosk with no webcam that was never given demo data: the setup wizard's
"use the demo video" writes it, so the camera's whole path (capture, decoding) can be seen at
work. Its one code is a test card, which no checkpoint lets through."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import segno

from scanner.demo_feed import write_demo_feed

TEST_CARD = "KIOSK-TEST: camera test card / the thu camera"


def test_card_matrix(text: str = TEST_CARD) -> np.ndarray:
    rows = np.array([list(r) for r in segno.make_qr(text, error="m").matrix], dtype=np.uint8)
    return np.pad(np.where(rows == 1, 0, 255).astype(np.uint8), 4, constant_values=255)


def write_sample_feed(path: Path) -> Path:
    return write_demo_feed([(test_card_matrix(), "camera test")], path, 4.0, 1.0)
