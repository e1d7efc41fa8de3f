"""The command line is a contract other tools rely on: run it as they do, as a process."""

import json
import subprocess
import sys

import pytest

from kiosk.storage import Store


def kiosk(*args, data_dir=None):
    cmd = [sys.executable, "-m", "kiosk", *args]
    env_args = ["--data-dir", str(data_dir)] if data_dir else []
    return subprocess.run(cmd[:3] + env_args + cmd[3:], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    done = kiosk("demo", "--no-feed", data_dir=d)
    assert done.returncode == 0, done.stderr
    return d


def _scans(d):
    store = Store.open(d / "kiosk.db")
    try:
        return len(store.scan_event_ids())
    finally:
        store.close()


@pytest.mark.slow
def test_check_prints_exactly_the_four_key_verdict(data):
    done = kiosk("check", "--id", "046085001234", data_dir=data)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"verdict", "reason", "message_vi", "message_en"}
    assert (out["verdict"], out["reason"]) == ("allow", "approved")
    assert "được duyệt" in out["message_vi"] and "approved" in out["message_en"]


@pytest.mark.slow
def test_data_dir_is_accepted_after_the_command_name(data):
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", "--plate", "75c12345", "--data-dir", str(data)],
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout)["reason"] == "vehicle_approved"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("--id", "12345"),
        ("--payload", "https://example.com"),
        ("--plate", "hello"),
        ("--id", "099085001234"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_records_nothing(data, args):
    before = _scans(data)
    done = kiosk("check", *args, data_dir=data)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert _scans(data) == before


@pytest.mark.slow
def test_lang_en_gives_english_messages(data):
    done = kiosk("--lang", "en", "check", "--id", "12345", data_dir=data)
    assert done.stderr.startswith("A CMND number has 9 digits")


@pytest.mark.slow
def test_decode_prints_one_json_line_per_image(data, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    good = data / "demo" / "cccd-approved.png"
    done = kiosk("decode", str(good), str(broken))
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert done.returncode == 2
    assert lines[0]["codes"][0]["text"].startswith("046085001234||Trần Văn Đức|")
    assert lines[0]["codes"][0]["format"] == "QRCode" and lines[0]["ms"] >= 0
    assert lines[1]["codes"] == [] and lines[1]["error"] == "image_unreadable"


@pytest.mark.slow
def test_help_names_every_command():
    done = kiosk("--help")
    assert done.returncode == 0
    for command in ("demo", "check", "decode", "--data-dir", "--camera"):
        assert command in done.stdout
