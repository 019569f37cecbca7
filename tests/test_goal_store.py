"""Stored goals and milestones on SQLite and PostgreSQL; measurements; round-name dates."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from pl_core.domain.goals import Goal, GoalError, Measurement, Milestone, measurements_from
from pl_core.domain.rounds import round_date
from pl_core.frameworks import load_framework
from pl_core.services import goals as goal_service
from pl_core.services import scores as score_service
from pl_core.services.access import LOCAL
from pl_core.services.imports import save_import as import_upload
from pl_core.store import list_schools, models, round_dates, session_scope
from pl_core.store.goals import delete_goal, get_goal, list_goals, restore_goal, set_milestone_done


def save_goal(engine, goal: Goal) -> int:
    """Save through the checked service, as the Goals page does."""
    return goal_service.save_goal(engine, LOCAL, goal, load_framework(goal.framework_id))


def measurements(engine, framework_id: str, school: str, item: str, extra_dates=None) -> list[Measurement]:
    """A goal's checkpoints: the school's published staff means for one item, each dated by its round."""
    if school not in list_schools(engine):
        return []
    scores = score_service.school_scores(engine, LOCAL, load_framework(framework_id), school)
    dates = {**round_dates(engine), **(extra_dates or {})}
    return measurements_from(scores, dates).get((school, item), [])


def a_goal(**changes) -> Goal:
    goal = Goal(
        school="Aspen Elementary",
        framework_id="dps-driver-model",
        item_id="culture",
        baseline_level=2.4,
        target_level=3.2,
        start_date=date(2025, 11, 1),
        target_date=date(2027, 6, 1),
        owner="Dr. Reyes",
        title="A culture of belonging",
        steps=("Step one.", "Step two."),
        milestones=(
            Milestone(date(2026, 1, 15), "Norms drafted with staff"),
            Milestone(date(2026, 5, 1), "Advisory launched", done=True),
        ),
        statement="By June 1, 2027 ...",
        baseline_round="Fall 2025",
    )
    return replace(goal, **changes)


def without_ids(goal: Goal) -> Goal:
    return replace(goal, id=None, milestones=tuple(replace(m, id=None) for m in goal.milestones))


def test_save_and_get_round_trip_with_milestones(engine):
    goal = a_goal()
    goal_id = save_goal(engine, goal)
    stored = get_goal(engine, goal_id)
    assert stored.id == goal_id
    assert without_ids(stored) == goal
    assert all(m.id is not None for m in stored.milestones)
    assert [m.description for m in stored.milestones] == ["Norms drafted with staff", "Advisory launched"]
    assert list_schools(engine) == ["Aspen Elementary"]


def test_update_replaces_fields_and_milestones_keeping_known_milestone_ids(engine):
    goal_id = save_goal(engine, a_goal())
    stored = get_goal(engine, goal_id)
    kept = replace(stored.milestones[1], description="Advisory launched in all grades")
    edited = replace(
        stored,
        target_level=3.5,
        owner="Ms. Kim",
        steps=("Only step.",),
        milestones=(kept, Milestone(date(2026, 9, 1), "Student survey")),
    )
    assert save_goal(engine, edited) == goal_id
    again = get_goal(engine, goal_id)
    assert (again.target_level, again.owner, again.steps) == (3.5, "Ms. Kim", ("Only step.",))
    assert [(m.description, m.done) for m in again.milestones] == [
        ("Advisory launched in all grades", True),
        ("Student survey", False),
    ]
    assert again.milestones[0].id == stored.milestones[1].id
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(models.Milestone)) == 2
        assert session.scalar(select(func.count()).select_from(models.Goal)) == 1


def test_updating_a_goal_that_does_not_exist_fails(engine):
    with pytest.raises(KeyError):
        save_goal(engine, a_goal(id=999))
    assert list_goals(engine, include_deleted=True) == []


def test_soft_delete_hides_and_restore_brings_back(engine):
    first = save_goal(engine, a_goal())
    second = save_goal(engine, a_goal(item_id="mindset", target_date=date(2026, 12, 1)))
    assert [g.id for g in list_goals(engine)] == [second, first]  # by target date
    delete_goal(engine, first)
    assert [g.id for g in list_goals(engine)] == [second]
    assert [g.id for g in list_goals(engine, include_deleted=True)] == [second, first]
    assert get_goal(engine, first).id == first
    restore_goal(engine, first)
    assert [g.id for g in list_goals(engine)] == [second, first]


def test_list_goals_filters_by_school_and_framework(engine):
    aspen = save_goal(engine, a_goal())
    birch = save_goal(engine, a_goal(school="Birch Elementary"))
    pillar = load_framework("pillars-of-pl").item_ids[0]
    pillars = save_goal(engine, a_goal(framework_id="pillars-of-pl", item_id=pillar))
    assert [g.id for g in list_goals(engine, school="Birch Elementary")] == [birch]
    assert [g.id for g in list_goals(engine, framework_id="pillars-of-pl")] == [pillars]
    assert [g.id for g in list_goals(engine, school="Aspen Elementary", framework_id="dps-driver-model")] == [aspen]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"item_id": "no-such-item"}, "item_id"),
        ({"baseline_level": 0.5}, "baseline_level"),
        ({"target_level": 4.5}, "target_level"),
        ({"target_level": 2.0}, "target_level"),
        ({"target_date": date(2025, 1, 1)}, "target_date"),
        ({"status": "someday"}, "status"),
    ],
)
def test_bad_fields_raise_goal_error_and_write_nothing(engine, changes, field):
    with pytest.raises(GoalError) as err:
        save_goal(engine, a_goal(**changes))
    assert err.value.field == field
    assert list_goals(engine, include_deleted=True) == []
    assert list_schools(engine) == []  # not even the school was created


def test_bad_edit_leaves_the_stored_goal_untouched(engine):
    goal_id = save_goal(engine, a_goal())
    before = get_goal(engine, goal_id)
    with pytest.raises(GoalError):
        save_goal(engine, replace(before, target_level=1.0, milestones=()))
    assert get_goal(engine, goal_id) == before


def test_a_failure_midway_through_an_edit_rolls_everything_back(engine):
    goal_id = save_goal(engine, a_goal())
    before = get_goal(engine, goal_id)
    # The goal row is updated and the old milestones deleted before the broken one (no description) fails.
    broken = replace(before, owner="Someone else", milestones=(Milestone(date(2026, 2, 1), None),))
    with pytest.raises(Exception, match="(?i)null"):
        save_goal(engine, broken)
    assert get_goal(engine, goal_id) == before


def test_set_milestone_done(engine):
    goal_id = save_goal(engine, a_goal())
    first = get_goal(engine, goal_id).milestones[0]
    assert first.done is False
    set_milestone_done(engine, first.id, True)
    assert get_goal(engine, goal_id).milestones[0].done is True
    set_milestone_done(engine, first.id, False)
    assert get_goal(engine, goal_id).milestones[0].done is False
    with pytest.raises(KeyError):
        set_milestone_done(engine, 99_999, True)


def parsed(answers: dict[str, dict[str, int | None]], file_name: str) -> SimpleNamespace:
    """A stand-in for pl_core.ingest's ParsedUpload."""
    rows = [
        {
            "respondent": person,
            "role": pd.NA,
            "grade_band": pd.NA,
            "submitted_at": pd.NaT,
            "source_row": n + 2,
            "item": item,
            "level": level,
        }
        for n, (person, levels) in enumerate(answers.items())
        for item, level in levels.items()
    ]
    responses = pd.DataFrame(rows).astype({"level": "Int64"})
    report = SimpleNamespace(
        valid=True,
        file_name=file_name,
        file_hash=hashlib.sha256(repr(answers).encode()).hexdigest(),
        format="template-wide",
        rows_read=len(answers),
        respondents=len(answers),
        answers=int(responses["level"].notna().sum()),
        missing_answers=int(responses["level"].isna().sum()),
        superseded=0,
        errors=[],
        warnings=[],
        columns=[],
    )
    comments = pd.DataFrame(columns=["respondent", "column", "text"])
    return SimpleNamespace(report=report, responses=responses, comments=comments)


