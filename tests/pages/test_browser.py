"""End to end in real headless Chromium: the app served by Streamlit, every page opened, no exception shown."""

from __future__ import annotations

import shutil

import pytest
from conftest import CHROMIUM, settled, streamlit_server

PAGES = ["", "distribution", "heatmap", "workshop", "next_steps", "goals", "upload", "framework_browser"]

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def server(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    with streamlit_server(db, folder) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


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
