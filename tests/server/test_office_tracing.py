"""Issue 10 in the back office: the tracing and statistics pages open for health and admin
only, and a traced person's contact shows in the table and the CSV; the ID number traced
travels in POST bodies only, never in a URL."""

from __future__ import annotations

import csv
import getpass
import io
import subprocess
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import requests

from kiosk_server import reports, tracing
from kiosk_server.days import shown
from tests.server.office import Office, csrf_of, post_form, urls_in

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
    page = post_form(client, url, "/tracing", "/tracing", TRACE)
    assert page.status_code == 200
    assert "Truy vết" in page.text and "Lê Thị Hương" in page.text and B in page.text
    answer = post_form(client, url, "/tracing", "/tracing.csv", TRACE)
    assert answer.status_code == 200 and answer.content.startswith("\ufeff".encode())
    body = answer.content.decode("utf-8-sig")
    assert body.splitlines()[0].split(",") == list(tracing.CSV_FIELDS)
    assert B in body and "Lê Thị Hương" in body
    day = {"start": "2026-12-01", "end": "2026-12-01", "by": "day"}
    stats = client.get(url + "/stats", params=day)
    assert stats.status_code == 200 and "Thống kê" in stats.text
    assert "01/12/2026" in stats.text and "<meter" in stats.text
    english = client.get(url + "/lang/en?next=/stats").text
    assert "Statistics" in english
    trail = [(a["actor"], a["action"]) for a in tracing.audit_trail(traced.server.engine)]
    assert (f"web:{name}", "trace") in trail and (f"web:{name}", "stats") in trail


def _table_rows(html: str) -> list[list[str]]:
    import re

    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_a_person_scanned_alone_shows_the_visit_without_contacts(traced):
    """A visit nobody else was scanned near is a row of its own, not a server error."""
    alone = "046085009999"
    with traced.server.engine.begin() as conn:
        late = scan("e3", alone, "Phan Văn Lẻ", 0)
        late.occurred_at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
        tracing.record_events(conn, "kiosk-1", [late])
    day = {**TRACE, "id_number": alone, "start": "2026-11-20", "end": "2026-11-20"}
    page = post_form(traced.session("yte"), traced.url, "/tracing", "/tracing", day)
    assert page.status_code == 200
    (row,) = _table_rows(page.text)
    assert row[0] == "F1" and row[2] == "chot-1" and row[6] == "Không có."
    answer = post_form(traced.session("yte"), traced.url, "/tracing", "/tracing.csv", day)
    (line,) = csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"), newline=""))
    assert line["checkpoint_id"] == "chot-1" and line["id_number"] == line["phone"] == ""


def test_a_second_level_trace_lists_the_contacts_own_visits(traced):
    page = post_form(
        traced.session("yte"), traced.url, "/tracing", "/tracing", {**TRACE, "level": "2"}
    )
    assert page.status_code == 200
    rows = _table_rows(page.text)
    assert [(r[0], r[1]) for r in rows] == [("F1", A), ("F2", B)]
    assert B in rows[0][6] and "Lê Thị Hương" in rows[0][6]  # A's contact
    assert rows[1][6] == "Không có."  # B met nobody but A, who is not B's contact again


