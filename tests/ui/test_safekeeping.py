"""The window through damage and a restore (issue 14): it says what happened at sign-in, backs
up at sign-out and keeps no receipt once the assistant signs out."""

from __future__ import annotations

import os

import pytest

from kiosk import messages
from kiosk.receipts import receipt_spool
from kiosk.storage import safekeeping
from kiosk.storage.keys import device_state
from tests.ui.test_roles import FORM, _fill


def test_sign_out_backs_up_and_leaves_no_receipt(qtbot, make_window, demo_dir):
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    desk = window.screen("assistant")
    _fill(qtbot, desk, FORM)
    desk.save_button.click()
    qtbot.waitUntil(lambda: desk.review_page.confirm_button.isVisible(), timeout=10_000)
    desk.review_page.confirm_button.click()
    qtbot.waitUntil(lambda: desk.last is not None, timeout=10_000)
    receipt = desk.last.receipt
    assert receipt.exists() and not receipt.is_relative_to(demo_dir)  # in RAM, not on the disk
    window.close_session()
    qtbot.waitUntil(lambda: len(safekeeping.list_backups(demo_dir)) == 1, timeout=10_000)
    assert not receipt.exists()
    assert list(receipt_spool(demo_dir).iterdir()) == []


@pytest.mark.worker_deaths("sync")  # its own connection finds the damage too, and says so
def test_a_damaged_database_is_told_at_sign_in(qtbot, make_window, demo_dir):
    with (demo_dir / "kiosk.db").open("r+b") as f:
        f.seek(8192)
        f.write(os.urandom(4096))
    window = make_window(operator=None, camera="none-such-camera.avi")
    said = messages.error_text("db_damaged", "vi")
    qtbot.waitUntil(lambda: window.sign_in.message.text() == said, timeout=10_000)


def test_a_restore_is_told_once_at_the_next_sign_in(qtbot, make_window, demo_dir):
    from kiosk.storage import Store

    store = Store.open(demo_dir / "kiosk.db")
    store.backup()
    store.close()
    safekeeping.restore(demo_dir)
    window = make_window(operator=None, camera="none-such-camera.avi")
    assert "khôi phục" in window.sign_in.message.text()
    assert device_state(demo_dir)["restore_told"] is True
