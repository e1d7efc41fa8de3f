from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app.demo import qr_matrix, seed
from kiosk.app.demo_roles import OPERATORS
from kiosk.settings import Settings
from kiosk.storage import Store
from scanner.demo_feed import write_demo_feed
from tests.sync.conftest import db_url, server  # noqa: F401 - the sync tests' real server
from ui.app import build_window
from ui.kiosk_window import KioskWindow


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "kiosk.db")
    seed(store, tmp_path, write_feed=False)
    store.close()
    return tmp_path


def type_text(widget, text: str) -> None:
    """Types text as a keyboard would, Vietnamese letters included (QTest only knows ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        key = ord(ch.upper()) if ch.isascii() else int(Qt.Key.Key_unknown)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     ch))


PINS = {o.id: o.pin for o in OPERATORS}


def sign_in(qtbot, window: KioskWindow, operator_id: str, pin: str | None = None) -> None:
    """Signs in through the sign-in screen, as an operator would."""
    screen = window.sign_in
    qtbot.waitUntil(lambda: screen.operator.findData(operator_id) >= 0, timeout=10_000)
    screen.operator.setCurrentIndex(screen.operator.findData(operator_id))
    qtbot.keyClicks(screen.pin, pin if pin is not None else PINS[operator_id])
    screen.button.click()


@pytest.fixture
def make_window(qtbot, demo_dir: Path) -> Iterator[Callable[..., KioskWindow]]:
    """Builds the real window on the demo data and signs in (operator='medic-demo' unless told
    otherwise; None stays on the sign-in screen). Every lane is stopped and checked at
    teardown."""
    windows: list[KioskWindow] = []

    def make(operator: str | None = "medic-demo", **overrides: object) -> KioskWindow:
        conf = replace(Settings(), **overrides)  # type: ignore[arg-type]
        window = build_window(demo_dir, conf)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.start()
        windows.append(window)
        if operator is not None:
            sign_in(qtbot, window, operator)
            qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
        return window

    yield make
    for window in windows:
        window.shutdown()
        window.event_log.close()
        for worker in (*window.devices.workers(), window.lane.thread, window.sync):
            assert not worker.isRunning(), "a lane was left running"


def feed_of(
    demo_dir: Path, payloads: list[str], seconds_each: float = 1.0, gap_seconds: float = 0.3
) -> Path:
    """A short video of these codes, for the real OpenCV capture path."""
    codes = [(qr_matrix(p), f"code {i}") for i, p in enumerate(payloads)]
    return write_demo_feed(codes, demo_dir / "feed.mp4", seconds_each, gap_seconds)
