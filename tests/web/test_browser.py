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


#: a screenshot-sized window: what a laptop shows without scrolling sideways
VIEWPORT = (1280, 800)


def test_lineage_picture_shows_the_instrument_at_once(tmp_path) -> None:
    """The lineage picture of 80/16 fits its box: no sideways scroll, and the node of the
    page's own instrument is inside the window once the picture is in view."""
    from selenium.webdriver.common.by import By

    url, proc = start_server()
    driver = _driver()
    try:
        driver.set_window_size(*VIEWPORT)
        driver.get(url + "/id/A/RES/80/16")
        figure = driver.find_element(By.TAG_NAME, "figure")
        driver.execute_script("arguments[0].scrollIntoView(true)", figure)
        assert driver.execute_script(
            "return arguments[0].scrollWidth <= arguments[0].clientWidth", figure)
        root = figure.find_element(
            By.XPATH, ".//*[local-name()='g'][@class='node']"
                      "[*[local-name()='title'][text()='A/RES/80/16']]")
        box = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight]", root)
        left, top, right, bottom, width, height = box
        assert 0 <= left < right <= width and 0 <= top < bottom <= height, box
        driver.save_screenshot(str(tmp_path / "lineage-80-16.png"))
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=10)


def test_search_page_finds_the_principle(tmp_path) -> None:
    from selenium.webdriver.common.by import By

    url, proc = start_server()
    driver = _driver()
    try:
        driver.set_window_size(*VIEWPORT)
        driver.get(url + "/search.html")
        driver.find_element(By.ID, "q").send_keys("national ownership")
        hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
        assert [h.find_element(By.TAG_NAME, "a").text for h in hits] == ["A/75/816 para 56 (b6)"]
        marked = [m.text for m in hits[0].find_elements(By.TAG_NAME, "mark")]
        assert {"national", "ownership"} <= set(marked)  # "nationally" too: words are prefixes
        assert all(m.lower().startswith(("national", "ownership")) for m in marked)
        driver.find_element(By.ID, "q").clear()
        driver.find_element(By.ID, "q").send_keys("points of contact")
        everywhere = len(driver.find_elements(By.CSS_SELECTOR, "li.hit"))
        from selenium.webdriver.support.ui import Select

        Select(driver.find_element(By.ID, "kind")).select_by_visible_text("report")
        reports = driver.find_elements(By.CSS_SELECTOR, "li.hit")
        assert 0 < len(reports) <= everywhere
        assert all("report" in h.find_element(By.CSS_SELECTOR, ".meta").text for h in reports)
        hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
        hits[0].find_element(By.TAG_NAME, "a").click()
        assert driver.find_element(By.TAG_NAME, "h1").text == "A/75/816"
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=10)
