"""The sixth window trial (police and market manager, keyboard only): a registered plate offered
for a mistyped one is the next stop of Tab after the Check button, not the vehicle kind's
buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.held import scans, type_in


@pytest.fixture
def police(make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    return window, window.screen("police")


def _tab(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_tab_reaches_the_offered_plate_before_the_kind_buttons(qtbot, police, demo_dir):
    """The trial: '75c 12354' (two digits swapped) offered 75C-123.45; Tab, Tab and Enter, to
    reach it without a mouse, pressed '1 · freight' instead, and the mistyped plate was
    recorded as an unregistered freight vehicle: a violation, DENY."""
    _window, screen = police
    type_in(qtbot, screen.plate_entry, "75c 12354")
    qtbot.waitUntil(lambda: screen.suggestions == ["75C-123.45"], timeout=10_000)
    assert screen.plate_entry.hasFocus()
    recorded = len(scans(demo_dir))
    _tab(qtbot)
    assert QApplication.focusWidget() is screen.check_button
    _tab(qtbot)
    assert QApplication.focusWidget().text() == "75C-123.45"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.plate_entry.text() == "75C-123.45", timeout=10_000)
    assert screen.plate_entry.hasFocus() and screen.asking_plate is None
    assert len(scans(demo_dir)) == recorded  # nothing recorded for the mistyped plate
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)
    # then on to the kind's buttons, and back round to the field
    _tab(qtbot)
    _tab(qtbot)
    assert QApplication.focusWidget() is screen.exit_button  # no kind asked, no suggestion
