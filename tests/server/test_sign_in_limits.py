"""Sign-in limits an outside attacker meets: per client address (spraying one password at many
names) and per name without locking its owner out where the owner signs in. A real server;
clients at other addresses come through X-Forwarded-For, as behind the README's nginx (uvicorn
takes it from loopback only)."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import select

from kiosk_server import staff
from kiosk_server.db import open_db
from kiosk_server.office_db import office_audit
from kiosk_server.sign_in_guard import PER_ADDRESS, AddressGuard, client_key
from kiosk_server.web.sign_in_slots import CHECKERS
from tests.server.office import PASSWORDS, csrf_of

STRANGER = "203.0.113.9"
OFFICE = "198.51.100.4"  # where the health officer works and signs in


def _sign_in(office, name: str, password: str, address: str) -> requests.Response:
    s = requests.Session()
    s.headers["X-Forwarded-For"] = address
    token = csrf_of(s.get(office.url + "/login").text)
    return s.post(
        office.url + "/login",
        data={"csrf": token, "name": name, "password": password},
        allow_redirects=False,
    )


def _answer(response: requests.Response) -> str:
    if response.status_code == 429:
        return "429"
    where = response.headers["location"]
    return where.split("error=")[-1].split("&")[0] if "error=" in where else "ok"


def _sign_in_trail(office) -> list[tuple[str, dict]]:
    with office.server.engine.connect() as conn:
        rows = conn.execute(
            select(office_audit.c.actor, office_audit.c.detail)
            .where(office_audit.c.action == "sign_in")
            .order_by(office_audit.c.seq)
        ).all()
    return [(actor, json.loads(detail)) for actor, detail in rows]


def test_one_password_sprayed_at_many_names_from_one_address_is_stopped(office):
    sprayed = "Mùa xuân 2021!"
    answers = [
        _answer(_sign_in(office, f"nhanvien{i}", sprayed, STRANGER)) for i in range(PER_ADDRESS)
    ]
    assert answers == ["wrong"] * PER_ADDRESS  # no name was tried twice: no lock tripped

    refused = _sign_in(office, "nhanvien-cuoi", sprayed, STRANGER)
    assert refused.status_code == 429
    assert 540 <= int(refused.headers["Retry-After"]) <= 601
    alert = next(line for line in refused.text.splitlines() if 'role="alert"' in line)
    assert "Quá nhiều lần đăng nhập sai từ địa chỉ mạng này" in alert
    assert "Hãy thử lại sau 10 phút." in alert
    assert 'name="csrf"' in refused.text  # the form stays, to try again later
    # the right password is refused there too; the address is what is stopped, not the name
    assert _answer(_sign_in(office, "yte", PASSWORDS["yte"], STRANGER)) == "429"
    assert _answer(_sign_in(office, "yte", PASSWORDS["yte"], OFFICE)) == "ok"

    trail = _sign_in_trail(office)
    too_many = [(a, d) for a, d in trail if d["outcome"] == "too_many_tries"]
    # one line for the window however many tries were refused, with the address, no password
    assert too_many == [("nh********", {"outcome": "too_many_tries", "address": STRANGER})]
    assert sprayed not in json.dumps(trail, ensure_ascii=False)
    shown = office.session("admin").get(office.url + "/audit", params={"action": "sign_in"})
    assert "quá nhiều lần sai từ địa chỉ này" in shown.text
    assert f"Địa chỉ IP: {STRANGER}" in shown.text


def test_the_owner_signs_in_where_they_work_while_a_stranger_hammers_their_name(office):
    assert _answer(_sign_in(office, "yte", PASSWORDS["yte"], OFFICE)) == "ok"  # a usual day

    hammered = [
        _answer(_sign_in(office, "yte", f"đoán số {i}", STRANGER)) for i in range(PER_ADDRESS + 3)
    ]
    assert hammered == ["wrong"] * 4 + ["locked"] * (PER_ADDRESS - 4) + ["429"] * 3

    # the owner, at the office: in, the stranger's lock notwithstanding
    assert _answer(_sign_in(office, "yte", PASSWORDS["yte"], OFFICE)) == "ok"
    # the lock holds everywhere else, so the stranger gains no tries from a new address
    assert _answer(_sign_in(office, "yte", PASSWORDS["yte"], "192.0.2.77")) == "locked"
    assert _answer(_sign_in(office, "yte", "đoán tiếp", "192.0.2.78")) == "locked"


def test_a_name_that_is_no_account_is_answered_as_an_account_from_everywhere(office):
    # the office address knows "yte"; for a stranger at yet another address the two names,
    # one an account and one none, answer alike while both are hammered
    assert _answer(_sign_in(office, "yte", PASSWORDS["yte"], OFFICE)) == "ok"
    for name in ("yte", "nguyenvana"):
        tries = [_answer(_sign_in(office, name, "sai rồi", f"192.0.2.{i}")) for i in range(6)]
        assert tries == ["wrong"] * 4 + ["locked"] * 2, name


def test_the_api_description_pages_are_not_served(office):
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert requests.get(office.url + path).status_code == 404, path
    assert requests.get(office.url + "/v1/health").json()["status"] == "ok"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_ipv6_client_counts_by_its_64_and_a_flood_of_addresses_stays_bounded():
    clock = Clock()
    guard = AddressGuard(per_address=3, window=600.0, most=100, clock=clock)
    for host in ("2001:db8:1:2::1", "2001:db8:1:2:aaaa::9", "2001:db8:1:2::ffff"):
        guard.failed(client_key(host))  # a new address each try, within one /64
    assert guard.refused(client_key("2001:db8:1:2::5"))[0] > 0
    assert guard.refused(client_key("2001:db8:1:3::1")) == (0.0, False)
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"

    for i in range(10_000):  # a botnet, one failure each
        guard.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(guard._seen) <= 100
    clock.now += 601  # the windows end: an address refused before tries again
    assert guard.refused(client_key("2001:db8:1:2::5")) == (0.0, False)


def test_tries_sent_all_at_once_are_held_to_the_addresss_limit(office):
    # a spraying tool opens many connections at once: each try must meet the count the tries
    # before it left, not the one there was when it arrived and waited for a password check
    burst = 3 * PER_ADDRESS
    sessions = []
    for _ in range(burst):
        s = requests.Session()
        s.headers["X-Forwarded-For"] = STRANGER
        sessions.append((s, csrf_of(s.get(office.url + "/login").text)))
    start = threading.Barrier(burst)

    def one(i: int) -> str:
        s, token = sessions[i]
        start.wait()
        return _answer(
            s.post(
                office.url + "/login",
                data={"csrf": token, "name": f"nv{i}", "password": "Mùa xuân 2021!"},
                allow_redirects=False,
            )
        )

    with ThreadPoolExecutor(burst) as pool:
        answers = list(pool.map(one, range(burst)))
    checked = [a for a in answers if a != "429"]
    assert set(checked) == {"wrong"}
    # the checks running at the moment the limit was met may end too (sign_in_slots.CHECKERS)
    assert PER_ADDRESS <= len(checked) <= PER_ADDRESS + CHECKERS, answers
    trail = _sign_in_trail(office)
    assert len([d for _, d in trail if d["outcome"] == "too_many_tries"]) == 1


def test_wrong_passwords_checked_at_the_same_time_each_count_toward_the_names_lock(tmp_path):
    # the checks run side by side (sign_in_slots.CHECKERS, more with --workers): each read the
    # count before its password's check and wrote it plus one, so two at once counted as one
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    staff.add_user(engine, "yte", "health", PASSWORDS["yte"])
    start = threading.Barrier(staff.MAX_FAILURES)

    def one(i: int) -> str:
        start.wait()
        return staff.sign_in(engine, "yte", f"đoán số {i}", f"198.18.0.{i}")[1]

    with ThreadPoolExecutor(staff.MAX_FAILURES) as pool:
        answers = sorted(pool.map(one, range(staff.MAX_FAILURES)))
    assert answers == ["locked"] + ["wrong"] * (staff.MAX_FAILURES - 1)
    assert staff.sign_in(engine, "yte", PASSWORDS["yte"], "198.18.0.200") == (None, "locked")


def test_a_password_typed_into_the_name_box_is_not_kept_in_the_trail(office):
    typed = "Hoa-sen-2021!"  # a staff member's password, typed a box too early
    assert _answer(_sign_in(office, typed, "x", OFFICE)) == "wrong"
    trail = _sign_in_trail(office)
    assert trail[-1] == ("Ho********", {"outcome": "wrong", "address": OFFICE})
    with office.server.engine.connect() as conn:
        kept = [str(value) for row in conn.execute(select(office_audit)) for value in row]
    assert not any(typed in value for value in kept)
