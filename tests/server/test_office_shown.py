"""What the back office shows staff, after a review in Chromium: days and times day/month/year
in Vietnamese time in every table and result (in English too), kiosk operators' roles in the
page's language, and a person looked up kept masked on the trails admins read."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from kiosk.clock import VIETNAM
from kiosk_server import tracing
from kiosk_server.days import shown
from kiosk_server.office_db import office_audit
from tests.server.office import Office, post_form
from tests.server.test_office_tracing import TRACE, A, scan

ISO_SHOWN = re.compile(r"\d{4}-\d{2}-\d{2}")  # a day as the database has it, not as staff read


def cells(html: str) -> list[str]:
    """The text of every table cell of a page (inputs' ISO values are not cells)."""
    found = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    return [re.sub(r"<[^>]+>", " ", c).strip() for c in found]


@pytest.mark.parametrize(
    ("stored", "seen"),
    [
        (datetime(2026, 12, 1, 2, 0), "01/12/2026 09:00"),  # the database's, zone-less: UTC
        (datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "01/12/2026 09:00"),
        ("2026-12-01T02:00:00+00:00", "01/12/2026 09:00"),
        ("2026-11-30T23:30:00-05:00", "01/12/2026 11:30"),
        (datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5))), "01/12/2026 21:00"),
        ("2026-12-01 09:00", "01/12/2026 09:00"),  # a statistics hour: Vietnamese time already
        ("2026-12-01", "01/12/2026"),
        (date(2001, 2, 14), "14/02/2001"),
        (None, ""),
        ("Phú Lộc", "Phú Lộc"),  # a district's key in the statistics: not a day at all
        ("2026-13-01", "2026-13-01"),
    ],
)
def test_days_and_times_are_shown_day_first_in_vietnamese_time(stored, seen):
    assert shown(stored) == seen


@pytest.fixture
def traced(office: Office) -> Office:
    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn,
            "kiosk-1",
            [scan("e1", A, "Trần Văn Đức", 0), scan("e2", "046192004567", "Lê Thị Hương", 10)],
        )
    return office


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_tracing_result_and_statistics_show_day_first_in_both_languages(traced, lang):
    client, url = traced.session("yte"), traced.url
    client.get(url + f"/lang/{lang}")
    page = post_form(client, url, "/tracing", "/tracing", TRACE).text
    seen = cells(page)
    assert "01/12/2026 09:00" in seen and "01/12/2026 09:10" in seen  # first seen, contact
    assert not [c for c in seen if ISO_SHOWN.search(c)]
    for by, key in (("day", "01/12/2026"), ("hour", "01/12/2026 09:00")):
        stats = client.get(
            url + "/stats", params={"start": "2026-12-01", "end": "2026-12-01", "by": by}
        ).text
        assert key in cells(stats) and not [c for c in cells(stats) if ISO_SHOWN.search(c)]
        assert 'value="01/12/2026"' in stats  # the date box shows it day first too
    # the CSV is for machines and spreadsheets: ISO 8601, as docs/back-office.md says
    answer = post_form(client, url, "/tracing", "/tracing.csv", TRACE)
    (first, *_) = csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")))
    assert first["first_seen"] == "2026-12-01T02:00:00+00:00"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_list_shows_day_first(office, tmp_path, lang):
    upload = tmp_path / "declarations.csv"
    upload.write_text(
        "id,subject_id,full_name,birth_date,sex,status,valid_until\n"
        "7,046301002345,Võ Thị Ữ,2001-02-14,F,pending,2026-12-15T17:00:00+00:00\n",
        encoding="utf-8",
    )
    assert office.cmd("import", "declarations", str(upload)).returncode == 0
    health, police, admin = (office.session(n) for n in ("yte", "congan", "admin"))
    for client in (health, police, admin):
        client.get(office.url + f"/lang/{lang}")
    post_form(
        health,
        office.url,
        "/zones",
        "/zones",
        {
            "id": "4",
            "area_code": "48",
            "name": "TP. Đà Nẵng",
            "active_from": "2026-12-01",
            "active_to": "2026-12-20",
        },
    )
    post_form(
        police,
        office.url,
        "/vehicles",
        "/vehicles",
        {
            "id": "41",
            "plate": "75C-123.45",
            "kind": "freight",
            "valid_from": "2026-12-01T09:00",
            "valid_to": "2026-12-31T18:30",
        },
    )
    expected = {
        (health, "/declarations"): ["14/02/2001"],
        (health, "/declarations/7"): ["14/02/2001", "16/12/2026 00:00"],
        (health, "/zones"): ["01/12/2026", "20/12/2026"],
        (police, "/vehicles"): ["01/12/2026 09:00", "31/12/2026 18:30"],
    }
    for (client, path), days in expected.items():
        page = client.get(office.url + path).text
        shown_here = cells(page) + re.findall(r"<dd>(.*?)</dd>", page)
        assert all(d in shown_here for d in days), (path, shown_here)
        assert not [c for c in shown_here if ISO_SHOWN.search(c)], path
    for path in ("/audit", "/users"):  # times the server stamped itself: today, day first
        page = admin.get(office.url + path).text
        today = datetime.now(VIETNAM).strftime("%d/%m/%Y")
        assert any(c.startswith(today) for c in cells(page)), path
        assert not [c for c in cells(page) if ISO_SHOWN.match(c)], path


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", ["Y tế", "Trưởng chốt", "Hỗ trợ khai báo"]),
        ("en", ["Medic", "Supervisor", "Assistant"]),
    ],
)
def test_kiosk_operators_roles_are_named_in_the_pages_language(office, lang, words):
    admin = office.session("admin")
    admin.get(office.url + f"/lang/{lang}")
    for number, role in (("yt-01", "medic"), ("tc-01", "supervisor"), ("hk-01", "assistant")):
        done = post_form(
            admin,
            office.url,
            "/operators",
            "/operators",
            {
                "id": number,
                "name": "Người " + number,
                "role": role,
                "checkpoint": "CP-A",
                "pin": "482913",
            },
        )
        assert done.ok
    page = admin.get(office.url + "/operators").text
    listed = cells(page)
    assert all(w in listed for w in words), listed
    assert not {"medic", "supervisor", "assistant"} & set(listed)
    # the form offers them by name too, and still sends the role the kiosk knows
    assert f'<option value="medic">{words[0]}</option>' in page


