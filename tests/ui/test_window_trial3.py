"""The third window trial: a plate typed at a reader's speed while the vehicle's kind is asked
is a plate; a typed look-up's verdict stays while the camera reads on; an input error leaves no
person's buttons live; the market's two numbers say what each counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import FakeClock
from ui.app import install_wedge


def _keyboard(qtbot, text: str, clock: FakeClock | None = None, gap: float = 0.004) -> None:
    """Each key to whatever has the focus when it is pressed, as a keyboard (or a USB
    keyboard-wedge reader) does; then Enter."""
    for ch in [*text, "\r"]:
        if clock is not None:
            clock.t += gap
        key = Qt.Key.Key_Return if ch == "\r" else ch
        qtbot.keyClick(QApplication.focusWidget(), key)


@pytest.fixture
def police(make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    return window, window.screen("police")


def _asked(qtbot, screen, plate: str) -> None:
    qtbot.keyClicks(screen.plate_entry, plate)
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.asking_plate is not None, timeout=10_000)
    assert screen.kind_buttons[0].isVisible()


@pytest.mark.parametrize(
    ("plate", "verdict"), [("29C1", "error"), ("4A", "error"), ("38C-999.99", "attention")]
)
def test_a_plate_typed_at_reader_speed_while_the_kind_is_asked_is_checked(
    qtbot, police, plate, verdict
):
    """The trial: '29C1' and Enter from a keyboard-wedge reader left '29' in the field, no
    verdict, 3 of 3 times. Every key reaches the plate field and the plate gets its verdict
    (a short plate's is an input error, its text kept to be corrected)."""
    window, screen = police
    clock = FakeClock()
    install_wedge(window, clock=clock)
    _asked(qtbot, screen, "75A-111.11")
    shown = screen.verdict.shown_count
    _keyboard(qtbot, plate, clock)
    qtbot.waitUntil(lambda: screen.verdict.shown_count > shown, timeout=10_000)
    assert screen.verdict.shown_verdict == verdict
    assert screen.asking_plate != "75A-111.11"  # not answered for the last vehicle
    if verdict == "error":
        assert screen.plate_entry.text() == plate  # every key, kept for correction
    else:
        assert screen.verdict.person.text() == plate and screen.plate_entry.text() == ""


def test_a_kind_key_alone_still_answers_with_the_reader_filter_on(qtbot, police):
    window, screen = police
    install_wedge(window)
    _asked(qtbot, screen, "75A-111.11")
    assert screen.plate_entry.hasFocus()  # the field keeps the focus while the kind is asked
    qtbot.keyClick(QApplication.focusWidget(), "4")
    qtbot.waitUntil(lambda: "dưới 7 chỗ" in screen.verdict.reason.text(), timeout=10_000)
    assert screen.asking_plate is None and screen.plate_entry.text() == ""
