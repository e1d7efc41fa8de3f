"""What the back office answers to values typed past what it can hold: a message in the
operator's language, never a server error (a 500 says nothing and fills the log)."""

from __future__ import annotations

import pytest

from tests.server.office import csrf_of, post_form

A = "046085001234"
TRACE = {"id_number": A, "start": "2026-12-01", "end": "2026-12-01", "overlap": "15", "level": "1"}
HUGE = "9" * 20  # past a 64-bit integer: SQLite raises on it
BAD_NUMBER = "Số trang hoặc mã số không hợp lệ"


def test_dates_no_instant_exists_for_are_said_not_raised(office):
    client = office.session("yte")
    far = {**TRACE, "start": "0001-01-01", "end": "9999-12-31"}
    page = post_form(client, office.url, "/tracing", "/tracing", far)
    assert page.status_code == 400 and 'class="error"' in page.text
    answer = post_form(client, office.url, "/tracing", "/tracing.csv", far)
    assert answer.status_code == 400 and "không hợp lệ" in answer.text
    stats = client.get(office.url + "/stats", params={"start": "0001-01-01", "end": "9999-12-31"})
    assert stats.status_code == 400 and 'class="error"' in stats.text


@pytest.mark.parametrize(
    "path",
    [
        "/hospital?page=" + HUGE,
        "/declarations?page=" + HUGE,
        "/hospital?approval=" + HUGE,
        "/hospital?page=%EF%BC%93",
        "/audit?page=" + HUGE,
    ],
)
def test_a_page_number_or_id_past_the_database_is_said_not_raised(office, path):
    client = office.session("admin")
    answer = client.get(office.url + path)
    assert answer.status_code == 400 and BAD_NUMBER in answer.text
    english = client.get(office.url + "/lang/en?next=/")
    assert english.ok
    assert "not valid" in client.get(office.url + path).text


def test_the_hospital_search_page_number_is_bounded_too(office):
    client = office.session("yte")
    token = csrf_of(client.get(office.url + "/hospital").text)
    answer = client.post(
        office.url + "/hospital/search", data={"csrf": token, "q": A, "page": HUGE}
    )
    assert answer.status_code == 400 and BAD_NUMBER in answer.text
    fine = client.post(office.url + "/hospital/search", data={"csrf": token, "q": A, "page": "1"})
    assert fine.status_code == 200
    revoke = client.post(office.url + f"/hospital/{HUGE}/revoke", data={"csrf": token})
    assert revoke.status_code == 400


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("start", "2026-13-45", "Ngày không hợp lệ"),
        ("end", "1/12/26", "Ngày không hợp lệ"),  # day/month/year needs the whole year
        ("end", "12-01-2026x", "Ngày không hợp lệ"),
        ("start", "2026-12-05", "Ngày kết thúc trước ngày bắt đầu"),  # after the end
        ("overlap", "abc", "Khoảng thời gian phải là số phút"),
        ("overlap", "\u0663", "Khoảng thời gian phải là số phút"),  # Arabic-Indic 3
        ("overlap", "0", "Khoảng thời gian phải là số phút"),
        ("level", "x", "Mức truy vết phải là"),
        ("level", "3", "Mức truy vết phải là"),
        (
            "id_number",
            "\uff10\uff14\uff16\uff10\uff18\uff15\uff10\uff10\uff11\uff12\uff13\uff14",
            "9 hoặc 12 chữ số",
        ),  # full-width digits
        (
            "id_number",
            "\u0660\u0664\u0666\u0660\u0668\u0665\u0660\u0660\u0661\u0662\u0663\u0664",
            "9 hoặc 12 chữ số",
        ),  # Arabic-Indic digits
    ],
)
def test_a_bad_tracing_value_is_refused_with_a_message_not_replaced(office, field, typed, said):
    """A trace over days or an overlap other than typed would look like "no contacts"."""
    from kiosk_server import tracing

    client = office.session("yte")
    page = post_form(client, office.url, "/tracing", "/tracing", {**TRACE, field: typed})
    assert page.status_code == 400 and said in page.text
    answer = post_form(client, office.url, "/tracing", "/tracing.csv", {**TRACE, field: typed})
    assert answer.status_code == 400 and said in answer.text
    assert [a for a in tracing.audit_trail(office.server.engine) if a["action"] == "trace"] == []


def _searches(office) -> list[str]:
    from sqlalchemy import select

    from kiosk_server.office_db import office_audit

    with office.server.engine.connect() as conn:
        rows = conn.execute(select(office_audit).where(office_audit.c.action == "search"))
        return [r.detail for r in rows]


@pytest.mark.parametrize("typed", ["abc", "Nguyễn Văn Đức", "9" * 10_000, "\uff10" * 12])
def test_the_hospital_search_takes_an_id_number_only(office, typed):
    client = office.session("yte")
    token = csrf_of(client.get(office.url + "/hospital").text)
    answer = client.post(office.url + "/hospital/search", data={"csrf": token, "q": typed})
    assert answer.status_code == 200 and "Số CMND/CCCD gồm 9 hoặc 12 chữ số." in answer.text
    assert _searches(office) == []  # nothing was looked up


def test_what_a_search_puts_on_the_trail_is_short(office):
    client = office.session("yte")
    page = post_form(
        client, office.url, "/declarations", "/declarations/search", {"q": "9" * 10_000}
    )
    assert page.status_code == 200 and "Số CMND/CCCD gồm 9 hoặc 12 chữ số." in page.text
    assert _searches(office) == []  # no ID number that long: nothing looked up
    page = post_form(
        client, office.url, "/declarations", "/declarations/search", {"q": "0460 8500 1234"}
    )
    assert page.status_code == 200 and 'class="error"' not in page.text
    page = post_form(
        client, office.url, "/declarations", "/declarations/search", {"q": "Nguyễn " * 2_000}
    )
    assert page.status_code == 200
    assert [len(d) < 100 and "0085" not in d for d in _searches(office)] == [True, True]


def test_a_form_too_large_is_said_so(office):
    client = office.session("yte")
    token = csrf_of(client.get(office.url + "/hospital").text)
    answer = client.post(
        office.url + "/hospital/search", data={"csrf": token, "q": A, "pad": "a" * 70_000}
    )
    assert answer.status_code == 413
    assert "quá lớn" in answer.text and "Không tìm thấy" not in answer.text
    chunked = client.post(
        office.url + "/hospital/search",  # no length declared
        data=(b"a" * 10_000 for _ in range(10)),
    )
    assert chunked.status_code == 413 and "quá lớn" in chunked.text


def test_a_declared_length_too_large_is_refused_before_the_body_is_sent(office):
    """Sign-in is open to anyone: the server must not wait for (nor hold) 50 MB first."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(office.url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 50000000\r\n\r\ncsrf=x"
        )
        head = sock.recv(200)  # no more of the body is sent: only an early answer comes
    assert head.startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"start": "2026-13-45"}, "Ngày không hợp lệ."),
        ({"end": "hôm qua"}, "Ngày không hợp lệ."),
        ({"by": "week"}, "Cách nhóm không hợp lệ"),
    ],
)
def test_statistics_refuse_what_is_typed_wrong_instead_of_showing_other_days(office, params, said):
    """Figures for a week nobody asked for, under the dates that were asked, would be read as
    the asked ones."""
    client = office.session("yte")
    page = client.get(office.url + "/stats", params=params)
    assert page.status_code == 400
    assert said in page.text
    assert "<meter" not in page.text
