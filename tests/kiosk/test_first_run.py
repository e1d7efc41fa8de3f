"""First run in the core (kiosk/first_run.py): which data directories the setup wizard opens
on, what a kiosk is told it lacks, and the sign-in line about pairing and sync."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import first_run, messages, settings
from kiosk.app.demo import seed
from kiosk.storage import Store

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def _opened(path):
    """A data directory whose database was opened once, as the window does before anything."""
    Store.open(path / "kiosk.db").close()
    return path


def test_a_new_data_directory_needs_setup_until_the_wizard_is_gone_through(tmp_path):
    data = _opened(tmp_path / "new")
    assert first_run.needs_setup(data)
    first_run.finish_setup(data, None, NOW)  # every step skipped
    assert not first_run.needs_setup(data)
    assert not (data / "settings.json").exists()  # nothing chosen: nothing written


@pytest.mark.parametrize("how", ["demo", "settings", "paired"])
def test_the_demo_an_installers_settings_or_a_pairing_count_as_set_up(tmp_path, how):
    data = _opened(tmp_path / how)
    if how == "demo":  # what `make run` does before it opens the window
        store = Store.open(data / "kiosk.db")
        seed(store, data, write_feed=False)
        store.close()
    elif how == "settings":
        settings.save(data, settings.Settings(checkpoint_id="chot-a-loui-02"))
    else:  # `kiosk pair` from the command line notes the pairing in device.json
        store = Store.open(data / "kiosk.db")
        store.note_paired("https://kiosk.example")
        store.close()
    assert not first_run.needs_setup(data)


def test_finishing_setup_writes_the_checkpoint_and_keeps_every_other_setting(tmp_path):
    data = _opened(tmp_path / "k")
    settings.save(data, replace(settings.Settings(), sound_volume=0.2, market_id=7))
    first_run.finish_setup(data, " chot-phong-dien-01 ", NOW)
    saved = settings.load(data)
    assert (saved.checkpoint_id, saved.sound_volume, saved.market_id) == (
        "chot-phong-dien-01",
        0.2,
        7,
    )
    assert json.loads((data / "device.json").read_text())["set_up_at"] == NOW.isoformat()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("chot-phong-dien-01", None),
        ("CP_7.a", None),
        ("", first_run.CHECKPOINT_EMPTY),
        ("   ", first_run.CHECKPOINT_EMPTY),
        ("chốt Phong Điền", first_run.CHECKPOINT_INVALID),
        ("x" * 41, first_run.CHECKPOINT_INVALID),
        ("-leading-dash", first_run.CHECKPOINT_INVALID),
    ],
)
def test_a_checkpoint_id_fits_what_every_scan_records(text, problem):
    assert first_run.checkpoint_problem(text) == problem


def test_what_a_person_types_for_the_server_and_the_code_is_read_as_meant():
    assert first_run.server_url(" kiosk.tthue.gov.vn/ ") == "https://kiosk.tthue.gov.vn"
    assert first_run.server_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert first_run.pairing_code(" 3f2a-9c01 -77be ") == "3F2A-9C01-77BE"
    assert first_run.pairing_code("3f2a 9c01 77be") == "3F2A-9C01-77BE"  # spaces for dashes
    assert first_run.pairing_code("3F2A9C0177BE") == "3F2A-9C01-77BE"


def test_the_sign_in_line_says_never_paired_never_synced_or_how_old_the_last_sync_is():
    never = first_run.sign_in_notice(False, None, NOW)
    assert never is not None
    assert "chưa từng ghép nối" in messages.text(never[0], "vi", **never[1])
    unsynced = first_run.sign_in_notice(True, None, NOW, "kiosk.tthue.gov.vn")
    assert unsynced is not None
    assert "kiosk.tthue.gov.vn" in messages.text(unsynced[0], "vi", **unsynced[1])
    old = first_run.sign_in_notice(True, NOW - timedelta(hours=30, minutes=10), NOW)
    assert old is not None
    assert "cách đây 30 giờ" in messages.text(old[0], "vi", **old[1])
    assert first_run.sign_in_notice(True, NOW - timedelta(hours=2), NOW) is None


def _facts(**changes):
    pairing = first_run.PairingState(False, "", None, 0)
    facts = first_run.SetupFacts(False, "chot-demo-01", pairing, "untested", "untested")
    return replace(facts, **changes)


def _said(notices, lang="vi"):
    return [messages.text(m, lang, **p) for m, p in notices]


def test_a_kiosk_set_up_with_every_step_skipped_is_told_all_it_lacks_in_vietnamese():
    lacking = _said(first_run.missing(_facts()))
    assert lacking[0] == (
        "Chưa ghép nối máy chủ: kiosk sẽ làm việc ngoại tuyến với dữ liệu có sẵn."
    )
    assert any("Chưa có người trực" in line for line in lacking)
    assert any("chot-demo-01" in line for line in lacking)
    assert any("Chưa thử camera" in line for line in lacking)
    assert any("Chưa thử đầu đọc" in line for line in lacking)
    assert first_run.done(_facts()) == []


def test_a_kiosk_with_everything_in_place_lacks_nothing():
    pairing = first_run.PairingState(True, "kiosk.tthue.gov.vn", NOW, 3)
    facts = _facts(
        checkpoint_named=True, checkpoint="chot-a", pairing=pairing, camera="live", reader="works"
    )
    assert first_run.missing(facts) == []
    said = _said(first_run.done(facts))
    assert said == [
        "Chốt: chot-a",
        "Đã ghép nối với kiosk.tthue.gov.vn",
        "3 người trực đăng nhập được",
        "Camera hoạt động",
        "Đầu đọc QR hoạt động",
    ]


def test_no_camera_and_the_demo_video_are_each_named():
    assert _said(first_run.missing(_facts(camera="none")))[3].startswith("Không tìm thấy camera")
    assert "video mẫu" in _said(first_run.missing(_facts(camera="demo")))[3]


def test_the_pairing_state_is_read_from_the_kiosks_own_database(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    try:
        assert first_run.pairing_state(store) == first_run.PairingState(False, "", None, 0)
        store.replica.paired("https://kiosk.example:8443", "c" * 40, "k-1")
        store.replica.set_state({"last_sync": NOW.isoformat()})
        state = first_run.pairing_state(store)
        assert (state.paired, state.server, state.last_sync) == (True, "kiosk.example:8443", NOW)
    finally:
        store.close()
