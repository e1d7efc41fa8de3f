"""Starting the window: choose the camera, open the lanes, install the reader filter."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk import first_run, messages
from kiosk.clock import local
from kiosk.errors import EnvironmentProblem
from kiosk.eventlog import EventLog
from kiosk.settings import Settings
from kiosk.storage import Store
from kiosk.storage.keys import device_state, note
from kiosk.storage.safekeeping import list_backups
from scanner.camera import CameraSource, CameraSpec, webcam_available
from scanner.serial_reader import SerialReader
from ui.devices import Devices
from ui.kiosk_window import KioskWindow
from ui.qt_texts import QtWords
from ui.wedge_filter import WedgeFilter


def choose_camera(setting: str, data_dir: Path) -> tuple[CameraSpec | None, bool]:
    """(spec, is_demo): 'auto' takes webcam 0, else the demo feed `kiosk demo` wrote."""
    if setting != "auto":
        return CameraSpec(setting), False
    if webcam_available(0):
        return CameraSpec("0"), False
    feed = data_dir / "demo" / "demo-feed.mp4"
    return (CameraSpec(str(feed)), True) if feed.is_file() else (None, False)


# Damage the operator must read about: the window still opens, and the sign-in screen says what
# happened and what to do (every job on the lane is refused with the same words).
SHOWN_AT_SIGN_IN = ("db_damaged", "db_lost", "db_key_missing")


def build_window(data_dir: Path, conf: Settings) -> KioskWindow:
    problem = None
    try:
        Store.open(data_dir / "kiosk.db").close()  # migrate once, before any lane opens the file
    except EnvironmentProblem as exc:
        if exc.code not in SHOWN_AT_SIGN_IN:
            raise
        problem = exc.code
    spec, is_demo = choose_camera(conf.camera, data_dir)
    camera = CameraSource(spec, conf.camera_width, conf.camera_height) if spec else None
    serial = SerialReader(conf.serial_port, conf.serial_baud) if conf.serial_port else None
    devices = Devices(camera, is_demo, serial, conf.scan_hold_seconds)
    window = KioskWindow(
        data_dir=data_dir,
        settings=conf,
        devices=devices,
        event_log=EventLog(data_dir / "logs" / "events.jsonl"),
    )
    devices.setParent(window)
    # Qt's own words (print dialog, standard buttons) in the window's language; gone with it
    QApplication.instance().installTranslator(QtWords(lambda: window.lang, window))
    if problem is not None:
        window.sign_in.message.say(lambda lang: messages.error_text(problem, lang))
    else:
        _tell_of_a_restore(window, data_dir)
        window.check_pairing()
        if first_run.needs_setup(data_dir):
            window.show_setup()
    return window


def _tell_of_a_restore(window: KioskWindow, data_dir: Path) -> None:
    """Once, at the first sign-in screen after `kiosk restore`."""
    state = device_state(data_dir)
    if state.get("restored_from") and not state.get("restore_told"):
        when = str(state.get("restored_at", ""))
        backup = next((b for b in list_backups(data_dir) if b.name == state["restored_from"]), None)
        if backup is not None:
            when = f"{local(backup.taken_at):%H:%M %d/%m/%Y}"
        window.sign_in.message.say(lambda lang: messages.text(messages.RESTORED, lang, when=when))
        note(data_dir, restore_told=True)


def install_wedge(window: KioskWindow, **kwargs: object) -> WedgeFilter:
    """The reader filter for the whole application; bursts go to the screen in front as scans
    only when it takes scans (the police and assistant screens take typing)."""
    wedge = WedgeFilter(
        parent=window,
        wants_scans=window.takes_reader_scans,
        typing_field=window.typing_field,
        **kwargs,  # type: ignore[arg-type]
    )
    wedge.scanned.connect(window.devices.wedge_scan)
    QApplication.instance().installEventFilter(wedge)
    window.wedge = wedge
    return wedge


def no_display(env: Mapping[str, str], platform: str) -> bool:
    """A Linux session with neither X11 nor Wayland, and no Qt platform chosen by hand."""
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return False
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def run_window(data_dir: Path, conf: Settings, fullscreen: bool = False) -> int:
    if no_display(os.environ, sys.platform):
        # Qt would abort the process with advice about libxcb-cursor0, which is not the problem
        raise EnvironmentProblem("no_display")
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window(data_dir, conf)
    install_wedge(window)
    window.fit_to_screen()
    window.enter_kiosk_mode() if fullscreen else window.show()
    window.start()
    code = app.exec()
    window.event_log.close()
    return code
