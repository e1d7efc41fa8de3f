"""A kiosk runs all day: the Qt binding must not leak or drop references on calls the window
makes thirty times a second. PySide6 6.12.0 on Python 3.11 dropped one on None or True for
every call returning nothing, and the window aborted after a few minutes ("deallocating None")."""

from __future__ import annotations

import os
import subprocess
import sys

SHIFT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label, timer = QLabel(), QTimer()
none, true = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(300_000):  # a few hours of preview repaints and status updates
    timer.stop()
    label.setText("x")
    label.isVisible()
print(sys.getrefcount(None) - none, sys.getrefcount(True) - true)
"""


def test_hours_of_qt_calls_keep_every_reference_count(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SHIFT],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-500:]
    none_drift, true_drift = map(int, done.stdout.split())
    assert abs(none_drift) < 100 and abs(true_drift) < 100
