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


# --- The baseline is never a checkpoint; the edges of "behind" and "ahead" -----------------------------------------


def test_a_goal_set_today_on_a_round_dated_later_is_not_yet_measured():
    # Set on Jan 20 from the "Spring 2026" round, which its name dates March 1: the baseline, not a checkpoint.
    g = goal(
        baseline_level=2.0,
        target_level=4.0,
        start_date=D(2026, 1, 20),
        target_date=D(2026, 7, 20),
        baseline_round="Spring 2026",
    )
    p = progress(
        g,
        [Measurement("Fall 2025", D(2025, 10, 1), 1.8), Measurement("Spring 2026", D(2026, 3, 1), 2.0)],
        D(2026, 1, 20),
    )
    assert p.status == "not yet measured"
    assert p.checkpoints == ()


def test_a_goal_whose_baseline_round_is_dated_after_its_start_is_judged_from_the_next_round():
    g = goal(
        baseline_level=2.0,
        target_level=4.0,
        start_date=D(2026, 1, 20),
        target_date=D(2027, 1, 20),
        baseline_round="Spring 2026",
    )
    fall = D(2026, 10, 1)  # planned: 2.0 + 2.0 * 254/365 = 3.39
    measured = [Measurement("Spring 2026", D(2026, 3, 1), 2.0), Measurement("Fall 2026", fall, 3.3)]
    p = progress(g, measured, D(2026, 11, 1))
    assert [c.round for c in p.checkpoints] == ["Fall 2026"]
    assert p.checkpoints[0].planned == pytest.approx(2.0 + 2.0 * 254 / 365)
    assert p.status == "on track"


def test_a_measurement_on_the_start_date_is_the_baseline_not_a_checkpoint():
    g = goal(start_date=D(2026, 3, 1), target_date=D(2027, 3, 1), baseline_round=None)
    p = progress(g, [Measurement("Spring 2026", D(2026, 3, 1), 0.5)], D(2026, 3, 2))
    assert p.status == "not yet measured"


def _edge_goal():
    # plan: 1.0 on Jan 1 to 3.0 two hundred days later, so exactly 2.0 at day 100 (exact in binary floating point)
    return goal(baseline_level=1.0, target_level=3.0, start_date=D(2026, 1, 1), target_date=D(2026, 7, 20))


@pytest.mark.parametrize(
    ("measured", "status"),
    [
        (1.75, "on track"),  # exactly TOLERANCE below the plan: on track (behind is `<`)
        (1.74, "behind"),
        (2.25, "ahead"),  # exactly TOLERANCE above the plan: ahead (`>=`)
        (2.24, "on track"),
        (3.0, "achieved"),
    ],
)
def test_status_edges_are_exactly_tolerance_either_side_of_the_plan(measured, status):
    g = _edge_goal()
    day_100 = D(2026, 1, 1) + dt.timedelta(days=100)
    assert (g.target_date - g.start_date).days == 200 and planned_level(g, day_100) == 2.0
    p = progress(g, [Measurement("Spring 2026", day_100, measured)], day_100)
    assert p.status == status