def test_the_table_names_a_contacts_province_and_whole_minutes(office):
    """A contact known by a declaration's area code reads as the province it is in, with the
    code kept; a gap of nine minutes reads 9, not 9.0. An address typed in words stays."""
    c = "079301009876"
    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn,
            "kiosk-1",
            [
                scan("e1", A, "Trần Văn Đức", 0),
                scan("e2", B, "Lê Thị Hương", 9),
                scan("e3", c, "Võ Văn Ba", 14),
            ],
        )
        for number, address in ((B, "46.474"), (c, "12. Lê Lợi, Huế")):
            conn.execute(
                tracing.people.insert().values(
                    id_number=number,
                    full_name="",
                    phone="",
                    address=address,
                    updated_at=datetime(2026, 12, 1, tzinfo=UTC),
                )
            )
    page = post_form(office.session("yte"), office.url, "/tracing", "/tracing", TRACE)
    rows = _table_rows(page.text)
    assert [(r[8], r[10]) for r in rows] == [
        ("Thừa Thiên Huế (46.474)", "9"),
        ("12. Lê Lợi, Huế", "14"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "bad", "label"),
    [
        ("2026-13-45", "2026-12-01", "start", "Từ ngày"),
        ("01/12/2026", "31/11/2026", "end", "Đến ngày"),
    ],
)
def test_a_bad_date_names_its_box_and_keeps_what_was_typed(traced, start, end, bad, label):
    """Tracing and statistics each have two date boxes: the message says which is wrong."""
    client = traced.session("yte")
    page = post_form(
        client,
        traced.url,
        "/tracing",
        "/tracing",
        {**TRACE, "start": start, "end": end, "overlap": "20"},
    )
    stats = client.get(traced.url + "/stats", params={"start": start, "end": end})
    for html in (page.text, stats.text):
        said = html.split('<p class="error" role="alert">')[1].split("</p>")[0]
        assert "Ngày không hợp lệ" in said and f"Ô cần sửa: «{label}»." in said, said
        for name, value in (("start", start), ("end", end)):
            box = html.split(f'name="{name}"', 1)[1].split(">", 1)[0]
            assert f'value="{shown(value)}"' in box, box
            assert ('aria-invalid="true"' in box and "autofocus" in box) == (name == bad)
    assert 'value="20"' in page.text and f'value="{A}"' in page.text
    client.get(traced.url + "/lang/en")
    english = client.get(traced.url + "/stats", params={"start": start, "end": end}).text
    assert f"Box to correct: “{'From' if bad == 'start' else 'To'}”." in english


