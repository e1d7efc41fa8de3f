"""Reading over consecutive frames: a code that no single frame shows whole (noise in the dark,
a reflection sliding over the screen) is often whole in a few frames together.

The last few frames in which a code was seen but not read are kept; at the place where the code
is now, their crops are shifted onto the current one (phase correlation) and combined: the mean
halves the noise of four dark frames, the median drops a reflection that covered a different
part of the code in each. The combined picture is one more image to read; what it reads is one
code, so one scan, however many frames it took.

A grainy (dark) spot gets more: `RunningMean`, a running average of the spot's crop over the last
RUNNING_DEPTH frames, each new frame aligned to the average by one phase correlation (the
average is far less noisy than any one frame, so it aligns better too). It starts when the spot
is seen the second time, and the noise of a dusk frame falls as 1/sqrt(frames): a code that
no single frame holds above its noise appears within a fraction of a second of being held
still. It costs one phase correlation and one shift per frame (about 2 ms for a 400 px spot),
and is forgotten when the spot moves away or is not seen for MAX_AGE.
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np

DEPTH = 3  # earlier frames combined with the current one
MAX_AGE = 0.6  # seconds: older frames show the phone somewhere else
MAX_SHIFT = 0.25  # of the crop's side: beyond that the alignment is not trusted
RUNNING_DEPTH = 8  # frames a grainy spot's running average spans
SAME_SPOT = 0.5  # overlap (of the smaller box) under which a spot is another place
BOX_MARGIN = 0.1  # of the spot's size, added on each side of an average's box


class FrameStack:
    def __init__(self, depth: int = DEPTH, max_age: float = MAX_AGE) -> None:
        self.max_age = max_age
        self._frames: deque[tuple[float, np.ndarray]] = deque(maxlen=depth)

    def clear(self) -> None:
        self._frames.clear()

    def push(self, gray: np.ndarray, now: float) -> None:
        self._frames.append((now, gray))

    def __len__(self) -> int:
        return len(self._frames)

    def combined(
        self, gray: np.ndarray, box: tuple[int, int, int, int], now: float
    ) -> list[np.ndarray]:
        """[mean, median] of the crop `box` of this frame and the kept ones, aligned to this
        frame's; empty when fewer than two kept frames are recent enough."""
        x0, y0, x1, y1 = box
        current = gray[y0:y1, x0:x1].astype(np.float32)
        if current.size == 0:
            return []
        window = cv2.createHanningWindow((current.shape[1], current.shape[0]), cv2.CV_32F)
        layers = [current]
        for seen, frame in self._frames:
            if now - seen > self.max_age or frame.shape != gray.shape:
                continue
            earlier = frame[y0:y1, x0:x1].astype(np.float32)
            # copies: OpenCV multiplies its inputs by the window in place (at some sizes)
            (dx, dy), _response = cv2.phaseCorrelate(current.copy(), earlier.copy(), window)
            if abs(dx) > MAX_SHIFT * current.shape[1] or abs(dy) > MAX_SHIFT * current.shape[0]:
                continue
            shift = np.float32([[1, 0, -dx], [0, 1, -dy]])
            layers.append(
                cv2.warpAffine(
                    earlier,
                    shift,
                    (current.shape[1], current.shape[0]),
                    borderMode=cv2.BORDER_REPLICATE,
                )
            )
        if len(layers) < 3:
            return []
        stack = np.stack(layers)
        mean = stack.mean(axis=0)
        median = np.median(stack, axis=0)
        return [mean.astype(np.uint8), median.astype(np.uint8)]


Box = tuple[int, int, int, int]


