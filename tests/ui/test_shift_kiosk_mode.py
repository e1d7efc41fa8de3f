"""Issue 15, point 6: kiosk mode only a supervisor's PIN leaves; closing asks for it; Ctrl+L
locks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import PINS, type_text


def _pin(qtbot, window, operator_id: str, pin: str | None = None) -> None:
    gate = window.gate
    qtbot.waitUntil(lambda: gate.operator.findData(operator_id) >= 0, timeout=10_000)
    gate.operator.setCurrentIndex(gate.operator.findData(operator_id))
    qtbot.keyClicks(gate.pin, pin if pin is not None else PINS[operator_id])
    qtbot.keyClick(gate.pin, Qt.Key.Key_Return)


def test_escape_in_kiosk_mode_asks_a_supervisor(qtbot, make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    window.enter_kiosk_mode()
    qtbot.waitUntil(window.isFullScreen, timeout=5_000)
    qtbot.keyClick(window.screen("police").plate_entry, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.gate and window.isFullScreen()
    assert window.gate.operator.findData("police-demo") < 0  # a police PIN cannot leave
    _pin(qtbot, window, "supervisor-demo", "0000")
    qtbot.waitUntil(lambda: "PIN" in window.gate.message.text(), timeout=10_000)
    assert window.isFullScreen()
    _pin(qtbot, window, "supervisor-demo")
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=10_000)
    assert window.stack.currentWidget() is window.tabs and window.session is not None


def test_f11_and_ctrl_q_ask_too_and_cancel_goes_back(qtbot, make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    window.enter_kiosk_mode()
    qtbot.waitUntil(window.isFullScreen, timeout=5_000)
    for key, mod in (
        (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ):
        qtbot.keyClick(QApplication.focusWidget(), key, mod)
        assert window.stack.currentWidget() is window.gate
        qtbot.mouseClick(window.gate.cancel, Qt.MouseButton.LeftButton)
        assert window.stack.currentWidget() is window.tabs and window.isFullScreen()
        assert window.isVisible()


def test_closing_while_signed_in_needs_a_supervisor(qtbot, make_window):
    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    assert not window.close()  # the close button, Alt+F4
    assert window.isVisible() and window.stack.currentWidget() is window.gate
    _pin(qtbot, window, "supervisor-demo")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)


def test_ctrl_l_locks_until_the_operators_pin(qtbot, make_window):
    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and window.stack.currentWidget() is window.gate
    assert not window.devices.accepting and window.current_screen is None
    assert not window.gate.cancel.isVisible()
    assert [window.gate.operator.itemData(i) for i in range(window.gate.operator.count())] in (
        [],
        ["medic-demo"],
    )
    _pin(qtbot, window, "medic-demo")
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.current_screen is medic and medic.id_entry.hasFocus()
    assert window.devices.accepting


def test_the_lock_screen_refuses_letters_in_the_pin_and_says_why(qtbot, make_window):
    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    gate = window.gate
    qtbot.waitUntil(lambda: gate.operator.findData("medic-demo") >= 0, timeout=10_000)
    gate.pin.setFocus()
    pin = PINS["medic-demo"]
    qtbot.keyClick(gate.pin, Qt.Key.Key_Shift)  # a key with no letter is no letter
    assert gate.message.text() == ""
    type_text(gate.pin, pin[:2] + "aễ")
    assert gate.pin.text() == pin[:2]
    assert gate.message.text() == "Mã PIN chỉ gồm chữ số."
    window.toggle_language()
    assert gate.message.text() == "A PIN is digits only."
    type_text(gate.pin, pin[2:])  # a PIN again: the line goes with the first digit
    assert gate.pin.text() == pin
    assert gate.message.text() == ""
    assert window.locked
    qtbot.keyClick(gate.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.stack.currentWidget() is window.tabs
