"""Where a code may be when zxing-cpp saw none: dense, square-ish patches of edges.

A QR code is the busiest patch of a checkpoint frame: thousands of module edges in a square. A
moving hand smears the edges along one direction but leaves those across it, so the patch stays
busy when zxing-cpp can no longer find its finder patterns. Looked for on a quarter-size frame
(about a millisecond); only the patches found here and zxing-cpp's own failed detections get
the expensive second look.
"""

from __future__ import annotations

import cv2
import numpy as np

SCALE = 4
MIN_SIDE = 56  # px in the frame: a smaller patch holds no readable code
MAX_ASPECT = 1.8  # a code seen at an angle stays roughly square; a line of text does not
MIN_FILL = 0.45  # of its bounding box: a ring of edges round a plain sheet is not a code
SEPARATE = 0.3  # of the way from the limit to the busiest place: a second, stricter limit


def busy_patches(gray: np.ndarray, most: int = 2) -> list[tuple[int, int, int, int]]:
    """Up to `most` (x0, y0, x1, y1) boxes in frame pixels, biggest first."""
    small = cv2.resize(gray, None, fx=1 / SCALE, fy=1 / SCALE, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(small, cv2.CV_16S, 1, 0)
    gy = cv2.Sobel(small, cv2.CV_16S, 0, 1)
    energy = cv2.boxFilter(
        cv2.convertScaleAbs(gx).astype(np.float32) + cv2.convertScaleAbs(gy), -1, (15, 15)
    )
    mean, std = cv2.meanStdDev(energy)
    limit = max(float(mean[0, 0] + 2.0 * std[0, 0]), 8.0)
    found = _square_patches(energy > limit)
    if not found:
        # a blurred code's patch can run into the edges of the phone or card around it, and
        # is then too long or too sparse; its own edges are the densest, so a higher limit
        # parts them (tuned pixel damage: 5 of 17 line blurs missed had no spot without it)
        found = _square_patches(energy > limit + SEPARATE * (float(energy.max()) - limit))
    found.sort(reverse=True)
    return [tuple(f[1:]) for f in found[:most]]  # type: ignore[misc]


def _square_patches(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """(area, x0, y0, x1, y1) in frame px of the mask's patches shaped like a code."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8))
    found = []
    for x, y, w, h, area in stats[1:n]:
        side_ok = min(w, h) * SCALE >= MIN_SIDE
        if side_ok and max(w, h) <= MAX_ASPECT * min(w, h) and area >= MIN_FILL * w * h:
            found.append((int(area), x * SCALE, y * SCALE, (x + w) * SCALE, (y + h) * SCALE))
    return found
