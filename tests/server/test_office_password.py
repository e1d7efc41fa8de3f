"""Staff change their own password on the web, as `kiosk-server user password` does from a
shell: the current one asked first (and counted toward the sign-in's lock-out), the same
minimum, the change on the audit trail, the form guarded by its CSRF token like the others."""

from __future__ import annotations

import json

from sqlalchemy import select

from kiosk_server.office_db import office_audit
from tests.server.office import PASSWORDS, csrf_of, post_form

NEW = "sông Hương mùa thu 2026"


def _change(client, office, current: str, new: str, repeat: str | None = None) -> str:
    answer = post_form(
        client,
        office.url,
        "/password",
        "/password",
        {"current": current, "new": new, "repeat": new if repeat is None else repeat},
    )
    return answer.text


def _signed_in(client, office) -> bool:
    return "/login" not in client.get(office.url + "/").url


def test_a_user_changes_their_own_password_and_their_other_sessions_end(office):
    here, elsewhere = office.session("yte"), office.session("yte")
    page = here.get(office.url + "/").text
    assert 'href="/password"' in page  # from every page's header
    form = here.get(office.url + "/password").text
    assert 'name="current"' in form and 'name="repeat"' in form and 'name="csrf"' in form

    assert "Mật khẩu hiện tại không đúng." in _change(here, office, "đoán bừa thôi 123", NEW)
    assert "không khớp" in _change(here, office, PASSWORDS["yte"], NEW, NEW + "!")
    assert "ít nhất 10 ký tự" in _change(here, office, PASSWORDS["yte"], "ngắn 1")
    assert _signed_in(elsewhere, office)  # nothing changed so far

    assert "Đã đổi mật khẩu." in _change(here, office, PASSWORDS["yte"], NEW)
    assert _signed_in(here, office) and not _signed_in(elsewhere, office)
    assert not _signed_in(office.session("yte"), office)  # the old one opens nothing now
    assert _signed_in(office.session("yte", NEW), office)

    with office.server.engine.connect() as conn:
        trail = conn.execute(
            select(office_audit.c.actor, office_audit.c.detail)
            .where(office_audit.c.action == "password_change")
            .order_by(office_audit.c.seq)
        ).all()
    assert [(a, json.loads(d)["outcome"]) for a, d in trail] == [
        ("yte", "wrong"),
        ("yte", "mismatch"),
        ("yte", "weak"),
        ("yte", "ok"),
    ]
    assert NEW not in str(trail) and PASSWORDS["yte"] not in str(trail)
    audit = office.session("admin").get(office.url + "/audit").text
    assert "Tự đổi mật khẩu" in audit and "Kết quả: thành công" in audit


def test_guessing_the_current_password_locks_the_account_as_at_sign_in(office):
    client = office.session("congan")
    for _ in range(4):
        assert "không đúng" in _change(client, office, "đoán bừa thôi 123", NEW)
    assert "tạm khóa 15 phút" in _change(client, office, "đoán bừa thôi 123", NEW)
    # locked now: the right password changes nothing, and signs nobody in
    assert "tạm khóa 15 phút" in _change(client, office, PASSWORDS["congan"], NEW)
    assert not _signed_in(office.session("congan"), office)
    assert not _signed_in(office.session("congan", NEW), office)


def test_the_change_needs_the_forms_token(office):
    client = office.session("cho")
    csrf_of(client.get(office.url + "/password").text)
    refused = client.post(
        office.url + "/password",
        data={"current": PASSWORDS["cho"], "new": NEW, "repeat": NEW, "csrf": "forged"},
    )
    assert refused.status_code == 403
    assert _signed_in(office.session("cho"), office)  # the old password still opens


def test_a_demo_account_cannot_take_a_public_password(office):
    client = office.session("admin")
    post_form(
        client,
        office.url,
        "/users",
        "/users",
        {"name": "demo-health", "role": "health", "password": "tạm thời 2026 ok"},
    )
    demo = office.session("demo-health", "tạm thời 2026 ok")
    said = _change(demo, office, "tạm thời 2026 ok", "demo-health-pass")
    assert "mật khẩu công khai" in said