def overlap(a: Box, b: Box) -> float:
    """Intersection of two boxes over the smaller one's area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / max(smaller, 1)


class RunningMean:
    """The aligned running average of one spot over the last frames. Its box is where the spot
    was seen, with a margin; the average follows the phone inside it (each frame's shift is
    measured against the average and the average moved onto the frame), so what it holds is
    always aligned with the newest frame. Once it holds `depth` frames each new one weighs
    1/depth (an exponential average: older frames fade rather than drop)."""

    def __init__(self, depth: int = RUNNING_DEPTH, max_age: float = MAX_AGE) -> None:
        self.depth = depth
        self.max_age = max_age
        self.box: Box | None = None
        self.frames = 0  # how many frames the average holds (at most `depth` count)
        self._mean: np.ndarray | None = None
        self._window: np.ndarray | None = None
        self._seen = 0.0
        self._shape: tuple[int, ...] = ()

    def clear(self) -> None:
        self.box, self._mean, self.frames = None, None, 0

    def add(self, gray: np.ndarray, box: Box, now: float) -> np.ndarray | None:
        """Adds this frame's crop; the average (in `self.box`, aligned to this frame) once it
        holds two frames or more, else None. A spot that has grown out of the box (a phone
        still coming into view, a busy patch found larger) moves the box: the average is kept
        where the old and new boxes meet."""
        if self.box is not None and (
            now - self._seen > self.max_age
            or gray.shape != self._shape
            or overlap(box, self.box) < SAME_SPOT
        ):
            self.clear()  # the phone has moved on: an average of another place misleads
        self._seen, self._shape = now, gray.shape
        if self.box is None or self._mean is None:
            self._start(gray, box)
            return None
        x0, y0, x1, y1 = self.box
        current = gray[y0:y1, x0:x1].astype(np.float32)
        # copies: OpenCV multiplies its inputs by the window in place (at some sizes)
        (dx, dy), _response = cv2.phaseCorrelate(self._mean.copy(), current.copy(), self._window)
        h, w = current.shape
        if abs(dx) > MAX_SHIFT * w or abs(dy) > MAX_SHIFT * h:
            # moved too far to trust: start again from this frame
            self._mean, self.frames = current, 1
            return None
        moved = cv2.warpAffine(
            self._mean,
            np.float32([[1, 0, dx], [0, 1, dy]]),
            (w, h),
            borderMode=cv2.BORDER_REPLICATE,
        )
        self.frames = min(self.frames + 1, self.depth)
        self._mean = moved + (current - moved) / self.frames
        if not _inside(box, self.box):
            previous, old, frames = self._mean, self.box, self.frames
            self._start(gray, box)
            if self.box is not None and self._mean is not None:
                # the part of the average inside the new box is kept
                nx0, ny0, nx1, ny1 = self.box
                ix0, iy0 = max(nx0, old[0]), max(ny0, old[1])
                ix1, iy1 = min(nx1, old[2]), min(ny1, old[3])
                if ix1 > ix0 and iy1 > iy0:
                    self._mean[iy0 - ny0 : iy1 - ny0, ix0 - nx0 : ix1 - nx0] = previous[
                        iy0 - old[1] : iy1 - old[1], ix0 - old[0] : ix1 - old[0]
                    ]
                    self.frames = frames
        return np.clip(self._mean + 0.5, 0, 255).astype(np.uint8)

    def _start(self, gray: np.ndarray, box: Box) -> None:
        """A new average of this frame alone, in `box` with a margin (a spot's box jitters
        from frame to frame)."""
        x0, y0, x1, y1 = box
        if x1 - x0 < 16 or y1 - y0 < 16:
            return
        mx, my = int(BOX_MARGIN * (x1 - x0)), int(BOX_MARGIN * (y1 - y0))
        x0, y0 = max(0, x0 - mx), max(0, y0 - my)
        x1, y1 = min(gray.shape[1], x1 + mx), min(gray.shape[0], y1 + my)
        self.box = (x0, y0, x1, y1)
        self._mean = gray[y0:y1, x0:x1].astype(np.float32)
        self._window = cv2.createHanningWindow((x1 - x0, y1 - y0), cv2.CV_32F)
        self.frames = 1


def _inside(inner: Box, outer: Box, slack: int = 4) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )
