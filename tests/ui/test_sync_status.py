"""The window says whether it is online, when it last synced and what waits to be sent."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.storage import Store
from kiosk_server import admin
from sync import engine as sync_engine


def test_an_unpaired_kiosk_says_so_and_keeps_checking(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    qtbot.waitUntil(lambda: "Chưa ghép máy chủ" in window.sync_label.text(), timeout=10_000)
    medic = window.screen("medic")
    qtbot.keyClicks(medic.id_entry, "046085001234")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)


def test_a_paired_kiosk_shows_online_and_sends_what_it_recorded(qtbot, make_window, server,
                                                                 demo_dir):
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
    qtbot.waitUntil(lambda: window.sync_status is not None and window.sync_status.pending == 0
                    and "0 bản ghi" in window.sync_label.text(), timeout=20_000)
    server.stop()
    window.sync.sync_now()
    qtbot.waitUntil(lambda: "Ngoại tuyến" in window.sync_label.text(), timeout=20_000)
