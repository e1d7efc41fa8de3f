"""Issue 15, point 3: the window fits a 1366x768 laptop and its verdict grows on a big screen."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QStyle, QStyleOptionFrame

from kiosk.checker import Person, PersonResult
from kiosk.rules import Verdict
from kiosk.storage.markets import GateCount

LAPTOP = QRect(0, 0, 1366, 768 - 32)  # a 1366x768 screen less a desktop panel
FULL_HD = QRect(0, 0, 1920, 1080 - 32)


def test_default_size_fits_a_laptop_with_its_title_bar_and_status_line(qtbot, make_window):
    for operator in ("medic-demo", "police-demo", "market-demo", "assistant-demo", None):
        window = make_window(operator=operator, camera="none-such-camera.avi")
        window.fit_to_screen(LAPTOP)
        QApplication.processEvents()
        assert window.height() + 36 <= LAPTOP.height() and window.width() <= LAPTOP.width()
        hint = window.minimumSizeHint()
        assert hint.height() <= window.height(), (operator, hint)  # nothing cut off
        status = window.status.mapTo(window, window.status.rect().bottomLeft())
        assert status.y() <= window.height()
        window.close()


def test_verdict_letters_grow_with_the_window(qtbot, make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    window.fit_to_screen(LAPTOP)
    qtbot.waitUntil(lambda: police.verdict.height() < 600, timeout=2_000)
    small = police.verdict.word.font().pointSize(), police.verdict.reason.font().pointSize()
    window.fit_to_screen(FULL_HD)
    qtbot.waitUntil(lambda: police.verdict.word.font().pointSize() > small[0], timeout=2_000)
    assert police.verdict.reason.font().pointSize() > small[1]
    assert police.verdict.word.font().pointSize() >= 1.3 * small[0]


def test_fitting_to_the_real_screen_works_as_run_window_does(qtbot, make_window):
    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    window.fit_to_screen()  # the screen Qt gives (KioskWindow.screen(name) is a role's screen)
    available = QApplication.primaryScreen().availableGeometry()
    assert window.height() <= available.height() - 36  # the offscreen screen: 800x800


def _placeholder_room(entry: QLineEdit) -> tuple[int, int]:
    """The placeholder's width in the field's font, and the width the field draws text in."""
    option = QStyleOptionFrame()
    entry.initStyleOption(option)
    contents = entry.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, entry)
    margins = entry.textMargins()
    room = contents.width() - margins.left() - margins.right() - 2 * 2  # Qt's 2 px each side
    return QFontMetrics(entry.font()).horizontalAdvance(entry.placeholderText()), room


def _each_role_and_language(make_window):
    """(operator, language, window) for every role's screen and the sign-in screen on a
    laptop, in Vietnamese then English."""
    for operator in ("medic-demo", "police-demo", "market-demo", "assistant-demo", None):
        window = make_window(operator=operator, camera="none-such-camera.avi")
        window.fit_to_screen(LAPTOP)
        for lang in ("vi", "en"):
            if window.lang != lang:
                window.toggle_language()
            yield operator, lang, window
        window.close()


def test_every_placeholder_is_read_whole_on_a_laptop_in_both_languages(qtbot, make_window):
    for operator, lang, window in _each_role_and_language(make_window):
        QApplication.processEvents()
        for entry in window.findChildren(QLineEdit):
            if not entry.isVisible() or not entry.placeholderText():
                continue
            needed, room = _placeholder_room(entry)
            assert needed <= room, (operator, lang, entry.placeholderText(), needed, room)


def _cut_off_labels(window) -> list[tuple[str, int, int]]:
    """Visible one-line labels whose text is wider than the label: read only in part."""
    cut = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.wordWrap():
            continue
        metrics = QFontMetrics(label.font())
        needed = max(metrics.horizontalAdvance(line) for line in label.text().split("\n"))
        if needed > label.contentsRect().width():
            cut.append((label.text(), needed, label.contentsRect().width()))
    return cut


def test_no_label_is_cut_off_on_a_laptop_in_either_language(qtbot, make_window):
    for operator, lang, window in _each_role_and_language(make_window):
        for exit_mode in (False, True) if operator == "market-demo" else (False,):
            if operator == "market-demo":
                market = window.screen("market")
                market.mode_button.setChecked(exit_mode)  # its banner says EXIT MODE
                market._on_count(GateCount(1234, 567))  # a busy market day's numbers
            # the layout settles over a few passes of the event loop (the status line is 6 px
            # wide in between): what is judged is where it settles
            with contextlib.suppress(qtbot.TimeoutError):
                qtbot.waitUntil(lambda w=window: not _cut_off_labels(w), timeout=2000)
            assert _cut_off_labels(window) == [], (operator, lang, exit_mode)


def test_the_medic_reason_with_its_date_is_one_line_on_a_laptop(qtbot, make_window):
    """At 1366x768 "…còn hạn đến 09/12/2026." wrapped its date to a second line; "…12 chữ số."
    its last word."""
    from datetime import UTC, date, datetime

    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    window.fit_to_screen(LAPTOP)
    panel = window.screen("medic").verdict
    person = Person(id_number="046085001234", name="Trần Văn Đức", birth_date=date(1985, 3, 12))
    approved = PersonResult(
        Verdict.ALLOW,
        "approved",
        "e1",
        datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
        params={"date": "09/12/2026"},
        payload_kind="typed_id",
        person=person,
    )
    for show in (lambda: panel.show_result(approved), lambda: panel.show_error("id_bad_length")):
        show()
        for lang in ("vi", "en"):
            if window.lang != lang:
                window.toggle_language()
            QApplication.processEvents()
            reason = panel.reason
            metrics = QFontMetrics(reason.font())
            needed = metrics.horizontalAdvance(reason.text())
            assert needed <= reason.contentsRect().width(), (reason.text(), needed)
            assert reason.heightForWidth(reason.width()) < 2 * metrics.lineSpacing(), reason.text()
            # read from two metres still: not shrunk to fit at any price
            assert reason.font().pointSizeF() >= 0.8 * round(20 * panel.scale), reason.text()


def test_a_capital_with_two_marks_is_not_cut_at_the_top_on_a_laptop(qtbot, make_window):
    """LỖI's tilde sits above its circumflex, above the font's ascent: cut off, LỖI reads LÔI."""
    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    window.fit_to_screen(LAPTOP)
    panel = window.screen("medic").verdict
    panel.show_error("id_bad_length")
    QApplication.processEvents()
    label, metrics = panel.word, QFontMetricsF(panel.word.font())
    assert label.text() == "LỖI NHẬP"
    inside = label.contentsRect()
    text_top = inside.top() + (inside.height() - metrics.height()) / 2  # centred
    glyph_top = text_top + metrics.ascent() + metrics.tightBoundingRect(label.text()).top()
    assert glyph_top >= 0, glyph_top
