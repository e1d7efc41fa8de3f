"""The supervisor's panel shows the data directory's health (issue 15, point 6), worked out on
the database lane, and a backup made from it turns the red backup line green."""

from __future__ import annotations

import json
import threading

from PySide6.QtCore import Qt

import ui.health_panel
from kiosk.health import check_health


def test_the_supervisor_sees_the_data_directory_and_backs_up_from_there(
    qtbot, make_window, demo_dir, monkeypatch
):
    threads: list[str] = []

    def recorded(store, now=None):
        threads.append(threading.current_thread().name)
        return check_health(store, now)

    monkeypatch.setattr(ui.health_panel, "check_health", recorded)
    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    panel = window.screen("supervisor").health
    qtbot.waitUntil(lambda: panel.health is not None, timeout=20_000)
    assert threads and threading.main_thread().name not in threads  # never the GUI thread
    assert panel.title.text() == "Thư mục dữ liệu"
    assert panel.lines["disk"].text().startswith("✓ Ổ đĩa: còn trống ")
    assert panel.lines["database"].text() == "✓ Đã kiểm tra cơ sở dữ liệu: không có hư hỏng."
    assert panel.lines["encryption"].text() == "✓ Dữ liệu trên đĩa đã được mã hoá."
    # the demo's market entries and overdue lorry were never sent: a sync line with a count
    assert "bản ghi" in panel.lines["sync"].text()
    backup = panel.lines["backup"]
    assert backup.text() == "⚠ Chưa có bản sao lưu nào: hãy sao lưu ngay."
    assert panel.state("backup") == "act" and "#c62828" in backup.styleSheet()
    assert panel.isVisibleTo(window)

    assert panel.backup_button.text() == "Sao lưu ngay"
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state("backup") == "ok", timeout=20_000)
    assert backup.text().startswith("✓ Sao lưu gần nhất: ")
    assert "#c62828" not in backup.styleSheet()
    assert len(list((demo_dir / "backups").glob("kiosk-*.db"))) == 1

    window.toggle_language()
    assert panel.lines["database"].text() == "✓ Database checked: no damage found."
    assert panel.check_button.text() == "Check again"


def test_a_backup_that_fails_is_logged_and_said_to_the_supervisor(qtbot, make_window, demo_dir):
    """As the hourly backup's failure is: a `backup_failed` event, and words the supervisor can
    act on (here the backups folder cannot be made: a file stands in its place)."""
    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    panel = window.screen("supervisor").health
    qtbot.waitUntil(lambda: panel.health is not None, timeout=20_000)
    (demo_dir / "backups").write_text("not a folder")
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=20_000)
    assert panel.message.text().startswith("Không sao lưu được: không ghi được vào thư mục")
    assert "#c62828" in panel.message.styleSheet() and panel.backup_button.isEnabled()
    assert panel.state("backup") == "act"  # still no backup
    events = [
        json.loads(line)
        for line in (demo_dir / "logs" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    failed = [e for e in events if e["event"] == "backup_failed"]
    assert len(failed) == 1
    assert failed[0]["error"] == "backup_not_writable"
    assert failed[0]["operator"] == "supervisor-demo"
