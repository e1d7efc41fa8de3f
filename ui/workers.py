"""Background lanes: capture, decoding, and the one lane that writes to SQLite.

Each lane is a QThread; each result or error reaches the GUI thread as a queued signal. A lane
that dies reports why (`died`) and its WorkerSupervisor starts it again after a pause.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from kiosk.checker import Checker, CheckResult
from kiosk.errors import EnvironmentProblem, InputError
from kiosk.storage import Store
from scanner.camera import CameraSource
from scanner.decoders import Code
from scanner.frames import LatestFrame
from scanner.pipeline import ScanPipeline
from scanner.serial_reader import SerialReader

RESTART_DELAY_MS = 1000


class CaptureWorker(QThread):
    """Reads the camera into the one-slot buffer; reopens a camera that stops delivering."""

    status = Signal(str)  # 'live', 'lost'
    died = Signal(str)

    def __init__(self, source: CameraSource, frames: LatestFrame, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.frames = frames

    def run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # reported to the operator and restarted
            self.died.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.source.close()

    def _loop(self) -> None:
        live = False
        while not self.isInterruptionRequested():
            if not live:
                live = self.source.open()
                self.status.emit("live" if live else "lost")
                if not live:
                    self._pause(1.0)
                    continue
            frame = self.source.read()
            if frame is None:
                live = False
                self.source.close()
                continue
            self.frames.put(frame)

    def _pause(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.isInterruptionRequested():
            time.sleep(0.05)


class DecodeWorker(QThread):
    """Decodes the newest frame, never a stale one; emits (frame sequence, codes)."""

    decoded = Signal(int, object)  # list[scanner.decoders.Code]
    died = Signal(str)

    def __init__(
        self,
        frames: LatestFrame,
        decode: Callable[[np.ndarray], list[Code]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.frames = frames
        # one pipeline for the stream: it remembers where the last code was
        self.decode = decode or ScanPipeline().decode

    def run(self) -> None:
        seen = 0
        try:
            while not self.isInterruptionRequested():
                seq, frame = self.frames.wait_newer(seen, timeout=0.2)
                if frame is None:
                    continue
                seen = seq
                self.decoded.emit(seq, self.decode(frame))
        except Exception as exc:  # reported to the operator and restarted
            self.died.emit(f"{type(exc).__name__}: {exc}")


class SerialWorker(QThread):
    """Reads a serial (USB-CDC) QR reader; reopens it when it is unplugged and plugged back."""

    scanned = Signal(str)
    refused = Signal(str)  # bytes that were not UTF-8: not a checkpoint code
    status = Signal(str)  # 'live', 'lost'
    died = Signal(str)

    def __init__(self, reader: SerialReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader

    def run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # reported to the operator and restarted
            self.died.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.reader.close()

    def _loop(self) -> None:
        live = False
        while not self.isInterruptionRequested():
            if not live:
                live = self.reader.open()
                self.status.emit("live" if live else "lost")
                if not live:
                    self.msleep(1000)
                    continue
            try:
                scans = self.reader.read_scans()
            except OSError:
                live = False
                continue
            for scan in scans:
                if scan.text is None:
                    self.refused.emit("not_utf8")
                else:
                    self.scanned.emit(scan.text)


@dataclass(frozen=True)
class CheckRequest:
    text: str
    source: str  # camera, wedge, typed
    typed_id: bool = False


class CheckLane(QObject):
    """The only writer of the SQLite file in the window: one request at a time, in order."""

    finished = Signal(object, int)  # CheckResult, scans today
    refused = Signal(str)  # an InputError code: nothing was recorded
    problem = Signal(str)  # an EnvironmentProblem code: nothing was recorded
    failed = Signal(str)  # our own bug: reported, and the lane keeps serving

    def __init__(self, db_path: Path, make_checker: Callable[[Store], Checker]) -> None:
        super().__init__()
        self.db_path = db_path
        self.make_checker = make_checker
        self._store: Store | None = None
        self._checker: Checker | None = None

    @Slot(object)
    def submit(self, request: CheckRequest) -> None:
        try:
            checker = self._ensure_checker()
            if request.typed_id:
                result = checker.check_id(request.text, request.source)
            else:
                result = checker.check_payload(request.text, request.source)
            self.finished.emit(result, self._scans_today(result))
        except InputError as exc:
            self.refused.emit(exc.code)
        except EnvironmentProblem as exc:
            self.problem.emit(exc.code)
        except Exception:  # a bug: keep the lane alive, report the trace
            self.failed.emit(traceback.format_exc(limit=3))

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _ensure_checker(self) -> Checker:
        if self._checker is None:
            self._store = Store.open(self.db_path)
            self._checker = self.make_checker(self._store)
        return self._checker

    def _scans_today(self, result: CheckResult) -> int:
        assert self._store is not None
        local = result.checked_at.astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return self._store.scans_since(midnight.astimezone(UTC))


class WorkerSupervisor(QObject):
    """Restarts a QThread worker that died, after a pause, and says so."""

    restarted = Signal(str, str)  # worker name, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stopping = False

    def watch(self, name: str, worker: QThread) -> None:
        worker.died.connect(lambda error: self._on_died(name, worker, error))  # type: ignore[attr-defined]

    def _on_died(self, name: str, worker: QThread, error: str) -> None:
        self.restarted.emit(name, error)

        def restart() -> None:
            if self._stopping:
                return
            worker.wait()
            worker.start()

        QTimer.singleShot(RESTART_DELAY_MS, restart)

    def stop(self) -> None:
        self._stopping = True
