"""Frozen copy of scanner/pipeline.py as it was before issue 13 (commit 00a3040), kept so that
`make bench` measures before and after in the same run on the same machine. Not used by the kiosk.

The decoding pipeline the camera and `kiosk decode` share: zxing-cpp first, then image
preparation only where the first pass failed, within a time budget per frame.

Order and budget come from measurements on camera-like frames (bench/bench_scanner.py,
docs/benchmarks.md): zxing-cpp alone read 84% of them; contrast-limited histogram equalisation
(CLAHE) recovers most low-contrast and blurred codes, a fixed-threshold binarisation most of
the rest, and sharpening and 2x upscaling help where zxing-cpp saw a code it could not read.
ZBar and OpenCV's detector add nothing on top of these here (and ZBar garbles Vietnamese and can
abort the process), so neither runs in the live pipeline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from scanner.decoders import Code, is_image, to_code, to_gray

_QR = zxingcpp.BarcodeFormat.QRCode
BUDGET_MS = 30.0  # fallbacks stop once a frame has cost this much
ROI_SECONDS = 1.0  # how long a found code's place is looked at first
ROI_MARGIN = 0.6  # of the code's size, on each side
FULL_PASS_EVERY = 4  # frames read at the last place between two whole-frame passes


@dataclass(frozen=True)
class Region:
    x0: int
    y0: int
    x1: int
    y1: int

    def crop(self, gray: np.ndarray) -> np.ndarray:
        return gray[self.y0 : self.y1, self.x0 : self.x1]


def _region_around(
    corners: tuple[tuple[int, int], ...], shape: tuple[int, ...], margin: float = ROI_MARGIN
) -> Region:
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    pad = int(max(w, h) * margin) + 8
    return Region(
        max(0, min(xs) - pad),
        max(0, min(ys) - pad),
        min(shape[1], max(xs) + pad),
        min(shape[0], max(ys) + pad),
    )


def _read(
    image: np.ndarray,
    offset: tuple[int, int] = (0, 0),
    scale: float = 1.0,
    bounds: tuple[int, ...] = (0, 0),
    **options: object,
) -> tuple[list[Code], list[Region]]:
    """zxing-cpp on one prepared image; codes in frame coordinates, plus places (inside a
    frame of shape `bounds`) of codes it found but could not read: evidence that more work on
    that spot may pay."""
    try:
        found = zxingcpp.read_barcodes(image, formats=_QR, return_errors=True, **options)
    except (ValueError, RuntimeError):
        return [], []
    codes, misses = [], []
    for b in found:
        code = to_code(b, offset, scale)
        if b.valid:
            codes.append(code)
        else:
            misses.append(_region_around(code.corners, bounds, 0.3))
    return codes, misses


_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 1.8, cv2.GaussianBlur(gray, (0, 0), 3), -0.8, 0)


def _upscale(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


# (name, preparation, zxing options, scale of the prepared image)
FULL_FRAME_FALLBACKS: tuple[tuple[str, Callable[[np.ndarray], np.ndarray], dict, float], ...] = (
    # inverted (dark-mode) codes are the first pass's job: no second inversion here
    ("clahe", _CLAHE.apply, {"try_invert": False}, 1.0),
    (
        "fixed_threshold",
        lambda g: g,
        {"binarizer": zxingcpp.Binarizer.FixedThreshold, "try_invert": False},
        1.0,
    ),
)
SPOT_FALLBACKS: tuple[tuple[str, Callable[[np.ndarray], np.ndarray], dict, float], ...] = (
    ("sharpen", _sharpen, {}, 1.0),
    ("upscale", _upscale, {}, 2.0),
    ("clahe_sharpen", lambda g: _sharpen(_CLAHE.apply(g)), {}, 1.0),
)


def _unique(codes: list[Code]) -> list[Code]:
    seen: dict[str, Code] = {}
    for c in codes:
        seen.setdefault(c.text, c)
    return list(seen.values())


class ScanPipeline:
    """Decodes one frame after another. Remembers where the last code was, so a code held in
    view is looked for there first; a new instance (as `kiosk decode` uses) starts fresh."""

    def __init__(
        self,
        budget_ms: float = BUDGET_MS,
        clock: Callable[[], float] = time.monotonic,
        timer: Callable[[], float] = time.perf_counter,  # added for the benchmark: see bench
    ):
        self.budget_ms = budget_ms
        self.clock = clock
        self.timer = timer
        self._last_region: Region | None = None
        self._last_seen = 0.0
        self._since_full = 0
        self.last_stage = ""  # which stage read the last frame: for benchmarks and logs

    def decode(self, frame: np.ndarray) -> list[Code]:
        if not is_image(frame):
            return []
        start = self.timer()
        gray_frame = to_gray(frame)

        def spent() -> float:
            return (self.timer() - start) * 1000

        codes = self._decode(gray_frame, spent)
        if codes:
            self._last_region = _region_around(codes[0].corners, gray_frame.shape)
            self._last_seen = self.clock()
        return codes

    def _decode(self, gray: np.ndarray, spent: Callable[[], float]) -> list[Code]:
        region = self._last_region
        if region is not None and self.clock() - self._last_seen <= ROI_SECONDS:
            codes, _ = _read(region.crop(gray), (region.x0, region.y0), try_downscale=False)
            if codes:
                self.last_stage = "last_place"
                self._since_full += 1
                if self._since_full < FULL_PASS_EVERY:
                    return codes
                # now and then the whole frame too: a second code may have come into view
                self._since_full = 0
                more, _ = _read(gray)
                return _unique(codes + more)
        self._since_full = 0
        codes, misses = _read(gray, bounds=gray.shape)
        if codes:
            self.last_stage = "zxing"
            return codes
        for name, prepare, options, _scale in FULL_FRAME_FALLBACKS:
            if spent() > self.budget_ms:
                break
            codes, more = _read(prepare(gray), bounds=gray.shape, **options)
            misses += more
            if codes:
                self.last_stage = name
                return codes
        for spot in misses[:3]:
            crop = spot.crop(gray)
            if crop.size == 0:
                continue
            for name, prepare, options, scale in SPOT_FALLBACKS:
                if spent() > self.budget_ms:
                    self.last_stage = ""
                    return []
                codes, _ = _read(
                    prepare(crop), (spot.x0, spot.y0), scale, try_downscale=False, **options
                )
                if codes:
                    self.last_stage = name
                    return codes
        self.last_stage = ""
        return []


def decode_frame(frame: np.ndarray) -> list[Code]:
    """One still image through the whole pipeline, with no memory of earlier frames."""
    return ScanPipeline().decode(frame)
