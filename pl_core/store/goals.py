"""Saving goals and their milestones, and soft deletion."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, select, update

from ..domain import goals as domain
from .db import reader, session_scope
from .imports import FrameworkLike, _district_id, _school_id, _upsert_framework
from .models import District, Goal, Milestone, School, utc_now

DEFAULT_DISTRICT = "My District"


def school_id_for(conn: Connection, school: str, district: str | None) -> int:
    """Id of `school` (created if missing) in `district`, or where it already is, or in the default district."""
    if district is None:
        known = conn.execute(select(School.id).where(School.name == school)).scalars().all()
        if len(known) == 1:
            return known[0]
        district = _default_district(conn)
    return _school_id(conn, _district_id(conn, district), school, None)


def _default_district(conn: Connection) -> str:
    """The only district there is, else "My District" (read inside the caller's transaction)."""
    names = conn.execute(select(District.name).limit(2)).scalars().all()
    return names[0] if len(names) == 1 else DEFAULT_DISTRICT


def save_goal(
    engine: Engine, goal: domain.Goal, framework: FrameworkLike | None = None, *, district: str | None = None
) -> int:
    """Insert (no id) or update (id set) a checked goal and replace its milestones in one transaction; return its id.

    `framework` (default: loaded by the goal's framework id) is recorded as in use; checking the goal
    against it is the caller's (pl_core.services.goals).
    """
    if framework is None:
        from ..frameworks import load_framework

        framework = load_framework(goal.framework_id)
    now = utc_now()
    values = {
        "framework_id": goal.framework_id,
        "item": goal.item_id,
        "title": goal.title,
        "baseline_level": float(goal.baseline_level),
        "baseline_round": goal.baseline_round,
        "target_level": float(goal.target_level),
        "start_date": goal.start_date,
        "target_date": goal.target_date,
        "owner": goal.owner,
        "steps": json.dumps(list(goal.steps)),
        "status": goal.status,
        "statement": goal.statement,
        "updated_at": now,
    }
    with session_scope(engine) as session:
        conn = session.connection()
        values["school_id"] = school_id_for(conn, goal.school, district)
        _upsert_framework(conn, framework)
        if goal.id is None:
            goal_id = conn.execute(
                Goal.__table__.insert().values(**values, created_at=now).returning(Goal.id)
            ).scalar_one()
        else:
            goal_id = goal.id
            changed = conn.execute(update(Goal).where(Goal.id == goal_id).values(**values)).rowcount
            if changed != 1:
                raise KeyError(f"there is no goal {goal_id}")
        _replace_milestones(conn, goal_id, goal.milestones)
    return goal_id


def _replace_milestones(conn: Connection, goal_id: int, milestones: tuple[domain.Milestone, ...]) -> None:
    """Make the goal's milestones exactly `milestones`, keeping the ids of those that already belong to it."""
    existing = set(conn.execute(select(Milestone.id).where(Milestone.goal_id == goal_id)).scalars())
    kept = {m.id for m in milestones if m.id in existing}
    if existing - kept:
        conn.execute(delete(Milestone).where(Milestone.id.in_(existing - kept)))
    for position, m in enumerate(milestones):
        values = {"position": position, "due": m.due, "description": m.description, "done": bool(m.done)}
        if m.id in kept:
            conn.execute(update(Milestone).where(Milestone.id == m.id).values(**values))
        else:
            conn.execute(Milestone.__table__.insert().values(goal_id=goal_id, **values))


def get_goal(engine: Engine, goal_id: int) -> domain.Goal:
    """The stored goal with its milestones (also when soft-deleted); KeyError if there is none."""
    found = _read_goals(engine, Goal.id == goal_id)
    if not found:
        raise KeyError(f"there is no goal {goal_id}")
    return found[0]


def list_goals(
    engine: Engine,
    *,
    school: str | None = None,
    framework_id: str | None = None,
    include_deleted: bool = False,
) -> list[domain.Goal]:
    """Stored goals ordered by target date then id, without deleted ones unless asked."""
    conditions = []
    if school is not None:
        conditions.append(School.name == school)
    if framework_id is not None:
        conditions.append(Goal.framework_id == framework_id)
    if not include_deleted:
        conditions.append(Goal.deleted_at.is_(None))
    return _read_goals(engine, *conditions)


def _read_goals(engine: Engine, *conditions) -> list[domain.Goal]:
    stmt = (
        select(Goal, School.name)
        .join(School, School.id == Goal.school_id)
        .where(*conditions)
        .order_by(Goal.target_date, Goal.id)
    )
    with reader(engine).connect() as conn:
        rows = conn.execute(stmt).all()
        ids = [row.id for row in rows]
        milestones: dict[int, list[domain.Milestone]] = {i: [] for i in ids}
        if ids:
            stmt = select(Milestone).where(Milestone.goal_id.in_(ids)).order_by(Milestone.position, Milestone.id)
            for m in conn.execute(stmt).all():
                milestones[m.goal_id].append(domain.Milestone(m.due, m.description, bool(m.done), m.id))
    return [
        domain.Goal(
            school=row.name,
            framework_id=row.framework_id,
            item_id=row.item,
            baseline_level=row.baseline_level,
            target_level=row.target_level,
            start_date=row.start_date,
            target_date=row.target_date,
            owner=row.owner,
            title=row.title,
            steps=tuple(json.loads(row.steps)),
            milestones=tuple(milestones[row.id]),
            status=row.status,
            statement=row.statement,
            id=row.id,
            baseline_round=row.baseline_round,
        )
        for row in rows
    ]


def delete_goal(engine: Engine, goal_id: int) -> None:
    """Soft-delete a goal: list_goals hides it until it is restored."""
    _set_deleted(engine, goal_id, utc_now())


def restore_goal(engine: Engine, goal_id: int) -> None:
    """Bring back a soft-deleted goal."""
    _set_deleted(engine, goal_id, None)


def _set_deleted(engine: Engine, goal_id: int, when: datetime | None) -> None:
    with session_scope(engine) as session:
        stmt = update(Goal).where(Goal.id == goal_id).values(deleted_at=when, updated_at=utc_now())
        if session.execute(stmt).rowcount != 1:
            raise KeyError(f"there is no goal {goal_id}")


def set_milestone_done(engine: Engine, milestone_id: int, done: bool) -> None:
    """Tick a milestone off (or un-tick it)."""
    with session_scope(engine) as session:
        stmt = update(Milestone).where(Milestone.id == milestone_id).values(done=bool(done))
        if session.execute(stmt).rowcount != 1:
            raise KeyError(f"there is no milestone {milestone_id}")
