"""The window says whether it is online, when it last synced and what waits to be sent."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt

from kiosk.storage import Store
from kiosk_server import admin
from sync import engine as sync_engine
from tests.ui.test_roles import FORM, _fill
from tests.ui.test_shift_assistant import saved, to_review


def test_an_unpaired_kiosk_says_so_and_keeps_checking(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    qtbot.waitUntil(lambda: "Chưa ghép máy chủ" in window.sync_label.text(), timeout=10_000)
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "046085001234")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)


def test_a_paired_kiosk_shows_online_and_sends_what_it_recorded(
    qtbot, make_window, server, demo_dir
):
    store = Store.open(demo_dir / "kiosk.db")
    sync_engine.pair(store, server.url, admin.new_pairing_code(server.engine), "chot")
    store.close()
    window = make_window(camera="none-such-camera.avi")
    qtbot.waitUntil(lambda: "Trực tuyến" in window.sync_label.text(), timeout=20_000)
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "046085001234")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    window.sync.sync_now()
    qtbot.waitUntil(
        lambda: (
            window.sync_status is not None
            and window.sync_status.pending == 0
            and "0 bản ghi" in window.sync_label.text()
        ),
        timeout=20_000,
    )
    server.stop()
    window.sync.sync_now()
    qtbot.waitUntil(lambda: "Ngoại tuyến" in window.sync_label.text(), timeout=20_000)


def shown_to_send(window) -> int:
    """The number the status line says waits to be sent."""
    found = re.search(r"(\d+) bản ghi chờ gửi", window.sync_label.text())
    assert found, window.sync_label.text()
    return int(found.group(1))


def unsent(demo_dir: Path) -> int:
    """What waits to be sent, read from the kiosk's file by another connection."""
    store = Store.open(demo_dir / "kiosk.db")
    try:
        return store.replica.pending_count()
    finally:
        store.close()


def test_the_number_to_send_follows_every_scan_at_once(qtbot, make_window, demo_dir):
    # unpaired: the sync loop says how things stand once a minute, long after these scans
    window = make_window(camera="none-such-camera.avi")
    qtbot.waitUntil(lambda: "Chưa ghép máy chủ" in window.sync_label.text(), timeout=10_000)
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: shown_to_send(window) == unsent(demo_dir), timeout=5_000)
    before = shown_to_send(window)
    for _ in range(5):
        scans = medic.scans_today
        qtbot.keyClicks(medic.id_entry, "046085001234")
        qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda scans=scans: medic.scans_today == scans + 1, timeout=10_000)
        expected = unsent(demo_dir)  # the scan was committed before its verdict was shown
        assert expected > before
        qtbot.waitUntil(lambda expected=expected: shown_to_send(window) == expected, timeout=2_000)
        assert "Chưa ghép máy chủ" in window.sync_label.text()
        before = expected


def test_an_assisted_declaration_counts_as_soon_as_it_is_saved(qtbot, make_window, demo_dir):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    qtbot.waitUntil(lambda: "Chưa ghép máy chủ" in window.sync_label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: shown_to_send(window) == unsent(demo_dir), timeout=5_000)
    before = shown_to_send(window)
    desk = window.screen("assistant")
    _fill(qtbot, desk, FORM)
    to_review(qtbot, desk)
    saved(qtbot, desk)
    expected = unsent(demo_dir)
    assert expected > before
    qtbot.waitUntil(lambda: shown_to_send(window) == expected, timeout=2_000)
