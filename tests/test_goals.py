"""Goal status, trajectories, milestones and SMART statements, with a fixed clock."""

import datetime as dt

import pytest

from pl_core.domain.goals import (
    Goal,
    GoalError,
    Measurement,
    Milestone,
    check_goal,
    gantt_rows,
    overdue_milestones,
    planned_level,
    progress,
    smart_statement,
    trajectory_rows,
)
from pl_core.frameworks import load_framework

D = dt.date
TODAY = D(2026, 4, 1)


@pytest.fixture(scope="module")
def fw():
    return load_framework("pillars-of-pl")


def goal(**kw):
    base = dict(
        school="Harbor K-8",
        framework_id="pillars-of-pl",
        item_id="learner-voice",
        baseline_level=1.5,
        target_level=3.5,
        start_date=D(2025, 10, 1),
        target_date=D(2026, 10, 1),
        owner="Ms. Rivera",
    )
    base.update(kw)
    return Goal(**base)


def test_planned_level_is_a_straight_line_between_baseline_and_target():
    g = goal()
    assert planned_level(g, D(2025, 9, 1)) == 1.5
    assert planned_level(g, D(2026, 4, 1)) == pytest.approx(1.5 + 2.0 * 182 / 365)
    assert planned_level(g, D(2027, 1, 1)) == 3.5


@pytest.mark.parametrize(
    ("measured", "status"),
    # plan on 2026-04-01 is 1.5 + 2 * 182/365 = 2.497
    [(2.5, "on track"), (2.3, "on track"), (2.75, "ahead"), (2.2, "behind"), (3.5, "achieved"), (3.9, "achieved")],
)
def test_latest_measurement_decides_status(measured, status):
    p = progress(
        goal(), [Measurement("Fall 2025", D(2025, 10, 1), 1.5), Measurement("Spring 2026", TODAY, measured)], TODAY
    )
    assert p.status == status
    assert [c.round for c in p.checkpoints] == ["Spring 2026"]  # the baseline round is not a checkpoint
    assert p.checkpoints[0].planned == pytest.approx(2.4973, abs=1e-4)


def test_no_measurement_after_start_means_not_yet_measured():
    assert progress(goal(), [Measurement("Fall 2025", D(2025, 9, 30), 1.4)], TODAY).status == "not yet measured"


def test_done_and_paused_goals_keep_their_status():
    later = [Measurement("Spring 2026", TODAY, 1.0)]
    assert progress(goal(status="done"), later, TODAY).status == "done"
    assert progress(goal(status="paused"), later, TODAY).status == "paused"


def test_overdue_milestones_are_past_and_not_done():
    ms = (
        Milestone(D(2026, 3, 31), "Survey learners", False),
        Milestone(D(2026, 3, 1), "Plan PD", True),
        Milestone(TODAY, "Due today", False),
        Milestone(D(2026, 5, 1), "Later", False),
    )
    assert [m.description for m in overdue_milestones(goal(milestones=ms), TODAY)] == ["Survey learners"]


def test_smart_statement_is_assembled_from_the_fields(fw):
    text = smart_statement(goal(steps=("Hold learner-led conferences.", "Add a choice board")), fw)
    assert text.startswith(
        "By October 1, 2026, move Learner Voice from between Emerging and Developing (1.5) "
        "to between Demonstrating and Applying (3.5) on the Pillars of Personalized Learning, "
        "led by Ms. Rivera."
    )
    assert "Action steps: Hold learner-led conferences; Add a choice board." in text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"item_id": "nope"}, "item_id"),
        ({"target_level": 5}, "target_level"),
        ({"target_level": 1.0}, "target_level"),
        ({"target_date": D(2025, 1, 1)}, "target_date"),
        ({"status": "odd"}, "status"),
        ({"baseline_level": 0}, "baseline_level"),
    ],
)
def test_check_goal_names_the_field_to_fix(fw, changes, field):
    with pytest.raises(GoalError) as caught:
        check_goal(goal(**changes), fw)
    assert caught.value.field == field


def test_timeline_rows_have_goal_bars_and_milestone_markers(fw):
    ms = (Milestone(D(2026, 3, 1), "Plan PD", True), Milestone(D(2026, 3, 15), "Survey", False))
    p = progress(goal(id=7, milestones=ms), [], TODAY)
    rows = gantt_rows([p], fw, TODAY)
    assert [(r["kind"], r["status"]) for r in rows] == [
        ("goal", "not yet measured"),
        ("milestone", "done"),
        ("milestone", "overdue"),
    ]
    assert rows[0]["start"] == D(2025, 10, 1) and rows[0]["finish"] == D(2026, 10, 1)
    measured = progress(goal(), [Measurement("Spring 2026", TODAY, 2.6)], TODAY)
    series = [(r["series"], r["level"]) for r in trajectory_rows(measured)]
    assert series == [("planned", 1.5), ("planned", 3.5), ("measured", 2.6)]
