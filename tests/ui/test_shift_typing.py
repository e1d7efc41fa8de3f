"""Issue 15, point 1: nothing typed or scanned vanishes. Plates typed fast, at a reader's speed,
or while the window was busy (keys queued, then handled in a burst) reach a verdict."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import FakeClock
from tests.ui.conftest import PINS, sample
from ui.app import install_wedge
from ui.theme import VERDICT_COLOURS
from ui.wedge_filter import WedgeFilter, is_code


def _burst(qtbot, widget, text: str, clock: FakeClock, gap: float) -> None:
    for ch in text:
        clock.t += gap
        qtbot.keyClick(widget, ch)
    clock.t += gap
    qtbot.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def police(make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    return window, window.screen("police")


@pytest.mark.parametrize("gap", [0.004, 0.015])
def test_a_plate_arriving_as_a_burst_is_checked_not_dropped(qtbot, police, gap):
    window, screen = police
    clock = FakeClock()
    install_wedge(window, clock=clock)
    screen.plate_entry.setFocus()
    _burst(qtbot, screen.plate_entry, "75C-123.45", clock, gap)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)


@pytest.mark.parametrize("delay_ms", [50, 15])
def test_plates_typed_with_real_key_intervals_reach_a_verdict(qtbot, police, delay_ms):
    window, screen = police
    install_wedge(window)
    screen.plate_entry.setFocus()
    qtbot.keyClicks(screen.plate_entry, "75C-123.45", delay=delay_ms)
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return, delay=delay_ms)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)


def test_a_burst_typed_at_a_button_goes_to_the_screens_field(qtbot, police):
    window, screen = police
    clock = FakeClock()
    install_wedge(window, clock=clock)
    screen.check_button.setFocus()
    _burst(qtbot, screen.check_button, "75C-123.45", clock, 0.004)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)


def test_an_id_number_burst_on_the_medic_screen_is_checked(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    clock = FakeClock()
    install_wedge(window, clock=clock)
    medic.id_entry.setFocus()
    _burst(qtbot, medic.id_entry, "048078007890", clock, 0.004)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    assert medic.verdict.reason.text() == "Tờ khai đã bị từ chối."


def test_a_code_burst_is_still_a_scan_where_scans_are_taken(qtbot, make_window, demo_dir):
    payload = sample(demo_dir, "token-approved.png")["payload"]
    assert is_code(payload) and not is_code("75C-123.45") and not is_code("048078007890")
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    wedge: WedgeFilter = install_wedge(window, clock=FakeClock())
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    medic.id_entry.setFocus()
    _burst(qtbot, medic.id_entry, payload, wedge.clock, 0.004)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    assert scans == [payload] and medic.id_entry.text() == ""


def test_window_closing_gives_back_held_keys_and_stops_the_filter(qtbot, police):
    window, screen = police
    clock = FakeClock()
    wedge = install_wedge(window, clock=clock)
    screen.plate_entry.setFocus()
    qtbot.keyClick(screen.plate_entry, "7")
    assert wedge.detector.holding
    window.shutdown()
    assert screen.plate_entry.text() == "7"


# Issue 15, point 2: after each verdict the screen is ready for the next person.


def test_police_field_is_cleared_and_focused_after_each_verdict(qtbot, police):
    _window, screen = police
    screen.plate_entry.setFocus()
    qtbot.keyClicks(screen.plate_entry, "38C-999.99", delay=20)
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    # unregistered: the screen asks the vehicle's kind (issue 11); key 1 says freight
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "attention", timeout=10_000)
    qtbot.keyClick(screen, "1")
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "deny", timeout=10_000)
    assert screen.plate_entry.text() == "" and screen.plate_entry.hasFocus()
    qtbot.keyClicks(screen.plate_entry, "75C-123.45", delay=20)  # not appended to the last one
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)
    assert screen.plate_entry.text() == ""


def test_a_refused_plate_stays_selected_so_typing_replaces_it(qtbot, police):
    _window, screen = police
    qtbot.keyClicks(screen.plate_entry, "???")
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "error", timeout=10_000)
    qtbot.keyClicks(screen.plate_entry, "75C-123.45")
    assert screen.plate_entry.text() == "75C-123.45"


def test_clicking_a_suggestion_clears_the_old_verdict_and_enter_checks_it(qtbot, police):
    _window, screen = police
    qtbot.keyClicks(screen.plate_entry, "75C-123.54")
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.suggestions == ["75C-123.45"], timeout=10_000)
    qtbot.mouseClick(screen.suggestion_row.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    assert screen.verdict.shown_verdict == "idle"  # the DENY was about another plate
    assert screen.plate_entry.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)


def test_a_suggestion_taken_while_the_kind_is_asked_withdraws_the_question(qtbot, police):
    _window, screen = police
    qtbot.keyClicks(screen.plate_entry, "75c 12354")  # unregistered, one typo from 75C-123.45
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.suggestions == ["75C-123.45"], timeout=10_000)
    assert screen.kind_buttons[0].isVisible()  # "what kind of vehicle?" about 75c 12354
    qtbot.mouseClick(screen.suggestion_row.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    # the question was about the plate no longer in the field: its 1-5 would answer for it
    assert not any(button.isVisible() for button in screen.kind_buttons)
    assert screen.kind_label.text() == "" and screen.asking_plate is None


def test_medic_field_is_ready_after_a_typed_check(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "048078007890")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    assert medic.id_entry.text() == "" and medic.id_entry.hasFocus()


# Issue 15, point 5: sign-in names no one by default, and the first keys after it are kept.


def test_sign_in_preselects_no_one_so_a_pin_never_counts_against_another(qtbot, make_window):
    window = make_window(operator=None, camera="none-such-camera.avi")
    screen = window.sign_in
    qtbot.waitUntil(lambda: screen.operator.count() > 1, timeout=10_000)
    assert screen.operator.currentData() is None
    qtbot.keyClicks(screen.pin, "1111")
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    assert "Chọn tên" in screen.message.text()
    assert window.session is None


def test_focus_is_in_the_field_right_after_sign_in(qtbot, make_window):
    for operator, field in (("police-demo", "plate_entry"), ("medic-demo", "id_entry")):
        window = make_window(operator=operator, camera="none-such-camera.avi")
        screen = window.current_screen
        entry = getattr(screen, field)
        qtbot.waitUntil(entry.hasFocus, timeout=5_000)
        qtbot.keyClicks(QApplication.focusWidget(), "75C")
        assert entry.text() == "75C"
        window.close()


def test_keys_typed_while_the_pin_is_checked_reach_the_next_screen(qtbot, make_window, demo_dir):
    """The PIN check takes a second or more (Argon2id); a medic who types the first person's ID
    meanwhile gets that person's verdict, not a PIN field that swallowed the digits."""
    window = make_window(operator=None, camera="none-such-camera.avi")
    screen = window.sign_in
    qtbot.waitUntil(lambda: screen.operator.findData("medic-demo") >= 0, timeout=10_000)
    screen.operator.setCurrentIndex(screen.operator.findData("medic-demo"))
    qtbot.keyClicks(screen.pin, PINS["medic-demo"])
    # the check runs on the database lane; hold the lane so the keys surely arrive during it
    release = threading.Event()
    window.lane.run(lambda store: release.wait(10), lambda _r: None, lambda *_a: None)
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    assert screen.checking and "PIN" in screen.message.text()
    typed = sample(demo_dir, "cccd-approved.png")["payload"].split("|")[0]
    qtbot.keyClicks(QApplication.focusWidget(), typed)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.session is None and screen.pin.text() == ""
    release.set()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    medic = window.current_screen
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    assert medic.id_entry.text() == ""


