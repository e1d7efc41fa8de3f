"""One small picture per kind of camera frame for docs/benchmarks.md, from the tuned part.

`python bench/frame_pictures.py docs/scanner-frames` writes <kind>.png (the frame at 320x180,
grey, as the decoder sees it) for every kind in bench/camera_frames.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2

from bench.camera_frames import frames


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/scanner-frames")
    folder.mkdir(parents=True, exist_ok=True)
    for f in frames(1, part="tuned"):
        small = cv2.resize(f.image[..., 0], (320, 180), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(folder / f"{f.category}.png"), small, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
