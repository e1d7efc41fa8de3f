"""What staff see of the back office in a real browser (Debian's Chromium), as a review in one
found it: dates whatever order the browser's picker shows, the header's role in the page's
language, the refusal page, a refused search's field, and wide tables on a phone."""

from __future__ import annotations

import io
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from kiosk_server import tracing
from kiosk_server.office import listing
from tests.server.browser import _left, chromium, press, sign_in
from tests.server.office import PASSWORDS
from tests.server.test_office_tracing import A, B, scan

pytestmark = pytest.mark.slow
TRACE_BUTTON = "form[action='/tracing'] button[type=submit]"


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture
def met(office):
    """A and B scanned ten minutes apart at one checkpoint on 1 December 2026."""
    with office.server.engine.begin() as conn:
        tracing.record_events(
            conn, "kiosk-1", [scan("e1", A, "Trần Văn Đức", 0), scan("e2", B, "Lê Thị Hương", 10)]
        )
    return office


def _error(driver) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, "main p.error")
    return found[0].text if found else ""


def _picked(driver, name: str, iso: str) -> None:
    """What a date picker posts, whatever order it shows the day in."""
    driver.execute_script(
        "arguments[0].value = arguments[1]", driver.find_element(By.NAME, name), iso
    )


def _trace_picked(driver, url: str, start: str, end: str) -> None:
    """As the health office: trace person A between two days picked with the date picker."""
    sign_in(driver, url, "yte", PASSWORDS["yte"])
    driver.get(url + "/tracing")
    driver.find_element(By.NAME, "id_number").send_keys(A)
    _picked(driver, "start", start)
    _picked(driver, "end", end)
    press(driver, By.CSS_SELECTOR, TRACE_BUTTON)


def _no_check(driver) -> None:
    """The form sent as an old browser sends it: without checking the boxes' patterns."""
    driver.execute_script("document.querySelector(\"form[action='/tracing']\").noValidate = true")


def _typed(driver, name: str, text: str) -> None:
    """A date typed as text, as a browser without a picker takes it."""
    field = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].type = 'text'; arguments[0].value = ''", field)
    field.send_keys(text)


def test_a_date_refusal_claims_no_order_and_a_day_month_year_date_is_read_as_such(met, browser):
    # this Chromium's picker shows mm/dd/yyyy: the message must not say year-month-day
    _trace_picked(browser, met.url, "2019-12-05", "2026-12-01")
    said = _error(browser)
    assert said.startswith("Ngày không hợp lệ")
    assert not re.search(r"năm.tháng.ngày|YYYY|year.month.day", said, re.I), said
    assert "01/01/2020" in said and "31/12/2100" in said  # the range, in the order staff write
    # reversed days: said as such, the "to" box named and the one focused
    _picked(browser, "start", "2026-12-05")
    press(browser, By.CSS_SELECTOR, TRACE_BUTTON)
    said = _error(browser)
    assert said.startswith("Ngày kết thúc trước ngày bắt đầu") and "«Đến ngày»" in said, said
    assert browser.switch_to.active_element.get_attribute("name") == "end"

    # typed in the Vietnamese habit, day first: read as 1 December, not 12 January
    browser.find_element(By.NAME, "id_number").clear()
    browser.find_element(By.NAME, "id_number").send_keys(A)
    _typed(browser, "start", "01/12/2026")
    _typed(browser, "end", "1/12/2026")
    press(browser, By.CSS_SELECTOR, TRACE_BUTTON)
    assert _error(browser) == ""
    assert "Lê Thị Hương" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.NAME, "start").get_attribute("value") == "01/12/2026"

    # a two-digit year is refused, saying so with an example the field takes
    _typed(browser, "start", "1/12/26")
    _no_check(browser)  # past the browser's own check of the box's pattern: the server's
    press(browser, By.CSS_SELECTOR, TRACE_BUTTON)
    said = _error(browser)
    example = re.search(r"\d{2}/\d{2}/\d{4}", said)
    assert said.startswith("Ngày không hợp lệ") and example, said
    assert "Lê Thị Hương" not in browser.find_element(By.TAG_NAME, "main").text
    _typed(browser, "start", example.group())
    _typed(browser, "end", example.group())
    press(browser, By.CSS_SELECTOR, TRACE_BUTTON)
    assert _error(browser) == ""  # the example is a day the page takes

    # in English too, no order the picker may not show
    browser.get(met.url + "/lang/en?next=/tracing")
    browser.find_element(By.NAME, "id_number").send_keys(A)
    _typed(browser, "start", "2026/12/01")
    _no_check(browser)
    press(browser, By.CSS_SELECTOR, TRACE_BUTTON)
    said = _error(browser)
    assert said.startswith("A date is not valid") and "day/month/year" in said, said
    assert "year-month-day" not in said


