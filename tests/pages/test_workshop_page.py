"""The Workshop page with AppTest: the facilitator's screen (way in, who has not voted, reveal, consensus on each
item's own scale, closed = read-only) and the participant's (join link, one item per screen, ballot link)."""

from __future__ import annotations

import pytest
from conftest import APP, TIMEOUT, open_page, texts
from streamlit.testing.v1 import AppTest

from dashboard.components.text import plain
from pl_core import settings, store
from pl_core.domain.workshop import TOKEN_PARAM
from pl_core.frameworks import load_framework
from pl_core.store import workshops as ws

DPS = load_framework("dps-driver-model")
SCHOOL, ROUND = "Birch Elementary", "Fall 2026"


def engine():
    return store.make_engine(settings.database_url())


def html(at: AppTest) -> str:
    return "".join(h.value for h in at.get("html"))


def everything(at: AppTest) -> str:
    return texts(at) + html(at) + "".join(str(p.proto.text) for p in at.get("progress"))


def facilitate(app, items: list[str]) -> tuple[AppTest, ws.Workshop]:
    """The facilitator opens a workshop on `items` for Birch Elementary, Fall 2026."""
    at = open_page(app, "views/workshop.py", ctx_school=SCHOOL, ctx_round=ROUND)
    at.multiselect[0].set_value(items)
    at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    [workshop] = [w for w in ws.list_workshops(engine(), school=SCHOOL, round=ROUND) if w.status == "open"]
    return at, workshop


def vote(workshop: ws.Workshop, name: str, **levels: float) -> ws.Joined:
    joined = ws.join_workshop(engine(), workshop.code, name)
    for item, level in levels.items():
        ws.submit_vote(engine(), joined.participant.id, item.replace("_", "-"), level)
    return joined


