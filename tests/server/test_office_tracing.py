"""Issue 10 in the back office: the tracing and statistics pages open for health and admin
only, and a traced person's contact shows in the table and the CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import requests

from kiosk_server import tracing
from tests.server.office import Office

A = "046085001234"  # the person traced
B = "046192004567"  # scanned ten minutes later at the same checkpoint: the contact


def scan(event_id: str, number: str, name: str, minute: int) -> SimpleNamespace:
    return SimpleNamespace(
        kind="scan",
        event_id=event_id,
        occurred_at=datetime(2026, 12, 1, 2, minute, tzinfo=UTC),  # 09:xx in Vietnam
        data={
            "checkpoint_id": "chot-1",
            "direction": "in",
            "person": {"id_number": number, "full_name": name},
            "subject_ref": number[:4] + "******" + number[-2:],
            "payload_kind": "cccd",
            "verdict": "allow",
        },
    )


@pytest.fixture
def traced(office: Office) -> Office:
    """Two people scanned ten minutes apart at chot-1, as a kiosk's push would record them."""
    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn,
            "kiosk-1",
            [scan("e1", A, "Trần Văn Đức", 0), scan("e2", B, "Lê Thị Hương", 10)],
        )
    return office


TRACE = {"id_number": A, "start": "2026-12-01", "end": "2026-12-01", "overlap": "15", "level": "1"}


@pytest.mark.parametrize("name", ["yte", "admin"])
def test_health_and_admin_trace_a_contact_and_read_the_statistics(traced, name):
    client, url = traced.session(name), traced.url
    home = client.get(url + "/").text
    assert 'href="/tracing"' in home and 'href="/stats"' in home
    page = client.get(url + "/tracing", params=TRACE)
    assert page.status_code == 200
    assert "Truy vết" in page.text and "Lê Thị Hương" in page.text and B in page.text
    csv = client.get(url + "/tracing.csv", params=TRACE)
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].split(",") == list(tracing.CSV_FIELDS)
    assert B in body and "Lê Thị Hương" in body
    day = {"start": "2026-12-01", "end": "2026-12-01", "by": "day"}
    stats = client.get(url + "/stats", params=day)
    assert stats.status_code == 200 and "Thống kê" in stats.text
    assert "2026-12-01" in stats.text and "<meter" in stats.text
    english = client.get(url + "/lang/en?next=/stats").text
    assert "Statistics" in english
    trail = [(a["actor"], a["action"]) for a in tracing.audit_trail(traced.server.engine)]
    assert (f"web:{name}", "trace") in trail and (f"web:{name}", "stats") in trail


def test_a_bad_id_number_is_said_not_raised(traced):
    page = traced.session("yte").get(traced.url + "/tracing", params={**TRACE, "id_number": "12ab"})
    assert page.status_code == 200 and "không hợp lệ" in page.text


@pytest.mark.parametrize("name", ["congan", "cho"])
def test_police_and_market_are_refused(traced, name):
    client, url = traced.session(name), traced.url
    assert 'href="/tracing"' not in client.get(url + "/").text
    for path in ("/tracing", "/tracing.csv", "/stats"):
        assert client.get(url + path, params=TRACE).status_code == 403
    assert all(a["actor"] != f"web:{name}" for a in tracing.audit_trail(traced.server.engine))


def test_without_a_session_the_pages_send_to_sign_in(traced):
    for path in ("/tracing", "/tracing.csv", "/stats"):
        answer = requests.get(traced.url + path, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
