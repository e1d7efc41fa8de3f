"""The medic's window for a patient from another province who comes on a hospital's approval
(directive 82/CV-BCĐ I.6): green, the big word, one line saying where and when, the name only
as the server masked it."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from kiosk.clock import VIETNAM
from kiosk.storage import Store

PATIENT = "048090001234"  # no declaration in the demo data


def _approve(demo_dir, **change) -> None:
    today = datetime.now(VIETNAM).date()
    data = {
        "id": 7,
        "subject_id": PATIENT,
        "masked_name": "Phan V** T**",
        "hospital": "Bệnh viện Trung ương Huế",
        "appointment_date": today.isoformat(),
        "entry_from": (today - timedelta(days=1)).isoformat(),
        "entry_to": today.isoformat(),
        "status": "approved",
        **change,
    }
    store = Store.open(demo_dir / "kiosk.db")
    try:
        store.replica.apply_page(
            [{"kind": "hospital_approval", "key": "7", "op": "upsert", "data": data}], 1
        )
    finally:
        store.close()


def _type(qtbot, medic, number: str) -> None:
    qtbot.keyClicks(medic.id_entry, number)
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)


def test_a_patient_on_a_hospital_approval_is_shown_green_with_where_and_when(
    qtbot, make_window, demo_dir
):
    _approve(demo_dir)
    window = make_window()
    medic = window.screen("medic")
    _type(qtbot, medic, PATIENT)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    today = datetime.now(VIETNAM).date()
    assert medic.verdict.reason.text() == (
        f"Được vào tỉnh để khám bệnh tại Bệnh viện Trung ương Huế (hẹn ngày {today:%d/%m})."
    )
    assert "Phan V** T**" in medic.verdict.person.text()
    assert "Phan Văn" not in medic.verdict.person.text()


def test_a_revoked_approval_is_shown_red_with_its_reason(qtbot, make_window, demo_dir):
    _approve(demo_dir, status="revoked")
    window = make_window()
    medic = window.screen("medic")
    _type(qtbot, medic, PATIENT)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    assert "đã thu hồi phê duyệt" in medic.verdict.reason.text()
