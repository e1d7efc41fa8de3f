"""The medic compares an HC1 certificate's holder and essentials with the ID document."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.hcert.checker import HcertChecker
from kiosk.storage import Store
from kiosk.storage.hcert import SignerRow
from tests.kiosk.hcert.vectors import NOW, hc1, make_dsc
from ui.verdict_panel import VerdictPanel


@pytest.fixture
def result(tmp_path):
    dsc = make_dsc("ES256")
    store = Store.open(tmp_path / "kiosk.db")
    s = dsc.signer()
    row = SignerRow(s.fingerprint, s.kid, s.country, s.not_before, s.not_after, s.cert_der)
    store.hcert.add_signer(row, NOW - timedelta(hours=50))  # a trust list 50 hours old
    try:
        checker = HcertChecker(store, checkpoint_id="c1", operator_id="medic-1")
        yield checker.check(hc1(dsc), "camera", NOW)
    finally:
        store.close()


def test_the_medic_sees_name_birth_date_and_the_certificate_essentials(qtbot, result):
    panel = VerdictPanel("medic", "vi")
    qtbot.addWidget(panel)
    panel.show_result(result)
    assert panel.word.text() == "ĐƯỢC QUA"
    text = panel.person.text()
    assert "Nguyễn Thị Ngọc Bích" in text and "17/05/1990" in text
    assert "Comirnaty" in text and "mũi 2/2" in text and "01/10/2026" in text
    assert "quá 48 giờ" in text  # the stale trust list is said on screen


def test_other_roles_see_the_holder_masked(qtbot, result):
    panel = VerdictPanel("police", "en")
    qtbot.addWidget(panel)
    panel.show_result(result)
    text = panel.person.text()
    assert "Nguyễn T** N*** B***" in text and "Bích" not in text
    assert "born 1990" in text and "17/05" not in text
    assert "dose 2/2" in text and "over 48 hours" in text


def test_an_hc1_qr_in_front_of_the_camera_ends_as_a_verdict_with_its_holder(
    qtbot, make_window, demo_dir
):
    from datetime import UTC, datetime

    from kiosk.hcert.commands import trust_add
    from tests.kiosk.hcert.vectors import dgc, vaccination
    from tests.ui.conftest import feed_of

    now = datetime.now(UTC)
    dsc = make_dsc("ES256", not_before=now - timedelta(days=30), not_after=now + timedelta(days=30))
    pem = demo_dir / "dsc.pem"
    pem.write_bytes(dsc.pem)
    store = Store.open(demo_dir / "kiosk.db")
    try:
        trust_add(store, pem, "supervisor-demo")
    finally:
        store.close()
    given = (now - timedelta(days=60)).date().isoformat()
    text = hc1(
        dsc,
        body=dgc(vaccination(dt=given)),
        iat=now - timedelta(days=1),
        exp=now + timedelta(days=300),
    )
    window = make_window(camera=str(feed_of(demo_dir, [text])))
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=30_000)
    assert medic.verdict.reason.text().startswith("Chứng nhận tiêm chủng hợp lệ: mũi 2/2")
    assert "Nguyễn Thị Ngọc Bích · sinh 17/05/1990" in medic.verdict.person.text()
    assert "quá 48 giờ" not in medic.verdict.person.text()  # the trust list was just updated
