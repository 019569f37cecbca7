"""Goals with timelines: SMART statements, planned trajectories, on-track status and timeline data.

A goal moves one item from a baseline level to a target level between a start and a
target date. The plan is a straight line between the two; each later round's measured
level (staff mean, or leadership consensus) is compared with where the line says the
school should be by then:

* ahead    — measured at least TOLERANCE above the plan (`>=`)
* behind   — measured more than TOLERANCE below the plan (`<`: exactly TOLERANCE below is on track)
* on track — in between
* achieved — measured at or above the target

The baseline is where the goal starts from, never a checkpoint: the measurement of the goal's
baseline round, and any measurement dated on or before the start. Round dates come from their
names (Spring → March 1), so a goal set in January on a "Spring" round has a baseline dated after
its start; it is judged from the next round on, not against a plan that had already moved on by March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from ..frameworks import Framework
from .rounds import round_date

TOLERANCE = 0.25  # levels: a quarter level either side of the plan still counts as on track
STATUSES = ("active", "done", "paused")
TEXT_LIMITS = {"title": 300, "owner": 200}  # characters, as stored


@dataclass(frozen=True)
class Milestone:
    due: dt.date
    description: str
    done: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Goal:
    school: str
    framework_id: str
    item_id: str
    baseline_level: float
    target_level: float
    start_date: dt.date
    target_date: dt.date
    owner: str = ""
    title: str = ""
    steps: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    status: str = "active"
    statement: str = ""
    id: int | None = None
    baseline_round: str | None = None


@dataclass(frozen=True)
class Measurement:
    round: str
    on: dt.date
    level: float
    n: int | None = None


@dataclass(frozen=True)
class Checkpoint:
    round: str
    on: dt.date
    planned: float
    measured: float
    status: str


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    status: str
    checkpoints: tuple[Checkpoint, ...] = ()
    overdue: tuple[Milestone, ...] = field(default_factory=tuple)


class GoalError(ValueError):
    """A goal whose fields do not make sense; `field` names the one to fix."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


def check_goal(goal: Goal, framework: Framework) -> None:
    """Raise GoalError for the first field that does not make sense."""
    try:
        item = framework.item(goal.item_id)
    except KeyError:
        raise GoalError("item_id", f"{framework.name} has no item {goal.item_id!r}") from None
    low, high = item.scale.low, item.scale.high
    for name in ("baseline_level", "target_level"):
        value = getattr(goal, name)
        if not low <= value <= high:
            raise GoalError(name, f"{name.replace('_', ' ')} must be between {low} and {high}, got {value}")
    if goal.target_level <= goal.baseline_level:
        raise GoalError("target_level", "the target level must be above the baseline level")
    if goal.target_date <= goal.start_date:
        raise GoalError("target_date", "the target date must be after the start date")
    if goal.status not in STATUSES:
        raise GoalError("status", f"status must be one of {', '.join(STATUSES)}")
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(goal, name)) > limit:
            raise GoalError(name, f"the {name} is {len(getattr(goal, name)):,} characters long; the most is {limit}")


def _level_text(framework: Framework, item_id: str, level: float) -> str:
    scale = framework.item(item_id).scale
    if float(level).is_integer():
        return f"{scale.label(int(level))} ({level:g})"
    lower = scale.label(int(level))
    return f"between {lower} and {scale.label(int(level) + 1)} ({level:g})"


def smart_statement(goal: Goal, framework: Framework) -> str:
    """A SMART goal sentence assembled from the goal's fields (the team may edit it afterwards)."""
    item = framework.item(goal.item_id)
    parts = [
        f"By {goal.target_date:%B} {goal.target_date.day}, {goal.target_date.year}, move {item.name} "
        f"from {_level_text(framework, goal.item_id, goal.baseline_level)} "
        f"to {_level_text(framework, goal.item_id, goal.target_level)} on the {framework.short_name}"
    ]
    if goal.owner:
        parts.append(f", led by {goal.owner}")
    sentence = "".join(parts) + "."
    if goal.steps:
        steps = "; ".join(s.strip().rstrip(".") for s in goal.steps)
        sentence += " Action steps: " + steps + ("" if steps.endswith(('"', "!", "?")) else ".")
    sentence += " Progress is measured at each assessment round against the planned trajectory."
    return sentence


def planned_level(goal: Goal, on: dt.date) -> float:
    """Where the straight-line plan puts the item on date `on`."""
    if on <= goal.start_date:
        return goal.baseline_level
    if on >= goal.target_date:
        return goal.target_level
    span = (goal.target_date - goal.start_date).days
    done = (on - goal.start_date).days
    return goal.baseline_level + (goal.target_level - goal.baseline_level) * done / span


