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
    qtbot.waitUntil(lambda: police.verdict.shown_count == 2, timeout=10_000)
    panel = window.screen("supervisor")
    assert panel.search.hasFocus()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.scans.count() >= 2, timeout=10_000)
    operators = [panel.operators.item(i).text() for i in range(panel.operators.count())]
    assert any("Thiếu úy Trần Quốc Bảo" in o and "Công an" in o for o in operators)
    # an unregistered plate waits for its kind (directive 82, issue 11): attention, not deny
    assert "ĐƯỢC QUA: 1" in panel.numbers.text() and "KIỂM TRA: 1" in panel.numbers.text()
    assert ":00" in panel.hours.text()
    qtbot.keyClicks(panel.search, "kind_needed")
    qtbot.waitUntil(lambda: panel.scans.count() == 1, timeout=10_000)
    assert "vehicle_kind_needed" in panel.scans.item(0).text()


def test_a_disposition_is_recorded_with_the_check_and_queued_for_the_server(
    qtbot, make_window, demo_dir
):
    from kiosk.storage import Store
    from kiosk.storage.replica import Replica

    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    medic = window.screen("medic")
    assert not medic.disposition_buttons["sent_for_testing"].isEnabled()
    qtbot.keyClicks(medic.id_entry, "048078007890")
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: medic.last_event_id is not None, timeout=10_000)
    event_id = medic.last_event_id
    qtbot.mouseClick(medic.disposition_buttons["sent_for_testing"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "xét nghiệm" in medic.disposition_label.text(), timeout=10_000)
    assert medic.id_entry.hasFocus()
    panel = window.screen("supervisor")
    qtbot.keyClicks(panel.search, "sent_for")
    qtbot.waitUntil(lambda: panel.scans.count() == 1, timeout=10_000)
    assert "Chuyển đi xét nghiệm" in panel.scans.item(0).text()
    store = Store.open(demo_dir / "kiosk.db")
    try:
        pending = Replica(store.engine).pending(10_000)
    finally:
        store.close()
    audit = [e for e in pending if e.kind == "audit" and e.data.get("action") == "disposition"]
    assert [(e.data["subject_ref"], e.data["outcome"]) for e in audit] == [
        (event_id, "sent_for_testing")
    ]
    scan = next(e for e in pending if e.kind == "scan" and e.event_id == event_id)
    assert scan.data["disposition"] == "sent_for_testing"


def test_the_supervisor_prints_the_days_report_into_the_data_directory(
    qtbot, make_window, demo_dir
):
    import subprocess

    from kiosk.clock import local, utc_now

    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    panel = window.screen("supervisor")
    assert panel.report_button.text() == "In báo cáo ngày"
    out = demo_dir / "reports" / f"bao-cao-{local(utc_now()).date():%Y%m%d}.pdf"
    qtbot.mouseClick(panel.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: str(out) in panel.report_label.text(), timeout=20_000)
    assert out.exists() and panel.report_button.isEnabled()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Báo cáo ngày" in text
