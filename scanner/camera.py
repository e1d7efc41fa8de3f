"""Frame sources on OpenCV's capture path: a webcam by index, or a video file played in real time.

A webcam that stops delivering frames is released and reopened by the capture loop, so an
unplugged camera comes back without a restart. A video file loops, paced to its own frame rate,
so the demo feed and tests go through exactly the path a webcam does.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np


@dataclass(frozen=True)
class CameraSpec:
    """'0', '1'… is a webcam index; anything else is a video file path."""

    value: str

    @property
    def index(self) -> int | None:
        return int(self.value) if self.value.isdigit() else None

    @property
    def name(self) -> str:
        return f"webcam {self.value}" if self.index is not None else Path(self.value).name


class CameraSource:
    def __init__(
        self, spec: CameraSpec, width: int = 1280, height: int = 720, paced: bool = True
    ) -> None:
        self.spec = spec
        # a benchmark reads a file as fast as it can and keeps the video's clock itself
        self.paced = paced
        self.width = width
        self.height = height
        self._cap: cv2.VideoCapture | None = None
        self._frame_interval = 0.0
        self._next_due = 0.0
        self._lock = threading.Lock()
        self._wanted: CameraSpec | None = None

    @property
    def is_file(self) -> bool:
        return self.spec.index is None

    def open(self) -> bool:
        self.close()
        if self.is_file:
            if not Path(self.spec.value).is_file():
                return False
            cap = cv2.VideoCapture(self.spec.value)
        else:
            cap = cv2.VideoCapture(self.spec.index)  # type: ignore[arg-type]
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        if not cap.isOpened():
            cap.release()
            return False
        fps = cap.get(cv2.CAP_PROP_FPS) if self.is_file else 0.0
        self._frame_interval = 1.0 / fps if fps and fps > 0 else 0.0
        self._next_due = time.monotonic()
        self._cap = cap
        return True

    def switch(self, spec: CameraSpec) -> None:
        """Plays `spec` from the next read on (the demo feed of the screen in front). Any
        thread may call it; the capture thread opens the new source in its own read."""
        with self._lock:
            self._wanted = spec

    def read(self) -> np.ndarray | None:
        """The next frame, or None when the device stopped delivering (caller reopens)."""
        with self._lock:
            wanted, self._wanted = self._wanted, None
        if wanted is not None and wanted != self.spec:
            self.spec = wanted
            if not self.open():
                return None
        if self._cap is None:
            return None
        if self._frame_interval and self.paced:
            delay = self._next_due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._next_due = max(self._next_due + self._frame_interval, time.monotonic() - 1)
        ok, frame = self._cap.read()
        if not ok and self.is_file:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)  # loop the file
            ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def webcam_available(index: int = 0) -> bool:
    # Probing a machine without a webcam makes OpenCV print warnings an operator cannot act on.
    previous = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    cap = cv2.VideoCapture(index)
    try:
        return bool(cap.isOpened())
    finally:
        cap.release()
        cv2.utils.logging.setLogLevel(previous)
