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
combines the last frames (scanner/frame_stack.py): a grainy (dark) spot's running, aligned
average over the last frames is read first, from the second frame it is seen in. A code that
zxing-cpp found on the frame as the camera gave it, but whose error correction failed (a
reflection across a phone's screen, most often), is corrected first with the doubtful
codewords as erasures (scanner/symbol_repair.py).
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

from scanner import restore, second_look, symbol_repair
from scanner.decoders import QR, Code, is_image, to_code, to_gray
from scanner.frame_stack import SAME_SPOT, FrameStack, RunningMean, overlap
from scanner.locate import busy_patches

BUDGET_MS = 25.0  # full-frame fallbacks stop once a frame has cost this much
BLURRED = 5  # px: edges this wide (restore.edge_width) on a spot are a blur, or big modules
SECOND_LOOK_MS = 30.0  # the second look at a spot may start attempts until then
LARGEST_SPOT = 560  # px: a larger spot gets its second look at half size
HINT_SECONDS = 0.6  # how long a spot where a code was seen is looked at again
ROI_SECONDS = 1.0  # how long a found code's place is looked at first
ROI_MARGIN = 0.6  # of the code's size, on each side
FULL_PASS_EVERY = 4  # frames read at the last place between two whole-frame passes
HIDDEN = 0.05  # share of a found code's modules blank (a reflection): repaired first
REPAIR_MS = 8.0  # after the second look, a repair may still start until this much later
# failed detections on a locally thresholded glare frame tried for repair (tuned part, seventh
# round: the code was the second of three in one frame of 30)
REPAIRS = 3
MISS_ASPECT = 1.6  # a failed detection's box longer than this against its width is no code
# share of a spot's pixels saturated above which a reflection is taken to lie across it
# (tuned part: every glare frame the local threshold read had 12% or more; blurred and
# defocused spots have under 10%, nearly all under 4%)
GLARE_SHARE = 0.1
SATURATED = 250


@dataclass(frozen=True)
class Region:
    x0: int
    y0: int
    x1: int
    y1: int

    def crop(self, gray: np.ndarray) -> np.ndarray:
        return gray[self.y0 : self.y1, self.x0 : self.x1]

    def grown(self, pad: int, shape: tuple[int, ...]) -> Region:
        """`pad` px more on each side, inside a frame of `shape`."""
        return Region(
            max(0, self.x0 - pad),
            max(0, self.y0 - pad),
            min(shape[1], self.x1 + pad),
            min(shape[0], self.y1 + pad),
        )


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
    failed: list[symbol_repair.Detection] | None = None,
    **options: object,
) -> tuple[list[Code], list[Region]]:
    """zxing-cpp on one prepared image; codes in frame coordinates, plus places (inside a
    frame of shape `bounds`) of codes it found but could not read: evidence that more work on
    that spot may pay. Into `failed`, when given, what zxing-cpp read of codes whose error
    correction failed, for symbol_repair."""
    try:
        found = zxingcpp.read_barcodes(image, formats=QR, return_errors=True, **options)
    except (ValueError, RuntimeError):
        return [], []
    codes, misses = [], []
    for b in found:
        code = to_code(b, offset, scale)
        if b.valid:
            codes.append(code)
        else:
            misses.append(_region_around(code.corners, bounds, 0.3))
            if failed is not None and (detection := symbol_repair.detection_of(b)):
                failed.append(detection)
    return codes, misses


@dataclass
class FailedCode:
    """A code zxing-cpp found on the frame as the camera gave it and could not correct, with
    its module scores (symbol_repair.scores): what `_repaired` works from."""

    detection: symbol_repair.Detection
    score: np.ndarray

    @classmethod
    def of(cls, gray: np.ndarray, detection: symbol_repair.Detection) -> FailedCode | None:
        try:
            return cls(detection, symbol_repair.scores(gray, detection))
        except (ValueError, cv2.error):
            return None


