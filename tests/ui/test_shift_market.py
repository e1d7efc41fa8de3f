"""Issue 15, point 8: a market card's number typed by hand; exit mode looks unlike entry mode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.theme import VERDICT_COLOURS


def test_a_card_number_typed_by_hand_is_checked_and_counted_once(qtbot, make_window):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    qtbot.waitUntil(lambda: market.count.entered == 1, timeout=10_000)
    assert market.card_entry.hasFocus()
    qtbot.keyClicks(market.card_entry, "5001")
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "attention", timeout=10_000)
    assert "in trên thẻ" in market.verdict.reason.text()
    assert "Nguyễn V** H***" in market.verdict.person.text()
    assert market.card_entry.text() == "" and market.count.entered == 2
    qtbot.keyClicks(market.card_entry, "5001")  # the same household again: once a day
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "deny", timeout=10_000)
    for number, reason in (("5004", "thu hồi"), ("5003", "chợ khác"), ("777", "Không có thẻ")):
        qtbot.keyClicks(market.card_entry, number)
        qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda r=reason: r in market.verdict.reason.text(), timeout=10_000)
    qtbot.keyClicks(market.card_entry, "abc")
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "error", timeout=10_000)


def test_exit_mode_has_its_own_colours_and_takes_a_typed_number(qtbot, make_window):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    entry_look = market.banner.text(), market.banner.styleSheet()
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)
    assert market.banner.text() != entry_look[0] and "RA" in market.banner.text()
    assert market.banner.styleSheet() != entry_look[1] and "#bbdefb" in market.styleSheet()
    qtbot.keyClicks(market.card_entry, "5006")  # the demo's household already inside
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.word.text() == "ĐÃ RA", timeout=10_000)
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)
    assert market.banner.text() == entry_look[0] and market.styleSheet() == ""


def test_switching_mode_leaves_no_stale_verdict_and_typing_goes_to_the_card_field(
    qtbot, make_window
):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    qtbot.keyClicks(market.card_entry, "5003")  # another market's card: a red DENY
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "deny", timeout=10_000)
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)
    # the red panel was about a person let in (or not) before: in exit mode it misleads
    assert market.verdict.shown_verdict == "idle"
    assert QApplication.focusWidget() is market.card_entry  # not the mode button
    qtbot.keyClicks(QApplication.focusWidget(), "5006")  # the demo's household inside
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.word.text() == "ĐÃ RA", timeout=10_000)


def test_an_exit_is_a_verdict_read_from_two_metres(qtbot, make_window):
    """The result of recording an exit is in the panel: a colour, a big word, its reason."""
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(market.card_entry, "5006")  # the demo's household inside
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "allow", timeout=10_000)
    panel = market.verdict
    assert panel.word.text() == "ĐÃ RA" and panel.reason.text() == "Đã ghi nhận ra khỏi chợ."
    assert VERDICT_COLOURS["allow"][0] in panel.styleSheet()
    assert panel.word.font().pointSizeF() >= 0.8 * 48 * panel.scale  # the big word's size
    window.toggle_language()
    assert (panel.word.text(), panel.reason.text()) == ("OUT", "Exit recorded.")
    number = panel.shown_count
    qtbot.keyClicks(market.card_entry, "5006")  # gone out already: nothing to close
    qtbot.keyClick(market.card_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.shown_count == number + 1, timeout=10_000)
    assert panel.shown_verdict == "attention" and panel.word.text() == "NOT IN"
    assert panel.reason.text() == "This card has not entered today."
    assert VERDICT_COLOURS["attention"][0] in panel.styleSheet()
