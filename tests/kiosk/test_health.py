"""The data directory's health, as the supervisor's panel and `kiosk health` word it: read from a
real encrypted database, its backups and the disk it is on."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.app.demo import seed
from kiosk.checker import PersonDesk
from kiosk.health import LOW_DISK_BYTES, Health, check_health
from kiosk.storage import Store

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10:00 in Huế


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "kiosk.db")  # a new kiosk: nothing recorded yet
    yield s
    s.close()


def _line(health: Health, topic: str, lang: str = "vi"):
    return next(line for line in health.lines(lang) if line.topic == topic)


def test_a_fresh_kiosk_is_sound_encrypted_sent_and_asks_for_a_first_backup(store, tmp_path):
    health = check_health(store, NOW)
    assert health.database == "ok" and health.encrypted and health.unsent == 0
    assert _line(health, "database").text == "Đã kiểm tra cơ sở dữ liệu: không có hư hỏng."
    assert _line(health, "encryption").text == "Dữ liệu trên đĩa đã được mã hoá."
    assert _line(health, "sync").text == "Mọi dữ liệu đã được gửi lên máy chủ."
    backup = _line(health, "backup")
    assert (backup.state, backup.text) == ("act", "Chưa có bản sao lưu nào: hãy sao lưu ngay.")
    disk = shutil.disk_usage(tmp_path)
    assert abs(health.free_bytes - disk.free) < 50 * 10**6 and health.total_bytes == disk.total
    assert _line(health, "disk").text.startswith("Ổ đĩa: còn trống ")


def test_a_backup_is_fine_for_a_day_then_asks_for_action(store):
    store.backup(now=NOW - timedelta(hours=2))
    fresh = _line(check_health(store, NOW), "backup")
    assert fresh.state == "ok"
    assert fresh.text == "Sao lưu gần nhất: 08:00 02/12/2026 (cách đây 2 giờ)."
    old = _line(check_health(store, NOW + timedelta(hours=28)), "backup")
    assert old.state == "act"
    assert old.text == "Đã 30 giờ chưa sao lưu (lần cuối: 08:00 02/12/2026): hãy sao lưu ngay."
    assert _line(check_health(store, NOW + timedelta(days=3)), "backup", "en").text == (
        "No backup for 3 days (last: 08:00 02/12/2026): back up now."
    )


def test_records_not_sent_for_a_day_ask_for_a_sync(store):
    store.note_paired("https://server.invalid")
    desk = PersonDesk(store, checkpoint_id="c1", operator_id="medic-demo", clock=lambda: NOW)
    desk.check_id("046085001234", "typed")
    desk.check_id("048078007890", "typed")
    # each check is a scan and a look-up in the audit trail: what sync would send
    assert store.replica.pending_count() == 4
    soon = _line(check_health(store, NOW + timedelta(hours=1)), "sync")
    assert (soon.state, soon.text) == ("ok", "4 bản ghi đang chờ gửi lên máy chủ.")
    later = check_health(store, NOW + timedelta(days=2))
    assert later.unsent == 4 and later.oldest_unsent == NOW
    line = _line(later, "sync", "en")
    assert line.state == "act"
    assert line.text.endswith("not sent for 2 days: check the network and press Sync now.")


def test_a_low_disk_and_a_plain_file_are_told_in_red(store):
    health = check_health(store, NOW)
    low = Health(**{**health.__dict__, "free_bytes": LOW_DISK_BYTES - 1, "encrypted": False})
    disk = _line(low, "disk")
    assert disk.state == "act" and disk.text.startswith("Ổ đĩa sắp đầy: chỉ còn trống 1.1 GB")
    assert _line(low, "encryption").text == (
        "Dữ liệu trên đĩa CHƯA được mã hoá: hãy gọi hỗ trợ kỹ thuật."
    )
    assert low.needs_action


def test_a_damaged_page_is_a_finding_not_a_crash(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    seed(store, tmp_path, now=NOW, write_feed=False)
    store.close()
    db = tmp_path / "kiosk.db"
    with db.open("r+b") as f:  # a page in the middle, past the schema
        f.seek((db.stat().st_size // 4096 // 2) * 4096)
        f.write(os.urandom(4096))
    damaged = Store.open(db, verify=False)
    try:
        health = check_health(damaged, NOW)
    finally:
        damaged.close()
    assert health.database == "db_damaged"
    line = _line(health, "database")
    assert line.state == "act" and line.text.startswith("Cơ sở dữ liệu bị hỏng")
    topics = [x.topic for x in health.lines("vi")]  # every line, whichever page was hit
    assert topics == ["disk", "database", "backup", "encryption", "sync"]


def test_kiosk_health_prints_the_panels_lines_and_exits_1_while_one_asks_for_action(
    tmp_path, capsys
):
    import json

    from kiosk.app.cli import main

    data = tmp_path / "data"
    Store.open(data / "kiosk.db").close()
    assert main(["--data-dir", str(data), "health"]) == 1  # no backup yet
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["topic"] for x in lines] == ["disk", "database", "backup", "encryption", "sync"]
    assert lines[2] == {
        "topic": "backup",
        "state": "act",
        "text": "Chưa có bản sao lưu nào: hãy sao lưu ngay.",
    }
    assert main(["--data-dir", str(data), "backup"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "--lang", "en", "health"]) == 0
    out = capsys.readouterr().out
    assert "Last backup: " in out and '"act"' not in out


def test_a_kiosk_never_paired_is_told_to_pair_not_to_check_the_network(store):
    PersonDesk(store, checkpoint_id="c1", operator_id="o1", clock=lambda: NOW).check_id(
        "046085001234", "typed"
    )
    line = _line(check_health(store, NOW + timedelta(days=2)), "sync")
    assert line.state == "act"
    assert line.text == "2 bản ghi chỉ lưu trên máy này: máy chưa được ghép với máy chủ."
