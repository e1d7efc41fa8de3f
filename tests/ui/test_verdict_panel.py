from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from kiosk import messages
from kiosk.checker import Person, PersonResult
from kiosk.result import RoleResult
from kiosk.rules import Verdict
from ui.theme import VERDICT_COLOURS
from ui.verdict_panel import FAULTS, Describe, VerdictPanel, describe_person


def _result() -> PersonResult:
    person = Person(id_number="046085001234", name="Trần Văn Đức", birth_date=date(1985, 3, 12))
    at = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    return PersonResult(Verdict.DENY, "rejected", "e1", at, payload_kind="typed_id", person=person)


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


def _every_role() -> list[tuple[RoleResult, Describe]]:
    from pathlib import Path

    from kiosk.assisted import DeclarationResult
    from kiosk.declaration_form import validate
    from kiosk.market_gate import CardResult
    from kiosk.receipts import receipt_content
    from kiosk.storage.outbox import QueuedDeclaration
    from kiosk.vehicles import VehicleResult
    from tests.kiosk.test_result import FORM
    from ui.market_screen import describe_card
    from ui.police_screen import describe_vehicle

    at = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    decl, _ = validate(FORM, at.date())
    queued = QueuedDeclaration("123456789012345678", "e4", at, "queued")
    return [
        (replace(_result(), source="typed"), describe_person),
        (
            VehicleResult(
                Verdict.DENY,
                "freight_not_registered",
                "e2",
                at,
                plate="75c 12354",
                source="typed",
            ),
            describe_vehicle,
        ),
        (
            CardResult(
                Verdict.DENY,
                "card_wrong_day",
                "e3",
                at,
                source="camera",
                lang_params={"vi": {"days": "T2, T4"}, "en": {"days": "Mon, Wed"}},
            ),
            describe_card,
        ),
        (
            DeclarationResult(
                Verdict.ATTENTION,
                "declaration_queued",
                "e4",
                at,
                params={"receipt": queued.receipt_no},
                source="typed",
                declaration=decl,
                queued=queued,
                receipt=Path("r.pdf"),
                content=receipt_content(decl, queued.receipt_no, at, "c1", "chờ", "pending"),
            ),
            describe_person,
        ),
    ]


@pytest.mark.parametrize("index", range(4), ids=["medic", "police", "market", "assistant"])
def test_every_role_result_takes_the_same_path_to_the_panel(qtbot, index):
    result, describe = _every_role()[index]
    panel = VerdictPanel("supervisor", "vi", describe)
    qtbot.addWidget(panel)
    panel.show_result(result)
    assert panel.shown_verdict == result.verdict.value and panel.shown_result is result
    assert panel.word.text() == messages.verdict_word(result.verdict.value, "vi")
    assert panel.reason.text() == result.message("vi") == result.to_json()["message_vi"]
    assert VERDICT_COLOURS[result.verdict.value][0] in panel.styleSheet()
    assert panel.when.text().startswith("15:00:00 · ")
    panel.retranslate("en")
    assert panel.reason.text() == result.messages()["en"]
    assert panel.word.text() == messages.verdict_word(result.verdict.value, "en")
    panel.show_error("plate_malformed")
    assert panel.shown_verdict == "error" and panel.shown_result is None


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("id_bad_length", "LỖI NHẬP", "INPUT ERROR"),  # a malformed ID number
        ("plate_malformed", "LỖI NHẬP", "INPUT ERROR"),
        ("cccd_malformed", "LỖI NHẬP", "INPUT ERROR"),  # a torn QR
        ("disk_full", "SỰ CỐ", "FAULT"),  # the machine's, not the operator's
    ],
)
def test_an_error_has_a_big_word_and_its_reason_in_its_own_colour(qtbot, code, vi, en):
    panel = VerdictPanel("medic", "vi")
    qtbot.addWidget(panel)
    panel.show_error(code)
    assert panel.word.text() == vi
    assert panel.reason.text() == messages.error_text(code, "vi")
    background = VERDICT_COLOURS["error"][0]
    assert background in panel.styleSheet()
    assert background not in (VERDICT_COLOURS["allow"][0], VERDICT_COLOURS["deny"][0])
    panel.retranslate("en")
    assert panel.word.text() == en and panel.reason.text() == messages.error_text(code, "en")


def test_every_fault_of_the_machine_is_called_a_fault_not_an_input_error():
    """A new EnvironmentProblem code must not tell the operator to check what they typed."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "kiosk"
    raised = {
        code
        for path in root.rglob("*.py")
        for call in re.findall(r"raise EnvironmentProblem\(([^)]*)\)", path.read_text())
        for code in re.findall(r'"(\w+)"', call)
    }
    assert raised and raised <= FAULTS, raised - FAULTS
