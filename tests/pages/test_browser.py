"""End to end in real headless Chromium: the app served by Streamlit, every page opened, no exception shown."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
PAGES = ["", "distribution", "heatmap", "workshop", "next_steps", "goals", "upload", "framework_browser"]

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seeded_db, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it where it can: see tests/browser_setup.py)")
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    port = _free_port()
    env = dict(
        os.environ,
        PL_DATABASE_URL=f"sqlite:///{db}",
        PL_DATA_DIR=str(folder / "data"),
        STREAMLIT_SERVER_PORT=str(port),
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        STREAMLIT_SERVER_ADDRESS="127.0.0.1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the Streamlit server did not start within 60 s:\n" + proc.stdout.read().decode()[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


def settled(page) -> None:
    """Wait until the script has finished and nothing on the page is stale."""
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_without_an_exception(server, browser, path):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/{path}")
    settled(page)
    page.wait_for_selector("h1", timeout=30_000)
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()
    assert page.locator("h1").first.inner_text().strip()
    page.close()


def test_overview_draws_its_charts_and_the_sidebar_switches_school(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 1400})
    page.goto(server)
    settled(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == 2
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="School").click()
    page.get_by_role("option", name="Cedar Elementary").click()
    settled(page)
    page.wait_for_selector("text=Cedar Elementary \u00b7", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
