"""Devices come and go at a checkpoint: the window follows without a restart."""

from __future__ import annotations

import os

from tests.ui.conftest import feed_of, sample


def _payload(demo_dir, file: str) -> str:
    return sample(demo_dir, file)["payload"]


def test_camera_plugged_in_late_is_picked_up_without_restart(qtbot, make_window, demo_dir):
    path = demo_dir / "late-camera.mp4"
    window = make_window(camera=str(path))
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: "Mất tín hiệu camera" in window.camera_text, timeout=10_000)
    feed = feed_of(demo_dir, [_payload(demo_dir, "token-symptoms.png")])
    feed.rename(path)  # the camera appears
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "attention", timeout=20_000)
    assert "sốt, ho" in medic.verdict.reason.text()
    assert "Mất tín hiệu" not in window.camera_text


def test_serial_reader_scan_with_vietnamese_name_ends_as_verdict(qtbot, make_window, demo_dir):
    master, slave = os.openpty()
    try:
        window = make_window(camera="none-such-camera.avi", serial_port=os.ttyname(slave))
        medic = window.screen("medic")
        cccd = _payload(demo_dir, "cccd-approved.png")
        qtbot.waitUntil(lambda: window.devices.serial_state == "live", timeout=10_000)
        os.write(master, cccd.encode("utf-8") + b"\r\n")
        qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
        assert "Trần Văn Đức" in medic.verdict.person.text()
        assert "đầu đọc" in medic.verdict.when.text()
    finally:
        window.shutdown()
        os.close(master)
        os.close(slave)


def test_binary_from_serial_reader_is_not_a_checkpoint_code(qtbot, make_window):
    master, slave = os.openpty()
    try:
        window = make_window(camera="none-such-camera.avi", serial_port=os.ttyname(slave))
        medic = window.screen("medic")
        qtbot.waitUntil(lambda: window.devices.serial_state == "live", timeout=10_000)
        os.write(master, b"\xff\xfe\x00\x81garbage\r\n")
        qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=10_000)
        assert "Không phải mã của chốt kiểm soát" in medic.verdict.reason.text()
    finally:
        window.shutdown()
        os.close(master)
        os.close(slave)


def test_url_qr_shown_to_the_camera_is_not_a_checkpoint_code(qtbot, make_window, demo_dir):
    feed = feed_of(demo_dir, ["https://tokhaiyte.vn/"])
    window = make_window(camera=str(feed))
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=20_000)
    assert "Không phải mã của chốt kiểm soát" in medic.verdict.reason.text()