def test_a_trace_keeps_the_person_masked_on_the_trail(traced):
    post_form(traced.session("yte"), traced.url, "/tracing", "/tracing", TRACE)
    (row,) = [r for r in tracing.audit_trail(traced.server.engine) if r["action"] == "trace"]
    assert row["subject"] == "0460******34" and row["actor"] == "web:yte"
    assert A not in json.dumps(row, default=str)


def test_a_declaration_search_keeps_a_cmnd_masked_as_everywhere_else(office):
    health = office.session("yte")
    for number in ("046085001", "046301002345"):
        post_form(health, office.url, "/declarations", "/declarations/search", {"q": number})
    with office.server.engine.connect() as conn:
        details = [
            json.loads(d)
            for d in conn.execute(
                select(office_audit.c.detail)
                .where(office_audit.c.action == "search")
                .order_by(office_audit.c.seq)
            ).scalars()
        ]
    assert [d["query"] for d in details] == ["04*****01", "0463******45"]


def test_a_trail_row_written_with_the_whole_number_is_masked_at_the_next_start(office):
    engine = office.server.engine
    with engine.begin() as conn:
        conn.execute(
            tracing.staff_audit.insert().values(
                at=datetime.now(UTC),
                actor="web:yte",
                role="health",
                action="trace",
                subject=A,
                params="{}",
                outcome="ok",
                rows=2,
            )
        )
    tracing.create_tables(engine)  # what every start runs
    tracing.create_tables(engine)  # and again: a masked subject stays as it is
    (row,) = tracing.audit_trail(engine)
    assert row["subject"] == "0460******34"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "vi",
            [
                "Đăng nhập",
                "Kết quả: thành công",
                "Kết quả: sai mật khẩu",
                "Lưu vùng dịch",
                "Từ ngày: 01/12/2026",
                "Đến ngày: 20/12/2026",
                "Tìm kiếm",
                "Tìm theo: 0463******45; Số kết quả: 0",
            ],
        ),
        (
            "en",
            [
                "Sign-in",
                "Outcome: succeeded",
                "Outcome: wrong password",
                "Epidemic zone saved",
                "From: 01/12/2026",
                "To: 20/12/2026",
                "Search",
                "Searched for: 0463******45; Results: 0",
            ],
        ),
    ],
)
def test_the_audit_page_says_what_was_done_in_words_with_days_day_first(office, lang, words):
    office.session("yte", "not the password")  # a wrong try is on the trail too
    health = office.session("yte")
    post_form(
        health,
        office.url,
        "/zones",
        "/zones",
        {
            "id": "4",
            "area_code": "48",
            "name": "TP. Đà Nẵng",
            "active_from": "01/12/2026",
            "active_to": "20/12/2026",
        },
    )
    post_form(health, office.url, "/hospital", "/hospital/search", {"q": "046301002345"})
    with office.server.engine.begin() as conn:  # a line an older server wrote unmasked
        conn.execute(
            office_audit.insert().values(
                at=datetime.now(UTC),
                actor="yte",
                action="search",
                target="046301002345",
                detail=json.dumps({"query": "046301002345", "hits": 1}),
            )
        )
    admin = office.session("admin")
    admin.get(office.url + f"/lang/{lang}")
    page = admin.get(office.url + "/audit").text
    seen = cells(page)
    shown_text = " | ".join(seen)
    assert all(w in shown_text for w in words), seen
    assert not {"sign_in", "search", "zone_save"} & set(seen)  # no code for a word
    assert not [c for c in seen if "{" in c or '"' in c or ISO_SHOWN.search(c)], seen
    assert "046301002345" not in page  # masked wherever it was written
    # the filter offers the actions by their words, and still filters by the code
    assert f'<option value="sign_in">{words[0]}</option>' in page
    only = cells(admin.get(office.url + "/audit", params={"action": "zone_save"}).text)
    assert words[3] in only and words[0] not in only


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "vi",
            [
                "Phương tiện 990001",
                "Tờ khai y tế",
                "Truy vết tiếp xúc",
                "Người 0460******34",
                "Số người tiếp xúc: 1",
            ],
        ),
        (
            "en",
            [
                "Vehicle 990001",
                "Health declarations",
                "Contact trace",
                "Person 0460******34",
                "Contacts found: 1",
            ],
        ),
    ],
)
def test_the_audit_page_names_what_was_acted_on_and_shows_staff_traces(traced, lang, words):
    url = traced.url
    post_form(
        traced.session("congan"),
        url,
        "/vehicles",
        "/vehicles",
        {
            "id": "990001",
            "plate": "75C-123.45",
            "kind": "freight",
            "valid_from": "01/12/2026 08:00",
            "valid_to": "31/12/2026 18:00",
        },
    )
    health = traced.session("yte")
    assert health.get(url + "/export/declarations.csv").ok
    post_form(health, url, "/tracing", "/tracing", TRACE)
    admin = traced.session("admin")
    admin.get(url + f"/lang/{lang}")
    page = admin.get(url + "/audit").text
    rows = [
        [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
    ]
    targets = [r[3] for r in rows]
    assert words[0] in targets and words[1] in targets, targets
    (trace,) = [r for r in rows if r[2] == words[2]]
    assert trace[1] == "yte" and trace[3] == words[3] and words[4] in trace[4]
    assert not {"vehicle:990001", "declarations", "person:0460******34"} & set(targets)
    assert A not in page  # who was traced stays masked


def test_an_account_named_by_an_id_number_is_masked_on_the_audit_page(office):
    """Staff may take their own CCCD number as their account's name: the audit page names the
    account, as it names every target, with the number masked."""
    with office.server.engine.begin() as conn:
        for action in ("user_add", "user_password"):
            conn.execute(
                office_audit.insert().values(
                    at=datetime.now(UTC),
                    actor="admin",
                    action=action,
                    target="046301002345",
                    detail=json.dumps({"role": "health"}),
                )
            )
    page = office.session("admin").get(office.url + "/audit").text
    assert "046301002345" not in page
    assert cells(page).count("Tài khoản 0463******45") == 2


def _audit_targets(client, url: str, **filters: str) -> list[str]:
    page = client.get(url + "/audit", params=filters).text
    return [
        [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)][3]
        for r in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
        if "<td colspan" not in r
    ]


