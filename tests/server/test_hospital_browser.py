"""The "Khám chữa bệnh" section in a real browser (Debian's Chromium): a health officer records
a hospital's approval for a patient from another province (directive 82/CV-BCĐ I.6) and the
paired kiosk, synced, lets the patient in; a police officer cannot open the section."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from kiosk.clock import VIETNAM
from tests.server.browser import chromium, press, sign_in
from tests.server.office import PASSWORDS, kiosk_cmd

pytestmark = pytest.mark.slow
PATIENT = "079301009876"  # Nguyễn Thị Mỹ, from Hồ Chí Minh City, no declaration


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def _date(driver, name: str, day) -> None:
    # a date field takes the date typed in the browser's locale order; the value is set the
    # way a picker sets it, so the form posts ISO whatever the locale
    driver.execute_script(
        "arguments[0].value = arguments[1]", driver.find_element(By.NAME, name), day.isoformat()
    )


def test_a_health_officer_records_an_approval_and_the_kiosk_lets_the_patient_in(
    office, browser, tmp_path
):
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CHOT-PHU-BAI")
    before = json.loads(kiosk_cmd(kiosk, "check", "--id", PATIENT).stdout)
    assert before["reason"] == "not_found"

    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    press(browser, By.LINK_TEXT, "Khám chữa bệnh")
    today = datetime.now(VIETNAM).date()
    for name, value in (
        ("subject_id", PATIENT),
        ("full_name", "Nguyễn Thị Mỹ"),
        ("home_province", "TP. Hồ Chí Minh"),
        ("hospital", "Bệnh viện Đại học Y Dược Huế"),
        ("approved_by", "Khoa Mắt"),
    ):
        browser.find_element(By.NAME, name).send_keys(value)
    Select(browser.find_element(By.NAME, "purpose")).select_by_visible_text("Tái khám")
    _date(browser, "appointment_date", today)
    press(browser, By.ID, "add")
    assert "Đã ghi phê duyệt" in browser.find_element(By.CSS_SELECTOR, "p.ok").text
    assert PATIENT not in browser.current_url  # the history keeps no ID number
    row = browser.find_element(By.XPATH, f"//tr[td[text()='{PATIENT}']]")
    assert "Nguyễn Thị Mỹ" in row.text and "Tái khám" in row.text and "Đã duyệt" in row.text
    assert f"{today - timedelta(days=1):%d/%m}–{today:%d/%m/%Y}" in row.text

    assert kiosk_cmd(kiosk, "sync").returncode == 0
    after = json.loads(kiosk_cmd(kiosk, "check", "--id", PATIENT).stdout)
    assert (after["verdict"], after["reason"]) == ("allow", "hospital_approved")
    assert "Bệnh viện Đại học Y Dược Huế" in json.dumps(after, ensure_ascii=False)


def test_a_police_officer_cannot_open_the_section(office, browser):
    sign_in(browser, office.url, "congan", PASSWORDS["congan"])
    assert "Khám chữa bệnh" not in browser.find_element(By.TAG_NAME, "nav").text
    browser.get(office.url + "/hospital")
    assert "Vai trò của bạn không được mở mục này" in browser.page_source
    assert not browser.find_elements(By.ID, "add-approval")
