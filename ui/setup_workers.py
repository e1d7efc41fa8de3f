"""The setup wizard's and the supervisor's work off the GUI thread: pairing (network), and a
camera test (OpenCV through scanner/camera.py). Each is one job on its own QThread, ending in
exactly one signal; nothing it meets is raised into Qt."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from kiosk.errors import EnvironmentProblem
from scanner.camera import CameraSource, CameraSpec, webcam_available
from scanner.sample_feed import write_sample_feed

log = logging.getLogger(__name__)
FIRST_FRAME_SECONDS = 3.0  # a webcam's first frame can take a second or two after opening


class PairWorker(QThread):
    """Pairs with its own Store (sync.pairing.pair_from_window), as SyncWorker syncs with one."""

    paired = Signal(str, str)  # kiosk id, server host
    failed = Signal(str, object)  # a kiosk.first_run.PAIRING_PROBLEMS key (or disk_full...), params

    def __init__(
        self, db_path: Path, url: str, code: str, checkpoint_id: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db_path, self.url, self.code, self.checkpoint_id = db_path, url, code, checkpoint_id

    def run(self) -> None:
        from kiosk.first_run import host_of, server_url
        from kiosk.storage import Store
        from sync.pairing import pair_from_window
        from sync.protocol import SyncError

        server = host_of(server_url(self.url))
        store = None
        try:
            store = Store.open(self.db_path)
            kiosk_id = pair_from_window(store, self.url, self.code, self.checkpoint_id)
        except SyncError as exc:
            self.failed.emit(exc.code, {"server": server})
        except EnvironmentProblem as exc:
            self.failed.emit(exc.code, {})
        except Exception as exc:  # a bug: said, and logged without the code or the credential
            log.warning("pairing failed: %s", type(exc).__name__)
            self.failed.emit("pairing_failed", {"reason": type(exc).__name__})
        else:
            self.paired.emit(kiosk_id, server)
        finally:
            if store is not None:
                store.close()


class CameraProbe(QThread):
    """Opens a camera through scanner/camera.py and reads its first frame: `frame` with it, or
    `nothing` when there is no such camera or it gives no picture. With `write_feed`, first
    writes the sample feed to that path (the wizard's "use the demo video")."""

    frame = Signal(object)  # np.ndarray (BGR)
    nothing = Signal()

    def __init__(
        self, spec: CameraSpec, write_feed: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.write_feed = write_feed

    def run(self) -> None:
        got: np.ndarray | None = None
        try:
            if self.write_feed is not None and not self.write_feed.is_file():
                write_sample_feed(self.write_feed)
            source = CameraSource(self.spec, paced=False)
            # webcam_available first: OpenCV's own warnings about a missing device stay quiet
            index = self.spec.index
            if (index is None or webcam_available(index)) and source.open():
                try:
                    deadline = time.monotonic() + FIRST_FRAME_SECONDS
                    while got is None and time.monotonic() < deadline:
                        if self.isInterruptionRequested():
                            break
                        got = source.read()
                finally:
                    source.close()
        except (OSError, ValueError) as exc:  # a feed that cannot be written, a broken device
            log.warning("camera test: %s", type(exc).__name__)
        if got is None:
            self.nothing.emit()
        else:
            self.frame.emit(got)
