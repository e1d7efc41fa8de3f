"""Screenshots of every back-office section, taken by Debian's Chromium at 1366x768 on the
demo's data plus an assisted declaration a real kiosk pushed, for docs/ (and a person to look
at). Usage: python scripts/screenshot_office.py OUT_DIR
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.by import By  # noqa: E402

from kiosk_server import admin, cards, hospital, office  # noqa: E402
from kiosk_server.demo import load_demo  # noqa: E402
from kiosk_server.demo_scans import seed_scans  # noqa: E402
from tests.server.browser import chromium, sign_in  # noqa: E402
from tests.server.office import PASSWORDS, kiosk_cmd, queue_assisted, start_office  # noqa: E402

SECTIONS = [
    "declarations",
    "zones",
    "hospital",
    "vehicles",
    "markets",
    "cards",
    "operators",
    "kiosks",
    "users",
    "audit",
    "stats",
    "password",
]
# hospitals' approvals of patients from other provinces (directive 82 I.6)
HOSPITAL_CSV = (
    "subject_id,full_name,home_province,hospital,purpose,appointment_date,entry_from,entry_to,"
    "approved_by\n"
    "048090001234,Phan Văn Tâm,Đà Nẵng,Bệnh viện Trung ương Huế,kham,2026-12-05,,,"
    "BS. Lê Hữu Phước – Khoa Nội\n"
    "079301009876,Nguyễn Thị Mỹ,TP. Hồ Chí Minh,Bệnh viện Đại học Y Dược Huế,tai_kham,"
    "2026-12-07,2026-12-06,2026-12-08,Khoa Mắt\n"
    "045188004321,Hồ Văn Lượng,Quảng Trị,Bệnh viện Trung ương Huế,tai_kham,2026-12-03,,,"
    "Khoa Ung bướu\n"
    "044295007788,Lê Thị Ngọc Ánh,Quảng Bình,Bệnh viện Quốc tế Trung ương Huế,kham,2026-12-10,"
    "2026-12-09,2026-12-10,Khoa Sản\n"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        o = start_office(work)
        try:
            engine = o.server.engine
            load_demo(engine, o.server.data_dir)
            seed_scans(engine)  # as `kiosk-server demo`: a trace finds contacts
            admin.rotate_key(engine)  # cards are signed only once the public demo key is gone
            office.enable_folding(engine)
            for op_id, name, role, cp in (
                ("yt-hue-01", "Lê Thị Mai", "medic", "CHOT-PHU-BAI"),
                ("ca-hue-01", "Trần Văn Hùng", "police", "CHOT-PHU-BAI"),
                ("kh-hue-01", "Nguyễn Thị Hoa", "assistant", "CHOT-PHONG-DIEN"),
            ):
                office.add_operator(engine, "admin", op_id, name, role, cp, "480264")
            cards.save_market(
                engine,
                "admin",
                {
                    "id": "7",
                    "name": "Chợ Đông Ba",
                    "days": "even",
                    "slot_from": "06:00",
                    "slot_to": "09:00",
                },
            )
            for i, head in enumerate(("Nguyễn Văn Tư", "Trần Thị Ửng", "Đặng Hữu Đức")):
                cards.issue_card(
                    engine,
                    "cho",
                    {
                        "household_head": head,
                        "market_id": "7",
                        "phone": f"090512345{i}",
                        "household": f"HK-{i}",
                    },
                )
            office.save_vehicle(
                engine,
                "congan",
                {
                    "id": "77",
                    "plate": "43C-111.22",
                    "kind": "coach",
                    "business": "Xe khách Phương Trang",
                    "driver_name": "Võ Văn Nam",
                    "valid_from": "2026-11-01T00:00",
                    "valid_to": "2026-12-31T23:59",
                    "route": "Đà Nẵng – Huế (QL1A)",
                },
            )
            hospital.import_csv(engine, "yte", HOSPITAL_CSV)
            hospital.revoke(engine, "yte", 3, "Bệnh nhân đổi lịch")
            kiosk = work / "kiosk"
            o.pair_kiosk(kiosk, "CHOT-PHU-BAI")
            queue_assisted(kiosk, "CHOT-PHU-BAI")
            kiosk_cmd(kiosk, "sync")
            kiosk_cmd(kiosk, "check", "--plate", "43C11122")
            kiosk_cmd(kiosk, "sync")
            driver = chromium(1366, 768)
            try:
                driver.get(o.url + "/login")
                driver.save_screenshot(str(out / "office-login.png"))
                sign_in(driver, o.url, "admin", PASSWORDS["admin"])
                driver.save_screenshot(str(out / "office-home.png"))
                for section in SECTIONS:
                    driver.get(f"{o.url}/{section}")
                    driver.save_screenshot(str(out / f"office-{section}.png"))
                driver.get(o.url + "/tracing")  # a demo person traced over the form's days
                driver.find_element(By.NAME, "id_number").send_keys("046085001234")
                driver.find_element(By.CSS_SELECTOR, "form[action='/tracing'] button").click()
                driver.save_screenshot(str(out / "office-tracing.png"))
                driver.get(o.url + "/declarations")
                driver.find_element(By.XPATH, "//tr[td[text()='046301002345']]//a").click()
                driver.save_screenshot(str(out / "office-declaration.png"))
                driver.get(o.url + "/kiosks")
                driver.find_element(By.ID, "pair").click()
                driver.save_screenshot(str(out / "office-pairing.png"))
                driver.get(o.url + "/lang/en?next=/declarations")
                driver.save_screenshot(str(out / "office-declarations-en.png"))
            finally:
                driver.quit()
            phone = chromium(390, 844)
            try:
                sign_in(phone, o.url, "yte", PASSWORDS["yte"])
                phone.get(o.url + "/declarations")
                phone.save_screenshot(str(out / "office-phone-declarations.png"))
            finally:
                phone.quit()
        finally:
            o.server.stop()
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
