"""Verdict sounds in the default install (issue 15, point 4): each verdict plays its own tone
through a real audio output, mute silences it, and a machine without audio is no error.

The output is miniaudio's "null" device: the real playback path (device, audio thread, the
samples handed over in the sizes the device asks for) ending in no loudspeaker."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt

import ui.sound
from tests.ui.conftest import sample


def _typed_plate(qtbot, police, plate: str) -> None:
    qtbot.keyClicks(police.plate_entry, plate)
    qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)


@pytest.fixture
def null_audio(monkeypatch) -> None:
    monkeypatch.setattr(ui.sound, "BACKENDS", ("null",))


def test_each_verdict_plays_its_own_tone_to_the_audio_device(qtbot, make_window, null_audio):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    sounds = window.sounds
    assert sounds.available, sounds.device_problem
    police = window.screen("police")
    _typed_plate(qtbot, police, "75C-123.45")  # approved freight: ALLOW
    qtbot.waitUntil(lambda: sounds.frames_out["allow"] == len(sounds.tones["allow"]), timeout=5000)
    _typed_plate(qtbot, police, "51D-135.79")  # rejected: DENY
    qtbot.waitUntil(lambda: sounds.frames_out["deny"] == len(sounds.tones["deny"]), timeout=5000)
    assert sounds.played == ["allow", "deny"]
    assert set(sounds.frames_out) == {"allow", "deny"}
    assert len(sounds.tones["deny"]) > len(sounds.tones["allow"])  # a long low stop
    qtbot.waitUntil(lambda: not sounds.device.running, timeout=3000)  # off once it is over


def test_mute_silences_the_next_verdict(qtbot, make_window, null_audio):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    qtbot.mouseClick(window.mute_button, Qt.MouseButton.LeftButton)
    assert window.mute_button.text() == "Âm thanh: tắt"
    _typed_plate(qtbot, police, "75C-123.45")
    qtbot.waitUntil(lambda: police.verdict.shown_verdict == "allow", timeout=10_000)
    qtbot.wait(300)
    assert window.sounds.played == [] and sum(window.sounds.frames_out.values()) == 0
    qtbot.mouseClick(window.mute_button, Qt.MouseButton.LeftButton)  # on again
    _typed_plate(qtbot, police, "75C-123.45")
    qtbot.waitUntil(lambda: window.sounds.frames_out["allow"] > 0, timeout=5000)


def test_the_volume_setting_scales_the_tone(qtbot, make_window, null_audio):
    loud = make_window(operator=None, camera="none-such-camera.avi", sound_volume=1.0).sounds
    soft = make_window(operator=None, camera="none-such-camera.avi", sound_volume=0.25).sounds
    peak = max(loud._scaled["allow"])
    assert peak > 25_000 and abs(max(soft._scaled["allow"]) - peak / 4) < 2


def test_no_audio_device_is_no_error(qtbot, make_window, monkeypatch, demo_dir, caplog):
    monkeypatch.setattr(ui.sound, "BACKENDS", ("jack",))  # no JACK server runs anywhere here
    caplog.set_level(logging.WARNING)
    window = make_window(camera="none-such-camera.avi")
    assert not window.sounds.available and window.sounds.device_problem
    medic = window.screen("medic")
    window.devices.scanned.emit(sample(demo_dir, "token-approved.png")["payload"], "camera")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    assert window.sounds.played == ["allow"]  # asked for, heard by no one, and no complaint
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert window.status.text() == ""
