"""One real sign-in end to end: a local OIDC provider, the app in shared mode, a principal in Chromium."""

from __future__ import annotations

import shutil

import pytest
from conftest import CHROMIUM, free_port, settled, shared_mode_server

from pl_core import store
from pl_core.store import users

PRINCIPAL = "pat@aspen.example.org"

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
oidc_mock = pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed (dev extra)")


@pytest.fixture(scope="module")
def provider():
    claims = [oidc_mock.User(sub=PRINCIPAL, claims={"email": PRINCIPAL, "name": "Pat Principal"})]
    with oidc_mock.run_server_in_thread(port=free_port(), user_claims=claims) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def shared_app(seeded_db, tmp_path_factory, provider):
    folder = tmp_path_factory.mktemp("shared")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    engine = store.make_engine(f"sqlite:///{db}")
    users.add_user(engine, PRINCIPAL, users.PRINCIPAL, name="Pat", schools=["Aspen Elementary"])
    engine.dispose()
    with shared_mode_server(db, folder, provider) as url:
        yield url


def test_principal_signs_in_sees_only_their_school_and_signs_out(shared_app):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        page.goto(shared_app)
        settled(page)
        assert page.locator("text=Aspen Elementary").count() == 0  # nothing before signing in
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
        page.get_by_role("button", name=PRINCIPAL).click()  # the provider's predefined user
        page.wait_for_url(f"{shared_app}/**", timeout=30_000)
        settled(page)
        page.wait_for_selector("text=Aspen Elementary \u00b7", timeout=60_000)
        sidebar = page.get_by_test_id("stSidebar")
        assert "Pat" in sidebar.inner_text() and "principal" in sidebar.inner_text()
        sidebar.get_by_test_id("stSelectbox").filter(has_text="School").click()
        options = [o.inner_text() for o in page.get_by_role("option").all()]
        assert options == ["Aspen Elementary"]
        page.keyboard.press("Escape")
        assert page.locator('[data-testid="stException"]').count() == 0
        sidebar.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/oauth2/end_session**", timeout=30_000)  # the provider asks to confirm
        page.get_by_role("button", name="End session").click()
        page.goto(shared_app)
        settled(page)
        page.wait_for_selector("text=needs you to sign in", timeout=30_000)
        assert page.locator("text=Aspen Elementary").count() == 0
        browser.close()
