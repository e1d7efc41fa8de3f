"""Device lanes: capture, decoding and the serial reader, each a QThread (the database lane is
in ui/lanes.py). Results reach the GUI thread as queued signals; a lane that dies says why
(`died`) and its WorkerSupervisor starts it again after a pause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal

from scanner.camera import CameraSource
from scanner.decoders import Code
from scanner.frames import LatestFrame
from scanner.pipeline import ScanPipeline
from scanner.serial_reader import SerialReader

RESTART_DELAY_MS = 1000


class DeviceWorker(QThread):
    """A device that comes and goes: open it, read it until it fails, reopen it, say which.

    Subclasses give open_device(), read_once() (False when the device stopped delivering) and
    close_device(); the loop, the status and the death report are shared.
    """

    status = Signal(str)  # 'live', 'lost'
    died = Signal(str)

    def open_device(self) -> bool:
        raise NotImplementedError

    def read_once(self) -> bool:
        raise NotImplementedError

    def close_device(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        try:
            live = False
            while not self.isInterruptionRequested():
                if not live:
                    live = self.open_device()
                    self.status.emit("live" if live else "lost")
                    if not live:
                        self._pause(1.0)
                        continue
                if not self.read_once():
                    live = False
                    self.close_device()
        except Exception as exc:  # reported to the operator and restarted
            self.died.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.close_device()

    def _pause(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.isInterruptionRequested():
            time.sleep(0.05)


class CaptureWorker(DeviceWorker):
    """Reads the camera into the one-slot buffer; reopens a camera that stops delivering."""

    def __init__(self, source: CameraSource, frames: LatestFrame, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.frames = frames

    def open_device(self) -> bool:
        return self.source.open()

    def read_once(self) -> bool:
        frame = self.source.read()
        if frame is None:
            return False
        self.frames.put(frame)
        return True

    def close_device(self) -> None:
        self.source.close()


class DecodeWorker(QThread):
    """Decodes the newest frame, never a stale one; emits (frame sequence, codes), and why
    frames are not read (ScanPipeline.trouble) whenever that changes."""

    decoded = Signal(int, object)  # list[scanner.decoders.Code]
    trouble = Signal(str)  # "" or "glare"
    died = Signal(str)

    def __init__(
        self,
        frames: LatestFrame,
        decode: Callable[[np.ndarray], list[Code]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.frames = frames
        # one pipeline for the stream: it remembers where the last code was; a bare decode
        # function given instead (tests) has no trouble to tell
        self.pipeline: ScanPipeline | None = None
        if decode is None:
            self.pipeline = ScanPipeline()
            decode = self.pipeline.decode
        self.decode = decode
        self._trouble = ""

    def run(self) -> None:
        seen = 0
        try:
            while not self.isInterruptionRequested():
                seq, frame = self.frames.wait_newer(seen, timeout=0.2)
                if frame is None:
                    continue
                seen = seq
                self.decoded.emit(seq, self.decode(frame))
                if self.pipeline is not None and self.pipeline.trouble != self._trouble:
                    self._trouble = self.pipeline.trouble
                    self.trouble.emit(self._trouble)
        except Exception as exc:  # reported to the operator and restarted
            self.died.emit(f"{type(exc).__name__}: {exc}")


class SerialWorker(DeviceWorker):
    """Reads a serial (USB-CDC) QR reader; reopens it when it is unplugged and plugged back."""

    scanned = Signal(str)
    refused = Signal(str)  # bytes that were not UTF-8: not a checkpoint code

    def __init__(self, reader: SerialReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader

    def open_device(self) -> bool:
        return self.reader.open()

    def read_once(self) -> bool:
        try:
            scans = self.reader.read_scans()
        except OSError:
            return False
        for scan in scans:
            if scan.text is None:
                self.refused.emit("not_utf8")
            else:
                self.scanned.emit(scan.text)
        return True

    def close_device(self) -> None:
        self.reader.close()


class WorkerSupervisor(QObject):
    """Restarts a QThread worker that died, after a pause, and says so."""

    restarted = Signal(str, str)  # worker name, error

    def __init__(self, parent: QObject | None = None, delay_ms: int = RESTART_DELAY_MS) -> None:
        super().__init__(parent)
        self.delay_ms = delay_ms
        self._stopping = False
        self._timers: list[QTimer] = []  # pending restarts, stopped with the supervisor

    def watch(self, name: str, worker: QThread) -> None:
        worker.died.connect(lambda error: self._on_died(name, worker, error))  # type: ignore[attr-defined]

    def _on_died(self, name: str, worker: QThread, error: str) -> None:
        self.restarted.emit(name, error)
        if self._stopping:
            return
        timer = QTimer(self)
        timer.setSingleShot(True)

        def restart() -> None:
            self._timers.remove(timer)
            timer.deleteLater()
            if self._stopping:
                return
            worker.wait()
            worker.start()

        timer.timeout.connect(restart)
        self._timers.append(timer)
        timer.start(self.delay_ms)

    def stop(self) -> None:
        self._stopping = True
        for timer in self._timers:
            timer.stop()
        self._timers.clear()


class SyncWorker(QThread):
    """Runs sync cycles with their own Store: pages are short transactions, so a long first
    sync never holds the checks' lane; the SQLite busy timeout orders the two writers."""

    status = Signal(object)  # sync.loop.SyncStatus
    died = Signal(str)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self._wake = threading.Event()

    def sync_now(self) -> None:
        self._wake.set()

    def run(self) -> None:
        from kiosk.storage import Store
        from sync.loop import SyncLoop

        store = None
        try:
            store = Store.open(self.db_path)  # inside the try: a locked file is reported too
            loop = SyncLoop(store, keep_days=_retention_days(self.db_path.parent))
            while not self.isInterruptionRequested():
                status = loop.step(should_stop=self.isInterruptionRequested)
                self.status.emit(status)
                self._wake.clear()
                deadline = time.monotonic() + status.next_try_in
                while time.monotonic() < deadline and not self.isInterruptionRequested():
                    if self._wake.wait(0.2):
                        break
        except Exception as exc:  # reported to the operator and restarted
            self.died.emit(f"{type(exc).__name__}: {exc}")
        finally:
            if store is not None:
                store.close()


def _retention_days(data_dir: Path) -> int:
    from kiosk import settings

    try:
        return settings.load(data_dir).retention_days
    except settings.SettingsError:  # the window already said so at start; keep the default
        return settings.Settings().retention_days
