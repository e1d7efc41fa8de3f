"""Screenshots of every screen on demo data, for docs/ (and for a person to look at).

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshot.py OUT_DIR [--lang en] [--screen WxH]

The window is sized as on a screen of that size (default 1366x768, a 32 px desktop panel
excluded); any screen but 1366x768 adds `-WxH` to the file names.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from kiosk.app.demo import seed
from kiosk.settings import Settings
from kiosk.storage import Store
from ui.app import build_window
from ui.kiosk_window import KioskWindow


def wait(app: QApplication, done: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication) -> None:
    for _ in range(15):  # let the preview paint the newest frame with its outline
        app.processEvents()
        time.sleep(0.03)


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
        data = Path(tmp)
        store = Store.open(data / "kiosk.db")
        manifest = json.loads(seed(store, data).read_text(encoding="utf-8"))
        store.close()
        conf = replace(Settings(), camera=str(data / "demo" / "demo-feed.mp4"), language=args.lang)
        window: KioskWindow = build_window(data, conf)
        window.devices.camera_is_demo = True
        window.fit_to_screen(QRect(0, 0, screen_w, screen_h - 32))
        window.show()
        window.start()
        sign_in = window.sign_in
        wait(app, lambda: sign_in.operator.findData("supervisor-demo") >= 0)
        settle(app)
        window.grab().save(str(args.out / f"screenshot-sign-in{suffix}.png"))
        sign_in.operator.setCurrentIndex(sign_in.operator.findData("supervisor-demo"))
        sign_in.pin.setText("9999")
        sign_in.submit()
        wait(app, lambda: window.session is not None)

        medic = window.screen("medic")
        wait(app, lambda: getattr(medic.verdict.shown_result, "reason", "") == "approved")
        settle(app)
        window.grab().save(str(args.out / f"screenshot-medic{suffix}.png"))

        police = window.screen("police")
        police.plate_entry.setText("75C-123.54")
        police.submit()
        wait(app, lambda: bool(police.suggestions))
        settle(app)
        window.grab().save(str(args.out / f"screenshot-police{suffix}.png"))

        market = window.screen("market")  # the demo camera now plays the market's cards
        card = next(c for c in manifest["cards"] if c["reason"] == "card_valid")
        wait(app, lambda: getattr(market.verdict.shown_result, "reason", "") == card["reason"])
        settle(app)
        window.grab().save(str(args.out / f"screenshot-market{suffix}.png"))

        desk = window.screen("assistant")
        for name, value in {
            "full_name": "Đỗ Thị Lan",
            "id_number": "001303004567",
            "birth_date": "2003-04-05",
            "phone": "0905 123 456",
            "commune": "Phường Phú Hội",
        }.items():
            desk.texts[name].setText(value)
        desk.province.setCurrentText("Thừa Thiên Huế")
        desk.submit()
        wait(app, lambda: bool(desk.errors_shown))
        settle(app)
        window.grab().save(str(args.out / f"screenshot-assistant{suffix}.png"))
        # corrected, then read back to the person on the review page before it is saved
        for name, value in {
            "birth_date": "05/04/2003",
            "district": "Thành phố Huế",
            "came_from": "Hà Nội",
        }.items():
            desk.texts[name].setText(value)
        desk.sex.setCurrentIndex(desk.sex.findData("F"))
        desk.transport.setCurrentIndex(desk.transport.findData("train"))
        desk.submit()
        wait(app, lambda: desk.pages.currentWidget() is desk.review_page)
        settle(app)
        window.grab().save(str(args.out / f"screenshot-assistant-review{suffix}.png"))
        desk.back_to_form()

        chief = window.screen("supervisor")
        chief.refresh()
        wait(app, lambda: chief.scans.count() > 0)
        settle(app)
        window.grab().save(str(args.out / f"screenshot-supervisor{suffix}.png"))
        window.shutdown()
        window.event_log.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
