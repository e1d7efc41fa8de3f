"""The demo camera feed: a video of the demo QR codes as a phone would show them to a webcam.

Each code drifts a little while in view (a hand is never still) and is separated from the next
by empty frames, so the feed also exercises "one code in view for seconds is one scan".

`kiosk demo` writes one feed per screen that takes codes (the medic's identity codes, the market
gate's cards) and an idle one (an empty desk) for the others; the window plays the feed of the
screen in front (feed_for), through the same OpenCV capture path a webcam takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

FPS = 15
SIZE = (1280, 720)
# the feed each screen plays (file names in DATA_DIR/demo/); any other screen plays IDLE_FEED
SCREEN_FEEDS = {"medic": "demo-feed.mp4", "market": "demo-feed-market.mp4"}
IDLE_FEED = "demo-feed-idle.mp4"


def _scene(code: np.ndarray, caption: str, offset: tuple[int, int]) -> np.ndarray:
    w, h = SIZE
    frame = np.full((h, w, 3), (70, 78, 84), np.uint8)  # a grey desk
    side = 420
    phone = np.full((side + 120, side + 40, 3), 250, np.uint8)
    qr = cv2.resize(code, (side, side), interpolation=cv2.INTER_NEAREST)
    if qr.ndim == 2:
        qr = cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR)
    phone[60 : 60 + side, 20 : 20 + side] = qr
    x = (w - phone.shape[1]) // 2 + offset[0]
    y = (h - phone.shape[0]) // 2 + offset[1]
    cv2.rectangle(
        frame,
        (x - 14, y - 14),
        (x + phone.shape[1] + 14, y + phone.shape[0] + 14),
        (25, 25, 25),
        -1,
    )
    frame[y : y + phone.shape[0], x : x + phone.shape[1]] = phone
    cv2.putText(frame, caption, (40, h - 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (230, 230, 230), 2)
    return frame


def write_demo_feed(
    codes: Sequence[tuple[np.ndarray, str]],
    path: Path,
    seconds_each: float = 3.0,
    gap_seconds: float = 1.0,
    lead_seconds: float = 0.0,
) -> Path:
    """Writes the video (.mp4: MPEG-4 part 2, 5x smaller; .avi: MJPG) and returns its path.
    `lead_seconds` of empty desk come first: a feed switched to mid-scan starts with no code."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fourcc = "mp4v" if path.suffix.lower() == ".mp4" else "MJPG"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), FPS, SIZE)
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    empty = _scene(np.full((10, 10), 250, np.uint8), "", (0, 0))
    try:
        for _ in range(int(lead_seconds * FPS)):
            writer.write(empty)
        for code, caption in codes:
            shown = int(seconds_each * FPS)
            for i in range(shown):
                drift = (int(12 * np.sin(i / 6)), int(8 * np.cos(i / 7)))
                writer.write(_scene(code, caption, drift))
            for _ in range(int(gap_seconds * FPS)):
                writer.write(empty)
    finally:
        writer.release()
    return path


def write_idle_feed(path: Path, seconds: float = 1.0) -> Path:
    """An empty desk: what the camera shows in front of a screen that takes no codes."""
    return write_demo_feed([], path, gap_seconds=0.0, lead_seconds=seconds)


def feed_for(demo_dir: Path, screen: str | None) -> Path | None:
    """The demo feed to play in front of `screen` (None: nobody signed in), or None when
    `kiosk demo` did not write it (an older demo directory: the feed playing stays)."""
    path = demo_dir / SCREEN_FEEDS.get(screen or "", IDLE_FEED)
    return path if path.is_file() else None
