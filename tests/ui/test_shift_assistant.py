"""Issue 15, point 7: the assistant's form as a person without a smartphone needs it."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt

from kiosk.collation import vi_sort_key
from tests.ui.test_roles import FORM, _fill
from ui.app import install_wedge


def test_no_phone_at_all_is_fine_and_enter_saves(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, {**FORM, "phone": ""})
    qtbot.keyClick(desk.texts["came_from"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.last is not None, timeout=10_000)
    assert desk.error_labels["phone"].text() == ""
    text = subprocess.run(["pdftotext", str(desk.last.receipt), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Đỗ Thị Lan" in text


def test_provinces_are_in_vietnamese_alphabetical_order(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    names = [desk.province.itemText(i) for i in range(1, desk.province.count())]
    assert names.index("Bạc Liêu") < names.index("Bắc Giang") < names.index("Bến Tre")
    assert names.index("Cần Thơ") < names.index("Đà Nẵng") < names.index("Gia Lai")
    assert names.index("Bình Dương") < names.index("Bình Định")
    assert names[-1] == "Yên Bái" and names == sorted(names, key=vi_sort_key)


def test_one_space_toggles_a_checkbox_with_the_reader_filter_on(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    install_wedge(window)
    desk = window.screen("assistant")
    desk.contact.setFocus()
    qtbot.keyClick(desk.contact, Qt.Key.Key_Space)
    qtbot.waitUntil(desk.contact.isChecked, timeout=2_000)
    qtbot.keyClick(desk.contact, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not desk.contact.isChecked(), timeout=2_000)


def test_a_receipt_that_cannot_be_opened_says_so(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, FORM)
    desk.save_button.click()
    qtbot.waitUntil(lambda: desk.last is not None, timeout=10_000)
    desk.last.receipt.unlink()
    qtbot.mouseClick(desk.open_button, Qt.MouseButton.LeftButton)
    assert "Không còn tệp biên nhận" in desk.result_label.text()
