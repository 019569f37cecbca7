"""Two app processes on one PostgreSQL database agree: what is recorded through one shows on the other.

Each server caches its reads; a write bumps the database's data version, and every run of a page checks
it first (dashboard.components.data.refresh_if_changed). The test opens a page on server B, so B has it
cached, makes the change through server A in a real browser, and expects B's next run to show it
within 5 seconds: an import on the Upload page, then a leadership consensus on the Workshop page.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import settled, streamlit_server
from pg_schema import postgres_schema
from test_workshop_journey import set_consensus
from workshop_helpers import browser, desktop, no_exception, wait_text

from pl_core import store
from pl_core.frameworks import load_framework
from pl_core.services import imports
from pl_core.services.access import LOCAL

__all__ = ["browser"]  # the fixture, imported for pytest

DPS = load_framework("dps-driver-model")
SCHOOL, ROUND = "Elm Middle", "Fall 2026"
ASPEN = "Aspen Elementary"  # has Fall 2026 answers from the start
WITHIN_S = 5
UPLOADS = Path(__file__).resolve().parents[2] / "sample_data" / "uploads"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    """Two Streamlit servers on one fresh PostgreSQL schema: Aspen has Fall 2026, Elm only Fall 2025."""
    folder = tmp_path_factory.mktemp("replicas-pg")
    mp = pytest.MonkeyPatch()
    mp.setenv("PL_DATA_DIR", str(folder / "data"))  # the servers' respondent secret, shared with this process
    with postgres_schema() as url:
        engine = store.make_engine(url)
        store.upgrade(engine)
        for school, round_name, name in (
            (ASPEN, "Fall 2026", "aspen-elementary-fall-2026-google-forms.csv"),
            ("Elm Middle", "Fall 2025", "elm-middle-fall-2025-template.csv"),
        ):
            parsed = imports.check_upload((UPLOADS / name).read_bytes(), name, DPS)
            imports.save_import(engine, LOCAL, parsed, school=school, round=round_name, framework=DPS)
        engine.dispose()
        with streamlit_server(url, folder) as first, streamlit_server(url, folder) as second:
            yield first, second, url
    mp.undo()


def page_url(base: str, page: str, school: str = SCHOOL) -> str:
    """A page ("" is the Overview) opened on the school and round."""
    return f"{base}/{page}?" + urlencode({"framework": DPS.id, "school": school, "round": ROUND})


def shows_within(page, url: str, text: str, seconds: float = WITHIN_S) -> float:
    """Reopen `url` until `text` is on the page; how long it took (fails after `seconds`)."""
    start = time.monotonic()
    while True:
        page.goto(url)
        settled(page)
        if text in page.inner_text("body"):
            return time.monotonic() - start
        if time.monotonic() - start > seconds:
            pytest.fail(f"{text!r} did not show on the other server within {seconds} s")
        page.wait_for_timeout(250)


def test_an_import_through_one_server_shows_on_the_other(replicas, browser):
    first, second, _ = replicas
    b = desktop(browser)
    b.goto(page_url(second, ""))
    settled(b)
    assert f"No staff responses for {SCHOOL} in {ROUND}" in b.inner_text("body")

    a = desktop(browser)
    a.goto(page_url(first, "upload"))
    settled(a)
    a.set_input_files('input[type="file"]', str(UPLOADS / "elm-middle-fall-2026-template.csv"))
    settled(a)
    a.get_by_role("button", name=re.compile(f"^Import [0-9,]+ answers for {SCHOOL} · {ROUND}$")).click()
    wait_text(a, "Imported ")
    no_exception(a)

    took = shows_within(b, page_url(second, ""), "Staff who answered")
    assert took <= WITHIN_S
    no_exception(b)


def test_a_consensus_recorded_through_one_server_shows_on_the_other(replicas, browser):
    first, second, _ = replicas
    b = desktop(browser)
    b.goto(page_url(second, "", ASPEN))
    settled(b)
    assert "No leadership consensus recorded for this round yet" in b.inner_text("body")

    a = desktop(browser)
    a.goto(page_url(first, "workshop", ASPEN))
    settled(a)
    a.get_by_role("button", name="Open workshop", exact=True).click()
    a.get_by_test_id("workshop-code").wait_for()
    settled(a)
    # nobody voted: the consensus controls are folded away until asked for
    a.locator(".st-key-workshop_item_relationships").get_by_text("Record the team's consensus").click()
    set_consensus(a, "relationships", "3 \u00b7 Proficient")
    no_exception(a)

    def gone(page, url):
        start = time.monotonic()
        while True:
            page.goto(url)
            settled(page)
            if "No leadership consensus recorded" not in page.inner_text("body"):
                return time.monotonic() - start
            if time.monotonic() - start > WITHIN_S:
                pytest.fail(f"the consensus did not show on the other server within {WITHIN_S} s")
            page.wait_for_timeout(250)

    assert gone(b, page_url(second, "", ASPEN)) <= WITHIN_S
    assert "leadership team" in b.inner_text("body").lower()
