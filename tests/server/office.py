"""A real `kiosk-server serve` process with staff accounts made by `kiosk-server user add`,
for the back office's tests; and a paired kiosk data directory driven by the `kiosk` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import requests

from kiosk_server import staff
from tests.conftest import Server, free_port

PASSWORDS = {
    "admin": "ngựa-đúng-pin-kẹp-1",
    "yte": "khẩu trang 2021 xanh",
    "congan": "biển số 75C đỏ 99",
    "cho": "phiên chợ chẵn lẻ 7",
}
ROLES = {"admin": "admin", "yte": "health", "congan": "police", "cho": "market"}


def server_cmd(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk_server", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def kiosk_cmd(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass
class Office:
    server: Server

    @property
    def url(self) -> str:
        return self.server.url

    def cmd(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return server_cmd(self.server.data_dir, *args, stdin=stdin)

    def session(self, name: str, password: str | None = None) -> requests.Session:
        s = requests.Session()
        page = s.get(self.url + "/login")
        answer = s.post(
            self.url + "/login",
            data={
                "csrf": csrf_of(page.text),
                "name": name,
                "password": PASSWORDS[name] if password is None else password,
                "next": "/",
            },
        )
        assert answer.ok
        return s

    def pair_kiosk(self, kiosk_dir: Path, checkpoint: str) -> None:
        code = self.cmd("pair").stdout.strip()
        done = kiosk_cmd(kiosk_dir, "--checkpoint", checkpoint, "pair", self.url, code)
        assert done.returncode == 0, done.stderr


def post_form(
    session: requests.Session, url: str, page: str, action: str, data: dict
) -> requests.Response:
    """A form of `page` sent as a browser sends it: with the CSRF token the page carries."""
    token = csrf_of(session.get(url + page).text)
    return session.post(url + action, data={**data, "csrf": token})


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in URL_ATTRIBUTES and v]


URL_ATTRIBUTES = {"href", "action", "src", "formaction"}


def urls_in(html: str) -> list[str]:
    """Every address a page's links, forms and images lead to."""
    parser = _Urls()
    parser.feed(html)
    return parser.found


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "a form without its CSRF token"
    return found.group(1)


def start_office(tmp_path: Path) -> Office:
    data = tmp_path / "server"
    data.mkdir()
    # the first account as a province makes it, from a shell; the others as the admin would
    done = server_cmd(
        data, "user", "add", "admin", "--role", "admin", stdin=PASSWORDS["admin"] + "\n"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"user": "admin", "role": "admin"}
    server = Server(f"http://127.0.0.1:{free_port()}", f"sqlite:///{data}/server.db", data)
    for name, role in ROLES.items():
        if name != "admin":
            staff.add_user(server.engine, name, role, PASSWORDS[name], actor="admin")
    server.start()
    return Office(server)


ASSISTED_FORM = {
    "full_name": "Võ Thị Ữ",
    "id_number": "046301002345",
    "birth_date": "14/02/2001",
    "sex": "F",
    "phone": "0905 123 456",
    "province": "Thừa Thiên Huế",
    "district": "Thành phố Huế",
    "commune": "Phường Vĩnh Ninh",
    "address": "12 Lê Lợi",
    "came_from": "Đà Nẵng",
    "travel_14d": "",
    "transport": "motorbike",
    "plate": "75-B1 456.78",
    "symptoms": [],
    "contact_with_case": False,
}


def queue_assisted(kiosk_dir: Path, checkpoint: str) -> None:
    """What the assistant's desk does when a person without a smartphone is declared."""
    from kiosk.assisted import DeclarationDesk
    from kiosk.storage import Store

    store = Store.open(kiosk_dir / "kiosk.db")
    try:
        desk = DeclarationDesk(
            store,
            operator_id="asst-1",
            checkpoint_id=checkpoint,
            receipts_dir=kiosk_dir / "receipts",
        )
        (kiosk_dir / "receipts").mkdir(exist_ok=True)
        submitted, errors = desk.submit(dict(ASSISTED_FORM))
        assert errors == {} and submitted is not None
    finally:
        store.close()
