"""The window's fixtures, and the guards every Qt test runs under: a QThread still running or a
QTimer still armed when a test ends fails it (as napari does), so a lane left behind by one test
cannot fire into the next."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer
from shiboken6 import isValid

from kiosk.app.demo import qr_matrix, seed
from kiosk.app.demo_roles import OPERATORS
from kiosk.settings import Settings
from kiosk.storage import Store
from scanner.demo_feed import write_demo_feed
from ui.app import build_window
from ui.kiosk_window import KioskWindow


@pytest.fixture(autouse=True)
def qt_leaks(monkeypatch) -> Iterator[None]:
    """Fails a test that leaves a QThread running or a QTimer armed once its widgets are gone.
    Records every start made from Python; teardown stops what it finds, so one leak fails one
    test, not the rest of the run."""
    threads: list[QThread] = []
    timers: list[QTimer] = []
    start_thread, start_timer = QThread.start, QTimer.start

    def record_thread(self, *args):
        threads.append(self)
        return start_thread(self, *args)

    def record_timer(self, *args):
        timers.append(self)
        return start_timer(self, *args)

    monkeypatch.setattr(QThread, "start", record_thread)
    monkeypatch.setattr(QTimer, "start", record_timer)
    yield
    monkeypatch.undo()
    # the widgets pytest-qt closed are deleted now, with their timers
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    running = [t for t in dict.fromkeys(threads) if isValid(t) and t.isRunning()]
    armed = [t for t in dict.fromkeys(timers) if isValid(t) and t.isActive()]
    for thread in running:
        thread.requestInterruption()
        thread.quit()
        thread.wait(10_000)
    for timer in armed:
        timer.stop()
    leaks = [f"QThread {type(t).__name__} still running" for t in running] + [
        f"QTimer still armed ({t.interval()} ms, parent {type(t.parent()).__name__})" for t in armed
    ]
    if leaks:
        pytest.fail("left behind by the test: " + "; ".join(leaks), pytrace=False)


@pytest.fixture(autouse=True)
def printed(tmp_path: Path, monkeypatch) -> Path:
    """Where receipts are printed, as PDF files: no window test waits on Qt's print dialog
    (ui/receipt_printing.py); a test of the dialog itself unsets it."""
    folder = tmp_path / "printed"
    folder.mkdir()
    monkeypatch.setenv("KIOSK_PRINT_TO_PDF", str(folder))
    return folder


@pytest.fixture(autouse=True)
def quiet_audio(monkeypatch) -> None:
    """Verdict sounds go to miniaudio's null output: a developer's loudspeaker stays quiet and
    the real playback path still runs (tests that want no device at all choose another)."""
    monkeypatch.setattr("ui.sound.BACKENDS", ("null",))


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
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


PINS = {o.id: o.pin for o in OPERATORS}


def sign_in(qtbot, window: KioskWindow, operator_id: str, pin: str | None = None) -> None:
    """Signs in through the sign-in screen, as an operator would."""
    screen = window.sign_in
    qtbot.waitUntil(lambda: screen.operator.findData(operator_id) >= 0, timeout=10_000)
    screen.operator.setCurrentIndex(screen.operator.findData(operator_id))
    qtbot.keyClicks(screen.pin, pin if pin is not None else PINS[operator_id])
    screen.button.click()


def manifest(demo_dir: Path) -> dict:
    """What `kiosk demo` wrote about its samples, cards, plates and operators."""
    return json.loads((demo_dir / "demo" / "manifest.json").read_text(encoding="utf-8"))


def sample(demo_dir: Path, file: str) -> dict:
    """The demo sample written to that QR image: its payload and expected verdict."""
    return next(s for s in manifest(demo_dir)["samples"] if s["file"] == file)


def worker_deaths(demo_dir: Path) -> list[str]:
    """The lanes the window's event log says died, in order."""
    log = demo_dir / "logs" / "events.jsonl"
    if not log.exists():
        return []
    events = (json.loads(line) for line in log.read_text(encoding="utf-8").splitlines())
    return [e["worker"] for e in events if e["event"] == "worker_died"]


@pytest.fixture
def make_window(request, qtbot, demo_dir: Path) -> Iterator[Callable[..., KioskWindow]]:
    """Builds the real window on the demo data and signs in (operator='medic-demo' unless told
    otherwise; None stays on the sign-in screen). Every lane is stopped and checked at
    teardown, and a lane that died fails the test unless it is marked
    `@pytest.mark.worker_deaths("name", ...)`."""
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
    expected = {name for mark in request.node.iter_markers("worker_deaths") for name in mark.args}
    unexpected = [name for name in worker_deaths(demo_dir) if name not in expected]
    assert not unexpected, f"lanes died during the test: {unexpected}"


def feed_of(
    demo_dir: Path, payloads: list[str], seconds_each: float = 1.0, gap_seconds: float = 0.3
) -> Path:
    """A short video of these codes, for the real OpenCV capture path."""
    codes = [(qr_matrix(p), f"code {i}") for i, p in enumerate(payloads)]
    return write_demo_feed(codes, demo_dir / "feed.mp4", seconds_each, gap_seconds)
