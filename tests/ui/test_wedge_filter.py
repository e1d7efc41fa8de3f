from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

from tests.conftest import FakeClock
from tests.ui.conftest import sample
from ui.wedge_filter import WedgeFilter


def _install(window) -> tuple[WedgeFilter, FakeClock]:
    clock = FakeClock()
    wedge = WedgeFilter(clock=clock, parent=window)
    wedge.scanned.connect(window.devices.wedge_scan)
    QApplication.instance().installEventFilter(wedge)
    return wedge, clock


def _type(qtbot, widget, text: str, clock: FakeClock, gap: float, shift: bool = False) -> None:
    """Keys as a reader sends them; with `shift`, as a real one (and a keyboard) does: a press
    of Shift, with no text, before each capital or shifted symbol."""
    for ch in text:
        clock.t += gap
        if shift and (ch.isupper() or ch in SHIFTED):
            qtbot.keyPress(widget, Qt.Key.Key_Shift)
            qtbot.keyClick(widget, ch, Qt.KeyboardModifier.ShiftModifier)
            qtbot.keyRelease(widget, Qt.Key.Key_Shift)
        else:
            qtbot.keyClick(widget, ch)
    clock.t += gap
    qtbot.keyClick(widget, Qt.Key.Key_Return)


SHIFTED = set('~!@#$%^&*()_+{}|:"<>?')


def test_reader_burst_is_a_scan_even_with_focus_in_the_id_field(qtbot, make_window, demo_dir):
    payload = sample(demo_dir, "token-approved.png")["payload"]
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    wedge, clock = _install(window)
    try:
        medic.id_entry.setFocus()
        _type(qtbot, medic.id_entry, payload, clock, gap=0.004)
        qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
        assert medic.id_entry.text() == ""  # the burst never landed in the field
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_a_reader_pressing_shift_for_capitals_is_still_one_scan(qtbot, make_window, demo_dir):
    payload = sample(demo_dir, "token-approved.png")["payload"]
    assert any(ch.isupper() for ch in payload) and ":" in payload
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    wedge, clock = _install(window)
    try:
        medic.id_entry.setFocus()
        _type(qtbot, medic.id_entry, payload, clock, gap=0.004, shift=True)
        qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
        assert medic.id_entry.text() == ""
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_person_typing_an_id_is_not_taken_for_a_reader(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    wedge, clock = _install(window)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    try:
        medic.id_entry.setFocus()
        _type(qtbot, medic.id_entry, "048078007890", clock, gap=0.15)
        qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
        assert medic.verdict.reason.text() == "Tờ khai đã bị từ chối."
        assert scans == []
    finally:
        QApplication.instance().removeEventFilter(wedge)


class _Question(QWidget):
    """A button that answers a question; the first key typed at it withdraws the question and
    moves to the field, as the police screen's kind question once did."""

    def __init__(self) -> None:
        super().__init__()
        self.button = QPushButton("1", self)
        self.field = QLineEdit(self)
        self.entered: list[str] = []
        self.field.returnPressed.connect(lambda: self.entered.append(self.field.text()))

    def keyPressEvent(self, event) -> None:
        if self.button.isVisible() and event.text():
            self.button.hide()
            self.field.setFocus()
            self.field.insert(event.text())
            return
        super().keyPressEvent(event)


def test_keys_given_back_go_where_the_focus_is_when_each_is_given(qtbot):
    """A burst held for timing is given back key by key; one of them can move the focus (and
    hide the widget that had it). The rest follow the focus, as a keyboard's keys would, and so
    does the Enter: none is handed to a widget that no longer has the focus and lost."""
    screen = _Question()
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitActive(screen):
        screen.activateWindow()
    clock = FakeClock()
    wedge = WedgeFilter(clock=clock, parent=screen)
    QApplication.instance().installEventFilter(wedge)
    try:
        screen.button.setFocus()
        _type(qtbot, screen.button, "29C1", clock, gap=0.004)
        assert screen.entered == ["29C1"]
    finally:
        QApplication.instance().removeEventFilter(wedge)
        wedge.stop()
