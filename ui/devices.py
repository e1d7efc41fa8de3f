"""Everything that produces scans: camera (capture + decode lanes), serial reader, wedge reader.

One object owns the device lanes and tells the window what they do; the window routes each scan
to the screen in front.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from scanner.camera import CameraSource, CameraSpec
from scanner.dedup import RecentCodes
from scanner.demo_feed import feed_for
from scanner.frames import LatestFrame
from scanner.serial_reader import SerialReader
from ui.preview import NO_PICTURE
from ui.workers import CaptureWorker, DecodeWorker, SerialWorker, WorkerSupervisor

# after the demo feed changes, codes decoded from a frame of the old feed still in the decoder
# are dropped (each feed begins with a second of empty desk, so nothing of the new one is lost)
FEED_SWITCH_QUIET_S = 0.5


class Devices(QObject):
    scanned = Signal(str, str)  # text, source: camera, serial, wedge
    # a code that is no text at all: error code for the verdict panel, source (camera, serial);
    # the camera's waits behind a held verdict as its readable codes do (ui.kiosk_window)
    refused = Signal(str, str)
    codes = Signal(object)  # list[Code] of the newest decoded frame, for outlines
    # why the camera's frames are not read ("glare"), "" when that ends, NO_PICTURE while a
    # camera that was live is lost
    trouble = Signal(str)
    state_changed = Signal()
    worker_restarted = Signal(str, str)  # lane name, error

    def __init__(
        self,
        camera: CameraSource | None,
        camera_is_demo: bool,
        serial: SerialReader | None,
        hold_seconds: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.frames = LatestFrame()
        self.recent = RecentCodes(hold_seconds)
        self.camera_is_demo = camera_is_demo
        self.demo_feed: Path | None = None
        self._quiet_until = 0.0
        self.accepting = False  # no scans while nobody is signed in
        self.camera_state = "none" if camera is None else "starting"
        self.serial_state = "none" if serial is None else "starting"
        # the decoder reports trouble only when it starts or ends: kept here, where its reports
        # arrive, for a preview made while it lasts (follow_trouble)
        self.trouble_now = ""
        self._trouble_at = 0.0
        # the decoder's last report: it reports a change only, so a reflection that outlasted
        # a lost camera is told again when the camera is back
        self._decoder_trouble = ""
        self.supervisor = WorkerSupervisor(self)
        self.supervisor.restarted.connect(self.worker_restarted)
        self.capture: CaptureWorker | None = None
        self.decoder: DecodeWorker | None = None
        self.serial: SerialWorker | None = None
        if camera is not None:
            self._attach_camera(camera)
        if serial is not None:
            self.serial = SerialWorker(serial, self)
            self.serial.scanned.connect(self._serial_scan)
            self.serial.refused.connect(self._serial_refusal)
            self.serial.status.connect(self._on_serial)
            self.supervisor.watch("serial", self.serial)

    def _attach_camera(self, camera: CameraSource) -> None:
        self.capture = CaptureWorker(camera, self.frames, self)
        self.capture.status.connect(self._on_camera)
        self.decoder = DecodeWorker(self.frames, parent=self)
        self.decoder.decoded.connect(self._on_decoded)
        self.decoder.trouble.connect(self._on_trouble)
        self.supervisor.watch("camera", self.capture)
        self.supervisor.watch("decoder", self.decoder)

    def use_camera(self, camera: CameraSource, is_demo: bool) -> bool:
        """A camera chosen while the window runs (the setup wizard's demo feed on a kiosk that
        started without one); False when there is one already: that one stays."""
        if self.capture is not None:
            return False
        self._attach_camera(camera)
        self.camera_is_demo = is_demo
        self.camera_state = "starting"
        assert self.capture is not None and self.decoder is not None
        self.capture.start()
        self.decoder.start()
        self.state_changed.emit()
        return True

    @property
    def demo_dir(self) -> Path | None:
        """The demo's folder: each screen plays its own feed from there (scanner/demo_feed.py)."""
        if not self.camera_is_demo or self.capture is None:
            return None
        return Path(self.capture.source.spec.value).parent

    @property
    def camera_name(self) -> str:
        return self.capture.source.spec.name if self.capture else ""

    def workers(self) -> list[QThread]:
        return [w for w in (self.capture, self.decoder, self.serial) if w is not None]

    def start(self) -> None:
        for worker in self.workers():
            worker.start()

    def stop(self) -> None:
        self.supervisor.stop()
        for worker in self.workers():
            worker.requestInterruption()
        self.frames.close()
        for worker in self.workers():
            worker.wait()

    def set_accepting(self, on: bool) -> None:
        """Scans start counting when an operator signs in; one held up before is new then."""
        self.accepting = on
        self.recent = RecentCodes(self.recent.hold_seconds)

    def show_screen(self, screen: str | None) -> None:
        """The demo camera plays the codes of the screen in front (None: the sign-in screen);
        a real camera, or a video file given by hand, plays on."""
        if self.demo_dir is None or self.capture is None:
            return
        feed = feed_for(self.demo_dir, screen)
        if feed is None or feed == self.demo_feed:
            return
        self.demo_feed = feed
        self.capture.source.switch(CameraSpec(str(feed)))
        self.recent = RecentCodes(self.recent.hold_seconds)
        self._quiet_until = time.monotonic() + FEED_SWITCH_QUIET_S

    def wedge_scan(self, text: str) -> None:
        if self.accepting:
            self.scanned.emit(text, "wedge")

    def _on_decoded(self, _seq: int, codes: list) -> None:
        now = time.monotonic()
        if now < self._quiet_until:
            return  # a frame of the feed played before the switch
        self.codes.emit(codes)
        if not self.accepting:
            return
        for code in codes:
            if not self.recent.is_new(code.text, now):
                continue  # the same code still in view: one scan
            if code.utf8:
                self.scanned.emit(code.text, "camera")
            else:
                self.refused.emit("not_utf8", "camera")

    def _on_trouble(self, trouble: str) -> None:
        self._decoder_trouble = trouble
        self._tell_trouble(trouble)

    def _tell_trouble(self, trouble: str) -> None:
        self.trouble_now, self._trouble_at = trouble, time.monotonic()
        self.trouble.emit(trouble)

    def follow_trouble(self, take: Callable[[str, float], None]) -> None:
        """Gives `take` (a preview's set_trouble) each trouble report from now on, and the
        trouble there is now with how long it has lasted: a reflection that began before the
        preview was made and stays is never reported again."""
        self.trouble.connect(take)
        if self.trouble_now:
            take(self.trouble_now, time.monotonic() - self._trouble_at)

    def _serial_scan(self, text: str) -> None:
        if self.accepting:
            self.scanned.emit(text, "serial")

    def _serial_refusal(self, code: str) -> None:
        self.refused.emit(code, "serial")

    def _on_camera(self, state: str) -> None:
        was, self.camera_state = self.camera_state, state
        if was == "live" and state == "lost":
            # the picture froze: a tilt hint over it would be about a phone no one sees
            self._tell_trouble(NO_PICTURE)
        elif was != "live" and state == "live" and self.trouble_now == NO_PICTURE:
            self._tell_trouble(self._decoder_trouble)
        self.state_changed.emit()

    def _on_serial(self, state: str) -> None:
        self.serial_state = state
        self.state_changed.emit()
