"""The command line is a contract other tools rely on: run it as they do, as a process."""

import json
import os
import subprocess
import sys
from argparse import _SubParsersAction

import cv2
import numpy as np
import pytest

from kiosk import messages
from kiosk.app.cli import build_parser
from kiosk.storage import Store

pytestmark = pytest.mark.slow  # each test starts Python; together a few seconds


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """Stands in for the user's data directory, so no test reads the real one."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def run(home):
    def run(*args):
        env = {**os.environ, "KIOSK_DATA_DIR": str(home)}
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    return run


@pytest.fixture(scope="module")
def data(tmp_path_factory, run):
    d = tmp_path_factory.mktemp("cli")
    done = run("--data-dir", d, "demo", "--no-feed")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"manifest": str(d / "demo" / "manifest.json")}
    return d


def _scans(d):
    store = Store.open(d / "kiosk.db")
    try:
        return len(store.scan_event_ids())
    finally:
        store.close()


@pytest.mark.parametrize("where", ["before", "after"])
def test_check_prints_exactly_the_four_key_verdict(data, run, where):
    before = _scans(data)
    if where == "before":
        done = run("--data-dir", data, "check", "--id", "046085001234")
    else:
        done = run("check", "--id", "046085001234", "--data-dir", data)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    (line,) = done.stdout.splitlines()
    out = json.loads(line)
    assert list(out) == ["verdict", "reason", "message_vi", "message_en"]
    assert (out["verdict"], out["reason"]) == ("allow", "approved")
    assert out["message_vi"].startswith("Tờ khai đã được duyệt, còn hạn đến ")
    assert out["message_en"].startswith("Declaration approved, valid until ")
    assert _scans(data) == before + 1  # the check is in this data directory's log


def test_check_payload_reads_a_vietnamese_chip_card_qr(data, run):
    manifest = json.loads((data / "demo" / "manifest.json").read_text(encoding="utf-8"))
    (sample,) = [s for s in manifest["samples"] if s["file"] == "cccd-inconsistent.png"]
    done = run("--data-dir", data, "check", "--payload", sample["payload"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reason"] == "id_inconsistent"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--id", "12345"), "id_bad_length"),
        (("--id", "099085001234"), "id_bad_province"),
        (("--payload", "https://example.com"), "not_checkpoint_code"),
        (("--payload", "8934567890123"), "not_checkpoint_code"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_records_nothing(data, run, args, code):
    before = _scans(data)
    done = run("--data-dir", data, "check", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [messages.error_text(code, "vi")]
    assert _scans(data) == before


def test_lang_en_gives_the_english_line(data, run):
    done = run("--lang", "en", "--data-dir", data, "check", "--id", "12345")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["A CMND number has 9 digits, a CCCD number 12."]
    done = run("--data-dir", data, "check", "--id", "12345", "--lang", "en")  # after, too
    assert done.stderr.splitlines() == ["A CMND number has 9 digits, a CCCD number 12."]


def test_an_unusable_database_is_exit_3_with_a_plain_message(tmp_path, run):
    (tmp_path / "kiosk.db").write_bytes(b"not a database at all " * 100)
    done = run("--data-dir", tmp_path, "check", "--id", "046085001234")
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.splitlines() == [messages.error_text("db_damaged", "vi")]


def test_decode_prints_one_json_line_per_image(data, run, tmp_path):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200), 255, np.uint8))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    missing = tmp_path / "missing.png"
    good = data / "demo" / "cccd-approved.png"
    manifest = json.loads((data / "demo" / "manifest.json").read_text(encoding="utf-8"))
    (payload,) = [s["payload"] for s in manifest["samples"] if s["file"] == good.name]

    done = run("decode", good, blank, broken, missing)
    assert done.returncode == 2
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in (good, blank, broken, missing)]
    assert lines[0]["codes"] == [{"text": payload, "format": "QRCode"}]  # Trần Văn Đức intact
    assert set(lines[0]) == {"file", "codes", "ms"} and lines[0]["ms"] >= 0
    assert set(lines[1]) == {"file", "codes", "ms"} and lines[1]["codes"] == []
    for line in lines[2:]:
        assert line["codes"] == [] and line["error"] == "image_unreadable"


def test_decode_of_readable_images_exits_0(data, run):
    done = run("decode", data / "demo" / "token-approved.png")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert json.loads(line)["codes"][0]["text"].startswith("CK1:")


def test_help_exits_0_and_mentions_every_command(run):
    done = run("--help")
    assert done.returncode == 0
    (subcommands,) = [a for a in build_parser()._actions if isinstance(a, _SubParsersAction)]
    commands = subcommands.choices  # demo, check, decode and whatever is added later
    assert {"demo", "check", "decode"} <= set(commands)
    for command in commands:
        assert f"    {command} " in done.stdout, command
    for option in ("--data-dir", "--lang", "--camera"):
        assert option in done.stdout


@pytest.mark.slow
def test_a_plate_that_is_no_plate_gets_one_line_with_its_near_miss(data, run):
    done = run("--data-dir", data, "check", "--plate", "75C-1234S")  # S typed for 5
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert "75C-123.45" in lines[0] and "biển số" in lines[0]


def test_every_demo_plate_gets_its_verdict_and_the_near_misses_the_manifest_lists(data, run):
    manifest = json.loads((data / "demo" / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["plates"]:
        kind = ("--kind", entry["kind"]) if "kind" in entry else ()
        done = run("--data-dir", data, "check", "--plate", entry["plate"], *kind)
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert (answer["verdict"], answer["reason"]) == (entry["verdict"], entry["reason"])
        assert answer.get("suggestions", []) == entry.get("suggestions", [])


def test_the_window_without_a_display_says_what_to_do_instead_of_aborting(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 3
    assert done.stderr.strip().startswith("Không có màn hình để mở cửa sổ")
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr


def test_operator_is_taken_before_or_after_the_command_name():
    for argv in (
        ["--operator", "medic-7", "check", "--id", "046085001234"],
        ["check", "--id", "046085001234", "--operator", "medic-7"],
        ["trust", "add", "dsc.pem", "--operator", "medic-7"],
    ):
        assert build_parser().parse_args(argv).operator == "medic-7", argv
    assert build_parser().parse_args(["check", "--id", "046085001234"]).operator is None
