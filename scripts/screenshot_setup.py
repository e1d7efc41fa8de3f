"""Screenshots of the first-run setup wizard, each step, for docs/ (and for a person to look at).

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshot_setup.py OUT_DIR [--screen WxH]

A real kiosk-server (its demo data, on 127.0.0.1) gives a real pairing code; the kiosk starts on
an empty data directory, so the wizard opens. Without a webcam the camera step shows the demo
video. Then the supervisor's panel with its Pair form. Names as scripts/screenshot.py's:
`screenshot-setup-N-STEP.png`, `-WxH` added for any screen but 1366x768.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from screenshot import settle, wait  # scripts/ is on sys.path: same waits, same settling

from kiosk.settings import Settings
from kiosk_server import admin
from kiosk_server.db import open_db
from ui.app import build_window


def _server(folder: Path) -> tuple[subprocess.Popen, str, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = f"sqlite:///{folder}/server.db"
    base = [sys.executable, "-m", "kiosk_server", "--data-dir", str(folder), "--db", db]
    subprocess.run([*base, "demo"], check=True, stdout=subprocess.DEVNULL)
    process = subprocess.Popen(
        [*base, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/v1/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.05)
    return process, url, db


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--screen", default="1366x768")
    args = parser.parse_args()
    screen_w, screen_h = (int(v) for v in args.screen.split("x"))
    suffix = "" if args.screen == "1366x768" else f"-{args.screen}"
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("KIOSK_KEY_DIR", str(Path(tmp) / "keys"))
        (Path(tmp) / "server").mkdir()
        server, url, db = _server(Path(tmp) / "server")
        try:
            engine = open_db(db)
            code = admin.new_pairing_code(engine)
            engine.dispose()
            data = Path(tmp) / "kiosk"
            window = build_window(data, replace(Settings(), language=args.lang))
            window.fit_to_screen(QRect(0, 0, screen_w, screen_h - 32))
            window.show()
            window.start()
            wizard = window.setup
            assert wizard is not None

            def shot(name: str) -> None:
                settle(app)
                window.grab().save(str(args.out / f"screenshot-setup-{name}{suffix}.png"))

            wizard.checkpoint.setText("chot-a-luoi-02")
            shot("1-checkpoint")
            wizard.go_next()
            form = wizard.pair_form
            form.server.setText(url)
            form.code.setText(code.lower().replace("-", " "))
            form.pair()
            wait(app, lambda: not form.busy)
            shot("2-server")
            wizard.go_next()
            wait(app, lambda: wizard.outcome.camera != "untested" and wizard.probe is None)
            if wizard.outcome.camera == "none":
                wizard.use_demo.click()
                wait(app, lambda: wizard.outcome.camera == "demo" and wizard.probe is None)
            shot("3-camera")
            wizard.go_next()
            clock = [0.0]
            wizard.wedge.clock = lambda: clock[0]
            for ch in "HC1:NCFOXN25TTSRDE":  # a reader's burst: 4 ms a key
                clock[0] += 0.004
                QTest.keyClick(wizard.reader_field, ch)
            clock[0] += 0.004
            QTest.keyClick(wizard.reader_field, Qt.Key.Key_Return)
            shot("4-reader")
            wizard.go_next()
            wait(app, lambda: bool(wizard.summary.text()))
            shot("5-summary")
            wizard.go_next()
            wait(app, lambda: window.stack.currentWidget() is window.sign_in)
            sign_in = window.sign_in
            wait(app, lambda: sign_in.operator.findData("supervisor-demo") >= 0)
            sign_in.operator.setCurrentIndex(sign_in.operator.findData("supervisor-demo"))
            sign_in.pin.setText("9999")
            sign_in.submit()
            wait(app, lambda: window.session is not None)
            panel = window.screen("supervisor")
            panel.pair_button.click()
            wait(app, lambda: bool(panel.pair_form.state.text()))
            shot("6-supervisor-pair")
            window.shutdown()
            window.event_log.close()
        finally:
            server.terminate()
            server.wait(10)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
