"""Issue 15, points 6 and 9: the supervisor's panel: operators, today's numbers, the last scans
with a search."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_supervisor_sees_operators_numbers_and_searches_the_last_scans(qtbot, make_window):
    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    for plate in ("75C-123.45", "38C-999.99"):
        qtbot.keyClicks(police.plate_entry, plate)
        qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: police.plate_entry.text() == "", timeout=10_000)
    qtbot.waitUntil(lambda: police.verdict.number == 2, timeout=10_000)
    panel = window.screen("supervisor")
    assert panel.search.hasFocus()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.scans.count() >= 2, timeout=10_000)
    operators = [panel.operators.item(i).text() for i in range(panel.operators.count())]
    assert any("Thiếu úy Trần Quốc Bảo" in o and "Công an" in o for o in operators)
    assert "ĐƯỢC QUA: 1" in panel.numbers.text() and "TỪ CHỐI: 1" in panel.numbers.text()
    assert ":00" in panel.hours.text()
    qtbot.keyClicks(panel.search, "not_registered")
    qtbot.waitUntil(lambda: panel.scans.count() == 1, timeout=10_000)
    assert "vehicle_not_registered" in panel.scans.item(0).text()
