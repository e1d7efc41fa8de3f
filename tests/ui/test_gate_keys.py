"""The gate's other way, one key from the field (a trial on a laptop without a mouse): the
police's "Record exit" was 2 to 7 Tabs from the plate field, the market's entry/exit switch had
no key at all. F2 does each, its button says so, and the typing stays in the field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import FakeClock
from ui.theme import VERDICT_COLOURS
from ui.wedge_filter import WedgeFilter


def _f2(qtbot) -> None:
    """F2 wherever the focus is, as a keyboard gives it."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)


def test_f2_records_a_typed_plate_leaving_and_the_next_plate_is_typed_at_once(qtbot, make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    assert police.exit_button.text() == "F2 · Ghi xe ra"  # the key, where the officer looks
    qtbot.keyClicks(police.plate_entry, "75C-123.45")  # approved freight: let in
    qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: police.verdict.shown_verdict == "allow", timeout=10_000)
    qtbot.keyClicks(police.plate_entry, "75c 123 45")  # leaving, typed any way
    _f2(qtbot)
    qtbot.waitUntil(lambda: police.verdict.word.text() == "ĐÃ RA", timeout=10_000)
    assert police.verdict.reason.text() == "Đã ghi xe ra: 75C-123.45."
    assert VERDICT_COLOURS["allow"][0] in police.verdict.styleSheet()
    assert police.plate_entry.text() == "" and QApplication.focusWidget() is police.plate_entry
    qtbot.keyClicks(QApplication.focusWidget(), "75C-123.45")  # gone already: nothing to close
    _f2(qtbot)
    qtbot.waitUntil(lambda: police.verdict.shown_verdict == "error", timeout=10_000)
    assert QApplication.focusWidget() is police.plate_entry
    assert police.plate_entry.selectedText() == "75C-123.45"  # to fix or to type over
    window.toggle_language()
    assert police.exit_button.text() == "F2 · Record exit"


def test_f2_with_no_plate_says_what_to_type_in_the_operators_language(qtbot, make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    _f2(qtbot)
    assert police.verdict.shown_verdict == "error"
    assert police.verdict.reason.text() == "Nhập biển số xe rồi bấm Ghi xe ra (F2)."
    assert QApplication.focusWidget() is police.plate_entry
    window.toggle_language()
    assert police.verdict.reason.text() == "Type the vehicle's plate, then press Record exit (F2)."
    qtbot.mouseClick(police.exit_button, Qt.MouseButton.LeftButton)  # the button says the same
    assert police.verdict.reason.text() == "Type the vehicle's plate, then press Record exit (F2)."
    assert police.plate_entry.hasFocus()


def test_f2_switches_the_market_gate_between_entry_and_exit(qtbot, make_window):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    assert market.mode_button.text().startswith("F2 · Đang ghi: VÀO")
    qtbot.keyClicks(market.card_entry, "500")  # half a number: the switch keeps it
    _f2(qtbot)
    assert market.exit_mode and "RA" in market.banner.text()
    assert market.mode_button.text().startswith("F2 · Đang ghi: RA")
    assert QApplication.focusWidget() is market.card_entry
    qtbot.keyClicks(QApplication.focusWidget(), "6")  # the demo's household inside
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.word.text() == "ĐÃ RA", timeout=10_000)
    _f2(qtbot)
    assert not market.exit_mode and QApplication.focusWidget() is market.card_entry
    assert market.mode_button.text().startswith("F2 · Đang ghi: VÀO")


def test_f2_acts_on_the_screen_in_front_only(qtbot, make_window):
    """A supervisor has every screen as a tab: F2 at the market is the market's switch, and no
    police exit (two screens' F2 at once would be ambiguous, and Qt would do neither)."""
    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    market = window.screen("market")
    market.card_entry.setFocus()
    shown = police.verdict.shown_count
    _f2(qtbot)
    assert market.exit_mode
    assert police.verdict.shown_count == shown  # no "type the plate" on the hidden tab
    window.screen("police")
    police.plate_entry.setFocus()
    _f2(qtbot)
    assert police.verdict.shown_verdict == "error" and market.exit_mode


def test_f2_right_after_typing_records_the_plate_typed(qtbot, make_window):
    # the reader filter holds fast keys a moment (a reader's burst?); F2 is a shortcut, which
    # fired before them: "75C-123.45" then F2 recorded the exit of an empty field
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    clock = FakeClock()
    wedge = WedgeFilter(clock=clock, parent=window)
    QApplication.instance().installEventFilter(wedge)
    try:
        qtbot.keyClicks(police.plate_entry, "75C-123.45")
        qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: police.verdict.shown_verdict == "allow", timeout=10_000)
        police.plate_entry.setFocus()
        for ch in "75C-123.45":  # a fast typist: each key 40 ms after the last
            clock.t += 0.04
            qtbot.keyClick(police.plate_entry, ch)
        assert wedge.detector.holding  # still held when F2 comes
        _f2(qtbot)
        qtbot.waitUntil(lambda: police.verdict.word.text() == "ĐÃ RA", timeout=10_000)
        assert police.verdict.reason.text() == "Đã ghi xe ra: 75C-123.45."
    finally:
        QApplication.instance().removeEventFilter(wedge)