def participant_app(app_file: str, **query) -> AppTest:
    at = AppTest.from_file(app_file, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- Facilitator --------------------------------------------------------------------------------------------------


def test_the_facilitator_shows_the_code_the_join_link_and_its_qr_code(app):
    from dashboard.components.workshop_facilitator import qr_data_uri

    at, workshop = facilitate(app, ["relationships", "culture"])
    page = html(at)
    assert f'data-testid="workshop-code">{workshop.code}<' in page
    # AppTest has no browser address: the link is built from the Host header fallback, with the page path dropped
    link = f"/join?code={workshop.code}"
    assert link in page and "/workshop/join" not in page
    shown = page.split('data-testid="workshop-join-link">')[1].split("<")[0]
    assert shown.endswith(link)
    assert f'src="{qr_data_uri(shown)}"' in page  # the QR code is of exactly the link shown


def test_the_facilitator_sees_who_has_not_voted_by_name_never_how_anyone_voted(app):
    at, workshop = facilitate(app, ["relationships", "culture"])
    vote(workshop, "Ana", relationships=2, culture=4)
    vote(workshop, "Ben", relationships=3.5)
    vote(workshop, "Cy")
    at.run()
    lines = texts(at)
    assert "**3 joined:** Ana, Ben, Cy" in lines
    assert "**Not voted on everything yet:** Ben (1 left), Cy (2 left)" in lines
    assert "**Relationships** \u00b7 2 of 3 \u00b7 not voted yet: Cy" in lines
    assert "**Culture** \u00b7 1 of 3 \u00b7 not voted yet: Ben, Cy" in lines
    assert "Ana" not in "".join(m.value for m in at.markdown if "Culture" in m.value and "Ana" in m.value)
    assert not at.get("plotly_chart")  # nothing revealed: no distribution on screen


def test_reveal_needs_two_votes_then_shows_the_spread(app):
    at, workshop = facilitate(app, ["relationships", "culture"])
    vote(workshop, "Ana", relationships=2, culture=3)
    at.run()
    assert at.button(key="workshop_reveal_relationships").disabled
    vote(workshop, "Ben", relationships=3.5)
    at.run()
    at.button(key="workshop_reveal_relationships").click().run()
    assert not at.exception
    assert "Votes span more than one level" in texts(at)
    assert [m.value for m in at.metric if m.label == "Spread"] == ["2 \u2013 3.5"]
    assert at.button(key="workshop_reveal_culture").disabled


def test_consensus_saves_the_level_chosen_on_each_items_own_scale(app):
    """The blocker: the saved level was the vote median, and a driver item showed the foundational scale."""
    at, workshop = facilitate(app, ["metacognition", "learner-profile-data"])
    vote(workshop, "Ana", metacognition=2, learner_profile_data=2)
    vote(workshop, "Ben", metacognition=2, learner_profile_data=2)
    at.run()
    for item in ("metacognition", "learner-profile-data"):
        at.button(key=f"workshop_reveal_{item}").click().run()
    meta = at.select_slider(key=f"consensus_{workshop.id}_metacognition_level")
    driver = at.select_slider(key=f"consensus_{workshop.id}_learner-profile-data_level")
    assert meta.value == 2.0 and driver.value == 2.0  # both start at the revealed median
    assert [meta.format_func(v) for v in (1.0, 3.0)] == ["1 \u00b7 Beginning", "3 \u00b7 Proficient"]
    assert [driver.format_func(v) for v in (1.0, 4.0)] == ["1 \u00b7 Teacher Driven", "4 \u00b7 Learner Driven"]
    meta.set_value(3.0)
    at.text_area(key=f"consensus_{workshop.id}_metacognition_why").input("Seen in every class")
    at.button(key="consensus_record_metacognition").click().run()
    driver = at.select_slider(key=f"consensus_{workshop.id}_learner-profile-data_level")
    driver.set_value(1.5)
    at.button(key="consensus_record_learner-profile-data").click().run()
    assert not at.exception
    stored = {v.item: (v.consensus, v.rationale) for v in ws.item_votes(engine(), workshop.id, DPS)}
    assert stored == {"metacognition": (3.0, "Seen in every class"), "learner-profile-data": (1.5, "")}
    shown = texts(at)
    assert "Recorded Learner Profile Data: " + plain("1.5 \u00b7 between Teacher Driven and Learner Centered") in shown
    assert "**Consensus: " + plain("3 \u00b7 Proficient") + "**" in shown


def test_a_closed_workshop_is_shown_read_only(app):
    at, workshop = facilitate(app, ["relationships", "culture"])
    vote(workshop, "Ana", relationships=2)
    vote(workshop, "Ben", relationships=3)
    at.run()
    at.button(key="workshop_reveal_relationships").click().run()
    ws.record_consensus(engine(), workshop.id, "relationships", 2.5, "agreed")
    at.button(key="workshop_close").click().run()
    assert not at.exception
    assert ws.get_workshop(engine(), workshop.id).status == "closed"
    assert "This workshop is closed" in texts(at) and "read-only" in texts(at)
    assert "**Consensus: " + plain("2.5 \u00b7 between Developing and Proficient") + "**" in texts(at)
    assert not at.select_slider and not at.text_area  # no consensus controls
    keys = {b.key or "" for b in at.button}
    assert not {k for k in keys if k.startswith(("workshop_reveal", "consensus_record", "workshop_close"))}
    assert "workshop-join-link" not in html(at)  # the way in is gone
    assert len(at.get("plotly_chart")) == 1  # the revealed item stays visible


def test_names_typed_by_participants_show_as_text_not_markup(app):
    at, workshop = facilitate(app, ["culture"])
    ws.join_workshop(engine(), workshop.code, "![x](http://evil.example/t.png)")
    at.run()
    [joined] = [m.value for m in at.markdown if m.value.startswith("**1 joined:**")]
    assert joined == "**1 joined:** " + plain("![x](http://evil.example/t.png)")


# --- Participant --------------------------------------------------------------------------------------------------


def test_a_join_link_shows_only_the_ballot_and_joining_keeps_a_ballot_link(app):
    workshop = ws.open_workshop(engine(), school="Elm Middle", round=ROUND, framework=DPS, items=["mindset", "culture"])
    at = participant_app(APP, code=workshop.code)
    assert [t.value for t in at.title] == ["Join a workshop"]
    assert at.text_input[0].value == workshop.code
    assert not at.sidebar.selectbox and not at.multiselect  # no school pickers, no facilitator form
    at.text_input[1].input("Cara")
    at.form_submit_button[0].click().run()
    assert not at.exception
    token = at.query_params[TOKEN_PARAM]
    token = token[0] if isinstance(token, list) else token
    assert "code" not in at.query_params
    assert ws.participant_for_token(engine(), token).name == "Cara"
    assert [t.value for t in at.title] == ["Workshop ballot"]
    assert "**1 of 2** \u00b7 you have rated 0" in everything(at)
    assert not [b for b in at.button if b.key and b.key.startswith(("workshop_", "consensus_"))]
    at.radio(key=f"ballot_level_{workshop.id}_mindset").set_value(2.5).run()
    assert ws.my_votes(engine(), ws.participant_for_token(engine(), token).id) == {"mindset": (2.5, "")}
    at.button(key="ballot_next").click().run()
    assert "**2 of 2** \u00b7 you have rated 1" in everything(at)
    assert [s.value for s in at.subheader] == ["Culture"]


def test_the_ballot_link_returns_to_the_same_ballot_after_a_reload(app):
    workshop = ws.open_workshop(engine(), school="Elm Middle", round=ROUND, framework=DPS, items=["mindset", "culture"])
    mine = vote(workshop, "Cara", mindset=3)
    at = participant_app(APP, **{TOKEN_PARAM: mine.token})
    assert "you are **Cara**" in texts(at)
    # it opens on the first item not rated yet, and Back shows the stored vote
    assert [s.value for s in at.subheader] == ["Culture"]
    at.button(key="ballot_back").click().run()
    assert at.radio(key=f"ballot_level_{workshop.id}_mindset").value == 3.0


def test_a_teammates_name_from_another_browser_is_another_ballot(app):
    workshop = ws.open_workshop(engine(), school="Elm Middle", round=ROUND, framework=DPS, items=["mindset"])
    ana = vote(workshop, "Ana", mindset=4)
    at = participant_app(APP, code=workshop.code)
    at.text_input[1].input("ana")
    at.form_submit_button[0].click().run()
    assert "you are **ana \\(2\\)**" in texts(at)
    assert at.radio(key=f"ballot_level_{workshop.id}_mindset").value is None  # Ana's vote is not shown
    at.radio(key=f"ballot_level_{workshop.id}_mindset").set_value(1.0).run()
    assert ws.my_votes(engine(), ana.participant.id) == {"mindset": (4.0, "")}  # nor changed


def test_a_revealed_item_is_locked_on_the_ballot_and_shows_the_votes(app):
    workshop = ws.open_workshop(engine(), school="Elm Middle", round=ROUND, framework=DPS, items=["mindset"])
    mine = vote(workshop, "Ana", mindset=2)
    vote(workshop, "Ben", mindset=3)
    ws.reveal(engine(), workshop.id, "mindset")
    at = participant_app(APP, **{TOKEN_PARAM: mine.token})
    assert at.radio(key=f"ballot_level_{workshop.id}_mindset").disabled
    assert "The team's votes on Mindset" in texts(at) and len(at.get("plotly_chart")) == 1


def test_a_wrong_code_is_refused(app):
    ws.open_workshop(engine(), school="Elm Middle", round=ROUND, framework=DPS, items=["mindset"])
    at = participant_app(APP, code="ZZZZZZ")
    at.text_input[1].input("Dee")
    at.form_submit_button[0].click().run()
    assert at.error and TOKEN_PARAM not in at.query_params
    assert ws.list_workshops(engine())[0].code != "ZZZZZZ"


@pytest.mark.parametrize("token", ["made-up", ""])
def test_a_ballot_link_that_was_not_issued_asks_to_join(app, token):
    at = participant_app(APP, **{TOKEN_PARAM: token})
    assert [t.value for t in at.title] == ["Join a workshop"]
    assert at.form_submit_button and not at.radio
