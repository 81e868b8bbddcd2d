"""Make docs/review.png: a headless-Chromium screenshot of a run's review.html.

    python -m extract raw/ output/
    python docs/screenshot_review.py output/review.html docs/review.png

Clicks one row of the facts table first, so its highlight is marked and its details show.
Needs Debian's chromium and chromium-driver, and selenium (the ``test`` extra).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def main() -> int:
    """Return 0 after writing the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the review.html to show")
    parser.add_argument("png", type=Path, help="where to write the screenshot")
    parser.add_argument("--row", type=int, default=3, help="table row to click (0-based)")
    parser.add_argument("--size", default="1440,860", help="window width,height in pixels")
    arguments = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--window-size={arguments.size}"):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="review-screenshot-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.get(arguments.page.resolve().as_uri())
        driver.find_elements(By.CSS_SELECTOR, "#fact-table tbody tr")[arguments.row].click()
        time.sleep(1.5)  # let the flash animation end
        driver.save_screenshot(str(arguments.png))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
