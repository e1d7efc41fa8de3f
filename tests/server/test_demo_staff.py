"""`kiosk-server demo`'s back-office accounts: someone trying the demo can sign in with one a
role, and their public passwords keep the server on this machine until they are changed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kiosk_server import staff
from kiosk_server.db import open_db
from tests.conftest import Server, free_port
from tests.server.office import csrf_of, server_cmd, urls_in

pytestmark = pytest.mark.slow  # kiosk-server processes

DEMO = {  # as README and docs/back-office.md give them
    "demo-admin": ("admin", "demo-admin-pass"),
    "demo-health": ("health", "demo-health-pass"),
    "demo-police": ("police", "demo-police-pass"),
    "demo-market": ("market", "demo-market-pass"),
}
# a section each role must see, and one it must not
SEES = {
    "demo-admin": ({"/users", "/audit", "/declarations", "/vehicles", "/cards"}, set()),
    "demo-health": ({"/declarations", "/zones", "/tracing"}, {"/vehicles", "/users"}),
    "demo-police": ({"/vehicles"}, {"/declarations", "/cards", "/users"}),
    "demo-market": ({"/markets", "/cards"}, {"/declarations", "/vehicles", "/users"}),
}


def demo(data: Path) -> dict:
    done = server_cmd(data, "demo")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def sign_in(url: str, name: str, password: str) -> tuple[requests.Session, requests.Response]:
    s = requests.Session()
    page = s.get(url + "/login")
    answer = s.post(
        url + "/login",
        data={"csrf": csrf_of(page.text), "name": name, "password": password, "next": "/"},
    )
    return s, answer


def refused_on_every_address(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk_server",
            "--data-dir",
            str(data),
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=60,  # a refusal returns; serving would time out
    )


def test_demo_makes_an_account_a_role_that_signs_in_and_sees_its_sections(tmp_path):
    out = demo(tmp_path)
    assert out["manifest"].endswith("manifest.json")  # the key scripts read, as before
    assert out["staff"] == [
        {"user": name, "role": role, "password": password, "created": True}
        for name, (role, password) in DEMO.items()
    ]
    server = Server(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp_path}/server.db", tmp_path)
    server.start()
    try:
        login = requests.get(server.url + "/login").text
        assert "Tài khoản dùng thử" in login  # Vietnamese first
        # the page's own way to change them is named, not the command line alone
        assert "«Đổi mật khẩu»" in login and "/password" in login
        for name, (_role, password) in DEMO.items():
            assert name in login and password in login
        for name, (_role, password) in DEMO.items():
            s, answer = sign_in(server.url, name, password)
            assert answer.ok and not answer.url.endswith("/login"), name
            home = set(urls_in(answer.text))
            shown, hidden = SEES[name]
            assert shown <= home and not hidden & home, name
            for path in shown:
                assert s.get(server.url + path).status_code == 200, (name, path)
            for path in hidden:
                assert s.get(server.url + path).status_code == 403, (name, path)
        _s, wrong = sign_in(server.url, "demo-police", "demo-admin-pass")
        assert wrong.url.split("?")[0].endswith("/login")  # each password opens its own only
    finally:
        server.stop()


def test_demo_again_keeps_a_changed_password_and_says_so(tmp_path):
    demo(tmp_path)
    changed = server_cmd(
        tmp_path, "user", "password", "demo-health", stdin="một mật khẩu riêng 42\n"
    )
    assert changed.returncode == 0, changed.stderr
    again = demo(tmp_path)  # before: nothing made an account, so nothing could be reset
    by_name = {a["user"]: a for a in again["staff"]}
    assert by_name["demo-health"] == {
        "user": "demo-health",
        "role": "health",
        "password": None,
        "created": False,
    }
    assert by_name["demo-admin"] == {
        "user": "demo-admin",
        "role": "admin",
        "password": "demo-admin-pass",
        "created": False,
    }
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    assert staff.sign_in(engine, "demo-health", "demo-health-pass") == (None, "wrong")
    assert staff.sign_in(engine, "demo-health", "một mật khẩu riêng 42")[1] == "ok"
    assert [u["name"] for u in staff.users(engine)] == sorted(DEMO)  # none twice
    assert (
        server_cmd(tmp_path, "user", "password", "nobody", stdin="long enough pass\n").returncode
        == 2
    )
    assert server_cmd(tmp_path, "user", "password", "demo-admin", stdin="short\n").returncode == 2
    assert staff.sign_in(engine, "demo-admin", "demo-admin-pass")[1] == "ok"  # left as it was


def test_every_address_is_refused_while_a_demo_password_opens_its_account(tmp_path):
    demo(tmp_path)
    assert server_cmd(tmp_path, "rotate-key").returncode == 0  # the demo key is not the reason
    refused = refused_on_every_address(tmp_path)
    assert refused.returncode == 2 and "demo key" not in refused.stderr
    assert all(name in refused.stderr for name in DEMO)
    assert "kiosk-server user password NAME" in refused.stderr
    for name in ("demo-admin", "demo-health", "demo-police"):
        done = server_cmd(tmp_path, "user", "password", name, stdin=f"đổi rồi {name} 2021\n")
        assert done.returncode == 0, done.stderr
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    staff.set_user(engine, "demo-market", "admin", active=False)  # an admin can enable it again
    refused = refused_on_every_address(tmp_path)
    assert refused.returncode == 2 and "demo-market" in refused.stderr
    assert "demo-admin" not in refused.stderr  # only the ones still open are named
    assert (
        server_cmd(
            tmp_path, "user", "password", "demo-market", stdin="chợ phiên mới 2021\n"
        ).returncode
        == 0
    )
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk_server",
            "--data-dir",
            str(tmp_path),
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(url + "/v1/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.05)  # a poll: the loop ends as soon as it answers
        else:
            pytest.fail("the server did not start")
        login = requests.get(url + "/login").text
        assert "demo-" not in login and "Tài khoản dùng thử" not in login  # nothing to show
        _s, answer = sign_in(url, "demo-admin", "đổi rồi demo-admin 2021")
        assert answer.ok and not answer.url.endswith("/login")
    finally:
        proc.terminate()
        proc.wait(10)


def test_behind_a_proxy_a_demo_password_signs_in_only_on_the_server_itself(tmp_path):
    """The README's setup: the server on 127.0.0.1 behind a reverse proxy on the same machine.
    It starts (the host is a loopback one) yet serves the world; uvicorn names each client by
    the proxy's X-Forwarded-For, so a demo password from anywhere else is refused."""
    demo(tmp_path)
    server = Server(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp_path}/server.db", tmp_path)
    server.start()
    far = {"X-Forwarded-For": "203.0.113.7"}  # a client across the internet, via the proxy
    try:
        s = requests.Session()
        page = s.get(server.url + "/login", headers=far)
        assert "demo-admin-pass" not in page.text and "Tài khoản dùng thử" not in page.text
        answer = s.post(
            server.url + "/login",
            headers=far,
            data={
                "csrf": csrf_of(page.text),
                "name": "demo-admin",
                "password": "demo-admin-pass",
                "next": "/users",
            },
        )
        assert answer.url.split("?")[0].endswith("/login")
        assert "chỉ đăng nhập được trên chính máy chủ" in answer.text
        assert s.get(server.url + "/users", headers=far, allow_redirects=False).status_code in (
            303,
            307,
        )  # no session was opened
        _s, here = sign_in(server.url, "demo-admin", "demo-admin-pass")  # on the server itself
        assert here.ok and not here.url.split("?")[0].endswith("/login")
    finally:
        server.stop()


def test_tracing_a_demo_person_finds_contacts_and_demo_again_adds_none_twice(tmp_path):
    demo(tmp_path)
    demo(tmp_path)  # the same day again: the same scans, not twice as many contacts
    server = Server(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp_path}/server.db", tmp_path)
    server.start()
    try:
        s, _answer = sign_in(server.url, "demo-health", "demo-health-pass")
        page = s.get(server.url + "/tracing").text
        traced = s.post(
            server.url + "/tracing",
            data={  # the form's own days: the last 14
                "csrf": csrf_of(page),
                "id_number": "046085001234",
                "start": "",
                "end": "",
                "overlap": "15",
                "level": "1",
            },
        ).text
        contacts = re.search(r"Số người tiếp xúc: (\d+)", traced)
        assert contacts and int(contacts.group(1)) == 3, traced[-3000:]
        assert all(n in traced for n in ("Lê Thị Hương", "Võ Thị Ữ", "Phạm Hữu Lộc"))
        assert "Chốt Phú Bài" in traced
    finally:
        server.stop()
