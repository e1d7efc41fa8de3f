"""`kiosk-server import` and `export` show their progress (rows done of the total, rows a
second) on standard error when it is a terminal, and print nothing there otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

ROWS = 3000


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "decl.csv"
    lines = ["id,subject_id,full_name,birth_date,sex,phone,status,valid_until"] + [
        f"{i},0460850{i:05d},Nguyễn Văn An {i},1985-01-01,M,0905000000,approved,2099-01-01T00:00:00"
        for i in range(1, ROWS + 1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(tmp_path: Path, db_url: str, *args: str, tty: bool) -> tuple[bytes, str]:
    """(stdout, what appeared on stderr): stderr a terminal (a pty) or a pipe."""
    cmd = [
        sys.executable,
        "-m",
        "kiosk_server",
        "--data-dir",
        str(tmp_path / "srv"),
        "--db",
        db_url,
        *args,
    ]
    if not tty:
        done = subprocess.run(cmd, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr.decode()
    master, slave = pty.openpty()
    seen = bytearray()

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the child is gone and the terminal with it
                return
            if not data:
                return
            seen.extend(data)

    reader = threading.Thread(target=read)
    reader.start()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave) as proc:
        os.close(slave)
        out = proc.stdout.read()
        assert proc.wait(120) == 0, seen.decode()
    reader.join(10)
    os.close(master)
    return out, seen.decode()


def test_an_import_shows_its_progress_on_a_terminal_and_nothing_in_a_pipe(tmp_path, db_url):
    path = _csv(tmp_path)
    out, shown = _run(tmp_path, db_url, "import", "declarations", str(path), tty=True)
    assert out.decode().strip() == str(ROWS)
    assert f"import declarations: checked: {ROWS:,} / {ROWS:,} rows (100%)" in shown
    assert f"import declarations: written: {ROWS:,} / {ROWS:,} rows (100%)" in shown
    assert "rows/s" in shown
    out, shown = _run(tmp_path, db_url, "import", "declarations", str(path), tty=False)
    assert out.decode().strip() == str(ROWS) and shown == ""


def test_an_export_shows_its_progress_on_a_terminal_and_writes_the_web_s_file(tmp_path, db_url):
    _run(tmp_path, db_url, "import", "declarations", str(_csv(tmp_path)), tty=False)
    target = tmp_path / "out.csv"
    out, shown = _run(tmp_path, db_url, "export", "declarations", "--out", str(target), tty=True)
    assert out == b""
    assert f"export declarations: {ROWS:,} / {ROWS:,} rows (100%)" in shown and "rows/s" in shown
    body = target.read_bytes()
    assert body.startswith(b"\xef\xbb\xbfid,subject_id,full_name,")
    assert body.count(b"\r\n") == ROWS + 1 and "Nguyễn Văn An 3000".encode() in body
    out, shown = _run(tmp_path, db_url, "export", "declarations", tty=False)
    assert out == body and shown == ""
