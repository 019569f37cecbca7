"""The sample district loads into a fresh SQLite database with its uploads, workshops and goals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pl_core.domain.goals import gantt_rows
from pl_core.fixtures import sample
from pl_core.frameworks import load_framework
from pl_core.frameworks import load_framework as _load
from pl_core.services import goals as goal_service
from pl_core.services.access import LOCAL
from pl_core.store import list_rounds, list_schools, make_engine, session_scope, upgrade
from pl_core.store import workshops as workshop
from pl_core.store.goals import list_goals
from pl_core.store.models import ImportBatch

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.db'}")
    upgrade(engine)
    assert sample.is_empty(engine)
    result = sample.load_sample_district(engine)
    yield engine, result
    engine.dispose()


@pytest.fixture(scope="module")
def statuses(loaded):
    engine, _ = loaded
    found = {}
    for school in sorted({g.school for g in list_goals(engine)}):
        for framework_id in sorted({g.framework_id for g in list_goals(engine, school=school)}):
            for p in goal_service.goal_progress(engine, LOCAL, _load(framework_id), school, TODAY):
                found[(p.goal.school, p.goal.item_id)] = p
    return found


def test_the_sample_district_loads_every_part(loaded):
    engine, result = loaded
    assert (result.uploads, result.workshops, result.goals) == (21, 21, 8)
    assert result.answers > 8000
    assert not sample.is_empty(engine)
    assert len(list_schools(engine)) == 7
    assert list_rounds(engine) == ["Fall 2025", "Spring 2026", "Fall 2026"]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 21


def test_sample_workshops_are_closed_with_votes_and_consensus(loaded):
    engine, _ = loaded
    held = workshop.list_workshops(engine)
    assert len(held) == 21
    assert {w.status for w in held} == {"closed"}
    assert held[0].round == "Fall 2026"  # newest first
    assert len({w.code for w in held}) == 21
    dps = load_framework("dps-driver-model")
    aspen_fall = workshop.list_workshops(engine, school="Aspen Elementary", round="Fall 2025")[0]
    votes = {v.item: v for v in workshop.item_votes(engine, aspen_fall.id, dps)}
    assert votes["relationships"].votes == (3.0, 3.5, 3.5, 4.0, 4.0)  # as in sample_data/workshops.yaml
    assert votes["relationships"].consensus == 3.5
    assert workshop.participants(engine, aspen_fall.id) == ["Principal", "Coach", "Teacher A", "Teacher B", "Teacher C"]
    ratings = workshop.leadership_ratings(engine, "dps-driver-model")
    assert len(ratings) == 6 * 3 * 14
    assert len(workshop.leadership_ratings(engine, "pillars-of-pl")) == 3 * 8


def test_sample_goals_cover_three_or_four_dps_schools_with_mixed_statuses(loaded, statuses):
    engine, _ = loaded
    goals = list_goals(engine)
    assert 6 <= len(goals) <= 9
    assert 3 <= len({g.school for g in goals}) <= 4
    assert {g.framework_id for g in goals} == {"dps-driver-model"}
    assert all(g.owner and g.milestones and g.statement for g in goals)
    found = {key: p.status for key, p in statuses.items()}
    assert found == {
        ("Aspen Elementary", "metacognition"): "on track",
        ("Aspen Elementary", "relationships"): "achieved",
        ("Birch Elementary", "learner-as-lead"): "behind",
        ("Birch Elementary", "strategic-time"): "done",
        ("Cedar Elementary", "strategic-space"): "behind",
        ("Cedar Elementary", "goal-setting-progress-monitoring"): "on track",
        ("Elm Middle", "metacognition"): "ahead",
        ("Elm Middle", "learner-as-lead"): "on track",
    }
    assert {"on track", "behind", "done"} <= set(found.values())


def test_sample_milestones_are_done_overdue_and_upcoming(loaded, statuses):
    dps = load_framework("dps-driver-model")
    states = [r["status"] for r in gantt_rows(list(statuses.values()), dps, TODAY) if r["kind"] == "milestone"]
    assert {"done", "overdue", "upcoming"} <= set(states)


def test_sample_goal_steps_are_the_frameworks_own_next_steps(loaded):
    engine, _ = loaded
    dps = load_framework("dps-driver-model")
    for goal in list_goals(engine):
        offered = {s.text for s in dps.item(goal.item_id).next_steps(int(goal.baseline_level))}
        assert goal.steps and set(goal.steps) <= offered, goal.title


def test_loading_workshops_and_goals_again_adds_nothing(loaded):
    engine, _ = loaded
    assert sample.load_sample_workshops(engine, district="Riverbend School District") == 0
    assert sample.load_sample_goals(engine, district="Riverbend School District") == 0
    assert len(workshop.list_workshops(engine)) == 21
    assert len(list_goals(engine)) == 8
