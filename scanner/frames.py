"""A one-slot frame buffer: capture overwrites it, the decoder takes the newest frame.

Stale frames are dropped by construction, so a slow decode never builds a queue of old images.
"""

from __future__ import annotations

import threading

import numpy as np


class LatestFrame:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: np.ndarray | None = None
        self._seq = 0
        self._closed = False

    def put(self, frame: np.ndarray) -> None:
        with self._cond:
            self._frame = frame
            self._seq += 1
            self._cond.notify_all()

    def peek(self) -> tuple[int, np.ndarray | None]:
        with self._cond:
            return self._seq, self._frame

    def wait_newer(self, seen: int, timeout: float) -> tuple[int, np.ndarray | None]:
        """The newest frame after sequence number `seen`, or (seen, None) on time-out or close."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq > seen or self._closed, timeout)
            if self._seq > seen and not self._closed:
                return self._seq, self._frame
            return seen, None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
