"""Saves a screenshot of the medic's window after the demo feed produced a verdict.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshot.py OUT.png [--lang en] [--wait REASON]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.demo import seed
from kiosk.settings import Settings
from kiosk.storage import Store
from ui.app import build_window


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--wait", default="approved", help="reason code to wait for")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        store = Store.open(data_dir / "kiosk.db")
        seed(store, data_dir)
        store.close()
        conf = replace(
            Settings(), camera=str(data_dir / "demo" / "demo-feed.mp4"), language=args.lang
        )
        window = build_window(data_dir, conf)
        window.camera_is_demo = True
        window.resize(1280, 760)
        window.show()
        window.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            app.processEvents()
            state = window.verdict._state
            if state[0] == "result" and state[1].reason == args.wait:  # type: ignore[union-attr]
                break
            time.sleep(0.01)
        else:
            print(f"no verdict {args.wait!r} within 60 s", file=sys.stderr)
            window.shutdown()
            return 1
        for _ in range(10):  # let the preview paint the newest frame with its outline
            app.processEvents()
            time.sleep(0.03)
        window.grab().save(str(args.out))
        window.shutdown()
        window.event_log.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
