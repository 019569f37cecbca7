"""The whole workshop in real Chromium: a facilitator at a 1440 px desktop and three people on 390 x 844 phones join by
the link the facilitator's screen shows, vote, see the reveal without reloading, and the consensus the facilitator
records on two items at different levels (a foundational practice and a driver) is what is stored and what the
Overview draws as the leadership markers."""

from __future__ import annotations

import shutil

import pytest
from conftest import settled, streamlit_server
from playwright.sync_api import expect
from workshop_helpers import browser, desktop, no_exception, phone, pick, plotly_traces, screenshot, wait_text

from pl_core import store
from pl_core.frameworks import load_framework
from pl_core.services import workshops
from pl_core.services.access import LOCAL

__all__ = ["browser"]  # the fixture, imported for pytest

DPS = load_framework("dps-driver-model")
SCHOOL, ROUND = "Aspen Elementary", "Fall 2026"  # what the sidebar opens on: the first school, the latest round
# Each person's votes: (Relationships, Learner Profile Data). Medians 2 and 2; the team agrees 3 and 1.5.
VOTES = {
    "Ana": ("3 \u00b7 Proficient", "2 \u00b7 Learner Centered"),
    "Ben": ("2 \u00b7 Developing", "2 \u00b7 Learner Centered"),
    "Cy": ("2 \u00b7 Developing", "1 \u00b7 Teacher Driven"),
}
AGREED = {
    "relationships": (3.0, "3 \u00b7 Proficient"),
    "learner-profile-data": (1.5, "1.5 \u00b7 between Teacher Driven and Learner Centered"),
}