def test_the_trace_pdf_prints_whole_minutes_as_the_table_does(office, tmp_path):
    """Nine minutes apart reads 9 in the PDF as on the page, not 9.0."""
    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn, "kiosk-1", [scan("e1", A, "Trần Văn Đức", 0), scan("e2", B, "Lê Thị Hương", 9)]
        )
    result = tracing.trace(
        office.server.engine,
        tracing.Staff("test", "health"),
        A,
        date(2026, 12, 1),
        date(2026, 12, 1),
        15,
        1,
    )
    pdf = reports.trace_pdf(result, tmp_path / "trace.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    (line,) = [x for x in text.splitlines() if "Lê Thị Hương" in x]
    assert line.split()[-1] == "9" and "9.0" not in text, line


def test_a_trace_from_the_command_line_is_on_the_office_audit_masked(traced):
    """An admin reading /audit sees every trace, those run on the server's console too."""
    done = traced.cmd("trace", A, "--from", "2026-12-01", "--to", "2026-12-01")
    assert done.returncode == 0, done.stderr
    admin = traced.session("admin")
    page = admin.get(traced.url + "/audit", params={"action": "trace"}).text
    rows = _table_rows(page)
    (row,) = rows
    assert row[1] == f"Dòng lệnh ({getpass.getuser()})" and row[2] == "Truy vết tiếp xúc"
    assert row[3] == "Người 0460******34" and "Số người tiếp xúc: 1" in row[4]
    assert A not in page
    # the filter takes who as the page shows it, and the console's words for every login
    for typed in (row[1], "dòng lệnh"):
        found = admin.get(traced.url + "/audit", params={"actor": typed, "action": "trace"})
        assert _table_rows(found.text) == rows, typed


def _said(html: str) -> str:
    """The refusal's message, as the page says it."""
    return html.split('<p class="error" role="alert">')[1].split("</p>")[0]


def _box(html: str, name: str) -> str:
    """The form box `name`'s tag, its attributes."""
    return html.split(f'name="{name}"', 1)[1].split(">", 1)[0]


@pytest.mark.parametrize("typed", ["", "12ab", "04608500123"])
def test_a_bad_id_number_names_its_box_and_keeps_what_was_typed(traced, typed):
    """An ID number left empty or mistyped is said as the date boxes' refusals are: its box
    named, outlined and focused, what was typed (the days too) still there to correct."""
    client = traced.session("yte")
    page = post_form(
        client,
        traced.url,
        "/tracing",
        "/tracing",
        {**TRACE, "id_number": typed, "start": "01/12/2026", "overlap": "20"},
    )
    said = _said(page.text)
    assert "9 hoặc 12 chữ số" in said and "Ô cần sửa: «Số CMND/CCCD cần truy vết»." in said
    assert "ngày hoặc khoảng thời gian" not in said
    box = _box(page.text, "id_number")
    assert f'value="{typed}"' in box and 'aria-invalid="true"' in box and "autofocus" in box
    assert all("aria-invalid" not in _box(page.text, n) for n in ("start", "end", "overlap"))
    assert 'value="01/12/2026"' in page.text and 'value="20"' in page.text
    assert tracing.audit_trail(traced.server.engine) == []
    client.get(traced.url + "/lang/en")
    english = post_form(client, traced.url, "/tracing", "/tracing", {**TRACE, "id_number": typed})
    assert "9 or 12 digits" in english.text
    assert "Box to correct: “ID number to trace”." in english.text


def test_reversed_dates_name_the_to_box(traced):
    """A "to" before the "from": the message says so and names the box, on both pages."""
    client = traced.session("yte")
    reversed_days = {"start": "05/12/2026", "end": "01/12/2026"}
    page = post_form(client, traced.url, "/tracing", "/tracing", {**TRACE, **reversed_days})
    stats = client.get(traced.url + "/stats", params=reversed_days)
    for html in (page.text, stats.text):
        said = _said(html)
        assert "Ngày kết thúc trước ngày bắt đầu." in said and "Ô cần sửa: «Đến ngày»." in said
        assert 'aria-invalid="true"' in _box(html, "end")
        assert "aria-invalid" not in _box(html, "start")
        assert 'value="05/12/2026"' in _box(html, "start")
    client.get(traced.url + "/lang/en")
    english = client.get(traced.url + "/stats", params=reversed_days).text
    assert "The end comes before the start." in english and "Box to correct: “To”." in english


@pytest.mark.parametrize(
    ("page", "sent"),
    [
        ("/tracing", {**TRACE, "id_number": "12ab"}),
        ("/tracing", {**TRACE, "end": "31/11/2026"}),
        ("/tracing", {**TRACE, "overlap": "0"}),
        ("/stats", {"start": "31/11/2026"}),
        ("/stats", {"by": "week"}),
    ],
)
def test_a_refused_trace_or_statistics_is_a_400_with_the_page_and_its_message(traced, page, sent):
    """As the other refused forms: the status says refused, the page says why."""
    client = traced.session("yte")
    if page == "/tracing":
        answer = post_form(client, traced.url, page, page, sent)
    else:
        answer = client.get(traced.url + page, params=sent)
    assert answer.status_code == 400
    assert 'class="error" role="alert"' in answer.text and f'action="{page}"' in answer.text


@pytest.mark.parametrize(
    ("sent", "param", "label", "label_en"),
    [
        ({"start": "31/11/2026"}, "start", "Từ ngày", "From"),
        ({"end": "2026-13-01"}, "end", "Đến ngày", "To"),
        ({"id_number": "12ab"}, "id_number", "Số CMND/CCCD cần truy vết", "ID number to trace"),
    ],
)
def test_a_bad_csv_request_names_the_parameter(traced, sent, param, label, label_en):
    """The CSV's request comes from the page's hidden form or a script: what is wrong is said
    by the parameter's name and the box it comes from, in the operator's language."""
    client = traced.session("yte")
    answer = post_form(client, traced.url, "/tracing", "/tracing.csv", {**TRACE, **sent})
    assert answer.status_code == 400
    said = _said(answer.text)
    assert f"Tham số cần sửa: {param} («{label}»)." in said, said
    client.get(traced.url + "/lang/en")
    english = post_form(client, traced.url, "/tracing", "/tracing.csv", {**TRACE, **sent})
    assert english.status_code == 400
    assert f"Parameter to correct: {param} (“{label_en}”)." in _said(english.text)
    assert tracing.audit_trail(traced.server.engine) == []


@pytest.mark.parametrize("name", ["congan", "cho"])
def test_police_and_market_are_refused(traced, name):
    client, url = traced.session(name), traced.url
    assert 'href="/tracing"' not in client.get(url + "/").text
    token = csrf_of(client.get(url + "/").text)
    for path in ("/tracing", "/stats"):
        assert client.get(url + path).status_code == 403
    for path in ("/tracing", "/tracing.csv"):
        assert client.post(url + path, data={**TRACE, "csrf": token}).status_code == 403
    assert all(a["actor"] != f"web:{name}" for a in tracing.audit_trail(traced.server.engine))


def test_without_a_session_the_pages_send_to_sign_in(traced):
    for path in ("/tracing", "/stats"):
        answer = requests.get(traced.url + path, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    for path in ("/tracing", "/tracing.csv"):
        answer = requests.post(traced.url + path, data=TRACE, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert tracing.audit_trail(traced.server.engine) == []


def test_a_trace_needs_its_csrf_token(traced):
    client = traced.session("yte")
    for path in ("/tracing", "/tracing.csv"):
        assert client.post(traced.url + path, data=TRACE).status_code == 403
    assert tracing.audit_trail(traced.server.engine) == []


def test_the_id_number_traced_is_in_no_url_the_pages_produce(traced):
    """A URL stays in the browser's history and in any proxy's log: the number must not."""
    client, url = traced.session("yte"), traced.url
    form = client.get(url + "/tracing", params=TRACE)  # an old bookmark's query is not run
    assert B not in form.text and tracing.audit_trail(traced.server.engine) == []
    page = post_form(client, url, "/tracing", "/tracing", TRACE)
    assert B in page.text  # the trace ran
    addresses = [page.url, *(r.headers.get("location", "") for r in page.history)]
    addresses += urls_in(page.text)
    assert 'action="/tracing.csv"' in page.text and 'method="post"' in page.text
    assert not [a for a in addresses if A in a or B in a or A[-4:] in a]
    answer = client.post(url + "/tracing.csv", data=dict(_hidden_fields(page.text, "/tracing.csv")))
    assert answer.status_code == 200 and B in answer.content.decode("utf-8-sig")


def _hidden_fields(html: str, action: str) -> list[tuple[str, str]]:
    """What the browser posts with the form that leads to `action`: its hidden inputs."""
    import re

    form = html[html.index(f'action="{action}"') :].split("</form>", 1)[0]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)


FORMULAS = [
    '=HYPERLINK("http://x","bấm")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    " =1+2",
    "\u200b=1+2",
    "\uff1d1+2",
]


@pytest.mark.parametrize("start", FORMULAS)
def test_a_cell_typed_as_a_formula_is_text_in_the_trace_csv(start):
    rows = [
        {
            "level": 1,
            "full_name": start,
            "address": "12 " + start,
            "minutes_apart": -1.5,
            "phone": "+84905123456",
        }
    ]
    body = tracing.to_csv(rows, tracing.CSV_FIELDS)
    assert body.startswith("\ufeff".encode())
    (row,) = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert row["full_name"] == "'" + start  # a spreadsheet shows it, never runs it
    assert row["address"] == "12 " + start  # not at the start: no formula
    assert (row["minutes_apart"], row["phone"]) == ("-1.5", "+84905123456")  # numbers stay


def test_a_contact_named_as_a_formula_downloads_as_text(office):
    """A forged CCCD QR's name and a declared address reach the health officer's Excel as
    text: the web's CSV goes through the exports' one `cell`."""
    forged = '=HYPERLINK("http://evil.example","Nguyễn")'
    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn, "kiosk-1", [scan("e1", A, "Trần Văn Đức", 0), scan("e2", B, forged, 10)]
        )
        conn.execute(
            tracing.people.insert().values(
                id_number=B,
                full_name=forged,
                phone="0905123456",
                address="@SUM(1+1)*cmd",
                updated_at=datetime(2026, 12, 1, tzinfo=UTC),
            )
        )
    answer = post_form(office.session("yte"), office.url, "/tracing", "/tracing.csv", TRACE)
    body = answer.content.decode("utf-8-sig")
    assert answer.content.startswith("\ufeff".encode())
    contact = next(r for r in csv.DictReader(io.StringIO(body, newline="")) if r["id_number"] == B)
    assert contact["full_name"] == "'" + forged and contact["address"] == "'@SUM(1+1)*cmd"
