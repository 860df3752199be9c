"""A person in a browser: headless Chromium opens an instrument's page served by
`normgraph serve`, follows a lineage link and sees the cited instrument's page."""

from __future__ import annotations

import shutil

import pytest
from test_server import start_server


def _driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service(driver_path), options=options)
    except Exception as exc:  # the browser cannot start here
        pytest.skip(f"headless Chromium cannot start: {str(exc).splitlines()[0]}")


def test_follow_a_lineage_link_in_chromium() -> None:
    from selenium.webdriver.common.by import By

    url, proc = start_server()
    driver = _driver()
    try:
        driver.get(url + "/id/A/RES/80/16")
        assert driver.find_element(By.TAG_NAME, "h1").text == "A/RES/80/16"
        assert "A/RES/80/16" in driver.title
        lineage = driver.find_element(By.CSS_SELECTOR, "ul.lineage")
        assert "endorses A/80/257" in lineage.text
        link = lineage.find_element(By.LINK_TEXT, "A/RES/79/237")
        assert link.is_displayed()
        link.click()
        assert driver.find_element(By.TAG_NAME, "h1").text == "A/RES/79/237"
        assert driver.current_url.endswith("/id/A/RES/79/237.html")
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "endorses A/79/214" in body and "2024-12-24" in body
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=10)