@pytest.fixture(scope="module")
def served(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("journey")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    with streamlit_server(db, folder) as url:
        yield url, db


def next_item(page, position: int) -> None:
    page.get_by_role("button", name="Next").click()
    wait_text(page, f"{position} of 14")


def level_of(text: str) -> float:
    return float(text.split(" ")[0])


def set_consensus(page, item: str, wanted: str) -> None:
    """Move this item's consensus slider to `wanted` with the arrow keys, then record it."""
    card = page.locator(f".st-key-workshop_item_{item}")
    thumb = card.get_by_role("slider")
    thumb.focus()
    for _ in range(8):
        shown = thumb.get_attribute("aria-valuetext")
        if shown == wanted:
            break
        before = thumb.input_value()
        page.keyboard.press("ArrowRight" if level_of(wanted) > level_of(shown) else "ArrowLeft")
        page.wait_for_function(
            "([sel, v]) => document.querySelector(sel).value !== v",
            arg=[f".st-key-workshop_item_{item} input[type=range]", before],
        )
        settled(page)
    assert thumb.get_attribute("aria-valuetext") == wanted
    card.get_by_role("button", name="Record consensus").click()
    wait_text(page, f"Recorded {DPS.item(item).name}: {wanted}")


def test_three_phones_vote_see_the_reveal_live_and_the_consensus_reaches_the_overview(served, browser):
    url, db = served
    fac = desktop(browser)
    fac.goto(f"{url}/workshop")
    settled(fac)
    fac.get_by_role("button", name="Open workshop", exact=True).click()
    fac.get_by_test_id("workshop-join-link").wait_for()
    settled(fac)
    link = fac.get_by_test_id("workshop-join-link").inner_text()
    code = fac.get_by_test_id("workshop-code").inner_text()
    assert link.endswith(f"/join?code={code}") and fac.get_by_test_id("workshop-qr").is_visible()
    assert fac.get_by_test_id("workshop-qr").bounding_box()["width"] >= 250  # scannable from the back of a room

    phones = {}
    for name, (foundational, driver) in VOTES.items():
        ph = phone(browser)
        ph.goto(link)
        settled(ph)
        expect(ph.get_by_label("Join code")).to_have_value(code, timeout=30_000)  # filled by the link, once drawn
        assert ph.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 0  # no pickers
        assert ph.get_by_role("button", name="Reveal votes").count() == 0
        ph.get_by_label("Your name").fill(name)
        ph.get_by_role("button", name="Join").click()
        wait_text(ph, "1 of 14")
        assert "?p=" in ph.url and "code=" not in ph.url
        pick(ph, foundational)
        wait_text(ph, f"Saved: {foundational}")
        for position in (2, 3, 4, 5):
            next_item(ph, position)
        pick(ph, driver)
        wait_text(ph, f"Saved: {driver}")
        if name == "Ana":
            screenshot(ph, "participant-ballot-390")
        for position in (4, 3, 2, 1):  # back to the first item, to watch its reveal
            ph.get_by_role("button", name="Back").click()
            wait_text(ph, f"{position} of 14")
        ph.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads
        phones[name] = ph
        no_exception(ph)

    wait_text(fac, "3 joined:")
    wait_text(fac, "Relationships \u00b7 3 of 3")
    assert "Not voted on everything yet" in fac.inner_text("body")
    screenshot(fac, "facilitator-1440-votes-in", full=True)
    for item in AGREED:
        button = fac.locator(f".st-key-workshop_reveal_{item} button")
        button.wait_for()
        fac.wait_for_function(f"() => !document.querySelector('.st-key-workshop_reveal_{item} button').disabled")
        button.click()
        wait_text(fac, "Hide votes")

    for name, ph in phones.items():  # each phone shows the reveal by itself, without a reload
        wait_text(ph, "The team's votes on Relationships", timeout=20_000)
        assert ph.evaluate("() => window.__sameDocument === true"), f"{name}'s page reloaded"
        ph.locator(".js-plotly-plot .ytick text").first.wait_for(timeout=20_000)
        assert ph.locator(".js-plotly-plot").count() == 1
        ticks = ph.locator(".js-plotly-plot .ytick text").evaluate_all(
            "els => els.map(e => [e.textContent, e.getAttribute('transform') || ''])"
        )
        assert {"1 Beginning", "4 Advanced"} <= {text for text, _ in ticks}  # this item's own level names, whole
        assert not [t for t in ticks if "rotate" in t[1]]  # and never rotated
        assert ph.get_by_role("radio").first.is_disabled()  # the vote is locked once revealed
    screenshot(phones["Ana"], "participant-after-reveal-390", full=True)

    for item, (_, wanted) in AGREED.items():
        set_consensus(fac, item, wanted)
    no_exception(fac)
    screenshot(fac, "facilitator-1440-consensus", full=True)

    engine = store.make_engine(f"sqlite:///{db}")
    try:
        [workshop] = [
            w for w in workshops.list_workshops(engine, LOCAL, school=SCHOOL, round=ROUND) if w.status == "open"
        ]
        stored = {v.item: v.consensus for v in workshops.item_votes(engine, LOCAL, workshop.id, DPS)}
        assert {item: stored[item] for item in AGREED} == {item: level for item, (level, _) in AGREED.items()}
        assert [v for item, v in stored.items() if item not in AGREED] == [None] * 12
        lead = workshops.leadership(engine, LOCAL, DPS.id, schools=[SCHOOL], rounds=[ROUND]).set_index("item")
        assert {item: lead.loc[item, "level"] for item in AGREED} == {i: lv for i, (lv, _) in AGREED.items()}
    finally:
        engine.dispose()

    for ph in phones.values():  # the consensus reaches the phones too
        wait_text(ph, "Team consensus: 3 \u00b7 Proficient", timeout=20_000)
    ben = phones["Ben"]
    ben.reload()  # the ballot link in the address brings Ben back to his own ballot
    settled(ben)
    wait_text(ben, "you are Ben")
    wait_text(ben, "2 of 14 \u00b7 you have rated 2")  # on the first item he has not rated
    ben.get_by_role("button", name="Back").click()
    wait_text(ben, "1 of 14")
    assert ben.locator('[data-testid="stRadioOption"]:has(input:checked)').inner_text().strip() == VOTES["Ben"][0]

    fac.goto(url)  # the Overview of the same school and round
    settled(fac)
    fac.locator(".js-plotly-plot").first.wait_for()
    settled(fac)
    markers = {}
    for trace in plotly_traces(fac):
        if trace["name"] == "Leadership consensus":
            markers.update({y.replace("<br>", " "): x for x, y in zip(trace["x"], trace["y"], strict=True)})
    assert markers["Relationships"] == 3.0
    assert markers["Learner Profile Data"] == 1.5
    no_exception(fac)
