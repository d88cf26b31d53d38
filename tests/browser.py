"""Headless Chromium for the browser tests and the screenshots (Debian's chromium
and chromium-driver, driven by selenium; no browser download, no network)."""
from __future__ import annotations

import shutil
from typing import Any, Optional

WIDTH, HEIGHT = 1366, 768


def missing() -> Optional[str]:
    """Why a browser cannot be started here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make venv installs requirements.txt)"
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return ("chromium and chromedriver are not installed: `make venv` installs Debian's chromium and "
                "chromium-driver with apt-get where it can (root or password-less sudo)")
    return None


def chrome() -> Any:
    """A headless Chromium whose page is exactly WIDTH x HEIGHT CSS pixels."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    driver.set_page_load_timeout(30)
    return driver
