"""Starting the window: choose the camera, open the lanes, install the reader filter."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.checker import Checker
from kiosk.eventlog import EventLog
from kiosk.settings import Settings
from kiosk.storage import Store
from scanner.camera import CameraSource, CameraSpec, webcam_available
from scanner.serial_reader import SerialReader
from ui.main_window import MainWindow
from ui.wedge_filter import WedgeFilter


def choose_camera(setting: str, data_dir: Path) -> tuple[CameraSpec | None, bool]:
    """(spec, is_demo): 'auto' takes webcam 0, else the demo feed `kiosk demo` wrote."""
    if setting != "auto":
        return CameraSpec(setting), False
    if webcam_available(0):
        return CameraSpec("0"), False
    feed = data_dir / "demo" / "demo-feed.mp4"
    return (CameraSpec(str(feed)), True) if feed.is_file() else (None, False)


def build_window(data_dir: Path, conf: Settings) -> MainWindow:
    db_path = data_dir / "kiosk.db"
    store = Store.open(db_path)  # migrate once here, before any lane opens the file
    try:
        role = store.operator_role(conf.operator_id) or "medic"
    finally:
        store.close()
    spec, is_demo = choose_camera(conf.camera, data_dir)
    camera = CameraSource(spec, conf.camera_width, conf.camera_height) if spec else None

    def make_checker(s: Store) -> Checker:
        return Checker(s, checkpoint_id=conf.checkpoint_id, operator_id=conf.operator_id)

    return MainWindow(
        db_path=db_path,
        make_checker=make_checker,
        camera=camera,
        camera_is_demo=is_demo,
        serial=SerialReader(conf.serial_port, conf.serial_baud) if conf.serial_port else None,
        role=role,
        lang=conf.language,
        hold_seconds=conf.scan_hold_seconds,
        event_log=EventLog(data_dir / "logs" / "events.jsonl"),
    )


def run_window(data_dir: Path, conf: Settings, fullscreen: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window(data_dir, conf)
    wedge = WedgeFilter(parent=window)
    wedge.scanned.connect(lambda text: window.submit_scan(text, "wedge"))
    app.installEventFilter(wedge)
    window.resize(1280, 760)
    window.showFullScreen() if fullscreen else window.show()
    window.start()
    code = app.exec()
    window.event_log.close()
    return code