def _repaired(failed: FailedCode, out_of_time: Callable[[], bool]) -> list[Code]:
    """The code corrected with erasures (scanner/symbol_repair.py), at the place it was
    found."""
    try:
        picture = symbol_repair.repair(failed.score, failed.detection, out_of_time)
        found = [] if picture is None else zxingcpp.read_barcodes(picture, formats=QR)
    except (ValueError, RuntimeError, cv2.error):
        return []
    if not found or not found[0].valid:
        return []
    clean = to_code(found[0])
    corners = tuple((int(x), int(y)) for x, y in failed.detection.corners)
    return [Code(clean.text, clean.format, corners, clean.utf8)]


_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


# (name, preparation, zxing options): a whole-frame preparation, read at the frame's own scale
Fallback = tuple[str, Callable[[np.ndarray], np.ndarray], dict]

FULL_FRAME_FALLBACKS: tuple[Fallback, ...] = (
    # inverted (dark-mode) codes are the first pass's job: no second inversion here
    ("clahe", _CLAHE.apply, {"try_invert": False}),
    (
        "fixed_threshold",
        lambda g: g,
        {"binarizer": zxingcpp.Binarizer.FixedThreshold, "try_invert": False},
    ),
)


def _local_threshold(gray: np.ndarray) -> np.ndarray:
    """Each pixel against the mean of the 31 px around it, with no floor on contrast:
    zxing-cpp's own local binariser takes a block of little contrast for plain background,
    which is what a reflection's veil makes of a code's modules."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 0)


# for a spot a reflection has washed out (GLARE_SHARE), before the other fallbacks
GLARE_FALLBACKS: tuple[Fallback, ...] = (
    (
        "local_threshold",
        _local_threshold,
        {"binarizer": zxingcpp.Binarizer.FixedThreshold, "try_invert": False},
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
        repair: bool = True,
    ):
        self.budget_ms = budget_ms
        # correcting a found code with erasures (symbol_repair); off only to measure its worth
        self.repair = repair
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
        self._running: list[RunningMean] = []  # grainy spots' averages over the last frames
        self.last_stage = ""  # which stage read the last frame: for benchmarks and logs
        # why the last frame was not read, when that is known: "glare" (a reflection hid too
        # much of a code that was found), so the window can tell the person what to do
        self.trouble = ""

    def decode(self, frame: np.ndarray) -> list[Code]:
        self.trouble = ""
        if not is_image(frame):
            return []
        start = self.timer()
        gray_frame = to_gray(frame)

        def spent() -> float:
            return (self.timer() - start) * 1000

        codes = self._decode(gray_frame, spent)
        if codes:
            self.trouble = ""
            self._last_region = _region_around(codes[0].corners, gray_frame.shape)
            self._last_seen = self.clock()
            self._hint = None
            self._stack.clear()
            self._running = []
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
        detections: list[symbol_repair.Detection] = []
        codes, misses = _read(gray, bounds=gray.shape, failed=detections if self.repair else None)
        if codes:
            self.last_stage = "zxing"
            return codes
        failed = FailedCode.of(gray, detections[0]) if detections else None
        if failed is not None and symbol_repair.hidden_share(failed.score) > HIDDEN:
            self.trouble = "glare"  # unless a later stage reads the frame after all
            # a reflection hid part of a code that was found: erasures correct that in a few
            # ms, where every other attempt fails; a blurred or noisy code is left to them
            # first (the milliseconds a failed repair costs are theirs: motion blur lost a
            # code in 30 when the repair came first for every code)
            codes = _repaired(failed, lambda: spent() > self.budget_ms)
            if codes:
                self.last_stage = "repair"
                return codes
            failed = None
        spots = self._spots(gray, misses)
        if not spots:
            # nothing that looks like a code: a frame without one stops here, cheaply
            self._forget()
            self.last_stage = ""
            return []
        # a dark webcam frame's noise defeats whole-frame CLAHE and a fixed threshold; its
        # spot, smoothed, is read instead (second_look), with the time they would have cost
        first = spots[0].crop(gray)
        grainy = second_look.is_grainy(first)
        glare = cv2.countNonZero(cv2.inRange(first, SATURATED, 255)) > GLARE_SHARE * first.size
        # a spot blurred past what a threshold forgives goes straight to its second look:
        # contrast and thresholds on the whole frame cost it 10-15 ms and read none of it
        # (sixth round, tuned part: 5 more blurred codes read in the frame's time)
        width = None if grainy or glare else restore.edge_width(first)
        blurred = width is not None and width >= BLURRED
        # a dim spot (a dark frame scaled down and JPEG'd) is read smoothed first: the
        # whole-frame CLAHE pass costs it 10-40 ms of zxing-cpp on JPEG noise (seventh round,
        # tuned part: median 12.8 -> 4.8 ms on such frames); three cheap reads of the spot
        dim = second_look.is_dim(first)
        if dim:
            for attempt in second_look.dim_attempts(first):
                codes, _ = _read(
                    attempt.picture, (spots[0].x0, spots[0].y0), attempt.scale, **_options(attempt)
                )
                if codes:
                    self.last_stage = attempt.name
                    return codes
        fallbacks = (GLARE_FALLBACKS if glare else ()) + FULL_FRAME_FALLBACKS
        for name, prepare, options in () if grainy or blurred else fallbacks:
            if spent() > self.budget_ms:
                break
            prepared = prepare(gray)
            found: list[symbol_repair.Detection] = []
            codes, more = _read(prepared, bounds=gray.shape, failed=found, **options)
            if codes:
                self.last_stage = name
                return codes
            if glare and self.repair:
                # a veil over part of the code hides its finder patterns from zxing-cpp's own
                # binariser; a local threshold shows them, and the modules the reflection
                # saturated are then erasures, read from the thresholded picture
                for detection in found[:REPAIRS]:
                    codes = self._repaired_on(prepared, detection, spent)
                    if codes:
                        return codes
            if more and not misses:
                spots = self._spots(gray, more)
        if width is not None and width >= second_look.WIDE:
            codes = self._half_frame(gray, width, spent)
            if codes:
                return codes
        codes = self._second_look(gray, spots, spent, second_look.Known(dim, width))
        if not codes and failed is not None:
            codes = _repaired(failed, lambda: spent() > self.second_look_ms + REPAIR_MS)
            self.last_stage = "repair"
        self.last_stage = self.last_stage if codes else ""
        return codes

    def _half_frame(self, gray: np.ndarray, width: int, spent: Callable[[], float]) -> list[Code]:
        """A blur this wide spreads a code past the spot its edges leave: the whole frame, at
        half size, deblurred (second_look.half_frame_attempts), before the spot's own look."""
        half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        for attempt in second_look.half_frame_attempts(half, width):
            if spent() > self.second_look_ms:
                return []
            codes, _ = _read(attempt.picture, (0, 0), attempt.scale)
            if codes:
                self.last_stage = attempt.name
                return codes
        return []

    def _repaired_on(
        self, picture: np.ndarray, detection: symbol_repair.Detection, spent: Callable[[], float]
    ) -> list[Code]:
        failed = FailedCode.of(picture, detection)
        if failed is None:
            return []
        codes = _repaired(failed, lambda: spent() > self.budget_ms)
        if codes:
            self.last_stage = "threshold_repair"
        return codes

    def _forget(self) -> None:
        self._stack.clear()
        self._running = []
        self._hint = None

    def _spots(self, gray: np.ndarray, misses: list[Region]) -> list[Region]:
        """Where a code plausibly is: zxing-cpp's failed detections, the previous frame's spot,
        and dense square patches of edges; overlapping ones once."""
        now = self.clock()
        # a failed detection far from square joined corners of different things (a blurred
        # code's finder patterns and the desk): looking there hides the code's own patch
        misses = [m for m in misses if _aspect(m) <= MISS_ASPECT]
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

    def _running_averages(
        self, gray: np.ndarray, spots: list[Region], now: float
    ) -> list[tuple[tuple[int, int], np.ndarray]]:
        """Each grainy spot's running average (its box's corner, the picture), once it holds
        two frames; a spot not seen in this frame has its average forgotten."""
        kept: list[RunningMean] = []
        out = []
        for spot in spots:
            box = _box(spot)
            same = [
                r for r in self._running if r.box is not None and overlap(r.box, box) >= SAME_SPOT
            ]
            if same:
                running = same[0]
            elif second_look.worth_averaging(spot.crop(gray)):
                running = RunningMean()
            else:
                continue
            if running in kept:
                continue
            average = running.add(gray, box, now)
            kept.append(running)
            if average is not None and running.box is not None:
                out.append(((running.box[0], running.box[1]), average))
        self._running = kept
        return out

    def _second_look(
        self,
        gray: np.ndarray,
        spots: list[Region],
        spent: Callable[[], float],
        known: second_look.Known | None = None,
    ) -> list[Code]:
        """`known`: what was measured of, or tried on, the first spot's crop."""
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
        averages = self._running_averages(gray, [first, *spots[1:]], now)
        # a grainy spot's running average supersedes the three-frame mean and median
        combined = [] if averages else self._stack.combined(gray, _box(first), now)
        # a private copy: a caller may reuse its frame buffer
        self._stack.push(gray.copy(), now)
        self._hint, self._hint_seen = first, now
        # every spot's average before any spot's other attempts: the first spot is not always
        # the code (a busy patch of a dark desk can be), and one spot's attempts can spend
        # the frame's time
        for (x0, y0), average in averages:
            for attempt in second_look.running_attempts(average):
                if spent() > self.second_look_ms:
                    return []
                codes, _ = _read(attempt.picture, (x0, y0), attempt.scale, **_options(attempt))
                if codes:
                    self.last_stage = attempt.name
                    return codes
        for i, spot in enumerate(spots):
            crop = spot.crop(gray)
            wide = spot.grown(second_look.CONTEXT, gray.shape)
            around = wide.crop(gray)
            shrink = 1.0
            if max(crop.shape) > LARGEST_SPOT:
                # a code this big has modules to spare; deconvolving it whole costs too much
                shrink = 0.5
                crop, around = (
                    cv2.resize(p, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
                    for p in (crop, around)
                )
                if i == 0:  # only the first spot's frames were combined
                    combined = [
                        cv2.resize(c, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
                        for c in combined
                    ]
            inset = (round((spot.x0 - wide.x0) * shrink), round((spot.y0 - wide.y0) * shrink))
            surroundings = second_look.Surroundings(around, inset)
            # the frames were combined over `first`, which can be larger than this spot (the
            # union with the last frame's): their pictures start where it does
            dx, dy = first.x0 - spot.x0, first.y0 - spot.y0
            stacked_at = (round(dx * shrink), round(dy * shrink))
            stacked = combined if i == 0 else []
            for attempt in second_look.attempts(
                crop,
                stacked,
                surroundings,
                stacked_at,
                # the first spot's crop as measured, unless it was made smaller
                known if i == 0 and shrink == 1.0 else None,
            ):
                if spent() > self.second_look_ms:
                    return []
                scale = attempt.scale * shrink
                # the picture may start before the crop: its origin is in the scaled crop's px
                x0 = spot.x0 + round(attempt.origin[0] / scale)
                y0 = spot.y0 + round(attempt.origin[1] / scale)
                codes, _ = _read(attempt.picture, (x0, y0), scale, **_options(attempt))
                if codes:
                    self.last_stage = attempt.name
                    return codes
        return []


def _options(attempt: second_look.Attempt) -> dict[str, object]:
    return {} if attempt.binarizer is None else {"binarizer": attempt.binarizer}


def _aspect(r: Region) -> float:
    return max(r.x1 - r.x0, r.y1 - r.y0) / max(1, min(r.x1 - r.x0, r.y1 - r.y0))


def _area(r: Region) -> int:
    return (r.x1 - r.x0) * (r.y1 - r.y0)


def _overlap(a: Region, b: Region) -> float:
    return overlap(_box(a), _box(b))


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
