"""The back office tried as an outside attacker would, past what test_office_security covers:
a real server process, real HTTP."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.slow

LURE = "Máy chủ đã chuyển, đăng nhập tại http://evil.example"


def _alerts(html: str) -> str:
    return " ".join(line for line in html.splitlines() if 'role="alert"' in line
                    or 'role="status"' in line)


def test_a_crafted_link_puts_no_strangers_words_in_a_page(office):
    # a link mailed to staff: the genuine sign-in page must not say what the sender wrote
    page = requests.get(office.url + "/login", params={"error": LURE})
    assert page.status_code == 200 and "evil.example" not in page.text
    assert "khóa" in requests.get(office.url + "/login", params={"error": "locked"}).text
    admin = office.session("admin")
    for path, params in [
        ("/users", {"error": LURE, "done": LURE}),
        ("/password", {"done": LURE}),
        ("/vehicles", {"error": "bad_vehicle_line", "line": "3 " + LURE, "problem": LURE}),
        ("/vehicles", {"done": "imported_rows", "count": "5. " + LURE}),
    ]:
        answer = admin.get(office.url + path, params=params)
        assert answer.status_code == 200 and "evil.example" not in answer.text, path
    # the server's own notes still read as before
    shown = _alerts(admin.get(office.url + "/vehicles", params={
        "done": "imported_rows", "count": "12"}).text)
    assert "12" in shown and "imported_rows" not in shown
