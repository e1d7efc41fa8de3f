from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from kiosk.app.demo import qr_matrix
from kiosk.storage import Store
from tests.ui.conftest import feed_of


def _manifest(demo_dir: Path) -> dict:
    return json.loads((demo_dir / "demo" / "manifest.json").read_text(encoding="utf-8"))


def _sample(demo_dir: Path, file: str) -> dict:
    return next(s for s in _manifest(demo_dir)["samples"] if s["file"] == file)


def _scan_count(demo_dir: Path) -> int:
    store = Store.open(demo_dir / "kiosk.db")
    try:
        return len(store.scan_event_ids())
    finally:
        store.close()


def test_demo_code_through_real_capture_path_ends_as_verdict_on_screen(
    qtbot, make_window, demo_dir
):
    sample = _sample(demo_dir, "token-approved.png")
    window = make_window(camera=str(feed_of(demo_dir, [sample["payload"]])))
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
    sample = _sample(demo_dir, "token-pending.png")
    # The video loops with a 0.3 s gap: shorter than the 3 s hold, so it never leaves view.
    window = make_window(camera=str(feed_of(demo_dir, [sample["payload"]], 1.0, 0.3)))
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
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert medic.verdict.word.text() == "ATTENTION"
    assert medic.verdict.reason.text().startswith("Declaration pending approval")
    assert medic.check_button.text() == "Check"
    assert window.windowTitle().startswith("Epidemic checkpoint")


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
    payload = _sample(demo_dir, "token-rejected.png")["payload"]
    code = np.kron(qr_matrix(payload), np.ones((6, 6), np.uint8))
    frame = np.dstack([np.pad(code, 40, constant_values=255)] * 3)
    window.devices.frames.put(frame)
    qtbot.waitUntil(lambda: "decoder" in window.status.text(), timeout=10_000)
    assert "out of memory" in window.status.text()
    window.devices.frames.put(frame.copy())  # the restarted lane decodes the next frame
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
