from __future__ import annotations

from datetime import UTC, date, datetime

from kiosk.checker import CheckResult, Person
from kiosk.rules import Verdict
from ui.theme import VERDICT_COLOURS
from ui.verdict_panel import VerdictPanel


def _result() -> CheckResult:
    person = Person(id_number="046085001234", name="Trần Văn Đức", birth_date=date(1985, 3, 12))
    return CheckResult(
        Verdict.DENY, "rejected", "typed_id", "e1", datetime(2026, 11, 22, 8, 0, tzinfo=UTC), person
    )


def test_medic_sees_the_whole_name_and_number(qtbot):
    panel = VerdictPanel("medic", "vi")
    qtbot.addWidget(panel)
    panel.show_result(_result())
    assert "Trần Văn Đức" in panel.person.text()
    assert "046085001234" in panel.person.text()


def test_other_roles_see_masked_personal_data(qtbot):
    panel = VerdictPanel("police", "vi")
    qtbot.addWidget(panel)
    panel.show_result(_result())
    text = panel.person.text()
    assert "Trần V** Đ**" in text and "0460******34" in text
    assert "046085001234" not in text and "Đức" not in text


def test_verdict_is_a_colour_a_big_word_and_one_reason(qtbot):
    panel = VerdictPanel("medic", "vi")
    qtbot.addWidget(panel)
    panel.show_result(_result())
    assert panel.word.text() == "TỪ CHỐI"
    assert panel.reason.text() == "Tờ khai đã bị từ chối."
    assert VERDICT_COLOURS["deny"][0] in panel.styleSheet()
    assert panel.word.font().pointSize() >= 48


def test_waiting_panel_tells_the_operator_what_to_do(qtbot):
    panel = VerdictPanel("medic", "en")
    qtbot.addWidget(panel)
    assert panel.word.text() == "READY"
    assert "QR" in panel.reason.text()


def test_the_time_of_a_check_is_vietnamese_time_whatever_the_laptop_zone(qtbot, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")  # a laptop set up abroad
    time.tzset()
    try:
        panel = VerdictPanel("medic", "vi")
        qtbot.addWidget(panel)
        panel.show_result(_result())  # checked at 08:00 UTC
        assert panel.when.text().startswith("15:00:00")
    finally:
        monkeypatch.undo()
        time.tzset()
