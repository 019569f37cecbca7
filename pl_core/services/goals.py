"""Goals: stored per school, checked against the framework, tracked against published whole-school scores."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from .. import store
from ..domain import goals as domain
from ..domain.goals import Goal, GoalError, GoalProgress  # noqa: F401 - re-exported
from ..domain.names import check_name
from ..frameworks import Framework
from ..store import goals as goal_store
from .access import Viewer, require_school, scope
from .scores import school_scores


def goals(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str | None = None,
    framework_id: str | None = None,
    include_deleted: bool = False,
) -> list[Goal]:
    """Stored goals of one school, or of every school the viewer may see."""
    if school is not None:
        require_school(viewer, school)
    found = goal_store.list_goals(engine, school=school, framework_id=framework_id, include_deleted=include_deleted)
    allowed = scope(viewer, None)
    return [g for g in found if allowed is None or g.school in allowed]


def _require_goal(engine: Engine, viewer: Viewer, goal_id: int) -> Goal:
    existing = goal_store.get_goal(engine, goal_id)
    require_school(viewer, existing.school)
    return existing


def save_goal(engine: Engine, viewer: Viewer, goal: Goal, framework: Framework, *, district: str | None = None) -> int:
    """Check and store a goal of a school the viewer may use (an update may not move another school's goal)."""
    check_name("school", goal.school)
    require_school(viewer, goal.school)
    if goal.id is not None:
        _require_goal(engine, viewer, goal.id)
    domain.check_goal(goal, framework)
    return goal_store.save_goal(engine, domain.with_statement(goal, framework), framework, district=district)


def delete_goal(engine: Engine, viewer: Viewer, goal_id: int) -> None:
    """Soft-delete a goal of one of the viewer's schools."""
    _require_goal(engine, viewer, goal_id)
    goal_store.delete_goal(engine, goal_id)


def restore_goal(engine: Engine, viewer: Viewer, goal_id: int) -> None:
    """Bring back a soft-deleted goal of one of the viewer's schools."""
    _require_goal(engine, viewer, goal_id)
    goal_store.restore_goal(engine, goal_id)


def set_milestone_done(engine: Engine, viewer: Viewer, goal_id: int, milestone_id: int, done: bool) -> None:
    """Tick off (or un-tick) a milestone of a goal of one of the viewer's schools."""
    goal = _require_goal(engine, viewer, goal_id)
    if milestone_id not in {m.id for m in goal.milestones}:
        raise KeyError(f"goal {goal_id} has no milestone {milestone_id}")
    goal_store.set_milestone_done(engine, milestone_id, done)


def goal_progress(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    school: str,
    today: dt.date,
    *,
    rounds: set[str] | None = None,
) -> list[GoalProgress]:
    """Every goal of a school with its status on `today`, measured against the school's published scores.

    One score table serves every goal; `rounds` limits the checkpoints (a report for an earlier round).
    """
    found = goals(engine, viewer, school=school, framework_id=framework.id)
    if not found:
        return []
    scores = school_scores(engine, viewer, framework, school)
    if rounds is not None:
        scores = scores[scores["round"].isin(rounds)]
    measured = domain.measurements_from(scores, store.round_dates(engine))
    return [domain.progress(g, measured.get((g.school, g.item_id), []), today) for g in found]
