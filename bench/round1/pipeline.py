"""The decoding pipeline the camera and `kiosk decode` share: zxing-cpp first, then image
preparation only where the first pass failed, within a time budget per frame.

Order and budget come from measurements on camera-like frames (bench/bench_scanner.py,
docs/benchmarks.md). A frame is first read whole by zxing-cpp (about 2 ms); contrast-limited
histogram equalisation (CLAHE) and a fixed-threshold binarisation recover most low-contrast
codes. What is left is mostly a moving hand, an unfocused lens, a dark tent or a reflection:
those get a second look, but only at a spot where a code plausibly is (zxing-cpp saw one it
could not read, a dense square patch of edges is there, or the previous frame had one there),
so a frame without a code stays cheap. The second look (scanner/second_look.py) denoises,
undoes motion blur along its estimated direction and defocus by Wiener deconvolution, and
combines the last frames (scanner/frame_stack.py).
ZBar and OpenCV's detector add nothing on top of these here (and ZBar garbles Vietnamese and can
abort the process), so neither runs in the live pipeline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from bench.round1 import second_look
from bench.round1.frame_stack import FrameStack
from bench.round1.locate import busy_patches
from scanner.decoders import Code, is_image, to_code, to_gray

_QR = zxingcpp.BarcodeFormat.QRCode
BUDGET_MS = 25.0  # full-frame fallbacks stop once a frame has cost this much
SECOND_LOOK_MS = 28.0  # the second look at a spot may start attempts until then
LARGEST_SPOT = 560  # px: a larger spot gets its second look at half size
HINT_SECONDS = 0.6  # how long a spot where a code was seen is looked at again
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


def _unique(codes: list[Code]) -> list[Code]:
    seen: dict[str, Code] = {}
    for c in codes:
        seen.setdefault(c.text, c)
    return list(seen.values())


def _box(region: Region) -> tuple[int, int, int, int]:
    return region.x0, region.y0, region.x1, region.y1


class ScanPipeline:
    """Decodes one frame after another. Remembers where the last code was, so a code held in
    view is looked for there first, and where a code was seen but not read, so the next frames
    look there again and are combined with this one; a new instance (as `kiosk decode` uses)
    starts fresh."""

    def __init__(
        self,
        budget_ms: float = BUDGET_MS,
        clock: Callable[[], float] = time.monotonic,
        second_look_ms: float = SECOND_LOOK_MS,
        timer: Callable[[], float] = time.perf_counter,
    ):
        self.budget_ms = budget_ms
        self.second_look_ms = second_look_ms
        self.clock = clock
        # what the budget is counted in: wall time in the kiosk; a benchmark on a shared
        # machine counts the decoding thread's own CPU time instead
        self.timer = timer
        self._last_region: Region | None = None
        self._last_seen = 0.0
        self._since_full = 0
        self._hint: Region | None = None  # where a code was seen and not read
        self._hint_seen = 0.0
        self._stack = FrameStack()
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
            self._hint = None
            self._stack.clear()
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
        spots = self._spots(gray, misses)
        if not spots:
            # nothing that looks like a code: a frame without one stops here, cheaply
            self._forget()
            self.last_stage = ""
            return []
        for name, prepare, options, _scale in FULL_FRAME_FALLBACKS:
            if spent() > self.budget_ms:
                break
            codes, more = _read(prepare(gray), bounds=gray.shape, **options)
            if codes:
                self.last_stage = name
                return codes
            if more and not misses:
                spots = self._spots(gray, more)
        codes = self._second_look(gray, spots, spent)
        self.last_stage = self.last_stage if codes else ""
        return codes

    def _forget(self) -> None:
        self._stack.clear()
        self._hint = None

    def _spots(self, gray: np.ndarray, misses: list[Region]) -> list[Region]:
        """Where a code plausibly is: zxing-cpp's failed detections, the previous frame's spot,
        and dense square patches of edges; overlapping ones once."""
        now = self.clock()
        spots = list(misses[:2])
        if self._hint is not None and now - self._hint_seen <= HINT_SECONDS:
            spots.append(self._hint)
        for x0, y0, x1, y1 in busy_patches(gray):
            pad = max(16, (x1 - x0) // 10)
            spots.append(
                Region(
                    max(0, x0 - pad),
                    max(0, y0 - pad),
                    min(gray.shape[1], x1 + pad),
                    min(gray.shape[0], y1 + pad),
                )
            )
        unique: list[Region] = []
        for spot in spots:
            if spot.x1 - spot.x0 < 24 or spot.y1 - spot.y0 < 24:
                continue
            same = [i for i, u in enumerate(unique) if _overlap(spot, u) > 0.5]
            if not same:
                unique.append(spot)
            elif _area(spot) > _area(unique[same[0]]):
                unique[same[0]] = spot  # the larger one holds the whole code
        return unique[:2]

    def _second_look(
        self, gray: np.ndarray, spots: list[Region], spent: Callable[[], float]
    ) -> list[Code]:
        now = self.clock()
        first = spots[0]
        hint = self._hint
        if hint is not None and now - self._hint_seen <= HINT_SECONDS and _overlap(first, hint):
            # a reflection or noise hides a different part in each frame: the place is the
            # union of where the code was seen in them, unless the phone has moved on
            union = Region(
                min(first.x0, hint.x0),
                min(first.y0, hint.y0),
                max(first.x1, hint.x1),
                max(first.y1, hint.y1),
            )
            if _area(union) <= 2.5 * max(_area(first), _area(hint)):
                first = union
        combined = self._stack.combined(gray, _box(first), now)
        # a private copy: a caller may reuse its frame buffer
        self._stack.push(gray.copy(), now)
        self._hint, self._hint_seen = first, now
        for i, spot in enumerate(spots):
            crop = spot.crop(gray)
            shrink = 1.0
            if max(crop.shape) > LARGEST_SPOT:
                # a code this big has modules to spare; deconvolving it whole costs too much
                shrink = 0.5
                crop = cv2.resize(crop, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
                combined = [
                    cv2.resize(c, (crop.shape[1], crop.shape[0]), interpolation=cv2.INTER_AREA)
                    for c in combined
                ]
            for name, picture, scale in second_look.attempts(crop, combined if i == 0 else []):
                if spent() > self.second_look_ms:
                    return []
                codes, _ = _read(picture, (spot.x0, spot.y0), scale * shrink)
                if codes:
                    self.last_stage = name
                    return codes
        return []


def _area(r: Region) -> int:
    return (r.x1 - r.x0) * (r.y1 - r.y0)


def _overlap(a: Region, b: Region) -> float:
    """Intersection over the smaller area."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0))
    return w * h / max(smaller, 1)


def decode_frame(frame: np.ndarray) -> list[Code]:
    """One still image through the whole pipeline, with no memory of earlier frames."""
    return ScanPipeline().decode(frame)


@dataclass(frozen=True)
class ImageResult:
    file: str
    codes: list[Code]
    ms: float
    error: str | None = None


def decode_image_file(path: Path) -> ImageResult:
    """What `kiosk decode` prints for one file: the camera's own pipeline on a still image."""
    data = np.fromfile(str(path), dtype=np.uint8) if path.is_file() else np.array([], np.uint8)
    frame = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if frame is None:
        return ImageResult(str(path), [], 0.0, "image_unreadable")
    start = time.perf_counter()
    codes = decode_frame(frame)
    return ImageResult(str(path), codes, (time.perf_counter() - start) * 1000)
