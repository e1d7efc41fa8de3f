"""The back office in a real browser (Debian's Chromium), as staff use it, with a real kiosk
on the other end: `kiosk sync` and `kiosk check` as processes against the server process."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from kiosk_server import tracing
from tests.server.browser import chromium, press, sign_in
from tests.server.office import ASSISTED_FORM, PASSWORDS, kiosk_cmd, queue_assisted

pytestmark = pytest.mark.slow

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
]


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def verdict(kiosk, id_number: str) -> dict:
    done = kiosk_cmd(kiosk, "check", "--id", id_number)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_pushed_assisted_declaration_approved_in_the_browser_lets_the_person_through(
    office, browser, tmp_path
):
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-HUE-01")
    queue_assisted(kiosk, "CP-HUE-01")
    person = ASSISTED_FORM["id_number"]
    assert verdict(kiosk, person)["reason"] == "pending"  # the desk's own local record
    assert kiosk_cmd(kiosk, "sync").returncode == 0  # pushes the declaration

    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    press(browser, By.LINK_TEXT, "Tờ khai y tế")
    row = browser.find_element(By.XPATH, f"//tr[td[text()='{person}']]")
    assert "Khai hộ tại chốt" in row.text and "CP-HUE-01" in row.text
    press(browser, By.XPATH, f"//tr[td[text()='{person}']]//a")
    assert "Đà Nẵng" in browser.page_source  # the answers the assistant typed
    press(browser, By.ID, "approve")
    assert "Đã duyệt" in browser.find_element(By.CSS_SELECTOR, "p.ok").text
    assert person not in browser.find_element(By.TAG_NAME, "main").text  # queue is empty

    assert kiosk_cmd(kiosk, "sync").returncode == 0
    answer = verdict(kiosk, person)
    assert (answer["verdict"], answer["reason"]) == ("allow", "approved")


def test_a_rejection_needs_a_reason_and_reaches_the_kiosk(office, browser, tmp_path):
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-HUE-02")
    queue_assisted(kiosk, "CP-HUE-02")
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    sign_in(browser, office.url, "admin", PASSWORDS["admin"])
    browser.get(office.url + "/declarations")
    browser.find_element(By.NAME, "q").send_keys(ASSISTED_FORM["id_number"])
    press(browser, By.CSS_SELECTOR, "form[action='/declarations/search'] button")
    assert ASSISTED_FORM["id_number"] not in browser.current_url  # nor in the history
    press(browser, By.LINK_TEXT, "Mở")
    press(browser, By.ID, "reject")
    assert "cần có lý do" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    browser.find_element(By.NAME, "reason").send_keys("Sai số CCCD")
    press(browser, By.ID, "reject")
    assert "Đã từ chối" in browser.page_source
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    assert verdict(kiosk, ASSISTED_FORM["id_number"])["verdict"] == "deny"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_every_section_fits_a_laptop_and_a_phone_in_both_languages(office, width, height):
    driver = chromium(width, height)
    try:
        sign_in(driver, office.url, "admin", PASSWORDS["admin"])
        for lang in ("vi", "en"):
            driver.get(f"{office.url}/lang/{lang}")
            for section in SECTIONS:
                driver.get(f"{office.url}/{section}")
                body = driver.find_element(By.TAG_NAME, "body")
                assert driver.find_element(By.TAG_NAME, "h1").text, section
                # the tab's title is the section's name, never a form's markup
                assert "<" not in driver.title and "\n" not in driver.title, section
                # wide tables scroll inside their own box; the page itself never does sideways
                wide, seen = driver.execute_script(
                    "return [document.documentElement.scrollWidth, window.innerWidth]"
                )
                assert seen == width and wide <= width, (section, lang, wide, seen)
                assert ("Xuất CSV" if lang == "vi" else "Export CSV") in body.text, section
    finally:
        driver.quit()


def test_cards_issued_in_the_browser_print_with_readable_qrs_and_a_reissue_denies_the_old(
    office, browser, tmp_path
):
    import subprocess

    import requests
    import zxingcpp
    from PIL import Image

    sign_in(browser, office.url, "cho", PASSWORDS["cho"])
    browser.get(office.url + "/markets")
    for field, value in (("id", "7"), ("name", "Chợ Đông Ba"), ("param", "127")):
        browser.find_element(By.NAME, field).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "select[name=days] option[value=weekdays]").click()
    press(browser, By.CSS_SELECTOR, "form.grid button[type=submit]")
    assert "Chợ Đông Ba" in browser.find_element(By.TAG_NAME, "table").text
    holders = ["Nguyễn Văn Tư", "Trần Thị Ửng", "Đặng Hữu Đức"]
    for i, holder in enumerate(holders):
        browser.get(office.url + "/cards")
        browser.find_element(By.NAME, "household_head").send_keys(holder)
        browser.find_element(By.NAME, "household").send_keys(f"HK-{i}")
        press(browser, By.ID, "issue")
        assert "Đã cấp thẻ" in browser.page_source
    # the same household again is refused: one card per household
    browser.get(office.url + "/cards")
    browser.find_element(By.NAME, "household_head").send_keys("Nguyễn Văn Tư")
    browser.find_element(By.NAME, "household").send_keys("hk-0 ")
    press(browser, By.ID, "issue")
    assert "đã có thẻ" in browser.find_element(By.CSS_SELECTOR, "p.error").text

    browser.get(office.url + "/cards")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=card]")
    assert len(boxes) == 3
    for box in boxes:
        box.click()
    # the PDF the print button posts, fetched with the browser's own session and form
    form = {
        "csrf": browser.find_element(By.CSS_SELECTOR, "#print-form input").get_attribute("value"),
        "card": [b.get_attribute("value") for b in boxes],
    }
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    pdf = requests.post(office.url + "/cards-print", data=form, cookies=cookies)
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "cards.pdf").write_bytes(pdf.content)
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "cards.pdf")], capture_output=True, text=True
    ).stdout
    assert "DejaVuSans" in fonts and " yes " in fonts  # embedded
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "cards.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert all(h in text for h in holders) and "THẺ ĐI CHỢ" in text
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-gray",
            "-png",
            str(tmp_path / "cards.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("page*.png")))
    codes = [c.text for c in zxingcpp.read_barcodes(page) if c.text.startswith("CK1:")]
    assert len(codes) == 3

    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CHO-DONG-BA")
    (kiosk / "settings.json").write_text(json.dumps({"schema_version": 1, "market_id": 7}))
    assert kiosk_cmd(kiosk, "sync").returncode == 0  # the server's key and the cards
    first = json.loads(kiosk_cmd(kiosk, "check", "--payload", codes[0]).stdout)
    assert first["verdict"] == "allow", first

    old = sorted(codes)[1]
    old_id = _card_id(office, old)
    browser.get(office.url + "/cards")
    press(browser, By.XPATH, f"//tr[td[text()='{old_id}']]//button[contains(., 'Cấp lại')]")
    assert "Đã cấp thẻ" in browser.page_source
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    denied = json.loads(kiosk_cmd(kiosk, "check", "--payload", old).stdout)
    assert (denied["verdict"], denied["reason"]) == ("deny", "card_revoked")


def _card_id(office, qr: str) -> int:
    from sqlalchemy import select

    from kiosk_server.office_db import issued_cards

    with office.server.engine.connect() as conn:
        return conn.execute(
            select(issued_cards.c.card_id).where(issued_cards.c.qr_text == qr)
        ).scalar_one()


def test_a_csv_file_imported_in_the_browser_shows_its_outcome_and_the_export_its_rows(
    office, browser, tmp_path
):
    rows = 3000
    path = tmp_path / "to-khai.csv"
    path.write_text(
        "id,subject_id,full_name,birth_date,sex,phone,status,valid_until\n"
        + "".join(
            f"{i},0460850{i:05d},Nguyễn Văn An {i},1985-01-01,M,0905000000,approved,"
            "2099-01-01T00:00:00\n"
            for i in range(1, rows + 1)
        ),
        encoding="utf-8",
    )
    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    browser.get(office.url + "/declarations")
    press(browser, By.LINK_TEXT, "Nhập tệp CSV")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    press(browser, By.CSS_SELECTOR, "button.go")
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".steps .step.ok"))
    shown = [
        s.text for s in browser.find_elements(By.CSS_SELECTOR, ".steps .step") if s.is_displayed()
    ]
    assert shown == ["Đã nhập 3.000 dòng."]  # the bars before it are hidden by then
    assert browser.find_elements(By.TAG_NAME, "progress")  # they were sent, one a step
    browser.get(office.url + "/declarations")
    press(browser, By.LINK_TEXT, "Xuất CSV")
    assert "Tệp sẽ có 3.000 dòng." in browser.find_element(By.TAG_NAME, "main").text
    link = browser.find_element(By.LINK_TEXT, "Tải tệp CSV")
    assert link.get_attribute("href").endswith("/export/declarations.csv")


def test_a_trace_in_the_browser_keeps_the_id_number_out_of_the_address_bar(office, browser):
    from tests.server.test_office_tracing import A, B, scan

    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn, "kiosk-1", [scan("e1", A, "Trần Văn Đức", 0), scan("e2", B, "Lê Thị Hương", 10)]
        )
    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    press(browser, By.LINK_TEXT, "Truy vết")
    browser.find_element(By.NAME, "id_number").send_keys(A)
    for name, value in (("start", "2026-12-01"), ("end", "2026-12-01")):
        browser.execute_script(
            "arguments[0].value = arguments[1]", browser.find_element(By.NAME, name), value
        )
    press(browser, By.CSS_SELECTOR, "form[action='/tracing'] button[type=submit]")
    assert "Lê Thị Hương" in browser.find_element(By.TAG_NAME, "main").text
    assert A not in browser.current_url and B not in browser.current_url
    assert browser.find_element(By.ID, "export-csv").text == "Xuất CSV"  # a button, posting