def test_keys_typed_during_a_refused_pin_check_do_not_spoil_the_next_try(qtbot, make_window):
    window = make_window(operator=None, camera="none-such-camera.avi")
    screen = window.sign_in
    qtbot.waitUntil(lambda: screen.operator.findData("medic-demo") >= 0, timeout=10_000)
    screen.operator.setCurrentIndex(screen.operator.findData("medic-demo"))
    qtbot.keyClicks(screen.pin, "0000")
    release = threading.Event()
    window.lane.run(lambda store: release.wait(10), lambda _r: None, lambda *_a: None)
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "9999")
    release.set()
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    assert window.session is None and screen.pin.text() == ""
    qtbot.keyClicks(screen.pin, PINS["medic-demo"])
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)


def test_the_next_plate_typed_while_the_kind_is_asked_is_a_plate_not_an_answer(qtbot, police):
    """Plates start with digits: '38C…' typed at a person's speed after the kind question must
    not answer '3 · coach' for the last vehicle and lose its first keys; a digit alone does."""
    _window, screen = police
    qtbot.keyClicks(screen.plate_entry, "38C-999.99", delay=20)
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.asking_plate is not None, timeout=10_000)
    for key in "51C-555.55":  # each key to whatever has the focus then, as a keyboard does
        qtbot.keyClick(QApplication.focusWidget(), key)
        qtbot.wait(60)
    assert screen.asking_plate is None and screen.plate_entry.text() == "51C-555.55"
    assert screen.verdict.shown_verdict == "attention"  # the last vehicle's, unanswered
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.asking_plate == "51C-555.55", timeout=10_000)
    qtbot.keyClick(QApplication.focusWidget(), "1")  # alone: freight
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "deny", timeout=10_000)
    assert screen.asking_plate is None and screen.plate_entry.text() == ""


def test_the_exit_button_says_when_no_plate_is_typed_and_leaves_the_field_ready(qtbot, police):
    _window, screen = police
    qtbot.mouseClick(screen.exit_button, Qt.MouseButton.LeftButton)  # nothing typed yet
    assert screen.verdict.shown_verdict == "error"
    # not silence, and not only that nothing was typed: what to type, and the button's key
    assert screen.verdict.reason.text() == "Nhập biển số xe rồi bấm Ghi xe ra (F2)."
    assert screen.plate_entry.hasFocus()
    qtbot.keyClicks(screen.plate_entry, "75C-123.45")  # approved freight: let in
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.verdict.shown_verdict == "allow", timeout=10_000)
    qtbot.keyClicks(screen.plate_entry, "75C-123.45")  # and now it leaves
    qtbot.mouseClick(screen.exit_button, Qt.MouseButton.LeftButton)
    # the exit in the panel, read from as far as the entry: a colour, a big word, its reason
    qtbot.waitUntil(lambda: screen.verdict.word.text() == "ĐÃ RA", timeout=10_000)
    assert screen.verdict.reason.text() == "Đã ghi xe ra: 75C-123.45."
    assert VERDICT_COLOURS["allow"][0] in screen.verdict.styleSheet()
    assert screen.plate_entry.text() == "" and screen.plate_entry.hasFocus()  # the next plate
    _window.toggle_language()
    assert screen.verdict.word.text() == "OUT"
    assert screen.verdict.reason.text() == "Exit recorded: 75C-123.45."


def test_after_printing_the_handover_list_typing_goes_to_the_id_field(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.mouseClick(medic.handover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: medic.handover_note.text() != "", timeout=10_000)
    assert QApplication.focusWidget() is medic.id_entry  # not the print button
