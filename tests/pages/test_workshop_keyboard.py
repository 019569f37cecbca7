"""Issue 15: the workshop with the keyboard alone. A participant joins, rates every item and reviews the ballot; the
facilitator resumes the workshop, reveals an item and records its consensus: only Tab, Shift+Tab, Enter, Space and
arrow keys, never a mouse click. Focus is checked after every key, as a keyboard user would see it."""

from __future__ import annotations

import shutil

import pytest
from conftest import settled, streamlit_server
from workshop_helpers import browser, desktop, no_exception, wait_text

from pl_core import store
from pl_core.frameworks import load_framework
from pl_core.store import workshops as ws

__all__ = ["browser"]

DPS = load_framework("dps-driver-model")
ITEMS = ["relationships", "culture", "learner-profile-data"]
# (item, level text, how many ArrowDown presses after Space selects the first level)
BALLOT = [
    ("relationships", "3 \u00b7 Proficient", 4),
    ("culture", "1 \u00b7 Beginning", 0),
    ("learner-profile-data", "2.5 \u00b7 between Learner Centered and More Learner Centered", 3),
]
FOCUSED = (
    "() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.innerText || '') : '' }"
)


@pytest.fixture(scope="module")
def served(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("keyboard")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    engine = store.make_engine(f"sqlite:///{db}")
    workshop = ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=DPS, items=ITEMS)
    with streamlit_server(db, folder) as url:
        yield url, engine, workshop
    engine.dispose()


def tab_to(page, is_target: str, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the focused element satisfies the JavaScript predicate `is_target(e)`."""
    for _ in range(limit):
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({is_target})(e); }}"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"no focusable element matched {is_target}; focus is on {page.evaluate(FOCUSED)!r}")


def button_named(text: str, inside: str = "") -> str:
    """A predicate for an enabled button whose label (not its icon's ligature) starts with `text`, maybe in `inside`."""
    where = f" && !!e.closest({inside!r})" if inside else ""
    label = "(e.querySelector('[data-testid=stMarkdownContainer]') || {innerText: ''}).innerText.trim()"
    return f"e => e.tagName === 'BUTTON' && !e.disabled && {label}.startsWith({text!r}){where}"


def field(kind: str, label: str, inside: str) -> str:
    return f"e => e.tagName === {kind!r} && e.getAttribute('aria-label') === {label!r} && !!e.closest({inside!r})"


def test_join_vote_on_every_item_and_record_a_consensus_with_the_keyboard_alone(served, browser):
    url, engine, workshop = served
    person = desktop(browser)
    person.goto(f"{url}/join?code={workshop.code}")  # the link, as typed or scanned: no click
    settled(person)
    tab_to(person, "e => e.tagName === 'INPUT' && e.getAttribute('aria-label') === 'Your name (as the team knows you)'")
    person.keyboard.type("Kim")
    person.keyboard.press("Enter")  # submits the join form
    wait_text(person, "1 of 3")
    token = person.url.split("p=")[1]
    for position, (item, level, downs) in enumerate(BALLOT, start=1):
        wait_text(person, f"{position} of 3")
        assert person.get_by_role("heading", name=DPS.item(item).name, exact=True).is_visible()
        tab_to(person, "e => e.type === 'radio'")
        person.keyboard.press("Space")
        for _ in range(downs):
            person.keyboard.press("ArrowDown")
        wait_text(person, f"Saved: {level}")
        tab_to(person, button_named("Review" if position == 3 else "Next"))
        person.keyboard.press("Enter")
    wait_text(person, "You have rated 3 of 3")
    no_exception(person)
    me = ws.participant_for_token(engine, token)
    assert ws.my_votes(engine, me.id) == {
        "relationships": (3.0, ""),
        "culture": (1.0, ""),
        "learner-profile-data": (2.5, ""),
    }
    # Back from the review with Shift+Tab to the last item's button, then Enter
    last = "Learner Profile Data: 2.5 \u00b7 between Learner Centered and More Learner Centered"
    tab_to(person, button_named(last), backwards=True)
    person.keyboard.press("Enter")
    wait_text(person, "3 of 3")

    other = ws.join_workshop(engine, workshop.code, "Lee").participant  # a second vote, so it can be revealed
    ws.submit_vote(engine, other.id, "learner-profile-data", 1)

    facilitator = desktop(browser)
    facilitator.goto(f"{url}/workshop")
    settled(facilitator)
    tab_to(facilitator, button_named(f"Resume the open workshop {workshop.code}"))
    facilitator.keyboard.press("Enter")
    facilitator.get_by_test_id("workshop-code").wait_for()
    settled(facilitator)
    tab_to(facilitator, button_named("Reveal votes", ".st-key-workshop_reveal_learner-profile-data"))
    facilitator.keyboard.press("Enter")
    wait_text(facilitator, "Hide votes")
    card = ".st-key-workshop_item_learner-profile-data"
    tab_to(facilitator, f"e => e.type === 'range' && !!e.closest('{card}')")
    slider = facilitator.locator(f"{card} input[type=range]")
    start = slider.get_attribute("aria-valuetext")
    assert start.startswith("2 ")  # the revealed median of 1 and 2.5 is 1.75: the nearest half-step is 2
    facilitator.keyboard.press("ArrowLeft")  # to 1.5: the team settles below the median
    facilitator.wait_for_function(f"() => document.querySelector('{card} input[type=range]').value === '1'")
    settled(facilitator)
    tab_to(facilitator, field("TEXTAREA", "Rationale", card))
    facilitator.keyboard.type("Goals are set by teachers in most rooms")
    tab_to(facilitator, button_named("Record consensus", card))
    facilitator.keyboard.press("Enter")
    wait_text(facilitator, "Recorded Learner Profile Data: 1.5 \u00b7 between Teacher Driven and Learner Centered")
    no_exception(facilitator)
    stored = {v.item: (v.consensus, v.rationale) for v in ws.item_votes(engine, workshop.id, DPS)}
    assert stored["learner-profile-data"] == (1.5, "Goals are set by teachers in most rooms")
