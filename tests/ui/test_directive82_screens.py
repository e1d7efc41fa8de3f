"""Issue 11 on the screens: the police name an unregistered vehicle's kind with one key, see
freight past its stay, and the medic checks a car's occupants under its entry."""

from __future__ import annotations

import subprocess
from datetime import date

from PySide6.QtCore import Qt

from kiosk.checker import Person, PersonResult
from kiosk.rules import Verdict
from tests.kiosk.conftest import NOW
from ui.verdict_panel import describe_person


def test_police_name_the_kind_of_an_unregistered_plate_with_one_key(qtbot, make_window):
    """Seed 000 part III.4.a: a car under 7 seats, every occupant declares at the checkpoint;
    part III.2.a: freight past its stay is on the police screen."""
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = window.screen("police")
    qtbot.waitUntil(lambda: "75R-012.34" in police.overdue_label.text(), timeout=10_000)
    qtbot.keyClicks(police.plate_entry, "75A-111.11")
    qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: police.verdict.shown_verdict == "attention", timeout=10_000)
    assert all(b.isVisible() for b in police.kind_buttons)
    assert police.kind_buttons[3].text() == "4 · ô tô dưới 7 chỗ"
    qtbot.keyClick(police, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: "dưới 7 chỗ" in police.verdict.reason.text(), timeout=10_000)
    assert not any(b.isVisible() for b in police.kind_buttons)  # asked once, answered
    police.kind_buttons[0].click()  # hidden buttons do nothing
    assert police.asking_plate is None


def test_the_medic_checks_a_car_s_occupants_under_its_entry(qtbot, make_window, demo_dir):
    """Seed 000 part III.4.a and III.4.b: each occupant checked one by one, grouped under the
    car's entry; those referred to quarantine are printed for the quarantine team."""
    police_window = make_window(operator="police-demo", camera="none-such-camera.avi")
    police = police_window.screen("police")
    qtbot.keyClicks(police.plate_entry, "75A-222.22")
    qtbot.keyClick(police.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: police.asking_plate is not None, timeout=10_000)
    police.kind_buttons[3].click()
    qtbot.waitUntil(lambda: "dưới 7 chỗ" in police.verdict.reason.text(), timeout=10_000)
    window = make_window(operator="medic-demo", camera="none-such-camera.avi")
    medic = window.screen("medic")
    medic.refresh_vehicles()
    qtbot.waitUntil(lambda: medic.vehicle.count() == 2, timeout=10_000)
    assert medic.vehicle.itemText(1).startswith("75A-222.22 · ô tô dưới 7 chỗ")
    medic.vehicle.setCurrentIndex(1)
    for number in ("046090006789", "046085001234"):
        qtbot.keyClicks(medic.id_entry, number)
        qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: medic.id_entry.text() == "", timeout=10_000)
    qtbot.waitUntil(lambda: medic.occupants.text() == "2 người trên xe đã kiểm tra", timeout=10_000)
    medic.handover_button.click()
    qtbot.waitUntil(lambda: "1 người" in medic.handover_note.text(), timeout=20_000)
    pdf = next((demo_dir / "handover").glob("ban-giao-*.pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Nguyễn Thị Thu Hà" in text and "046090006789" in text


def test_both_names_are_shown_to_the_medic_and_masked_for_others():
    """The chip-CCCD QR is not signed: when its name differs from the declaration's, the medic
    sees both (seed 004 part II.5: in full only where the role has the authority)."""
    result = PersonResult(
        Verdict.ATTENTION,
        "code_name_differs",
        "e1",
        NOW,
        payload_kind="cccd_qr",
        person=Person(id_number="046085001234", name="Trần Văn Đức", birth_date=date(1985, 3, 12)),
        on_code=Person(id_number="046085001234", name="Trần Văn Đạt", birth_date=date(1985, 3, 12)),
    )
    medic = describe_person(result, "medic", "vi")
    assert "Trần Văn Đức" in medic and "Trên mã: Trần Văn Đạt" in medic
    other = describe_person(result, "market", "vi")
    assert "Đức" not in other and "Đạt" not in other and "Trên mã:" in other