def checkpoint_status(goal: Goal, planned: float, measured: float) -> str:
    if measured >= goal.target_level:
        return "achieved"
    if measured >= planned + TOLERANCE:
        return "ahead"
    if measured < planned - TOLERANCE:
        return "behind"
    return "on track"


def overdue_milestones(goal: Goal, today: dt.date) -> tuple[Milestone, ...]:
    """Milestones not done whose date has passed."""
    return tuple(m for m in goal.milestones if not m.done and m.due < today)


def baseline_date(goal: Goal, measurements: list[Measurement]) -> dt.date:
    """The date up to which measurements are the baseline: the start, or the baseline round's date if later."""
    dated = [m.on for m in measurements if goal.baseline_round is not None and m.round == goal.baseline_round]
    return max([goal.start_date, *dated])


def checkpoints_of(goal: Goal, measurements: list[Measurement]) -> list[Measurement]:
    """The measurements a goal is judged by: after its baseline, oldest first (never the baseline round itself)."""
    after = baseline_date(goal, measurements)
    return sorted((m for m in measurements if m.on > after and m.round != goal.baseline_round), key=lambda m: m.on)


def progress(goal: Goal, measurements: list[Measurement], today: dt.date) -> GoalProgress:
    """Compare each measurement after the goal's baseline with the plan; the latest decides the status."""
    later = checkpoints_of(goal, measurements)
    checkpoints = []
    for m in later:
        planned = planned_level(goal, m.on)
        checkpoints.append(Checkpoint(m.round, m.on, planned, m.level, checkpoint_status(goal, planned, m.level)))
    if goal.status == "done":
        status = "done"
    elif goal.status == "paused":
        status = "paused"
    elif checkpoints:
        status = checkpoints[-1].status
    else:
        status = "not yet measured"
    return GoalProgress(goal, status, tuple(checkpoints), overdue_milestones(goal, today))


def gantt_rows(progresses: list[GoalProgress], framework: Framework, today: dt.date) -> list[dict]:
    """Rows for a Gantt chart: one bar per goal, one marker per milestone."""
    rows = []
    for p in progresses:
        g = p.goal
        label = g.title or framework.item(g.item_id).name
        rows.append(
            {
                "kind": "goal",
                "goal_id": g.id,
                "label": label,
                "start": g.start_date,
                "finish": g.target_date,
                "status": p.status,
                "owner": g.owner,
            }
        )
        overdue = set(p.overdue)
        for m in g.milestones:
            state = "done" if m.done else ("overdue" if m in overdue else "upcoming")
            rows.append(
                {
                    "kind": "milestone",
                    "goal_id": g.id,
                    "label": label,
                    "start": m.due,
                    "finish": m.due,
                    "status": state,
                    "owner": g.owner,
                    "description": m.description,
                }
            )
    return rows


def trajectory_rows(p: GoalProgress) -> list[dict]:
    """Planned vs measured level for a progress chart: the plan's two ends and every checkpoint."""
    g = p.goal
    rows = [
        {"on": g.start_date, "series": "planned", "level": g.baseline_level, "round": g.baseline_round or "start"},
        {"on": g.target_date, "series": "planned", "level": g.target_level, "round": "target"},
    ]
    rows += [
        {"on": c.on, "series": "measured", "level": c.measured, "round": c.round, "status": c.status}
        for c in p.checkpoints
    ]
    return rows


def with_statement(goal: Goal, framework: Framework) -> Goal:
    """The goal with its SMART statement filled in when the team has not written one."""
    return goal if goal.statement else replace(goal, statement=smart_statement(goal, framework))


def measurements_from(
    scores: pd.DataFrame, dates: Mapping[str, dt.date] | None = None
) -> dict[tuple[str, str], list[Measurement]]:
    """Whole-school staff means per (school, item), each dated by its round, oldest first: from one score table."""
    dates = dict(dates or {})
    shown = scores[(scores["n"].fillna(0) > 0) & scores["mean"].notna()]
    # a round that cannot be placed in time is not a checkpoint; each round is dated once, not once per row
    when = {r: dates.get(r) or round_date(r) for r in shown["round"].unique()}
    placed = shown["round"].map(when)
    shown, placed = shown[placed.notna()], placed[placed.notna()]
    found: dict[tuple[str, str], list[Measurement]] = {}
    for school, item, round_name, on, mean, n in zip(
        shown["school"].tolist(),
        shown["item"].tolist(),
        shown["round"].tolist(),
        placed.tolist(),
        shown["mean"].astype(float).tolist(),
        shown["n"].astype(int).tolist(),
        strict=True,
    ):
        found.setdefault((school, item), []).append(Measurement(round_name, on, mean, n))
    for values in found.values():
        values.sort(key=lambda m: m.on)
    return found
