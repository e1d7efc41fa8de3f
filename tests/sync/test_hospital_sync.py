"""Directive 82/CV-BCĐ I.6 end to end, against a real server process on 127.0.0.1: an approval
a health officer records in the back office reaches the kiosk with its next sync and turns the
medic's verdict for that patient from "no declaration" into "may enter for the hospital"; the
hospital's revocation, synced, turns it into a refusal."""

from __future__ import annotations

from datetime import datetime, timedelta

import requests
from sqlalchemy import select

from kiosk.checker import PersonDesk
from kiosk.clock import VIETNAM
from kiosk.messages import reason_text
from kiosk.rules import Verdict
from kiosk.storage.models import HospitalApproval
from kiosk_server import staff
from sync import engine as sync_engine
from tests.server.office import csrf_of

PATIENT = "048090001234"  # from Đà Nẵng, no declaration on the demo server
PASSWORD = "khám bệnh ngoài tỉnh 6"


def health_session(server) -> tuple[requests.Session, str]:
    staff.add_user(server.engine, "bv-yte", "health", PASSWORD, actor="admin")
    s = requests.Session()
    login = s.get(server.url + "/login")
    s.post(
        server.url + "/login",
        data={"csrf": csrf_of(login.text), "name": "bv-yte", "password": PASSWORD},
    )
    return s, csrf_of(s.get(server.url + "/hospital").text)


def test_an_approval_added_in_the_back_office_changes_the_medics_verdict(server, kiosk_store):
    desk = PersonDesk(kiosk_store, checkpoint_id="chot-test", operator_id="medic-1")
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    assert desk.check_id(PATIENT, "typed").reason == "not_found"

    today = datetime.now(VIETNAM).date()
    office, token = health_session(server)
    page = office.post(
        server.url + "/hospital",
        data={
            "csrf": token,
            "subject_id": PATIENT,
            "full_name": "Phan Văn Tâm",
            "home_province": "Đà Nẵng",
            "hospital": "Bệnh viện Trung ương Huế",
            "purpose": "kham",
            "appointment_date": (today + timedelta(days=1)).isoformat(),
            "entry_from": today.isoformat(),
            "entry_to": (today + timedelta(days=1)).isoformat(),
            "approved_by": "Khoa Nội",
        },
    )
    assert "Đã ghi phê duyệt" in page.text

    sync_engine.run_cycle(kiosk_store, client)
    result = desk.check_id(PATIENT, "typed")
    assert (result.verdict, result.reason) == (Verdict.ALLOW, "hospital_approved")
    assert reason_text(result.reason, result.params, "vi") == (
        "Được vào tỉnh để khám bệnh tại Bệnh viện Trung ương Huế "
        f"(hẹn ngày {today + timedelta(days=1):%d/%m})."
    )
    assert result.person.name == "Phan V** T**"
    with kiosk_store.engine.connect() as conn:  # the kiosk holds the minimum, never the name
        kept = conn.execute(select(HospitalApproval.__table__)).one()._mapping
    assert "Phan Văn Tâm" not in str(dict(kept)) and kept["hospital"] == "Bệnh viện Trung ương Huế"

    approval_id = kept["id"]
    office.post(
        server.url + f"/hospital/{approval_id}/revoke",
        data={"csrf": token, "reason": "Bệnh viện dời lịch"},
    )
    sync_engine.run_cycle(kiosk_store, client)
    result = desk.check_id(PATIENT, "typed")
    assert (result.verdict, result.reason) == (Verdict.DENY, "hospital_revoked")


def test_an_older_kiosk_skips_the_new_kind_and_keeps_syncing(server, kiosk_store, monkeypatch):
    """Protocol 1.2 is additive: a kiosk that knows no `hospital_approval` kind (1.1) applies
    the rest of the page and moves its cursor past it."""
    from kiosk.storage import replica

    office, token = health_session(server)
    today = datetime.now(VIETNAM).date()
    office.post(
        server.url + "/hospital",
        data={
            "csrf": token,
            "subject_id": PATIENT,
            "full_name": "Phan Văn Tâm",
            "home_province": "Đà Nẵng",
            "hospital": "Bệnh viện Trung ương Huế",
            "appointment_date": today.isoformat(),
        },
    )
    old_kinds = {k: v for k, v in replica.PULLED.items() if k != "hospital_approval"}
    monkeypatch.setattr(replica, "PULLED", old_kinds)
    report = sync_engine.run_cycle(kiosk_store, sync_engine.client_for(kiosk_store))
    assert report.pulled > 0
    desk = PersonDesk(kiosk_store, checkpoint_id="chot-test", operator_id="medic-1")
    assert desk.check_id(PATIENT, "typed").reason == "not_found"
    assert desk.check_id("046085001234", "typed").verdict == Verdict.ALLOW  # the demo's Đức