def test_date_boxes_take_day_month_year_in_an_english_browser(met):
    """An en-US Chromium's date picker reads 01/12/2026 as 12 January: the boxes are text,
    day first, whatever the browser's language, as every day the back office shows."""
    driver = chromium(lang="en-US")
    try:
        sign_in(driver, met.url, "yte", PASSWORDS["yte"])
        driver.get(met.url + "/tracing")
        start = driver.find_element(By.NAME, "start")
        assert start.get_attribute("placeholder") == "dd/mm/yyyy"
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", start.get_attribute("value"))  # 14 days ago
        driver.find_element(By.NAME, "id_number").send_keys(A)
        for name in ("start", "end"):
            driver.find_element(By.NAME, name).clear()
            driver.find_element(By.NAME, name).send_keys("01/12/2026")
        press(driver, By.CSS_SELECTOR, TRACE_BUTTON)
        assert _error(driver) == ""
        assert "Lê Thị Hương" in driver.find_element(By.TAG_NAME, "main").text
        assert driver.find_element(By.NAME, "end").get_attribute("value") == "01/12/2026"

        # a day that does not exist passes the box's pattern, and the server says so
        driver.find_element(By.NAME, "start").clear()
        driver.find_element(By.NAME, "start").send_keys("31/02/2026")
        press(driver, By.CSS_SELECTOR, TRACE_BUTTON)
        assert _error(driver).startswith("Ngày không hợp lệ")

        # a permit's days, typed day first; a day without a time holds all that day
        sign_in(driver, met.url, "congan", PASSWORDS["congan"])
        driver.get(met.url + "/vehicles")
        typed = {
            "id": "41",
            "plate": "75C-123.45",
            "valid_from": "01/12/2026 09:00",
            "valid_to": "31/12/2026",
        }
        for name, value in typed.items():
            driver.find_element(By.NAME, name).send_keys(value)
        press(driver, By.CSS_SELECTOR, "form[action='/vehicles'] button[type=submit]")
        assert "Đã lưu" in driver.find_element(By.TAG_NAME, "main").text
        (row,) = listing(met.server.engine, "vehicle")
        assert (row["valid_from"], row["valid_to"]) == (
            "2026-12-01T09:00:00+07:00",
            "2026-12-31T23:59:00+07:00",
        )
        assert "01/12/2026 09:00" in driver.find_element(By.TAG_NAME, "table").text
    finally:
        driver.quit()


def test_the_header_names_the_role_in_the_pages_language(office, browser):
    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    assert "yte (Y tế)" in browser.find_element(By.CSS_SELECTOR, "header .who").text
    browser.get(office.url + "/lang/en?next=/")
    assert "yte (Health)" in browser.find_element(By.CSS_SELECTOR, "header .who").text
    browser.get(office.url + "/lang/vi?next=/")
    sign_in(browser, office.url, "congan", PASSWORDS["congan"])
    assert "congan (Công an)" in browser.find_element(By.CSS_SELECTOR, "header .who").text


def test_the_refusal_page_has_one_title_the_nav_a_way_back_and_sign_out(office, browser):
    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    browser.get(office.url + "/tracing")
    old = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("window.location = '/users'")  # as a link to it would: a Referer
    WebDriverWait(browser, 30).until(_left(old))
    assert [h.text for h in browser.find_elements(By.TAG_NAME, "h1")] == ["Không có quyền"]
    assert browser.title == "Không có quyền · Văn phòng chốt kiểm soát dịch"
    assert "Vai trò của bạn không được mở mục này" in _error(browser)
    assert "Truy vết" in browser.find_element(By.TAG_NAME, "nav").text  # the usual sections
    press(browser, By.ID, "back")
    assert browser.current_url == office.url + "/tracing"
    browser.get(office.url + "/users")
    press(browser, By.XPATH, "//header//button[normalize-space()='Đăng xuất']")
    assert "/login" in browser.current_url
    browser.get(office.url + "/tracing")
    assert "/login" in browser.current_url  # signed out for real


@pytest.mark.parametrize(
    ("page", "field", "typed", "said"),
    [
        ("/hospital", "q", "04630100234", "Số CMND/CCCD gồm 9 hoặc 12 chữ số."),
        ("/hospital", "q", '0463"><b id="x">1</b>', "Số CMND/CCCD gồm 9 hoặc 12 chữ số."),
        ("/declarations", "q", "0463 0100 234", "Số CMND/CCCD gồm 9 hoặc 12 chữ số."),
        ("/tracing", "id_number", "04630100234", "Số CMND/CCCD gồm 9 hoặc 12 chữ số"),
    ],
)
def test_a_refused_search_keeps_what_was_typed(office, browser, page, field, typed, said):
    sign_in(browser, office.url, "yte", PASSWORDS["yte"])
    browser.get(office.url + page)
    browser.find_element(By.NAME, field).send_keys(typed)
    press(browser, By.CSS_SELECTOR, f"main form:has(input[name={field}]) button[type=submit]")
    assert said in _error(browser)
    assert browser.find_element(By.NAME, field).get_attribute("value") == typed
    assert not browser.find_elements(By.ID, "x")  # shown as typed, never run as markup
    assert "0100" not in browser.current_url
    assert "0100" not in office.server.process_stderr


def test_a_wide_table_on_a_phone_scrolls_in_its_box_and_shows_there_is_more(met):
    from PIL import Image, ImageStat

    driver = chromium(390, 844)
    try:
        _trace_picked(driver, met.url, "2026-12-01", "2026-12-01")
        box = driver.find_element(By.CSS_SELECTOR, "main .scroll")
        page_wide, box_wide, box_seen = driver.execute_script(
            "const b = arguments[0]; b.scrollIntoView();"
            "return [document.documentElement.scrollWidth, b.scrollWidth, b.clientWidth]",
            box,
        )
        assert page_wide <= 390 < box_wide and box_seen < 390  # the box scrolls, not the page
        # the cue itself, measured without the table's words over it
        driver.execute_script(
            "arguments[0].querySelector('table').style.visibility = 'hidden'", box
        )

        def edges() -> tuple[float, float]:
            shot = Image.open(io.BytesIO(box.screenshot_as_png)).convert("L")
            w, h = shot.size

            def dark(x0: int, x1: int) -> float:
                return 255 - ImageStat.Stat(shot.crop((x0, 2, x1, h - 2))).mean[0]

            return dark(2, 8), dark(w - 8, w - 2)

        left, right = edges()
        assert right > left + 15, (left, right)  # shaded where there is more to see
        driver.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth", box)
        left, right = edges()
        assert left > right + 15, (left, right)  # and on the other side at the end
    finally:
        driver.quit()
