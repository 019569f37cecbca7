"""Leadership workshops on SQLite and PostgreSQL: codes, joining with tokens, voting (also 30 at once), reveal,
consensus, who has not voted, and a closed workshop that is read-only."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from pl_core.domain import workshop as rules
from pl_core.domain.workshop import WorkshopError
from pl_core.frameworks import load_framework
from pl_core.store import workshops as ws

ITEMS = ["relationships", "culture", "mindset", "metacognition"]


def join(engine, code: str, name: str) -> ws.Participant:
    return ws.join_workshop(engine, code, name).participant


@pytest.fixture(scope="module")
def dps():
    return load_framework("dps-driver-model")


@pytest.fixture
def opened(engine, dps):
    return ws.open_workshop(
        engine, school="Aspen Elementary", round="Fall 2026", framework=dps, items=ITEMS, facilitator="Dr. Reyes"
    )


def test_open_workshop_gets_a_six_character_unambiguous_code(engine, dps, opened):
    assert len(opened.code) == 6
    assert set(opened.code) <= set(ws.CODE_ALPHABET)
    assert not set(opened.code) & set("0O1IL")
    assert opened.status == "open" and opened.closed_at is None
    assert opened.items == tuple(ITEMS)
    assert (opened.school, opened.round, opened.framework_id) == ("Aspen Elementary", "Fall 2026", "dps-driver-model")
    assert opened.opened_at.tzinfo is not None
    assert ws.get_workshop(engine, opened.id) == opened


def test_default_items_are_the_whole_framework_and_codes_differ(engine, dps, opened):
    other = ws.open_workshop(engine, school="Birch Elementary", round="Fall 2026", framework=dps)
    assert other.items == dps.item_ids
    assert other.code != opened.code
    assert [w.id for w in ws.list_workshops(engine)] == [other.id, opened.id]  # newest first
    assert [w.id for w in ws.list_workshops(engine, school="Birch Elementary")] == [other.id]
    assert ws.list_workshops(engine, round="Spring 2026") == []


def test_find_workshop_ignores_case_spaces_and_dashes(engine, opened):
    messy = f" {opened.code[:3].lower()}-{opened.code[3:].lower()} "
    assert ws.find_workshop(engine, messy).id == opened.id


@pytest.mark.parametrize("code", ["", "ZZZZZZ", "ABC", "O0O0O0", "ABCDEFG"])
def test_a_wrong_code_is_unknown(engine, opened, code):
    assert opened.code != code
    with pytest.raises(WorkshopError) as err:
        ws.find_workshop(engine, code)
    assert err.value.code == "unknown-code"


def test_a_closed_workshop_code_stops_working(engine, dps, opened):
    someone = join(engine, opened.code, "Ana")
    ws.close_workshop(engine, opened.id)
    with pytest.raises(WorkshopError) as err:
        ws.find_workshop(engine, opened.code)
    assert err.value.code == "closed"
    with pytest.raises(WorkshopError) as err:
        ws.join_workshop(engine, opened.code, "Ben")
    assert err.value.code == "closed"
    with pytest.raises(WorkshopError) as err:
        ws.submit_vote(engine, someone.id, "culture", 3)
    assert err.value.code == "closed"
    closed = ws.get_workshop(engine, opened.id)
    assert closed.status == "closed" and closed.closed_at is not None


def test_joining_issues_a_secret_token_and_stores_only_its_hash(engine, opened):
    from sqlalchemy import select

    from pl_core.store.models import WorkshopParticipant

    joined = ws.join_workshop(engine, opened.code, "  Ana  Lopez ")
    assert joined.participant.name == "Ana Lopez" and joined.participant.workshop_id == opened.id
    assert len(joined.token) >= 40
    assert ws.participant_for_token(engine, joined.token) == joined.participant
    with engine.connect() as conn:
        stored = conn.execute(select(WorkshopParticipant.token_hash)).scalars().all()
    assert stored == [rules.token_hash(joined.token)] and joined.token not in stored


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_a_token_that_was_not_issued_opens_no_ballot(engine, opened, token):
    ws.join_workshop(engine, opened.code, "Ana")
    with pytest.raises(WorkshopError) as err:
        ws.participant_for_token(engine, token)
    assert err.value.code == "unknown-participant"


def test_the_same_name_from_another_device_is_another_participant_with_its_own_ballot(engine, opened):
    first = ws.join_workshop(engine, opened.code, "  Ana  Lopez ")
    ws.submit_vote(engine, first.participant.id, "culture", 3.5, "my note")
    again = ws.join_workshop(engine, opened.code.lower(), "ana lopez")
    third = ws.join_workshop(engine, opened.code, "ANA LOPEZ")
    other = ws.join_workshop(engine, opened.code, "Ben")
    assert again.participant.id != first.participant.id and again.token != first.token
    assert (again.participant.name, third.participant.name) == ("ana lopez (2)", "ANA LOPEZ (3)")
    assert ws.participants(engine, opened.id) == ["Ana Lopez", "ana lopez (2)", "ANA LOPEZ (3)", "Ben"]
    # the newcomer sees none of Ana's ballot, and their vote does not touch it
    assert ws.my_votes(engine, again.participant.id) == {}
    ws.submit_vote(engine, again.participant.id, "culture", 1)
    assert ws.my_votes(engine, first.participant.id) == {"culture": (3.5, "my note")}
    assert ws.participant_for_token(engine, first.token) == first.participant
    assert other.participant.name == "Ben"


@pytest.mark.parametrize("name", ["", "   "])
def test_joining_needs_a_name(engine, opened, name):
    with pytest.raises(WorkshopError) as err:
        ws.join_workshop(engine, opened.code, name)
    assert err.value.code == "name-required"


def test_votes_counts_and_revote_replaces(engine, dps, opened):
    ana = join(engine, opened.code, "Ana")
    ben = join(engine, opened.code, "Ben")
    ws.submit_vote(engine, ana.id, "culture", 2.5, "walkthrough notes")
    ws.submit_vote(engine, ana.id, "mindset", 3)
    ws.submit_vote(engine, ben.id, "culture", 4)
    assert ws.vote_counts(engine, opened.id) == {"relationships": 0, "culture": 2, "mindset": 1, "metacognition": 0}
    assert ws.my_votes(engine, ana.id) == {"culture": (2.5, "walkthrough notes"), "mindset": (3.0, "")}

    ws.submit_vote(engine, ana.id, "culture", 3.5, "changed my mind")
    assert ws.my_votes(engine, ana.id)["culture"] == (3.5, "changed my mind")
    assert ws.vote_counts(engine, opened.id)["culture"] == 2
    assert ws.my_votes(engine, ben.id) == {"culture": (4.0, "")}


@pytest.mark.parametrize("level", [0, 0.5, 4.5, 5, 2.25, 3.1, -1, float("nan"), "high", None, True])
def test_levels_off_the_scale_or_between_half_steps_are_rejected(engine, opened, level):
    ana = join(engine, opened.code, "Ana")
    with pytest.raises(WorkshopError) as err:
        ws.submit_vote(engine, ana.id, "culture", level)
    assert err.value.code == "level-out-of-range"
    assert ws.my_votes(engine, ana.id) == {}


@pytest.mark.parametrize("level", [1, 1.5, 2, 2.5, 3, 3.5, 4])
def test_every_half_step_on_the_scale_is_accepted(engine, opened, level):
    ana = join(engine, opened.code, "Ana")
    ws.submit_vote(engine, ana.id, "culture", level)
    assert ws.my_votes(engine, ana.id) == {"culture": (float(level), "")}


def test_an_item_outside_the_workshop_is_unknown(engine, dps, opened):
    ana = join(engine, opened.code, "Ana")
    for item in ("strategic-time", "no-such-item"):  # in the framework but not chosen; not in the framework
        with pytest.raises(WorkshopError) as err:
            ws.submit_vote(engine, ana.id, item, 3)
        assert err.value.code == "unknown-item"
    with pytest.raises(WorkshopError) as err:
        ws.record_consensus(engine, opened.id, "strategic-time", 3)
    assert err.value.code == "unknown-item"
    with pytest.raises(WorkshopError) as err:
        ws.reveal(engine, opened.id, "strategic-time")
    assert err.value.code == "unknown-item"
    with pytest.raises(WorkshopError) as err:
        ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=dps, items=["nope"])
    assert err.value.code == "unknown-item"


def test_distribution_spread_and_discussion_flag(engine, dps, opened):
    people = [join(engine, opened.code, name) for name in ("Ana", "Ben", "Cy")]
    for person, level in zip(people, (3, 1, 2.5), strict=True):
        ws.submit_vote(engine, person.id, "culture", level)
    for person, level in zip(people[:2], (2, 2.5), strict=True):
        ws.submit_vote(engine, person.id, "relationships", level)
    # Reversed workshop order: results still come in framework order.
    by_item = {v.item: v for v in ws.item_votes(engine, opened.id, dps)}
    assert [v.item for v in ws.item_votes(engine, opened.id, dps)] == ITEMS

    culture = by_item["culture"]
    assert culture.votes == (1.0, 2.5, 3.0) and culture.voters == 3
    assert culture.mean == pytest.approx(6.5 / 3)
    assert (culture.median, culture.low, culture.high, culture.spread) == (2.5, 1.0, 3.0, 2.0)
    assert culture.needs_discussion is True

    rel = by_item["relationships"]
    assert rel.votes == (2.0, 2.5) and rel.spread == 0.5 and rel.median == 2.25
    assert rel.needs_discussion is False

    empty = by_item["mindset"]
    assert (empty.voters, empty.mean, empty.spread, empty.needs_discussion) == (0, None, None, False)
    assert not any(v.revealed for v in by_item.values())


def test_spread_of_exactly_one_level_does_not_need_discussion(engine, dps, opened):
    for name, level in (("Ana", 2), ("Ben", 3)):
        ws.submit_vote(engine, join(engine, opened.code, name).id, "mindset", level)
    mindset = next(v for v in ws.item_votes(engine, opened.id, dps) if v.item == "mindset")
    assert mindset.spread == 1.0 and mindset.needs_discussion is False


def test_reveal_and_hide(engine, dps, opened):
    for name, level in (("Ana", 2), ("Ben", 3)):
        ws.submit_vote(engine, join(engine, opened.code, name).id, "culture", level)
    ws.reveal(engine, opened.id, "culture")
    assert {v.item: v.revealed for v in ws.item_votes(engine, opened.id, dps)}["culture"] is True
    ws.reveal(engine, opened.id, "culture", revealed=False)
    assert {v.item: v.revealed for v in ws.item_votes(engine, opened.id, dps)}["culture"] is False


@pytest.mark.parametrize("voters", [0, 1])
def test_fewer_than_two_votes_are_never_revealed(engine, dps, opened, voters):
    for name in ["Ana", "Ben"][:voters]:
        ws.submit_vote(engine, join(engine, opened.code, name).id, "culture", 3)
    join(engine, opened.code, "Cy")  # joined, not voted: the team would know whose the one vote is
    with pytest.raises(WorkshopError) as err:
        ws.reveal(engine, opened.id, "culture")
    assert err.value.code == "too-few-votes"
    assert not next(v for v in ws.item_votes(engine, opened.id, dps) if v.item == "culture").revealed
    ws.reveal(engine, opened.id, "culture", revealed=False)  # hiding is always allowed


def test_votes_on_a_revealed_item_are_locked_until_it_is_hidden(engine, dps, opened):
    ana, ben, cy = (join(engine, opened.code, name) for name in ("Ana", "Ben", "Cy"))
    ws.submit_vote(engine, ana.id, "culture", 2)
    ws.submit_vote(engine, ben.id, "culture", 3)
    ws.reveal(engine, opened.id, "culture")
    for person, level in ((ana, 4), (cy, 1)):  # a change, and a late vote: either would show who moved where
        with pytest.raises(WorkshopError) as err:
            ws.submit_vote(engine, person.id, "culture", level)
        assert err.value.code == "revealed"
    ws.submit_vote(engine, cy.id, "mindset", 1)  # other items stay open
    assert next(v for v in ws.item_votes(engine, opened.id, dps) if v.item == "culture").votes == (2.0, 3.0)
    ws.reveal(engine, opened.id, "culture", revealed=False)
    ws.submit_vote(engine, cy.id, "culture", 1)
    assert next(v for v in ws.item_votes(engine, opened.id, dps) if v.item == "culture").votes == (1.0, 2.0, 3.0)


def test_a_closed_workshop_is_read_only(engine, dps, opened):
    ana, ben = (join(engine, opened.code, name) for name in ("Ana", "Ben"))
    for person in (ana, ben):
        ws.submit_vote(engine, person.id, "culture", 2)
    ws.record_consensus(engine, opened.id, "culture", 2, "agreed", "walkthroughs")
    ws.close_workshop(engine, opened.id)
    for act in (
        lambda: ws.record_consensus(engine, opened.id, "culture", 3.5),
        lambda: ws.record_consensus(engine, opened.id, "mindset", 1),
        lambda: ws.reveal(engine, opened.id, "culture"),
        lambda: ws.reveal(engine, opened.id, "culture", revealed=False),
        lambda: ws.submit_vote(engine, ana.id, "mindset", 3),
    ):
        with pytest.raises(WorkshopError) as err:
            act()
        assert err.value.code == "closed"
    by_item = {v.item: v for v in ws.item_votes(engine, opened.id, dps)}
    assert (by_item["culture"].consensus, by_item["culture"].rationale, by_item["culture"].revealed) == (
        2.0,
        "agreed",
        False,
    )
    assert by_item["mindset"].consensus is None and by_item["mindset"].voters == 0
    ws.close_workshop(engine, opened.id)  # closing again changes nothing


def test_ballots_say_who_voted_on_what_item_but_not_how(engine, opened):
    ana, ben, _cy = (join(engine, opened.code, name) for name in ("Ana", "Ben", "Cy"))
    ws.submit_vote(engine, ana.id, "culture", 2)
    ws.submit_vote(engine, ana.id, "mindset", 4)
    ws.submit_vote(engine, ben.id, "culture", 3)
    assert ws.ballots(engine, opened.id) == [
        ("Ana", frozenset({"culture", "mindset"})),
        ("Ben", frozenset({"culture"})),
        ("Cy", frozenset()),
    ]
    waiting = rules.waiting_for(opened.items, ws.ballots(engine, opened.id))
    assert waiting.by_item == {
        "relationships": ("Ana", "Ben", "Cy"),
        "culture": ("Cy",),
        "mindset": ("Ben", "Cy"),
        "metacognition": ("Ana", "Ben", "Cy"),
    }
    assert waiting.overall == (("Ana", 2), ("Ben", 3), ("Cy", 4))
    assert not waiting.everyone_done


def test_consensus_is_recorded_replaced_and_validated(engine, dps, opened):
    ws.record_consensus(engine, opened.id, "culture", 2.5, "split between 2 and 3", "walkthroughs")
    ws.record_consensus(engine, opened.id, "culture", 3, "agreed after discussion", "walkthroughs, surveys")
    culture = next(v for v in ws.item_votes(engine, opened.id, dps) if v.item == "culture")
    assert (culture.consensus, culture.rationale, culture.evidence) == (
        3.0,
        "agreed after discussion",
        "walkthroughs, surveys",
    )
    with pytest.raises(WorkshopError) as err:
        ws.record_consensus(engine, opened.id, "culture", 4.5)
    assert err.value.code == "level-out-of-range"


def test_leadership_ratings_take_the_latest_workshop_with_a_consensus(engine, dps, opened):
    ws.record_consensus(engine, opened.id, "culture", 2.5)
    ws.record_consensus(engine, opened.id, "mindset", 3)
    ws.close_workshop(engine, opened.id)
    later = ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=dps, items=["culture"])
    ws.record_consensus(engine, later.id, "culture", 3.5)
    ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=dps, items=["culture"])  # none
    spring = ws.open_workshop(engine, school="Birch Elementary", round="Spring 2026", framework=dps, items=["culture"])
    ws.record_consensus(engine, spring.id, "culture", 1.5)

    ratings = ws.leadership_ratings(engine, "dps-driver-model")
    assert list(ratings.columns) == ["school", "round", "item", "level", "workshop_id"]
    assert ratings.to_dict("records") == [
        {"school": "Aspen Elementary", "round": "Fall 2026", "item": "culture", "level": 3.5, "workshop_id": later.id},
        {"school": "Aspen Elementary", "round": "Fall 2026", "item": "mindset", "level": 3.0, "workshop_id": opened.id},
        {
            "school": "Birch Elementary",
            "round": "Spring 2026",
            "item": "culture",
            "level": 1.5,
            "workshop_id": spring.id,
        },
    ]
    only_birch = ws.leadership_ratings(engine, "dps-driver-model", schools=["Birch Elementary"])
    assert only_birch["workshop_id"].tolist() == [spring.id]
    assert ws.leadership_ratings(engine, "dps-driver-model", rounds=["Fall 2025"]).empty
    assert ws.leadership_ratings(engine, "pillars-of-pl").empty


def test_workshops_use_the_only_existing_district(engine, dps):
    from pl_core.store import list_schools
    from pl_core.store.queries import list_rounds

    ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2025", framework=dps, district="Riverbend")
    ws.open_workshop(engine, school="Birch Elementary", round="Fall 2025", framework=dps)
    assert list_schools(engine, district="Riverbend") == ["Aspen Elementary", "Birch Elementary"]
    assert list_rounds(engine, district="Riverbend") == ["Fall 2025"]


def test_import_workshop_stores_a_closed_workshop_with_votes_and_consensus(engine, dps):
    held = datetime(2025, 10, 20, 15, 30, tzinfo=UTC)
    done = ws.import_workshop(
        engine,
        school="Aspen Elementary",
        round="Fall 2025",
        framework=dps,
        held_at=held,
        votes={"Principal": {"culture": 3, "mindset": 2.5}, "Coach": {"culture": 4}},
        consensus={"culture": 3.5, "mindset": 2.5},
    )
    assert done.status == "closed" and done.opened_at == held and done.items == ("culture", "mindset")
    by_item = {v.item: v for v in ws.item_votes(engine, done.id, dps)}
    assert by_item["culture"].votes == (3.0, 4.0) and by_item["culture"].consensus == 3.5
    assert by_item["mindset"].revealed
    assert ws.participants(engine, done.id) == ["Principal", "Coach"]
    assert ws.leadership_ratings(engine, "dps-driver-model")["level"].tolist() == [3.5, 2.5]


THREADS = 30


def test_thirty_people_voting_at_once_lose_no_vote(engine, dps):
    opened = ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=dps, items=ITEMS)
    people = [join(engine, opened.code, f"Person {i}") for i in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    expected: dict[int, dict[str, float]] = {}

    def vote(index: int, participant_id: int) -> None:
        try:
            start.wait()
            final = {}
            for round_ in range(3):  # three passes: every vote is replaced twice
                for k, item in enumerate(ITEMS):
                    level = 1 + ((index + k + round_) % 7) / 2
                    ws.submit_vote(engine, participant_id, item, level, f"{index}/{round_}")
                    final[item] = level
            expected[participant_id] = final
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=vote, args=(i, p.id)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert not any(t.is_alive() for t in threads)
    assert ws.vote_counts(engine, opened.id) == dict.fromkeys(ITEMS, THREADS)
    for person in people:
        assert ws.my_votes(engine, person.id) == {
            item: (lvl, f"{people.index(person)}/2") for item, lvl in expected[person.id].items()
        }
    assert sum(v.voters for v in ws.item_votes(engine, opened.id, dps)) == THREADS * len(ITEMS)


def test_thirty_people_joining_at_once_with_some_duplicate_names(engine, dps):
    opened = ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=dps, items=ITEMS)
    start = threading.Barrier(THREADS)
    joined: list[ws.Joined] = []
    errors: list[BaseException] = []

    def join_now(index: int) -> None:
        try:
            start.wait()
            joined.append(ws.join_workshop(engine, opened.code, f"person {index % 20}"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=join_now, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(joined) == THREADS
    # every device is its own participant, with its own token; ten names are taken twice: "person k (2)"
    assert len({j.participant.id for j in joined}) == THREADS and len({j.token for j in joined}) == THREADS
    names = sorted(ws.participants(engine, opened.id))
    assert names == sorted([f"person {k}" for k in range(20)] + [f"person {k} (2)" for k in range(10)])


# --- Rules without a database ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_url", "network_host", "link"),
    [
        ("http://localhost:8501/workshop", "192.168.1.20", "http://192.168.1.20:8501/join?code=K7Q2MX"),
        ("http://127.0.0.1:8501/workshop", "192.168.1.20", "http://192.168.1.20:8501/join?code=K7Q2MX"),
        ("http://localhost:8501/workshop", None, "http://localhost:8501/join?code=K7Q2MX"),  # the page warns
        ("http://localhost:8501/workshop", "fd00::2", "http://[fd00::2]:8501/join?code=K7Q2MX"),
        ("https://pl.district.org/workshop", "10.0.0.5", "https://pl.district.org/join?code=K7Q2MX"),
        ("https://pl.district.org/pl/workshop/", None, "https://pl.district.org/pl/join?code=K7Q2MX"),
        ("http://192.168.1.20:8501/", "192.168.1.20", "http://192.168.1.20:8501/join?code=K7Q2MX"),
    ],
)
def test_the_join_link_is_the_apps_address_that_a_phone_can_reach(page_url, network_host, link):
    base = rules.app_base(page_url, "workshop")
    assert rules.join_link(base, "k7q-2mx", network_host=network_host) == link


@pytest.mark.parametrize(
    ("name", "taken", "shown"),
    [
        ("Ana", [], "Ana"),
        ("  ana   lopez ", [], "ana lopez"),
        ("Ana", ["ana"], "Ana (2)"),
        ("ANA", ["ana", "ana (2)"], "ANA (3)"),
        ("Ana", ["ana", "ana (3)"], "Ana (2)"),
        ("Ana (2)", ["ana (2)"], "Ana (2) (2)"),
    ],
)
def test_a_taken_name_gets_the_next_free_number(name, taken, shown):
    assert rules.numbered_name(name, taken) == shown


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 1.0), (float("nan"), 1.0), (2.25, 2.5), (2.2, 2.0), (1.75, 2.0), (3.0, 3.0), (0.2, 1.0), (9, 4.0)],
)
def test_the_consensus_slider_starts_on_the_nearest_half_step(value, expected):
    assert rules.nearest_half_step(value, 1, 4) == expected


def test_vote_bars_lie_flat_so_level_names_read_on_a_phone(dps):
    from pl_core.present.charts import vote_histogram

    driver = dps.item("learner-profile-data").scale
    fig = vote_histogram([1.0, 2.0, 2.0, 3.5], driver, consensus=1.5)
    [bars] = fig.data
    assert bars.orientation == "h"
    assert list(bars.x) == [1, 0, 2, 0, 0, 1, 0]  # one bar per half-step, lowest level first
    assert [label.replace("<br>", " ") for label in bars.y] == [
        "1 Teacher Driven",
        "1.5",
        "2 Learner Centered",
        "2.5",
        "3 More Learner Centered",
        "3.5",
        "4 Learner Driven",
    ]
    assert max(len(line) for label in bars.y for line in label.split("<br>")) <= 16
    assert fig.layout.yaxis.tickangle == 0 and fig.layout.yaxis.autorange == "reversed"
    [note] = fig.layout.annotations
    [band] = fig.layout.shapes
    assert note.y == 1 and (band.y0, band.y1) == (0.5, 1.5) and "consensus" in note.text  # the 1.5 row


def test_a_workshop_held_on_paper_keeps_why_and_on_what_evidence(engine, dps):
    done = ws.import_workshop(
        engine,
        school="Aspen Elementary",
        round="Fall 2025",
        framework=dps,
        held_at=datetime(2025, 10, 20, 15, 30, tzinfo=UTC),
        votes={"Principal": {"culture": 3}, "Coach": {"culture": 4}},
        consensus={"culture": 3.5},
        notes={"culture": ("split between 3 and 4", "walkthroughs")},
    )
    culture = next(v for v in ws.item_votes(engine, done.id, dps) if v.item == "culture")
    assert (culture.consensus, culture.rationale, culture.evidence) == (3.5, "split between 3 and 4", "walkthroughs")
