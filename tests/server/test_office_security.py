"""The back office's locks, tried from outside as an intruder or a curious colleague would:
a real server process, real HTTP, accounts made with `kiosk-server user add`."""

from __future__ import annotations

import json

import pytest
import requests
from sqlalchemy import update

from kiosk_server.office_db import staff_sessions
from tests.server.office import PASSWORDS, csrf_of, kiosk_cmd

pytestmark = pytest.mark.slow

PAGES = [
    "/",
    "/declarations",
    "/declarations/1",
    "/zones",
    "/operators",
    "/kiosks",
    "/vehicles",
    "/users",
    "/audit",
]
EXPORTS = [
    "declarations",
    "zones",
    "operators",
    "vehicles",
    "cards",
    "markets",
    "kiosks",
    "users",
    "audit",
]
FORMS = [
    "/zones",
    "/operators",
    "/operators/x",
    "/kiosks/pair",
    "/vehicles",
    "/users",
    "/declarations/1/review",
    "/logout",
]


def test_no_page_no_export_and_no_change_without_a_session(office):
    for page in PAGES:
        answer = requests.get(office.url + page, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    for name in EXPORTS:
        answer = requests.get(f"{office.url}/export/{name}.csv", allow_redirects=False)
        assert answer.status_code == 401 and "," not in answer.text
    for form in FORMS:
        answer = requests.post(
            office.url + form,
            data={"id": "op-9", "role": "medic", "checkpoint": "C", "pin": "1234"},
            allow_redirects=False,
        )
        assert answer.status_code == 303
    admin = office.session("admin")
    assert "op-9" not in admin.get(office.url + "/operators").text
    # a forged cookie is no session either
    forged = requests.get(
        office.url + "/", cookies={"office_session": "abc.def"}, allow_redirects=False
    )
    assert forged.status_code == 303


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(office):
    admin = office.session("admin")
    page = admin.get(office.url + "/operators")
    good = csrf_of(page.text)
    add = {
        "id": "med-7",
        "name": "Lê Văn Bảy",
        "role": "medic",
        "checkpoint": "CP-1",
        "pin": "482615",
    }
    assert admin.post(office.url + "/operators", data=add).status_code == 403
    assert (
        admin.post(office.url + "/operators", data={**add, "csrf": "x" + good}).status_code == 403
    )
    assert "med-7" not in admin.get(office.url + "/operators").text
    # another user's token does not do either
    other = csrf_of(office.session("yte").get(office.url + "/").text)
    assert admin.post(office.url + "/operators", data={**add, "csrf": other}).status_code == 403
    # the sign-in form too: a page elsewhere cannot sign a browser into our office
    assert (
        requests.post(
            office.url + "/login", data={"name": "admin", "password": PASSWORDS["admin"]}
        ).status_code
        == 403
    )
    answer = admin.post(office.url + "/operators", data={**add, "csrf": good})
    assert answer.ok and "med-7" in answer.text and "Lê Văn Bảy" in answer.text


def test_each_role_opens_its_sections_only(office):
    health = office.session("yte")
    for page in ("/declarations", "/zones", "/export/declarations.csv"):
        assert health.get(office.url + page).status_code == 200
    for page in (
        "/vehicles",
        "/operators",
        "/kiosks",
        "/users",
        "/audit",
        "/markets",
        "/export/users.csv",
        "/export/audit.csv",
        "/export/vehicles.csv",
    ):
        answer = health.get(office.url + page)
        assert answer.status_code in (403, 404) and "admin" not in answer.text.split("<main>")[-1]
    home = health.get(office.url + "/").text
    assert 'href="/declarations"' in home and 'href="/users"' not in home
    police = office.session("congan")
    assert police.get(office.url + "/vehicles").status_code == 200
    assert police.get(office.url + "/declarations").status_code == 403
    # and a health user's forged POST to an admin form is refused even with its own token
    token = csrf_of(health.get(office.url + "/").text)
    answer = health.post(
        office.url + "/users",
        data={"csrf": token, "name": "evil", "role": "admin", "password": "0123456789ab"},
    )
    assert answer.status_code == 403
    admin = office.session("admin")
    for page in PAGES[1:]:
        assert admin.get(office.url + page).status_code in (200, 404)


def test_repeated_failures_lock_the_account_and_the_trail_says_so(office):
    for _ in range(5):
        s = requests.Session()
        s.get(office.url + "/login")
        page = s.get(office.url + "/login").text
        answer = s.post(
            office.url + "/login",
            data={"csrf": csrf_of(page), "name": "yte", "password": "wrong password!"},
        )
        assert "/login" in answer.url
    locked = office.session("yte")  # the right password, now too late
    assert locked.get(office.url + "/declarations", allow_redirects=False).status_code == 303
    assert "khóa" in locked.get(office.url + "/login?error=locked").text
    admin = office.session("admin")
    trail = admin.get(office.url + "/audit", params={"actor": "yte", "action": "sign_in"}).text
    assert trail.count("Kết quả: tài khoản đang khóa") >= 1
    assert trail.count("Kết quả: sai mật khẩu") == 5
    assert "congan" not in trail


def test_sign_out_and_expiry_end_the_session(office):
    s = office.session("admin")
    cookie = s.cookies.get("office_session")
    token = csrf_of(s.get(office.url + "/").text)
    assert s.post(office.url + "/logout", data={"csrf": token}).url.endswith("/login")
    again = requests.get(
        office.url + "/users", cookies={"office_session": cookie}, allow_redirects=False
    )
    assert again.status_code == 303
    s = office.session("admin")
    with office.server.engine.begin() as conn:  # eight hours later
        conn.execute(update(staff_sessions).values(expires_at=staff_sessions.c.created_at))
    assert s.get(office.url + "/users", allow_redirects=False).status_code == 303


def test_cookie_is_httponly_and_samesite(office):
    s = requests.Session()
    page = s.get(office.url + "/login")
    answer = s.post(
        office.url + "/login",
        data={"csrf": csrf_of(page.text), "name": "admin", "password": PASSWORDS["admin"]},
        allow_redirects=False,
    )
    header = answer.headers["set-cookie"].lower()
    assert "office_session=" in header and "httponly" in header and "samesite=strict" in header
    page = s.get(office.url + "/")
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    # plain HTTP (a test server, or a proxy that did not say https): no promise of TLS to keep
    assert "strict-transport-security" not in page.headers


def test_passwords_and_pins_never_appear_in_a_page_an_export_or_a_log(office, tmp_path):
    pin = "730519"
    admin = office.session("admin")
    token = csrf_of(admin.get(office.url + "/operators").text)
    admin.post(
        office.url + "/operators",
        data={
            "csrf": token,
            "id": "pol-3",
            "name": "Hồ Ba",
            "role": "police",
            "checkpoint": "CP-2",
            "pin": pin,
        },
    )
    admin.post(
        office.url + "/operators/pol-3", data={"csrf": token, "action": "pin", "pin": "918273"}
    )
    assert (
        office.cmd(
            "operator", "add", "med-4", "--role", "medic", "--checkpoint", "CP-2", stdin="246810\n"
        ).returncode
        == 0
    )
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-2")
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    listed = kiosk_cmd(kiosk, "operators").stdout
    seen = (
        [admin.get(office.url + p).text for p in PAGES]
        + [admin.get(f"{office.url}/export/{n}.csv").text for n in EXPORTS]
        + [listed]
    )
    office.server.stop()
    seen.append(office.server.process_stderr)
    seen += [
        p.read_text(encoding="utf-8", errors="replace")
        for p in (kiosk / "logs").glob("*")
        if p.is_file()
    ]
    secrets = [*PASSWORDS.values(), pin, "918273", "246810", "scrypt$", "argon2id$"]
    for text in seen:
        for secret in secrets:
            assert secret not in text
    assert {json.loads(line)["id"] for line in listed.splitlines()} == {"pol-3", "med-4"}
