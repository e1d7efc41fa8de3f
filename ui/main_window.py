"""The medic's screen: camera preview, verdict, ID entry. It wires lanes to views; the core
decides everything."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMetaObject, Qt, QThread, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk import messages
from kiosk.checker import Checker, CheckResult
from kiosk.eventlog import EventLog
from kiosk.storage import Store
from scanner.camera import CameraSource
from scanner.dedup import RecentCodes
from scanner.frames import LatestFrame
from scanner.serial_reader import SerialReader
from ui.preview import PreviewWidget
from ui.verdict_panel import VerdictPanel
from ui.workers import (
    CaptureWorker,
    CheckLane,
    CheckRequest,
    DecodeWorker,
    SerialWorker,
    WorkerSupervisor,
)


class MainWindow(QMainWindow):
    request_check = Signal(object)  # CheckRequest, queued to the check lane

    def __init__(
        self,
        *,
        db_path: Path,
        make_checker: Callable[[Store], Checker],
        camera: CameraSource | None,
        camera_is_demo: bool,
        serial: SerialReader | None = None,
        role: str,
        lang: str,
        hold_seconds: float,
        event_log: EventLog,
    ) -> None:
        super().__init__()
        self.lang = lang
        self.role = role
        self.event_log = event_log
        self.camera_is_demo = camera_is_demo
        self.frames = LatestFrame()
        self.recent = RecentCodes(hold_seconds)
        self.scans_today = 0
        self._camera_state = "none" if camera is None else "starting"
        self._serial_state = "none" if serial is None else "starting"

        self.preview = PreviewWidget(self.frames)
        self.verdict = VerdictPanel(role, lang)
        self.id_label = QLabel()
        self.id_entry = QLineEdit()
        self.id_entry.setMaxLength(20)
        big = QFont()
        big.setPointSize(18)
        self.id_entry.setFont(big)
        self.check_button = QPushButton()
        self.check_button.setFont(big)
        self.language_button = QPushButton()
        self.counter = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._layout()

        self.supervisor = WorkerSupervisor(self)
        self.supervisor.restarted.connect(self._on_worker_restarted)
        self.capture: CaptureWorker | None = None
        self.decoder: DecodeWorker | None = None
        if camera is not None:
            self.capture = CaptureWorker(camera, self.frames, self)
            self.capture.status.connect(self._on_camera_status)
            self.decoder = DecodeWorker(self.frames, parent=self)
            self.decoder.decoded.connect(self._on_decoded)
            self.supervisor.watch("camera", self.capture)
            self.supervisor.watch("decoder", self.decoder)

        self.serial: SerialWorker | None = None
        if serial is not None:
            self.serial = SerialWorker(serial, self)
            self.serial.scanned.connect(lambda text: self.submit_scan(text, "serial"))
            self.serial.refused.connect(self._on_refused)
            self.serial.status.connect(self._on_serial_status)
            self.supervisor.watch("serial", self.serial)

        self.lane_thread = QThread(self)
        self.lane = CheckLane(db_path, make_checker)
        self.lane.moveToThread(self.lane_thread)
        self.request_check.connect(self.lane.submit)
        self.lane.finished.connect(self._on_result)
        self.lane.refused.connect(self._on_refused)
        self.lane.problem.connect(self._on_refused)
        self.lane.failed.connect(lambda trace: self._on_worker_restarted("check", trace))

        self.id_entry.returnPressed.connect(self._submit_typed)
        self.check_button.clicked.connect(self._submit_typed)
        self.language_button.clicked.connect(self._toggle_language)
        self.retranslate()

    def _layout(self) -> None:
        right = QVBoxLayout()
        right.addWidget(self.verdict, 1)
        right.addWidget(self.id_label)
        row = QHBoxLayout()
        row.addWidget(self.id_entry, 1)
        row.addWidget(self.check_button)
        right.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counter, 1)
        bottom.addWidget(self.language_button)
        right.addLayout(bottom)
        right.addWidget(self.status)
        body = QHBoxLayout()
        body.addWidget(self.preview, 3)
        side = QWidget()
        side.setLayout(right)
        side.setMinimumWidth(460)
        body.addWidget(side, 2)
        root = QWidget()
        root.setLayout(body)
        self.setCentralWidget(root)

    # --- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        self.lane_thread.start()
        for worker in self._device_workers():
            worker.start()

    def _device_workers(self) -> list[QThread]:
        return [w for w in (self.capture, self.decoder, self.serial) if w is not None]

    def shutdown(self) -> None:
        self.supervisor.stop()
        self.preview.stop()
        for worker in self._device_workers():
            worker.requestInterruption()
        self.frames.close()
        for worker in self._device_workers():
            worker.wait()
        if self.lane_thread.isRunning():
            QMetaObject.invokeMethod(self.lane, "close", Qt.ConnectionType.BlockingQueuedConnection)
            self.lane_thread.quit()
            self.lane_thread.wait()

    def closeEvent(self, event: object) -> None:  # Qt override
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]

    # --- inputs -------------------------------------------------------------------------
    def submit_scan(self, text: str, source: str) -> None:
        """A wedge reader's or camera's text: checked in the lane, shown when recorded."""
        self.request_check.emit(CheckRequest(text, source))

    def _submit_typed(self) -> None:
        text = self.id_entry.text().strip()
        if text:
            self.request_check.emit(CheckRequest(text, "typed", typed_id=True))

    def _on_decoded(self, _seq: int, codes: list) -> None:
        self.preview.set_codes(codes)
        now = time.monotonic()
        for code in codes:
            if not code.utf8:
                if self.recent.is_new(code.text, now):
                    self._on_refused("not_utf8")
                continue
            if self.recent.is_new(code.text, now):
                self.submit_scan(code.text, "camera")

    # --- results ------------------------------------------------------------------------
    def _on_result(self, result: CheckResult, scans_today: int) -> None:
        self.scans_today = scans_today
        self.verdict.show_result(result)
        if result.payload_kind == "typed_id":
            self.id_entry.clear()
        self.counter.setText(messages.ui_text("scans_today", self.lang, count=scans_today))
        self.event_log.write(
            "verdict",
            verdict=result.verdict.value,
            reason=result.reason,
            kind=result.payload_kind,
            event_id=result.event_id,
        )

    def _on_refused(self, code: str) -> None:
        self.verdict.show_error(code)
        self.event_log.write("refused", code=code)

    def _on_camera_status(self, state: str) -> None:
        self._camera_state = state
        self._render_status()
        self.event_log.write("camera", state=state)

    def _on_serial_status(self, state: str) -> None:
        self._serial_state = state
        self._render_status()
        self.event_log.write("serial_reader", state=state)

    def _on_worker_restarted(self, name: str, error: str) -> None:
        self.status.setText(
            messages.ui_text(
                "worker_restarted", self.lang, name=name, error=error.strip().splitlines()[-1]
            )
        )
        self.event_log.write("worker_died", worker=name, error=error)

    # --- language -----------------------------------------------------------------------
    def _toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.lang
        self.setWindowTitle(messages.ui_text("window_title", lang))
        self.id_label.setText(messages.ui_text("id_label", lang))
        self.id_entry.setPlaceholderText(messages.ui_text("id_placeholder", lang))
        self.check_button.setText(messages.ui_text("check_button", lang))
        self.language_button.setText(messages.ui_text("language", lang))
        self.counter.setText(messages.ui_text("scans_today", lang, count=self.scans_today))
        self.verdict.retranslate(lang)
        self._render_status()

    def _render_status(self) -> None:
        lang = self.lang
        state = self._camera_state
        if state == "none":
            text = messages.ui_text("camera_none", lang)
        elif state == "lost":
            text = messages.ui_text("camera_lost", lang)
        elif self.camera_is_demo:
            text = messages.ui_text("camera_demo", lang)
        else:
            name = self.capture.source.spec.name if self.capture else ""
            text = messages.ui_text("camera_live", lang, name=name)
        if self._serial_state == "lost":
            text += "\n" + messages.ui_text("serial_lost", lang)
        self.preview.set_message(text)
