"""Issue 15, point 4: a verdict stays long enough to be seen, and a new one announces itself."""

from __future__ import annotations

import wave

from PySide6.QtCore import Qt

from tests.conftest import FakeClock
from tests.ui.conftest import sample
from ui.sound import TONES, write_tones


def _typed_allow(qtbot, police) -> None:
    qtbot.keyClicks(police.plate_entry, "75C-123.45")
    qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)


def test_a_camera_read_waits_for_the_held_verdict_and_the_same_code_is_ignored(
    qtbot, make_window, demo_dir
):
    approved = sample(demo_dir, "token-approved.png")["payload"]
    window = make_window(camera="none-such-camera.avi", verdict_hold_seconds=2.0)
    clock = FakeClock()
    window.clock = clock
    medic = window.screen("medic")
    medic.verdict.clock = clock
    window.devices.scanned.emit(approved, "camera")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    first = medic.verdict.shown_count
    qtbot.keyClicks(medic.id_entry, "048078007890")  # the operator moves on: at once
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    clock.t += 0.5
    window.devices.scanned.emit(approved, "camera")  # the same code, still in view: ignored
    other = sample(demo_dir, "token-pending.png")["payload"]
    window.devices.scanned.emit(other, "camera")  # another person: waits its turn
    assert [(r.text, r.source) for r in window.waiting_scans] == [(other, "camera")]
    qtbot.wait(30)
    assert medic.verdict.shown_verdict == "deny"  # the typed verdict is still on screen
    clock.t += 1.6  # the usual hold is over, a typed verdict's is not (window trial 3)
    window._release_scans()
    qtbot.wait(30)
    assert medic.verdict.shown_verdict == "deny"
    clock.t += 8.0  # the typed verdict's 10 s hold is over
    window._release_scans()
    qtbot.waitUntil(lambda: medic.verdict.shown_count == first + 2, timeout=10_000)
    assert medic.verdict.shown_verdict != "deny" and not window.waiting_scans


def test_two_allows_in_a_row_are_told_apart_by_number_flash_and_sound(qtbot, make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    _typed_allow(qtbot, police)
    qtbot.waitUntil(lambda: police.verdict.shown_count == 1, timeout=10_000)
    first_line = police.verdict.when.text()
    assert police.verdict.flashing and "border: 10px solid #ffffff" in police.verdict.styleSheet()
    qtbot.waitUntil(lambda: not police.verdict.flashing, timeout=2_000)
    _typed_allow(qtbot, police)
    qtbot.waitUntil(lambda: police.verdict.shown_count == 2, timeout=10_000)
    assert police.verdict.flashing
    assert first_line.endswith("№ 1") and police.verdict.when.text().endswith("№ 2")
    assert window.sounds.played == ["allow", "allow"]
    qtbot.keyClicks(police.plate_entry, "38C-999.99")
    qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)
    # unregistered, no kind yet (issue 11): attention has its own tone
    qtbot.waitUntil(lambda: window.sounds.played[-1:] == ["attention"], timeout=10_000)
    qtbot.mouseClick(window.mute_button, Qt.MouseButton.LeftButton)
    assert "tắt" in window.mute_button.text()
    _typed_allow(qtbot, police)
    qtbot.waitUntil(lambda: police.verdict.shown_count == 4, timeout=10_000)
    assert window.sounds.played == ["allow", "allow", "attention"]  # muted


def test_each_verdict_has_its_own_short_tone(tmp_path):
    files = write_tones(tmp_path)
    lengths = {}
    for name, path in files.items():
        with wave.open(str(path)) as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2
            lengths[name] = w.getnframes() / w.getframerate()
            data = w.readframes(w.getnframes())
        assert 0.1 < lengths[name] < 0.6 and any(data)
    assert len({path.read_bytes() for path in files.values()}) == len(TONES)
