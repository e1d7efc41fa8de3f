"""Issue 10 through the real commands: a kiosk (its own data directory) paired with a real
`kiosk-server serve` on 127.0.0.1 checks people with `kiosk check --at`, syncs, and the server's
`trace`, `stats` and both daily reports (read back with pdftotext) say what happened."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kiosk.privacy import mask_id
from kiosk.storage.safekeeping import raw_connection
from kiosk_server import admin
from kiosk_server.tracing import Refused, Staff, audit_trail, trace

A = "046085001234"  # Trần Văn Đức, approved
B = "046192004567"  # Lê Thị Hương, pending: the contact
C = "079088003456"  # from an epidemic zone: 30 minutes after B, outside A's overlap
D = "092195005678"  # five minutes after A, but at another checkpoint
DAY = "2026-12-01"


def run(*args: object, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *map(str, args)], capture_output=True, timeout=120)
    if ok:
        assert done.returncode == 0, done.stderr.decode()
    return done


@pytest.fixture
def synced(server, tmp_path):
    """The shift: A in at 09:00, B out at 09:10, a plate at 09:20 and C at 09:40 at chot-1;
    D at 09:05 at chot-2; then one sync. Checkpoints registered in two districts."""
    kiosk = tmp_path / "kiosk"
    k = ("-m", "kiosk", "--data-dir", kiosk)
    run(*k, "pair", server.url, admin.new_pairing_code(server.engine))
    run(*k, "sync")
    checks = [
        ("chot-1", "--id", A, "09:00", "in"),
        ("chot-1", "--id", B, "09:10", "out"),
        ("chot-1", "--plate", "38C-999.99", "09:20", "in"),
        ("chot-1", "--id", C, "09:40", "in"),
        ("chot-2", "--id", D, "09:05", "in"),
    ]
    for checkpoint, what, value, at, direction in checks:
        run(
            *k,
            "--checkpoint",
            checkpoint,
            "check",
            what,
            value,
            "--at",
            f"{DAY}T{at}:00+07:00",
            "--direction",
            direction,
            # an unregistered plate's verdict follows its kind (directive 82): freight is denied
            *(("--kind", "freight") if what == "--plate" else ()),
        )
    with raw_connection(kiosk / "kiosk.db") as db:
        waiting = db.execute("SELECT count(*) FROM outgoing_identities").fetchone()[0]
    assert waiting == 4  # the plate names no person
    summary = json.loads(run(*k, "sync").stdout)
    assert summary["pending"] == 0
    with raw_connection(kiosk / "kiosk.db") as db:
        # the server has the identities now: the kiosk no longer holds them
        assert db.execute("SELECT count(*) FROM outgoing_identities").fetchone()[0] == 0
        refs = [r[0] for r in db.execute("SELECT subject_ref FROM scan_events")]
    assert A not in refs and "0460******34" in refs
    csv_file = tmp_path / "checkpoints.csv"
    csv_file.write_text(
        "id,name,district,registered_at\n"
        "chot-1,Chốt cầu Tràng Tiền,Thành phố Huế,2026-11-01\n"
        "chot-2,Chốt Phú Bài,Thị xã Hương Thủy,2026-11-15\n"
        "chot-3,Chốt mới,Thị xã Hương Thủy,2026-12-05\n",  # registered after the day
        encoding="utf-8",
    )
    run(*server_cmd(server), "import", "checkpoints", csv_file)
    return kiosk


def server_cmd(server) -> tuple:
    return ("-m", "kiosk_server", "--data-dir", server.data_dir, "--db", server.db_url)


def test_kiosk_server_trace_lists_who_was_scanned_at_the_same_place_within_the_overlap(
    server, synced, tmp_path
):
    s = server_cmd(server)
    out = run(*s, "trace", A, "--from", DAY, "--to", DAY, "--format", "json").stdout
    result = json.loads(out)
    assert result["subject"]["full_name"] == "Trần Văn Đức"
    [visit] = result["visits"]
    assert visit["checkpoint_name"] == "Chốt cầu Tràng Tiền"
    assert visit["district"] == "Thành phố Huế"
    [contact] = visit["contacts"]  # not C (30 min later), not D (another checkpoint)
    assert contact["id_number"] == B
    assert contact["full_name"] == "Lê Thị Hương"
    assert contact["minutes_apart"] == 10.0
    assert contact["direction"] == "out"
    assert contact["phone"]  # the contact details the server holds

    # a wider overlap reaches C; the second level lists B's own contacts (none besides A)
    wide = json.loads(
        run(*s, "trace", A, "--from", DAY, "--to", DAY, "--overlap-minutes", "45").stdout
    )
    assert {x["id_number"] for x in wide["visits"][0]["contacts"]} == {B, C}
    second = json.loads(run(*s, "trace", A, "--from", DAY, "--to", DAY, "--level", "2").stdout)[
        "second_level"
    ]
    assert [s_["via"] for s_ in second] == [B]
    assert all(A not in {x["id_number"] for x in v["contacts"]} for v in second[0]["visits"])

    raw = run(*s, "trace", A, "--from", DAY, "--to", DAY, "--format", "csv").stdout
    assert raw.startswith("\ufeff".encode())
    assert "Lê Thị Hương" in raw.decode("utf-8-sig") and B in raw.decode("utf-8-sig")

    pdf = tmp_path / "trace.pdf"
    run(*s, "trace", A, "--from", DAY, "--to", DAY, "--format", "pdf", "--out", pdf)
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout
    assert "Lê Thị Hương" in text.decode() and B in text.decode()
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, check=True).stdout.decode()
    assert "DejaVuSans" in fonts and " yes " in fonts  # embedded

    # every query is on the server's audit trail, with who asked and whom, masked
    trail = audit_trail(server.engine)
    assert sum(1 for e in trail if e["action"] == "trace" and e["subject"] == mask_id(A)) == 5
    assert not [e for e in trail if A in str(e)]

    # a role other than health or admin is refused, and the refusal is on the trail
    with pytest.raises(Refused):
        trace(server.engine, Staff("web:clerk", "statistics"), A, *(2 * [_day()]))
    [last] = audit_trail(server.engine, 1)
    assert (last["actor"], last["outcome"], last["subject"]) == ("web:clerk", "refused", mask_id(A))
    # what is no ID number: one line, exit 2
    done = run(*server_cmd(server), "trace", "12345", "--from", DAY, "--to", DAY, ok=False)
    assert done.returncode == 2 and done.stderr.decode().count("\n") == 1


def _day():
    from datetime import date

    return date.fromisoformat(DAY)


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, check=True
    ).stdout.decode()


def test_stats_and_both_daily_reports_agree_with_the_events_pushed(server, synced, tmp_path):
    s = server_cmd(server)
    by_checkpoint = json.loads(
        run(*s, "stats", "--from", DAY, "--to", DAY, "--by", "checkpoint").stdout
    )
    rows = {r["key"]: r for r in by_checkpoint}
    # chot-1: A in, B out, C in (epidemic zone: quarantine), a plate (unregistered freight: denied)
    assert {
        k: rows["chot-1"][k]
        for k in (
            "scans_in",
            "scans_out",
            "vehicles",
            "quarantine",
            "violations",
            "qr_points",
            "scans_allow",
            "scans_attention",
            "scans_deny",
        )
    } == {
        "scans_in": 2,
        "scans_out": 1,
        "vehicles": 1,
        "quarantine": 1,
        "violations": 1,
        "qr_points": 1,
        "scans_allow": 1,
        "scans_attention": 2,
        "scans_deny": 1,
    }
    assert (rows["chot-2"]["scans_in"], rows["chot-2"]["scans_attention"]) == (1, 1)
    by_district = {
        r["key"]: r
        for r in json.loads(run(*s, "stats", "--from", DAY, "--to", DAY, "--by", "district").stdout)
    }
    # chot-3 was registered after the day: two QR points then, one per district
    assert by_district["total"]["qr_points"] == 2
    assert by_district["Thị xã Hương Thủy"]["qr_points"] == 1
    assert by_district["total"]["scans_in"] == 3 and by_district["total"]["scans_out"] == 1
    by_hour = json.loads(run(*s, "stats", "--from", DAY, "--to", DAY, "--by", "hour").stdout)
    assert [r["key"] for r in by_hour] == [f"{DAY} 09:00", "total"]
    assert by_hour[0]["scans_allow"] + by_hour[0]["scans_attention"] + by_hour[0]["scans_deny"] == 5
    csv_raw = run(*s, "stats", "--from", DAY, "--to", DAY, "--by", "day", "--format", "csv")
    assert csv_raw.stdout.decode("utf-8-sig").splitlines()[1].startswith(f"{DAY},2,3,1,")

    # the province's report prints the same numbers, with Vietnamese text extractable
    province = tmp_path / "province.pdf"
    run(*s, "report", "daily", "--date", DAY, "--out", province)
    text = pdf_text(province)
    assert "Báo cáo ngày toàn tỉnh 01/12/2026" in text
    hue = next(line for line in text.splitlines() if line.strip().startswith("Thành phố Huế"))
    assert hue.split()[-8:] == ["1", "2", "1", "0", "0", "1", "1", "1"]
    assert next(line for line in text.splitlines() if "chot-1" in line).split()[-8:] == [
        "1",
        "2",
        "1",
        "0",
        "0",
        "1",
        "1",
        "1",
    ]

    # the kiosk's own report of the day: scans by verdict, entries and exits, vehicles
    kiosk_pdf = tmp_path / "kiosk.pdf"
    numbers = json.loads(
        run(
            "-m",
            "kiosk",
            "--data-dir",
            synced,
            "report",
            "daily",
            "--date",
            DAY,
            "--out",
            kiosk_pdf,
        ).stdout
    )
    assert numbers["total_scans"] == 5 and numbers["by_verdict"] == {
        "allow": 1,
        "attention": 3,
        "deny": 1,
    }
    text = pdf_text(kiosk_pdf)
    assert "Báo cáo ngày 01/12/2026" in text

    def figure(label: str) -> str:
        """The number on the label's own line (its table row, not the header)."""
        lines = [ln.split() for ln in text.splitlines() if ln.strip().startswith(label)]
        return next(words[-1] for words in lines if words[-1].isdigit())

    assert (figure("Lượt vào"), figure("Lượt ra"), figure("Phương tiện")) == ("3", "1", "1")
    assert (figure("Chuyển cách ly"), figure("Vi phạm"), figure("Khai báo hộ")) == ("1", "1", "0")
    assert (figure("ĐƯỢC QUA"), figure("KIỂM TRA"), figure("TỪ CHỐI")) == ("1", "3", "1")
