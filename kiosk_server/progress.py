"""A progress line for `kiosk-server import` and `export`: rows done of the total and rows a
second, rewritten in place on standard error when it is a terminal; nothing otherwise, so a
script or a pipe reads only the command's own output."""

from __future__ import annotations

import sys
import time
from typing import TextIO

EVERY = 0.2  # seconds between two redraws: a fast import is not slowed by its own progress


class Progress:
    def __init__(self, label: str, total: int | None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.shown = self.stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.done = 0

    def __call__(self, done: int) -> None:
        self.done = done
        at = time.monotonic()
        if self.shown and at - self.last >= EVERY:
            self.last = at
            self._draw(at)

    def finish(self) -> None:
        if self.shown:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def line(self, at: float) -> str:
        rate = self.done / max(at - self.started, 1e-6)
        if self.total:
            share = min(100, self.done * 100 // self.total)
            count = f"{self.done:,} / {self.total:,} rows ({share}%)"
        else:
            count = f"{self.done:,} rows"
        return f"{self.label}: {count}, {rate:,.0f} rows/s"

    def _draw(self, at: float) -> None:
        self.stream.write("\r" + self.line(at) + "\x1b[K")  # erase what a longer line left
        self.stream.flush()


class Phases:
    """One progress line a phase ("checked", then "written"), each ended when the next begins:
    the callback `import_csv` takes."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream
        self.current: tuple[str, Progress] | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.current is None or self.current[0] != phase:
            self.finish()
            self.current = (phase, Progress(f"{self.label}: {phase}", total, self.stream))
        self.current[1](done)

    def finish(self) -> None:
        if self.current is not None:
            self.current[1].finish()
            self.current = None
