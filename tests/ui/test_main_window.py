from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.app.demo import qr_matrix
from kiosk.storage import Store
from tests.ui.conftest import feed_of, sample


def _scan_count(demo_dir: Path) -> int:
    store = Store.open(demo_dir / "kiosk.db")
    try:
        return len(store.scan_event_ids())
    finally:
        store.close()


def test_demo_code_through_real_capture_path_ends_as_verdict_on_screen(
    qtbot, make_window, demo_dir
):
    approved = sample(demo_dir, "token-approved.png")
    window = make_window(camera=str(feed_of(demo_dir, [approved["payload"]])))
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=20_000)
    assert medic.verdict.word.text() == "ĐƯỢC QUA"
    assert "Trần Văn Đức" in medic.verdict.person.text()
    shown = medic.verdict.shown_result
    store = Store.open(demo_dir / "kiosk.db")
    try:  # the verdict on screen already has its row on disk
        assert shown.event_id in store.scan_event_ids()
    finally:
        store.close()


def test_code_held_in_view_is_logged_once(qtbot, make_window, demo_dir):
    pending = sample(demo_dir, "token-pending.png")
    # The video loops with a 0.3 s gap: shorter than the 3 s hold, so it never leaves view.
    window = make_window(camera=str(feed_of(demo_dir, [pending["payload"]], 1.0, 0.3)))
    medic = window.screen("medic")
    decodes: list[int] = []
    window.devices.decoder.decoded.connect(lambda _seq, codes: decodes.append(len(codes)))
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "attention", timeout=20_000)
    qtbot.waitUntil(lambda: sum(1 for n in decodes if n) >= 25, timeout=30_000)
    assert _scan_count(demo_dir) == 1


def test_typed_id_shows_verdict_and_clears_the_entry(qtbot, make_window, demo_dir):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "048078007890")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    assert medic.verdict.reason.text() == "Tờ khai đã bị từ chối."
    assert medic.id_entry.text() == ""
    assert _scan_count(demo_dir) == 1


def test_invalid_typed_id_explains_and_records_nothing(qtbot, make_window, demo_dir):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "099085001234")  # 099 is no province
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=10_000)
    assert "mã tỉnh" in medic.verdict.reason.text()
    assert medic.id_entry.text() == "099085001234"  # kept, so the operator can correct it
    assert _scan_count(demo_dir) == 0


def test_missing_camera_is_said_and_typing_still_works(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: "Mất tín hiệu camera" in window.camera_text, timeout=10_000)
    qtbot.keyClicks(medic.id_entry, "046085001234")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)


def test_language_switch_changes_every_text(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "046192004567")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "attention", timeout=10_000)
    assert medic.verdict.word.text() == "KIỂM TRA"
    # one title for every role: the market manager is not told it checks health declarations
    assert window.windowTitle() == "Chốt kiểm soát dịch"
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert medic.verdict.word.text() == "ATTENTION"
    assert medic.verdict.reason.text().startswith("Declaration pending approval")
    assert medic.check_button.text() == "Check"
    assert window.windowTitle() == "Epidemic control checkpoint"


@pytest.mark.worker_deaths("decoder")
def test_dead_decoder_is_reported_and_restarted(qtbot, make_window, demo_dir):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    real_decode = window.devices.decoder.decode
    calls: list[int] = []

    def decode_that_fails_once(frame):
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError("decoder ran out of memory")
        return real_decode(frame)

    window.devices.decoder.decode = decode_that_fails_once
    payload = sample(demo_dir, "token-rejected.png")["payload"]
    code = np.kron(qr_matrix(payload), np.ones((6, 6), np.uint8))
    frame = np.dstack([np.pad(code, 40, constant_values=255)] * 3)
    window.devices.frames.put(frame)
    qtbot.waitUntil(lambda: "decoder" in window.status.text(), timeout=10_000)
    assert "out of memory" in window.status.text()
    window.devices.frames.put(frame.copy())  # the restarted lane decodes the next frame
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)


def test_quitting_the_application_stops_every_lane_without_a_close(qtbot, make_window):
    from PySide6.QtWidgets import QApplication

    window = make_window(camera="none-such-camera.avi")
    QApplication.instance().aboutToQuit.emit()  # as app.quit() or a signal handler would
    for worker in (*window.devices.workers(), window.lane.thread, window.sync):
        assert not worker.isRunning()


@pytest.mark.worker_deaths("database")
def test_a_bug_in_a_check_is_shown_on_the_screen_and_in_the_status_line(
    qtbot, make_window, monkeypatch, demo_dir
):
    import ui.medic_screen

    class BrokenChecker(ui.medic_screen.PersonDesk):
        def check_id(self, text, source="typed"):
            raise ZeroDivisionError("a bug in the rules")

    monkeypatch.setattr(ui.medic_screen, "PersonDesk", BrokenChecker)
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "046085001234")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=10_000)
    assert "Lỗi phần mềm" in medic.verdict.reason.text()
    assert "ZeroDivisionError" in medic.verdict.reason.text()
    assert "ZeroDivisionError" in window.status.text()  # and the supervisor's line says which
    assert medic.id_entry.text() == "046085001234"  # kept: the operator can try again


def test_typed_number_with_no_declaration_shows_the_number_without_question_marks(
    qtbot, make_window
):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "001203004567")  # a valid CCCD no declaration names
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "attention", timeout=10_000)
    assert medic.verdict.person.text() == "001203004567"  # no "? · ... · sinh ?"


def test_typing_after_a_click_on_the_language_button_lands_in_the_field(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    for button in (window.language_button, window.mute_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert QApplication.focusWidget() is medic.id_entry
    qtbot.keyClicks(QApplication.focusWidget(), "046085001234")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