@pytest.mark.parametrize(
    ("lang", "typed", "found"),
    [
        ("vi", "Phương tiện 990001", "Phương tiện 990001"),
        ("vi", "phuong tien  990001", "Phương tiện 990001"),  # as typed without the marks
        ("vi", "990001", "Phương tiện 990001"),
        ("vi", "vehicle:990001", "Phương tiện 990001"),  # the stored code, as before
        ("vi", "Vùng dịch 4", "Vùng dịch 4"),
        ("en", "Vehicle 990001", "Vehicle 990001"),
        ("en", "epidemic zone 4", "Epidemic zone 4"),
    ],
)
def test_the_audit_target_filter_finds_a_row_by_the_words_it_shows(office, lang, typed, found):
    url = office.url
    post_form(
        office.session("congan"),
        url,
        "/vehicles",
        "/vehicles",
        {
            "id": "990001",
            "plate": "75C-123.45",
            "kind": "freight",
            "valid_from": "01/12/2026 08:00",
            "valid_to": "31/12/2026 18:00",
        },
    )
    post_form(
        office.session("yte"),
        url,
        "/zones",
        "/zones",
        {"id": "4", "area_code": "48", "name": "TP. Đà Nẵng", "active_from": "01/12/2026"},
    )
    admin = office.session("admin")
    admin.get(url + f"/lang/{lang}")
    assert _audit_targets(admin, url, target=typed) == [found]


