"""Issue 13 over a real network: in local mode another machine gets only "Join a workshop" (the full app stays on
the machine it runs on, unless PL_LOCAL_NETWORK_ACCESS=full says otherwise, with a warning); and wrong join codes
are counted in the database, so guessing through one app process counts in another, per client, never globally.

The decision itself is tested directly (AppTest cannot set a client address); the browser tests reach the app
through this machine's own non-loopback address, which is what a phone on the school's network would use.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import APP, TIMEOUT, settled, streamlit_server, texts
from streamlit.testing.v1 import AppTest
from workshop_helpers import browser, desktop, machine_address, no_exception, phone, wait_text

from dashboard.components import access
from pl_core import settings, store
from pl_core.frameworks import load_framework
from pl_core.store import workshops as ws

__all__ = ["browser"]

DPS = load_framework("dps-driver-model")
SCHOOLS = ["Aspen Elementary", "Birch Elementary", "Cedar Elementary", "Elm Middle", "Fir High"]


# --- The decision, directly ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("peer", "forwarded", "network_access", "full"),
    [
        ("127.0.0.1", False, "join", True),
        ("127.0.1.1", False, "join", True),
        ("::1", False, "join", True),
        ("::ffff:127.0.0.1", False, "join", True),
        ("192.168.1.20", False, "join", False),  # a phone on the school's wifi
        ("10.0.0.5", False, "join", False),
        ("fe80::1%eth0", False, "join", False),
        ("2001:db8::7", False, "join", False),
        ("127.0.0.1", True, "join", False),  # relayed by a proxy on this machine: someone else's request
        (None, False, "join", False),  # unknown: never trusted
        ("not an address", False, "join", False),
        ("192.168.1.20", False, "full", True),  # opened to the network on purpose
        (None, True, "full", True),
    ],
)
def test_local_mode_serves_the_full_app_only_to_this_machine(peer, forwarded, network_access, full):
    assert access.local_mode_serves_full_app(peer, forwarded=forwarded, network_access=network_access) is full


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "counted_as"),
    [
        ("10.0.0.5", "", "", "10.0.0.5"),
        ("10.0.0.5", "6.6.6.6", "", "10.0.0.5"),  # a header from an untrusted peer is ignored (it could be forged)
        ("10.0.0.9", "1.2.3.4, 10.0.0.5", "10.0.0.9", "10.0.0.5"),  # the right-most hop the proxy saw
        ("10.0.0.9", "1.2.3.4, 10.0.0.5, 10.0.0.8", "10.0.0.9,10.0.0.8", "10.0.0.5"),  # two proxies
        ("10.0.0.9", "", "10.0.0.9", "10.0.0.9"),
        (None, "1.2.3.4", "", None),
    ],
)
def test_wrong_codes_are_counted_against_the_client_address(peer, forwarded_for, trusted, counted_as):
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    assert access.client_address(peer, headers, trusted.split(",")) == counted_as


def test_the_network_access_setting_accepts_only_join_or_full(monkeypatch):
    assert settings.get("local_network_access") == "join"
    monkeypatch.setenv("PL_LOCAL_NETWORK_ACCESS", "everyone")
    with pytest.raises(settings.SettingError, match="join, full"):
        settings.get("local_network_access")


def test_the_full_app_opened_to_the_network_says_so_on_every_page(app, monkeypatch):
    monkeypatch.setenv("PL_LOCAL_NETWORK_ACCESS", "full")
    app.run()
    assert "Open to the network" in texts(app)
    monkeypatch.setenv("PL_LOCAL_NETWORK_ACCESS", "join")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()  # this process is the machine itself: the full app, without the warning
    assert "Open to the network" not in texts(at) and at.sidebar.selectbox


# --- Through this machine's network address, in Chromium ---------------------------------------------------------


@pytest.fixture(scope="module")
def address():
    found = machine_address()
    if found is None:
        pytest.skip("this machine has no non-loopback IPv4 address to reach the app through")
    return found


@pytest.fixture(scope="module")
def seeded_copy(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("network")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    return folder, db


@pytest.fixture(scope="module")
def server(seeded_copy):
    folder, db = seeded_copy
    with streamlit_server(db, folder) as url:
        yield url


def page_text(page) -> str:
    return page.inner_text("body")


def test_another_machine_gets_only_join_a_workshop(server, browser, address):
    remote = f"http://{address}:{server.rsplit(':', 1)[1]}"
    ph = phone(browser)
    for path in ("", "/workshop", "/overview", "/district", "/export"):
        ph.goto(f"{remote}{path}")
        settled(ph)
        wait_text(ph, "Join a workshop")
        text = page_text(ph)
        assert not [s for s in SCHOOLS if s in text], f"{path or '/'}: a school's name reached another machine"
        assert ph.locator(".st-key-nav_where_we_stand").count() == 0  # the app's own menu (components/navigation.py)
        assert ph.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 0
        assert ph.get_by_role("button", name="Open workshop").count() == 0
        assert ph.get_by_role("button", name="Reveal votes").count() == 0
        no_exception(ph)
    local = desktop(browser)  # the machine itself still gets everything
    local.goto(server)
    settled(local)
    local.locator(".js-plotly-plot").first.wait_for()
    assert "Aspen Elementary" in page_text(local)
    assert local.locator(".st-key-nav_where_we_stand").count() == 1


def test_another_machine_joins_by_the_link_and_votes(server, seeded_copy, browser, address):
    _, db = seeded_copy
    engine = store.make_engine(f"sqlite:///{db}")
    try:
        workshop = ws.open_workshop(engine, school="Fir High", round="Fall 2026", framework=DPS, items=["culture"])
        ph = phone(browser)
        ph.goto(f"http://{address}:{server.rsplit(':', 1)[1]}/join?code={workshop.code}")
        settled(ph)
        ph.get_by_label("Your name").fill("Rosa")
        ph.get_by_role("button", name="Join").click()
        wait_text(ph, "1 of 1")
        ph.locator('[data-testid="stRadioOption"]').filter(has_text="2 \u00b7 Developing").click()
        wait_text(ph, "Saved: 2 \u00b7 Developing")
        assert ws.vote_counts(engine, workshop.id) == {"culture": 1}
        assert "Fir High" in page_text(ph)  # the participant's own workshop, and nothing else
        assert not [s for s in SCHOOLS if s != "Fir High" and s in page_text(ph)]
    finally:
        engine.dispose()


# --- Two app processes, one database: the guesses are counted once for both --------------------------------------


@pytest.fixture(scope="module")
def two_servers(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("replicas")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    with streamlit_server(db, folder) as first, streamlit_server(db, folder) as second:
        yield first, second, db


def address_failures(engine) -> int:
    from sqlalchemy import func, select

    from pl_core.store.models import JoinFailure

    with engine.connect() as conn:
        return conn.execute(select(func.count()).where(JoinFailure.scope == "address")).scalar_one()


def try_code(page, name: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()


def test_guesses_through_one_server_count_on_the_other_and_never_lock_out_everyone(two_servers, browser, address):
    first, second, db = two_servers
    assert first != second
    engine = store.make_engine(f"sqlite:///{db}")
    try:
        workshop = ws.open_workshop(engine, school="Elm Middle", round="Fall 2026", framework=DPS, items=["culture"])
        wrong = "".join("B" if ch != "B" else "C" for ch in workshop.code)
        # Twenty wrong codes from this machine through the FIRST server, five per fresh browser session.
        for session in range(4):
            page = desktop(browser)
            page.goto(f"{first}/join?code={wrong}")
            settled(page)
            for attempt in range(5):
                try_code(page, f"Guess {session}.{attempt}")
                expected = session * 5 + attempt + 1  # counted in the database, where the other server looks
                for _ in range(100):
                    if address_failures(engine) >= expected:
                        break
                    page.wait_for_timeout(100)
                assert address_failures(engine) == expected
            if session == 0:  # the sixth try of a session is refused, even with the right code
                page.get_by_label("Join code").fill(workshop.code)
                try_code(page, "Guess 0.5")
                wait_text(page, "too many wrong codes")
            page.context.close()
        # A fresh session on the SECOND server, from the same address, with the right code: refused there too.
        page = desktop(browser)
        page.goto(f"{second}/join?code={workshop.code}")
        settled(page)
        try_code(page, "Guess 4.0")
        wait_text(page, "too many wrong codes")
        assert ws.participants(engine, workshop.id) == []
        # Anyone else (another address) still gets in with the right code, through either server.
        ph = phone(browser)
        ph.goto(f"http://{address}:{second.rsplit(':', 1)[1]}/join?code={workshop.code}")
        settled(ph)
        try_code(ph, "Dee")
        wait_text(ph, "1 of 1")
        assert ws.participants(engine, workshop.id) == ["Dee"]
    finally:
        engine.dispose()
