"""Directive 82/CV-BCĐ I.6: a patient from another province comes for an examination on the
approval the hospital gave, with no approved declaration. The approvals arrive as the server
sends them (a page of changes applied by the kiosk's replica) into a real SQLite file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk import messages
from kiosk.checker import PersonDesk
from kiosk.rules import HospitalFacts, Verdict, hospital_decision
from tests.kiosk.conftest import NOW, declaration_row

PATIENT = "048090001234"  # a man from Đà Nẵng born 1990, no declaration at all
PENDING = "046192004567"  # a woman whose own declaration waits for approval
TODAY = date(2026, 11, 22)  # NOW in Vietnam


def approval(
    i: int,
    subject: str,
    *,
    appointment: date = TODAY,
    days: tuple[int, int] = (-1, 0),
    status: str = "approved",
    hospital: str = "Bệnh viện Trung ương Huế",
) -> dict:
    return {
        "kind": "hospital_approval",
        "key": str(i),
        "op": "upsert",
        "data": {
            "id": i,
            "subject_id": subject,
            "masked_name": "Phan V** T**",
            "hospital": hospital,
            "appointment_date": appointment.isoformat(),
            "entry_from": (appointment + timedelta(days=days[0])).isoformat(),
            "entry_to": (appointment + timedelta(days=days[1])).isoformat(),
            "status": status,
        },
    }


@pytest.fixture
def desk(store):
    store.put_declarations(
        [declaration_row(2, PENDING, "Lê Thị Hương", date(1992, 7, 1), "F", "pending")]
    )
    return PersonDesk(store, checkpoint_id="chot-1", operator_id="medic-1", clock=lambda: NOW)


def check(desk, number: str):
    return desk.check_id(number, "typed")


def test_a_patient_with_todays_hospital_approval_is_allowed_and_told_where_and_when(desk, store):
    assert check(desk, PATIENT).reason == "not_found"
    store.replica.apply_page([approval(7, PATIENT)], 1)
    result = check(desk, PATIENT)
    assert (result.verdict, result.reason) == (Verdict.ALLOW, "hospital_approved")
    said = messages.reason_text(result.reason, result.params, "vi")
    assert said == "Được vào tỉnh để khám bệnh tại Bệnh viện Trung ương Huế (hẹn ngày 22/11)."
    assert "Bệnh viện Trung ương Huế" in messages.reason_text(result.reason, result.params, "en")
    # the medic sees the name only as the server masked it; the full name never came down
    assert result.person.name == "Phan V** T**"
    assert result.person.id_number == PATIENT


def test_a_pending_declaration_gives_way_to_the_hospital_approval(desk, store):
    assert check(desk, PENDING).reason == "pending"
    store.replica.apply_page([approval(8, PENDING)], 1)
    result = check(desk, PENDING)
    assert (result.verdict, result.reason) == (Verdict.ALLOW, "hospital_approved")
    assert result.person.name == "Lê Thị Hương"  # her own declaration names her


@pytest.mark.parametrize(
    ("change", "reason", "said"),
    [
        (
            {"appointment": TODAY + timedelta(days=3)},
            "hospital_not_yet",
            "chỉ duyệt cho vào tỉnh trong các ngày 24/11–25/11",
        ),
        ({"appointment": TODAY - timedelta(days=2)}, "hospital_expired", "hết hạn ngày 20/11"),
        ({"status": "revoked"}, "hospital_revoked", "đã thu hồi phê duyệt (hẹn ngày 22/11)"),
    ],
)
def test_another_days_or_a_revoked_approval_is_refused_with_its_reason(
    desk, store, change, reason, said
):
    store.replica.apply_page([approval(9, PATIENT, **change)], 1)
    result = check(desk, PATIENT)
    assert (result.verdict, result.reason) == (Verdict.DENY, reason)
    assert said in messages.reason_text(result.reason, result.params, "vi")


def test_a_revocation_pulled_later_turns_the_allow_into_a_refusal(desk, store):
    store.replica.apply_page([approval(7, PATIENT)], 1)
    assert check(desk, PATIENT).verdict == Verdict.ALLOW
    store.replica.apply_page([approval(7, PATIENT, status="revoked")], 2)
    assert check(desk, PATIENT).reason == "hospital_revoked"


def test_an_approved_declaration_or_a_rejection_still_decides(store):
    store.put_declarations(
        [
            declaration_row(1, PATIENT, "Phan Văn Tâm", date(1990, 1, 2)),
            declaration_row(3, PENDING, "Lê Thị Hương", date(1992, 7, 1), "F", "rejected"),
        ]
    )
    store.replica.apply_page([approval(7, PATIENT), approval(8, PENDING)], 1)
    desk = PersonDesk(store, checkpoint_id="chot-1", operator_id="medic-1", clock=lambda: NOW)
    assert check(desk, PATIENT).reason == "approved"
    assert check(desk, PENDING).reason == "rejected"


def test_the_scan_row_keeps_the_masked_id_and_the_hospital_reason(desk, store):
    store.replica.apply_page([approval(7, PATIENT)], 1)
    check(desk, PATIENT)
    from sqlalchemy import select

    from kiosk.storage.models import ScanEvent

    with store.engine.connect() as conn:
        row = conn.execute(select(ScanEvent.__table__).order_by(ScanEvent.seq.desc())).first()
    assert (row.reason, row.verdict, row.subject_ref) == (
        "hospital_approved",
        "allow",
        "0480******34",
    )


def test_of_several_approvals_the_one_for_today_speaks():
    def facts(start: int, end: int, revoked: bool = False) -> HospitalFacts:
        return HospitalFacts(
            "BV",
            TODAY + timedelta(days=end),
            TODAY + timedelta(days=start),
            TODAY + timedelta(days=end),
            revoked=revoked,
        )

    assert hospital_decision((), TODAY) is None
    both = (facts(-10, -9), facts(0, 0), facts(0, 0, revoked=True), facts(5, 6))
    assert hospital_decision(both, TODAY).reason == "hospital_approved"
    assert hospital_decision((facts(-10, -9), facts(5, 6)), TODAY).reason == "hospital_not_yet"
    assert hospital_decision((facts(-10, -9), facts(0, 0, True)), TODAY).reason == (
        "hospital_revoked"
    )
    assert hospital_decision((facts(-10, -9),), TODAY).reason == "hospital_expired"


def test_a_valid_code_not_yet_synced_is_not_refused_for_another_days_approval():
    from datetime import UTC, datetime

    from kiosk.rules import Facts, decide

    now = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    later = HospitalFacts(
        "BV", TODAY + timedelta(days=3), TODAY + timedelta(days=2), TODAY + timedelta(days=3)
    )
    today = HospitalFacts("BV", TODAY, TODAY, TODAY)
    assert decide(Facts(signed_not_cached=True, hospital=(later,)), now).reason == (
        "signed_not_cached"
    )
    assert decide(Facts(signed_not_cached=True, hospital=(today,)), now).reason == (
        "hospital_approved"
    )
    assert decide(Facts(hospital=(later,)), now).reason == "hospital_not_yet"
