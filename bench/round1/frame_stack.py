"""Reading over consecutive frames: a code that no single frame shows whole (noise in the dark,
a reflection sliding over the screen) is often whole in a few frames together.

The last few frames in which a code was seen but not read are kept; at the place where the code
is now, their crops are shifted onto the current one (phase correlation) and combined: the mean
halves the noise of four dark frames, the median drops a reflection that covered a different
part of the code in each. The combined picture is one more image to read; what it reads is one
code, so one scan, however many frames it took.
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np

DEPTH = 3  # earlier frames combined with the current one
MAX_AGE = 0.6  # seconds: older frames show the phone somewhere else
MAX_SHIFT = 0.25  # of the crop's side: beyond that the alignment is not trusted


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
            (dx, dy), _response = cv2.phaseCorrelate(current, earlier, window)
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
