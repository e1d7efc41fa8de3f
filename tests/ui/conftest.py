from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.demo import qr_matrix, seed
from kiosk.settings import Settings
from kiosk.storage import Store
from scanner.demo_feed import write_demo_feed
from ui.app import build_window
from ui.main_window import MainWindow


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "kiosk.db")
    seed(store, tmp_path, write_feed=False)
    store.close()
    return tmp_path


@pytest.fixture
def make_window(qtbot, demo_dir: Path) -> Iterator[Callable[..., MainWindow]]:
    """Builds the real window on the demo data; every lane is stopped and checked at teardown."""
    windows: list[MainWindow] = []

    def make(**overrides: object) -> MainWindow:
        conf = replace(Settings(), **overrides)  # type: ignore[arg-type]
        window = build_window(demo_dir, conf)
        qtbot.addWidget(window)
        window.show()
        window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
        window.event_log.close()
        for worker in (window.capture, window.decoder, window.lane_thread):
            assert worker is None or not worker.isRunning(), "a lane was left running"


def feed_of(
    demo_dir: Path, payloads: list[str], seconds_each: float = 1.0, gap_seconds: float = 0.3
) -> Path:
    """A short video of these codes, for the real OpenCV capture path."""
    codes = [(qr_matrix(p), f"code {i}") for i, p in enumerate(payloads)]
    return write_demo_feed(codes, demo_dir / "feed.mp4", seconds_each, gap_seconds)
