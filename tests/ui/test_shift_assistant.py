"""Issue 15, point 7: the assistant's form as a person without a smartphone needs it: filled,
read back to the person on a review page, saved by Enter, printed through Qt's printing on an
A5 sheet or an 80 mm roll."""

from __future__ import annotations

import json
import subprocess

import cv2
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication

from kiosk.collation import vi_sort_key
from kiosk.receipts import receipt_qr_text
from scanner.pipeline import decode_frame
from tests.ui.conftest import type_text
from tests.ui.test_roles import FORM, _fill
from ui.app import install_wedge


def queued(qtbot, window) -> list[str]:
    """The receipt numbers of the declarations queued in the kiosk's database."""
    box: list[list[str]] = []
    window.lane.run(
        lambda store: [q.receipt_no for q in store.outbox.queued()],
        box.append,
        lambda code, params: box.append([f"error {code}"]),
    )
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def enter(qtbot, widget) -> None:
    """Enter in that widget, which has the keyboard focus (as the typist's field has)."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def to_review(qtbot, desk) -> None:
    enter(qtbot, desk.texts["came_from"])
    qtbot.waitUntil(lambda: desk.pages.currentWidget() is desk.review_page, timeout=10_000)


def saved(qtbot, desk) -> None:
    """Enter on the review page, as the assistant presses it."""
    focused = QApplication.focusWidget()
    assert focused is desk.review_page.confirm_button  # the review opens on its confirm
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.last is not None, timeout=10_000)


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_enter_shows_the_review_and_nothing_is_saved_before_it_is_confirmed(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, {**FORM, "phone": ""})
    to_review(qtbot, desk)
    shown = dict(desk.review_page.labels())
    assert shown["Họ và tên"] == "Đỗ Thị Lan" and shown["Số CMND/CCCD"] == "001303004567"
    assert shown["Điện thoại"] == "không có"  # no phone at all is fine
    assert shown["Giới tính"] == "Nữ" and shown["Phương tiện"] == "Tàu hỏa"
    assert desk.review_page.confirm_button.text() == "Xác nhận và lưu"
    assert desk.review_page.edit_button.text() == "Sửa"
    assert desk.review_page.confirm_button.hasFocus()
    assert desk.last is None and queued(qtbot, window) == []  # nothing saved yet


def test_edit_goes_back_with_every_field_kept_and_enter_enter_saves_once(
    qtbot, make_window, printed
):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, FORM)
    desk.zone.setChecked(True)
    to_review(qtbot, desk)
    qtbot.mouseClick(desk.review_page.edit_button, Qt.MouseButton.LeftButton)
    assert desk.pages.currentIndex() == 0 and desk.texts["came_from"].hasFocus()
    for name in ("full_name", "id_number", "birth_date", "phone", "district", "commune"):
        assert desk.texts[name].text() == FORM[name]
    assert desk.province.currentText() == "Thừa Thiên Huế" and desk.zone.isChecked()
    assert queued(qtbot, window) == []
    type_text(desk.texts["commune"], " mới")  # corrected after reading it back
    to_review(qtbot, desk)
    assert dict(desk.review_page.labels())["Phường/xã"] == "Phường Phú Hội mới"
    enter(qtbot, desk.review_page.confirm_button)
    enter(qtbot, desk.review_page.confirm_button)  # a second Enter while saving: still once
    qtbot.waitUntil(lambda: desk.last is not None, timeout=10_000)
    assert queued(qtbot, window) == [desk.last.queued.receipt_no]
    # ready for the next person: the form, empty, the first field focused
    assert desk.pages.currentIndex() == 0
    assert all(w.text() == "" for w in desk.texts.values()) and not desk.zone.isChecked()
    assert desk.texts["full_name"].hasFocus()
    assert desk.last.queued.receipt_no in desk.result_label.text()


def test_a_form_with_problems_stays_on_the_form(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, {**FORM, "birth_date": "2003-04-05"})
    enter(qtbot, desk.texts["came_from"])
    qtbot.waitUntil(lambda: desk.error_labels["birth_date"].text() != "", timeout=10_000)
    assert desk.pages.currentIndex() == 0 and desk.texts["birth_date"].hasFocus()
    assert "ngày/tháng/năm" in desk.error_labels["birth_date"].text()


@pytest.mark.parametrize(("paper", "width_pt"), [("a5", 420), ("roll80", 227)])
def test_the_receipt_is_printed_on_the_paper_chosen_and_its_qr_reads_back(
    qtbot, make_window, printed, demo_dir, tmp_path, paper, width_pt
):
    other = "roll80" if paper == "a5" else "a5"  # the paper settings.json named before
    window = make_window(
        operator="assistant-demo", camera="none-such-camera.avi", receipt_paper=other
    )
    desk = window.screen("assistant")
    assert desk.paper.currentData() == other
    desk.paper.setCurrentIndex(desk.paper.findData(paper))
    _fill(qtbot, desk, FORM)
    to_review(qtbot, desk)
    saved(qtbot, desk)
    out = printed / f"bien-nhan-{desk.last.queued.receipt_no}-{paper}.pdf"
    qtbot.waitUntil(out.exists, timeout=10_000)
    assert "Đã gửi biên nhận" in desk.result_label.text()
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert f"Page size:       {width_pt} x" in info
    text = pdf_text(out)
    for words in (
        "BIÊN NHẬN KHAI BÁO Y TẾ",
        "Đỗ Thị Lan",
        "Phường Phú Hội",
        "Thừa Thiên Huế",
        desk.last.queued.receipt_no,
    ):
        assert words in text
    png = tmp_path / "printed"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(out), str(png)], check=True)
    codes = decode_frame(cv2.imread(f"{png}.png"))
    assert [c.text for c in codes] == [
        receipt_qr_text(desk.last.declaration, desk.last.queued.receipt_no)
    ]
    # the choice is remembered for the next sign-in
    kept = json.loads((demo_dir / "settings.json").read_text(encoding="utf-8"))
    assert kept["receipt_paper"] == paper
    window.close_session()
    again = make_window(
        operator="assistant-demo",
        camera="none-such-camera.avi",
        receipt_paper=kept["receipt_paper"],
    )
    assert again.screen("assistant").paper.currentData() == paper


@pytest.mark.qt_log_ignore("QPainter::begin", extend=True)  # Qt's own word that the printer refused
def test_a_failed_print_says_so_and_keeps_the_saved_declaration(
    qtbot, make_window, printed, tmp_path, monkeypatch
):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    nowhere = tmp_path / "not-a-folder"
    nowhere.write_text("the printer's spool is a file")
    monkeypatch.setenv("KIOSK_PRINT_TO_PDF", str(nowhere))
    _fill(qtbot, desk, FORM)
    to_review(qtbot, desk)
    saved(qtbot, desk)
    assert "Máy in không nhận biên nhận" in desk.result_label.text()
    assert "Tờ khai đã được lưu" in desk.result_label.text()
    assert queued(qtbot, window) == [desk.last.queued.receipt_no]
    monkeypatch.setenv("KIOSK_PRINT_TO_PDF", str(printed))  # the printer is back
    qtbot.mouseClick(desk.print_button, Qt.MouseButton.LeftButton)
    assert "Đã gửi biên nhận" in desk.result_label.text()
    assert "Đỗ Thị Lan" in pdf_text(next(printed.glob("*.pdf")))


def test_a_receipt_pdf_that_cannot_be_written_keeps_the_declaration_and_still_prints(
    qtbot, make_window, printed, tmp_path, monkeypatch
):
    blocked = tmp_path / "receipts"
    blocked.write_text("a file where the receipts folder should be")
    monkeypatch.setattr("ui.assistant_screen.receipt_spool", lambda _data_dir: blocked)
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, FORM)
    to_review(qtbot, desk)
    saved(qtbot, desk)
    assert desk.last.receipt is None and not desk.open_button.isEnabled()
    assert "không ghi được tệp PDF biên nhận" in desk.result_label.text()
    assert queued(qtbot, window) == [desk.last.queued.receipt_no]
    assert "Đỗ Thị Lan" in pdf_text(next(printed.glob("*.pdf")))  # printed all the same


def test_the_print_dialog_is_qts_and_cancelling_it_keeps_the_declaration(
    qtbot, make_window, monkeypatch
):
    monkeypatch.delenv("KIOSK_PRINT_TO_PDF")
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, FORM)
    to_review(qtbot, desk)
    seen: list[str] = []

    def cancel_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(50, cancel_the_dialog)
            return
        seen.append(type(dialog).__name__)
        dialog.reject()

    QTimer.singleShot(50, cancel_the_dialog)
    saved(qtbot, desk)
    assert seen == ["QPrintDialog"]
    assert "Chưa in biên nhận" in desk.result_label.text()
    assert queued(qtbot, window) == [desk.last.queued.receipt_no]


def test_provinces_are_in_vietnamese_alphabetical_order(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    names = [desk.province.itemText(i) for i in range(1, desk.province.count())]
    assert names.index("Bạc Liêu") < names.index("Bắc Giang") < names.index("Bến Tre")
    assert names.index("Cần Thơ") < names.index("Đà Nẵng") < names.index("Gia Lai")
    assert names.index("Bình Dương") < names.index("Bình Định")
    assert names[-1] == "Yên Bái" and names == sorted(names, key=vi_sort_key)


def test_a_province_is_found_by_typing_it_without_marks(qtbot, make_window):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    pause = QApplication.keyboardInputInterval() + 100  # a new search, not more of the last
    for typed, found in (
        ("thua", "Thừa Thiên Huế"),
        ("da", "Đà Nẵng"),
        ("hue", "Thừa Thiên Huế"),
        ("hochi", "Hồ Chí Minh"),
        ("DakN", "Đắk Nông"),
        ("nam", "Nam Định"),
    ):
        desk.province.setCurrentIndex(0)
        qtbot.wait(pause)
        qtbot.keyClicks(desk.province, typed)
        assert desk.province.currentText() == found, typed


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
    to_review(qtbot, desk)
    saved(qtbot, desk)
    desk.last.receipt.unlink()
    qtbot.mouseClick(desk.open_button, Qt.MouseButton.LeftButton)
    assert "Không còn tệp biên nhận" in desk.result_label.text()


def test_the_whole_review_shows_at_once_on_a_1366x768_laptop(qtbot, make_window):
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea

    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    window.fit_to_screen(QRect(0, 0, 1366, 768 - 32))  # a desktop panel below
    desk = window.screen("assistant")
    _fill(
        qtbot,
        desk,
        {
            **FORM,
            "address": "Kiệt 45/7 đường Chi Lăng, tổ 12, khu vực 3",
            "travel_14d": "Hà Nội, Ninh Bình, Thanh Hóa, Nghệ An",
        },
    )
    desk.zone.setChecked(True)
    desk.symptoms["fever"].setChecked(True)
    to_review(qtbot, desk)
    shown = dict(desk.review_page.labels())
    assert shown["Triệu chứng"] == "sốt"
    assert shown["Đi qua hoặc đến từ vùng có dịch trong 14 ngày qua"] == "Có"
    scroll = desk.review_page.findChild(QScrollArea)
    inner = scroll.widget()
    qtbot.waitUntil(lambda: inner.sizeHint().height() > 200, timeout=2_000)  # laid out
    # the epidemic-zone answer is on screen, not below a scroll bar
    assert inner.sizeHint().height() <= scroll.viewport().height()
    assert desk.review_page.confirm_button.isVisible()
