"""One small picture per kind of camera frame for docs/benchmarks.md, from the tuned part.

`python bench/frame_pictures.py docs/scanner-frames` writes <kind>.png (the frame at 320x180,
grey, as the decoder sees it) for every kind in bench/camera_frames.py; and, for the kinds whose
damage a reduced picture hides (noise, a few pixels of blur), <kind>_detail.png: the code's
neighbourhood at full size, in colour, as the webcam sends it. Then pixel_<kind>.png for each
kind of bench/pixel_damage.py: the code's neighbourhood at full size.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from bench import pixel_damage
from bench.camera_frames import frames
from scanner.locate import busy_patches

DETAIL = ("defocus", "low_light", "mix_defocus_dark", "screen_glare")


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/scanner-frames")
    folder.mkdir(parents=True, exist_ok=True)
    for f in frames(1, part="tuned"):
        grey = cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY)  # as the decoder sees a colour frame
        small = cv2.resize(grey, (320, 180), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(folder / f"{f.category}.png"), small, [cv2.IMWRITE_PNG_COMPRESSION, 9])
        if f.category in DETAIL:
            path = folder / f"{f.category}_detail.png"
            cv2.imwrite(str(path), _around_code(f.image), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    shown: set[str] = set()
    for kind, frame, _ in pixel_damage.damaged("tuned", 1):
        if kind not in shown:
            shown.add(kind)
            path = folder / f"pixel_{kind}.png"
            cv2.imwrite(str(path), _around_code(frame), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return 0


def _around_code(image: np.ndarray) -> np.ndarray:
    """400x300 px of the frame at full size, around its busiest patch (the code)."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    spots = busy_patches(grey, 1)
    x0, y0, x1, y1 = spots[0] if spots else (480, 200, 800, 520)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    left = min(max(cx - 200, 0), image.shape[1] - 400)
    top = min(max(cy - 150, 0), image.shape[0] - 300)
    return image[top : top + 300, left : left + 400]


if __name__ == "__main__":
    raise SystemExit(main())