def test_measurements_are_the_staff_mean_per_round_dated_by_round(engine):
    dps = load_framework("dps-driver-model")
    people = "abcdef"  # five answers are the least a published figure rests on
    uploads = {
        "Fall 2025": {p: {"culture": v, "mindset": 4} for p, v in zip(people, [2, 3, 2, 3, 3, None], strict=True)},
        "Spring 2026": {p: {"culture": v} for p, v in zip(people, [3, 4, 4, 3, 4, 4], strict=True)},
        "Pilot": {p: {"culture": 1} for p in people},  # no date can be derived from this name
    }
    for round_name, answers in uploads.items():
        import_upload(
            engine,
            LOCAL,
            parsed(answers, f"{round_name}.csv"),
            school="Aspen Elementary",
            round=round_name,
            framework=dps,
        )
    birch = parsed({p: {"culture": 1} for p in people}, "birch.csv")
    import_upload(engine, LOCAL, birch, school="Birch Elementary", round="Fall 2025", framework=dps)

    found = measurements(engine, "dps-driver-model", "Aspen Elementary", "culture")
    assert found == [
        Measurement("Fall 2025", date(2025, 10, 1), 13 / 5, 5),  # 2+3+2+3+3; the sixth said "don't know"
        Measurement("Spring 2026", date(2026, 3, 1), pytest.approx(22 / 6), 6),
    ]
    # An explicit date wins, and a stored starts_on beats the name.
    with session_scope(engine) as session:
        session.execute(update(models.Round).where(models.Round.name == "Fall 2025").values(starts_on=date(2025, 9, 2)))
    found = measurements(engine, "dps-driver-model", "Aspen Elementary", "culture", {"Pilot": date(2025, 8, 20)})
    assert [(m.round, m.on) for m in found] == [
        ("Pilot", date(2025, 8, 20)),
        ("Fall 2025", date(2025, 9, 2)),
        ("Spring 2026", date(2026, 3, 1)),
    ]
    assert measurements(engine, "dps-driver-model", "Aspen Elementary", "strategic-time") == []
    assert measurements(engine, "dps-driver-model", "Nowhere", "culture") == []


@pytest.mark.parametrize(
    ("name", "on"),
    [
        ("Fall 2025", date(2025, 10, 1)),
        ("Autumn 2026", date(2026, 10, 1)),
        ("Spring 2026", date(2026, 3, 1)),
        ("Winter 2026", date(2026, 1, 15)),
        ("Summer 2026", date(2026, 7, 1)),
        ("2025-26 BOY", date(2025, 10, 1)),
        ("2025-26 MOY", date(2026, 1, 15)),
        ("2025-26 EOY", date(2026, 3, 1)),
        ("Spring 2025-26", date(2026, 3, 1)),
        ("Pilot", None),
        ("Fall", None),
    ],
)
def test_round_date_from_the_round_name(name, on):
    assert round_date(name) == on
