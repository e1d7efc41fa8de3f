"""Chromium from Debian's packages, driven by Selenium with Debian's chromedriver: nothing is
downloaded (SE_OFFLINE), the browser is the one `scripts/bootstrap.sh` installs."""

from __future__ import annotations

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def chromium(width: int = 1366, height: int = 768, lang: str = "vi") -> webdriver.Chrome:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    assert not missing, f"{missing} missing: run scripts/bootstrap.sh (it installs chromium)"
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--lang={lang}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    if width < 500:  # a desktop window is never that narrow: emulate the phone
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}},
        )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    if width >= 500:  # the page itself gets width x height, not the window around it
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
    driver.set_page_load_timeout(60)
    return driver


def sign_in(driver: webdriver.Chrome, url: str, name: str, password: str) -> None:
    driver.get(url + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)


def press(driver: webdriver.Chrome, by: str, what: str) -> None:
    """Clicks a button or link and waits for the page it leads to."""

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(by, what).click()
    WebDriverWait(driver, 30).until(_left(old))


def _left(old: object):
    """True once the old page's root is gone. Chromium says so with a stale-element error, or
    at times with "Node with given id does not belong to the document", which Selenium's
    staleness_of does not catch: both mean the next page is there."""
    from selenium.common.exceptions import WebDriverException

    def check(_driver: object) -> bool:
        try:
            old.is_enabled()  # type: ignore[attr-defined]
        except WebDriverException:
            return True
        return False

    return check
