"""The context that follows the person: which framework, school and round a run shows (pure rules, no Streamlit)."""

from __future__ import annotations

from dashboard.components.context import resolve

ROUNDS = ["Fall 2025", "Spring 2026", "Fall 2026", "Spring 2027"]
SCHOOLS = ["Aspen", "Birch", "Cedar", "Harbor"]
ANSWERED = {
    "dps": {"Aspen": ["Fall 2025", "Spring 2026", "Fall 2026", "Spring 2027"], "Birch": ["Fall 2025", "Fall 2026"]},
    "pillars": {"Harbor": ["Fall 2025", "Spring 2026"]},
}


def pick(previous=None, **wanted):
    options = dict(ordered=["dps", "pillars", "leap"], in_use=["dps", "pillars"], schools=SCHOOLS, rounds=ROUNDS)
    return resolve(previous or {}, wanted, **options, with_data=lambda f: ANSWERED.get(f, {}))


def test_first_visit_opens_a_school_with_answers_on_its_latest_round_with_answers():
    assert pick() == {"framework": "dps", "school": "Aspen", "round": "Spring 2027"}


def test_a_link_to_a_school_without_a_round_opens_its_latest_round_with_answers_not_the_newest():
    # Spring 2027 exists because Aspen uploaded it; Birch's latest answers are from Fall 2026
    assert pick(school="Birch") == {"framework": "dps", "school": "Birch", "round": "Fall 2026"}


def test_a_link_naming_school_and_round_opens_exactly_that():
    assert pick(school="Birch", round="Spring 2026")["round"] == "Spring 2026"


def test_changing_school_keeps_the_round_when_the_new_school_has_answers_in_it():
    before = {"framework": "dps", "school": "Aspen", "round": "Fall 2025"}
    assert pick(before, framework="dps", school="Birch", round="Fall 2025")["round"] == "Fall 2025"


def test_changing_school_moves_to_its_latest_round_when_it_has_no_answers_in_the_chosen_one():
    before = {"framework": "dps", "school": "Aspen", "round": "Spring 2027"}
    assert pick(before, framework="dps", school="Birch", round="Spring 2027")["round"] == "Fall 2026"


def test_changing_framework_takes_the_school_along_only_when_it_has_no_answers_there():
    before = {"framework": "dps", "school": "Aspen", "round": "Fall 2026"}
    moved = pick(before, framework="pillars", school="Aspen", round="Fall 2026")
    assert moved == {"framework": "pillars", "school": "Harbor", "round": "Spring 2026"}


def test_an_unknown_or_forbidden_school_in_a_link_falls_back_and_reveals_nothing():
    assert pick(school="Nowhere", round="Fall 2026") == {"framework": "dps", "school": "Aspen", "round": "Fall 2026"}


def test_an_unknown_round_or_framework_falls_back_to_the_defaults():
    assert pick(framework="nope", school="Birch", round="Winter 1999") == {
        "framework": "dps",
        "school": "Birch",
        "round": "Fall 2026",
    }


def test_nothing_imported_yet_still_gives_a_context():
    options = dict(ordered=["dps"], in_use=[], schools=[], rounds=[])
    assert resolve({}, {}, **options, with_data=lambda f: {}) == {"framework": "dps", "school": None, "round": None}
