"""A stolen or damaged data directory (issue 14): nothing personal readable as plain bytes, a
damaged or lost database refused with the words that say what to do, backups that come back."""

import json
import os
import random
import stat
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import messages
from kiosk.app.cli import main
from kiosk.errors import EnvironmentProblem
from kiosk.storage import ScanRecord, Store, safekeeping
from kiosk.storage.keys import KEYRING, key_dir
from kiosk.storage.repository import fold_name
from kiosk.storage.safekeeping import BACKUPS_KEPT, list_backups, raw_connection
from tests.kiosk.conftest import NOW


def _cli(capsys, *args):
    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys):
    data = tmp_path / "data"
    assert _cli(capsys, "--data-dir", data, "demo", "--no-feed")[0] == 0
    manifest = json.loads((data / "demo" / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["ids"]:
        assert _cli(capsys, "--data-dir", data, "check", "--id", entry["id"])[0] == 0
    for sample in manifest["samples"][:4]:
        assert _cli(capsys, "--data-dir", data, "check", "--payload", sample["payload"])[0] == 0
    assert _cli(capsys, "--data-dir", data, "check", "--plate", "75C-123.45")[0] == 0
    assert _cli(capsys, "--data-dir", data, "backup")[0] == 0
    return data


def _personal_values(data):
    """Every ID number, name and phone number the demo put in the kiosk's cache."""
    queries = [
        "SELECT subject_id, full_name, phone FROM declarations",
        "SELECT driver_name, driver_phone FROM vehicle_registrations",
        "SELECT household_head, phone FROM market_cards",
    ]
    values = set()
    with raw_connection(data / "kiosk.db") as db:
        for q in queries:
            for row in db.execute(q):
                values.update(v for v in row if v and len(v) >= 6)
    names = {v for v in values if not v.isdigit()}
    values |= {fold_name(n) for n in names}  # the way personal QR codes print names
    return values


def test_no_demo_person_is_readable_as_plain_bytes_outside_demo(demo):
    values = _personal_values(demo)
    assert any(v.isdigit() and len(v) == 12 for v in values) and len(values) > 20
    files = [p for p in demo.rglob("*") if p.is_file() and "demo" not in p.relative_to(demo).parts]
    names = {p.name for p in files}
    assert "kiosk.db" in names and any(n.startswith("kiosk-") for n in names)  # + a backup
    for path in files:
        raw = path.read_bytes()
        for value in values:
            for encoding in ("utf-8", "utf-16-le"):
                assert value.encode(encoding) not in raw, (path.name, value)


def test_every_file_is_0600_every_folder_0700_and_the_key_lives_elsewhere(demo):
    for path in [demo, *demo.rglob("*")]:
        if "demo" in path.relative_to(demo).parts:
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    ring = json.loads((demo / KEYRING).read_text())
    key = key_dir() / f"{ring['key_id']}.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not key.is_relative_to(demo)
    assert key.read_bytes() not in b"".join(p.read_bytes() for p in demo.rglob("*") if p.is_file())


def test_an_empty_database_after_pairing_is_reported_not_recreated(demo, capsys):
    store = Store.open(demo / "kiosk.db")
    store.note_paired("https://server.invalid")
    store.close()
    for path in demo.glob("kiosk.db*"):
        path.unlink()
    (demo / "kiosk.db").write_bytes(b"")
    code, out, err = _cli(capsys, "--data-dir", demo, "check", "--id", "046085001234")
    assert (code, out) == (3, "")
    assert err.splitlines() == [messages.error_text("db_lost", "vi")]
    assert (demo / "kiosk.db").stat().st_size == 0  # nothing recreated behind the operator
    (demo / "kiosk.db").unlink()
    code, _, err = _cli(capsys, "--data-dir", demo, "--lang", "en", "check", "--id", "046085001234")
    assert code == 3 and err.splitlines() == [messages.error_text("db_lost", "en")]
    assert not (demo / "kiosk.db").exists()


def test_random_4k_overwrites_are_refused_with_the_damage_message(demo, capsys):
    db = demo / "kiosk.db"
    Store.open(db).close()  # checkpointed: every page is in the main file
    pristine = db.read_bytes()
    rng = random.Random(14)
    refused = 0
    for _trial in range(12):
        damaged = bytearray(pristine)
        offset = rng.randrange(0, len(damaged) - 4096)
        damaged[offset : offset + 4096] = rng.randbytes(4096)
        for extra in db.parent.glob("kiosk.db-*"):
            extra.unlink()
        db.write_bytes(bytes(damaged))
        code, out, err = _cli(capsys, "--data-dir", demo, "check", "--id", "046085001234")
        assert (code, out) == (3, ""), offset  # never a verdict from a damaged file
        assert err.splitlines() == [messages.error_text("db_damaged", "vi")]
        refused += 1
    assert refused == 12


def test_a_backup_comes_back_with_everything_recorded_before_it(tmp_path, capsys):
    data = tmp_path / "data"
    store = Store.open(data / "kiosk.db")
    before = {store.record_scan(_scan()) for _ in range(3)}
    taken = store.backup()
    after = store.record_scan(_scan())
    store.close()
    assert stat.S_IMODE(taken.path.stat().st_mode) == 0o600
    assert not taken.path.read_bytes().startswith(b"SQLite format 3")  # encrypted like the db
    with (data / "kiosk.db").open("r+b") as f:  # the database is damaged
        f.seek(4096)
        f.write(os.urandom(4096))
    with pytest.raises(EnvironmentProblem) as err:
        Store.open(data / "kiosk.db")
    assert err.value.code == "db_damaged"

    code, out, _ = _cli(capsys, "--data-dir", data, "restore")
    assert code == 0 and [json.loads(x)["backup"] for x in out.splitlines()] == [taken.name]
    code, out, _ = _cli(capsys, "--data-dir", data, "restore", "latest")
    assert code == 0 and json.loads(out)["restored"]["backup"] == taken.name
    again = Store.open(data / "kiosk.db")
    try:
        assert again.scan_event_ids() == before and after not in before
    finally:
        again.close()
    assert list(data.glob("kiosk.db.replaced-*"))  # the damaged file is kept aside, not erased
    ring = json.loads((data / KEYRING).read_text())
    assert ring["restored_from"] == taken.name


def test_a_named_backup_that_is_damaged_or_unknown_is_refused(tmp_path, capsys):
    data = tmp_path / "data"
    store = Store.open(data / "kiosk.db")
    store.record_scan(_scan())
    taken = store.backup()
    store.close()
    code, _, err = _cli(capsys, "--data-dir", data, "restore", "kiosk-20200101T000000Z.db")
    assert code == 3 and err.splitlines() == [messages.error_text("no_backup", "vi")]
    with taken.path.open("r+b") as f:
        f.seek(100)
        f.write(os.urandom(2000))
    code, _, err = _cli(capsys, "--data-dir", data, "restore", taken.name)
    assert code == 3 and err.splitlines() == [messages.error_text("backup_damaged", "vi")]


def test_a_backup_that_cannot_be_written_says_so_and_the_kiosk_goes_on(tmp_path, capsys):
    """A backups folder that cannot be made (here a file stands in its place: as root, no
    permission stops a write) is the machine's problem, said as such, not a software fault."""
    data = tmp_path / "data"
    store = Store.open(data / "kiosk.db")
    store.record_scan(_scan())
    store.close()
    (data / "backups").write_text("not a folder")
    code, _, err = _cli(capsys, "--data-dir", data, "backup")
    assert code == 3 and err.splitlines() == [messages.error_text("backup_not_writable", "vi")]
    assert "Không sao lưu được" in err
    store = Store.open(data / "kiosk.db")
    try:
        store.record_scan(_scan())  # the database itself is untouched
        assert len(store.scan_event_ids()) == 2
    finally:
        store.close()


def test_a_disk_that_fills_during_a_backup_leaves_no_part_written_file(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "kiosk.db")
    store.record_scan(_scan())

    def fills(_engine, target, _key):
        target.with_name(target.name + ".part").write_bytes(b"\0" * 4096)
        raise safekeeping.sqlcipher.OperationalError("database or disk is full")

    monkeypatch.setattr(safekeeping, "copy_to", fills)
    try:
        with pytest.raises(EnvironmentProblem) as err:
            store.backup()
    finally:
        store.close()
    assert err.value.code == "backup_disk_full"
    assert list((tmp_path / "backups").iterdir()) == []
    assert "ổ đĩa đã đầy" in messages.error_text("backup_disk_full", "vi")


def test_only_the_newest_backups_are_kept(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    try:
        start = datetime(2026, 12, 1, tzinfo=UTC)
        for hour in range(BACKUPS_KEPT + 3):
            store.backup(now=start + timedelta(hours=hour))
    finally:
        store.close()
    kept = list_backups(tmp_path)
    assert len(kept) == BACKUPS_KEPT
    assert kept[0].taken_at == start + timedelta(hours=BACKUPS_KEPT + 2)
    assert kept[-1].taken_at == start + timedelta(hours=3)


def test_a_plain_file_from_an_older_kiosk_is_encrypted_in_place(tmp_path):
    import sqlite3

    path = tmp_path / "kiosk.db"
    Store.open(path).close()
    key_file = key_dir() / f"{json.loads((tmp_path / KEYRING).read_text())['key_id']}.key"
    # an older kiosk's plain file, with a person in it
    (tmp_path / KEYRING).unlink()
    key_file.unlink()
    path.unlink()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (subject_id TEXT)")
        db.execute("INSERT INTO people VALUES ('046085001234')")
    db.close()
    store = Store.open(path, verify=True)
    store.close()
    assert b"046085001234" not in path.read_bytes()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    with raw_connection(path) as db:
        assert db.execute("SELECT subject_id FROM people").fetchall() == [("046085001234",)]


def test_a_database_whose_key_is_gone_says_so(tmp_path):
    Store.open(tmp_path / "kiosk.db").close()
    ring = json.loads((tmp_path / KEYRING).read_text())
    (key_dir() / f"{ring['key_id']}.key").unlink()
    with pytest.raises(EnvironmentProblem) as err:
        Store.open(tmp_path / "kiosk.db")
    assert err.value.code == "db_key_missing"
    with pytest.raises(EnvironmentProblem):
        safekeeping.restore(tmp_path)


def _scan(**changes):
    fields = dict(
        checkpoint_id="c1",
        operator_id="o1",
        source="typed",
        payload_kind="cmnd",
        subject_ref="0460******34",
        declaration_id=None,
        verdict="allow",
        reason="approved",
        scanned_at=NOW,
    )
    fields.update(changes)
    return ScanRecord(**fields)