def test_the_audit_target_filter_finds_a_kind_and_a_trace_by_its_masked_number_only(traced):
    url = traced.url
    post_form(traced.session("yte"), url, "/tracing", "/tracing", TRACE)
    post_form(
        traced.session("congan"),
        url,
        "/vehicles",
        "/vehicles",
        {
            "id": "990001",
            "plate": "75C-123.45",
            "kind": "freight",
            "valid_from": "01/12/2026 08:00",
            "valid_to": "31/12/2026 18:00",
        },
    )
    admin = traced.session("admin")
    assert _audit_targets(admin, url, target="Phương tiện") == ["Phương tiện 990001"]
    assert _audit_targets(admin, url, target="Người 0460******34") == ["Người 0460******34"]
    assert _audit_targets(admin, url, target="Người") == ["Người 0460******34"]
    # the whole number does not say which masked row it is: the trail never held it
    for typed in (f"Người {A}", A, f"person:{A}"):
        assert _audit_targets(admin, url, target=typed) == [], typed


def _audit_rows(client, url: str, **filters: str) -> list[list[str]]:
    page = client.get(url + "/audit", params=filters).text
    return [
        [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
        if "<td colspan" not in r
    ]


@pytest.mark.parametrize(("lang", "words"), [("vi", "Dòng lệnh"), ("en", "Command line")])
def test_what_was_done_on_the_servers_console_is_said_in_the_pages_language(office, lang, words):
    """The first account is made with `kiosk-server user add` (stored "cli"); an older server
    wrote "command line" for a trace where no login name could be had: both read as the page's
    words for the console, and the filter finds them by those words or by the stored code."""
    with office.server.engine.begin() as conn:
        conn.execute(
            office_audit.insert().values(
                at=datetime.now(UTC),
                actor="command line",
                action="trace",
                target="person:0460******34",
                detail="{}",
            )
        )
    admin = office.session("admin")
    admin.get(office.url + f"/lang/{lang}")
    who = [r[1] for r in _audit_rows(admin, office.url)]
    assert who.count(words) == 2 and not {"cli", "command line"} & set(who), who
    for typed in (words, words.lower(), "cli"):
        found = _audit_rows(admin, office.url, actor=typed)
        assert len(found) >= 1 and {r[1] for r in found} == {words}, (typed, found)
    assert len(_audit_rows(admin, office.url, actor=words)) == 2


def test_an_account_named_by_an_id_number_is_masked_in_the_who_column_and_still_filtered(office):
    """An account named by its CCCD number signs in: the "who" column masks it as the target
    column does; the filter finds its rows by the number as the page shows it or as the
    account is named."""
    from kiosk_server import staff
    from tests.server.office import PASSWORDS

    number = "046301002345"
    staff.add_user(office.server.engine, number, "health", PASSWORDS["yte"], actor="admin")
    office.session(number, PASSWORDS["yte"])
    admin = office.session("admin")
    page = admin.get(office.url + "/audit").text
    assert number not in page
    (row,) = [r for r in _audit_rows(admin, office.url) if r[2] == "Đăng nhập" and "0463" in r[1]]
    assert row[1] == "0463******45"
    for typed in ("0463******45", number):
        found = _audit_rows(admin, office.url, actor=typed)
        assert [r[1] for r in found] == ["0463******45"], (typed, found)
    assert _audit_rows(admin, office.url, actor="0463******46") == []
