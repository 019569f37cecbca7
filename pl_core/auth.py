"""Who may see what: roles, the schools each viewer may read and write, and checked services.

Roles are stored in the database (``users`` and ``user_schools``, migration 0003):

* ``district_admin`` — every school, and managing users;
* ``coach`` — the schools assigned to them; district views cover only those schools;
* ``principal`` — their own school(s);
* workshop participants have no account: a join code admits them to one workshop
  (``pl_core.workshop.join_workshop``, rate-limited there).

Without sign-in (one trusted user on a laptop) the dashboard uses ``LOCAL``: all access.
A signed-in email that is not a stored user gets no access (``viewer_for`` returns None).

Bootstrapping: the first district admin is created from the command line, e.g.
``pl-diag users add ada@district.org --role district_admin --name "Ada Lopez"``; after that
district admins manage users in the dashboard or with ``pl-diag users``.

Pages and the CLI call the checked services below instead of the raw ones: each checks the
viewer may use the schools concerned and raises AccessDenied when a school is named that they
may not use (never filtering it away silently); without a school filter, results are limited
to the viewer's schools. Breakdowns of staff answers are suppressed by ``pl_core.privacy``.
School and round are matched by name, as everywhere in the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from . import goals as goal_domain
from . import privacy, scoring, store
from . import workshop as ws
from .frameworks import Framework
from .store import goals as goal_store
from .store import users as user_store
from .store.users import COACH as COACH
from .store.users import DISTRICT_ADMIN, StoredUser
from .store.users import PRINCIPAL as PRINCIPAL
from .store.users import ROLES as ROLES
from .store.users import UserError as UserError

LOCAL_ROLE = "local"
_ALL_ACCESS = (DISTRICT_ADMIN, LOCAL_ROLE)


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a stored user, or LOCAL (the one trusted user when sign-in is off)."""

    email: str
    role: str
    schools: frozenset[str] = frozenset()  # only meaningful for coaches and principals
    name: str = ""

    @property
    def sees_every_school(self) -> bool:
        return self.role in _ALL_ACCESS


LOCAL = Viewer(email="", role=LOCAL_ROLE, name="Local user")


class AccessDenied(PermissionError):
    """The viewer may not do this; the message names only what they asked for."""


def viewer_for(engine: Engine, email: str | None) -> Viewer | None:
    """The Viewer for a signed-in email (any case), or None when it is not a known user (no access)."""
    if not email or not str(email).strip():
        return None
    user = user_store.get_user(engine, email)
    if user is None:
        return None
    return Viewer(email=user.email, role=user.role, schools=frozenset(user.schools), name=user.name)


def may_see(viewer: Viewer, school: str) -> bool:
    """Whether the viewer may read and write this school's data."""
    return viewer.sees_every_school or school in viewer.schools


def allowed_schools(viewer: Viewer, all_schools: Iterable[str]) -> list[str]:
    """The schools of `all_schools` the viewer may see, in the order given."""
    return [s for s in all_schools if may_see(viewer, s)]


def require_school(viewer: Viewer, school: str) -> None:
    """Raise AccessDenied unless the viewer may use `school` (whether or not it exists: no probing)."""
    if not may_see(viewer, school):
        raise AccessDenied(
            f"your account does not give access to {school!r}; ask a district administrator to assign it to you"
        )


def require_role(viewer: Viewer, *roles: str) -> None:
    """Raise AccessDenied unless the viewer has one of `roles` (district admins and LOCAL pass every check)."""
    if viewer.role not in roles and not viewer.sees_every_school:
        raise AccessDenied(f"this needs the role {' or '.join(roles)}; your account is {viewer.role!r}")


def can_manage_users(viewer: Viewer) -> bool:
    """Whether the viewer may add, change and remove users."""
    return viewer.sees_every_school


def _scope(viewer: Viewer, schools: Iterable[str] | None) -> list[str] | None:
    """The school filter to query with: the named schools once checked, else the viewer's (None = all)."""
    if schools is not None:
        named = list(schools)
        for school in named:
            require_school(viewer, school)
        return named
    return None if viewer.sees_every_school else sorted(viewer.schools)


# Reading staff answers: aggregates only.


def list_schools(engine: Engine, viewer: Viewer) -> list[str]:
    """The known schools the viewer may see, alphabetically."""
    return allowed_schools(viewer, store.list_schools(engine))


def responses(
    engine: Engine,
    viewer: Viewer,
    framework_id: str,
    *,
    schools: Iterable[str] | None = None,
    rounds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Stored answers of the viewer's schools, to compute aggregates from: never display or export these rows."""
    return store.load_responses(engine, framework_id, schools=_scope(viewer, schools), rounds=rounds)


def item_scores(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    schools: Iterable[str] | None = None,
    rounds: Iterable[str] | None = None,
    by: Sequence[str] = scoring.DEFAULT_KEYS,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Item scores grouped `by`; a breakdown by role or grade band is suppressed (small cells and complements).

    `min_group` can raise the configured threshold, never lower it.
    """
    keys = list(by)
    breakdowns = [k for k in keys if k in scoring.BREAKDOWNS]
    if len(breakdowns) > 1:
        raise ValueError("break down by one of role or grade band at a time: crossing them needs two-way suppression")
    if keys == list(scoring.DEFAULT_KEYS):
        # Whole-school figures: let the database count answers per level rather than moving every row
        # (the same frame as score_items over the rows; see tests/test_district.py).
        from .district import district_scores

        return district_scores(engine, framework, schools=_scope(viewer, schools), rounds=rounds)
    frame = responses(engine, viewer, framework.id, schools=schools, rounds=rounds)
    scores = scoring.score_items(frame, framework, by=keys)
    if not breakdowns:
        return scores
    threshold = max(privacy.min_group_size(), min_group or 0)
    rest = [k for k in keys if k != breakdowns[0]]
    whole = scoring.score_items(frame, framework, by=rest) if rest else None
    return privacy.suppress_breakdown(scores, breakdowns[0], threshold, whole)


def comments(
    engine: Engine,
    viewer: Viewer,
    framework_id: str,
    *,
    school: str,
    round: str,
    min_group: int | None = None,
) -> pd.DataFrame:
    """A school's free-text comments for one round as bare text, only if enough staff responded."""
    require_school(viewer, school)
    answered = store.load_responses(engine, framework_id, schools=[school], rounds=[round])
    found = store.load_comments(engine, framework_id, schools=[school], rounds=[round])
    threshold = max(privacy.min_group_size(), min_group or 0)
    return privacy.comments_for_display(found, int(answered["respondent"].nunique()), threshold)


def leadership(
    engine: Engine,
    viewer: Viewer,
    framework_id: str,
    *,
    schools: Iterable[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Leadership consensus per school x round x item, for the viewer's schools."""
    return ws.leadership_ratings(engine, framework_id, schools=_scope(viewer, schools), rounds=rounds)


def measurements(
    engine: Engine, viewer: Viewer, framework_id: str, school: str, item_id: str
) -> list[goal_domain.Measurement]:
    """The staff mean of one item at one school per round (whole-school figures)."""
    require_school(viewer, school)
    return goal_store.measurements(engine, framework_id, school, item_id)


def import_history(engine: Engine, viewer: Viewer, *, school: str | None = None) -> pd.DataFrame:
    """Stored import batches of the viewer's schools, newest first."""
    if school is not None:
        require_school(viewer, school)
    history = store.import_history(engine, school=school)
    if viewer.sees_every_school:
        return history
    return history[history["school"].isin(viewer.schools)].reset_index(drop=True)


def save_import(
    engine: Engine,
    viewer: Viewer,
    parsed: Any,
    *,
    school: str,
    round: str,
    framework: Framework,
    district: str | None = None,
) -> store.ImportResult:
    """Store a parsed upload for a school the viewer may use, recording who imported it."""
    require_school(viewer, school)
    return store.save_import(
        engine,
        parsed,
        school=school,
        round=round,
        framework=framework,
        district=district or store.default_district(engine),
        imported_by=viewer.email or viewer.name,
    )


# Goals.


def goals(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str | None = None,
    framework_id: str | None = None,
    include_deleted: bool = False,
) -> list[goal_domain.Goal]:
    """Stored goals of one school, or of every school the viewer may see."""
    if school is not None:
        require_school(viewer, school)
    found = goal_store.list_goals(engine, school=school, framework_id=framework_id, include_deleted=include_deleted)
    return [g for g in found if may_see(viewer, g.school)]


def _require_goal(engine: Engine, viewer: Viewer, goal_id: int) -> goal_domain.Goal:
    existing = goal_store.get_goal(engine, goal_id)
    require_school(viewer, existing.school)
    return existing


def save_goal(engine: Engine, viewer: Viewer, goal: goal_domain.Goal, *, district: str | None = None) -> int:
    """Insert or update a goal of a school the viewer may use (an update may not move another school's goal)."""
    require_school(viewer, goal.school)
    if goal.id is not None:
        _require_goal(engine, viewer, goal.id)
    return goal_store.save_goal(engine, goal, district=district)


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


# Workshops (facilitating; participants join with a code and need no account).


def list_workshops(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str | None = None,
    round: str | None = None,
    framework_id: str | None = None,
) -> list[ws.Workshop]:
    """Workshops of one school, or of every school the viewer may see, newest first."""
    if school is not None:
        require_school(viewer, school)
    found = ws.list_workshops(engine, school=school, round=round, framework_id=framework_id)
    return [w for w in found if may_see(viewer, w.school)]


def open_workshop(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str,
    round: str,
    framework: Framework,
    items: Sequence[str] | None = None,
    facilitator: str | None = None,
    district: str | None = None,
) -> ws.Workshop:
    """Open a workshop for a school the viewer may use (facilitator: the viewer unless named)."""
    require_school(viewer, school)
    who = facilitator if facilitator is not None else (viewer.name or viewer.email)
    return ws.open_workshop(
        engine, school=school, round=round, framework=framework, items=items, facilitator=who, district=district
    )


def workshop_for(engine: Engine, viewer: Viewer, workshop_id: int) -> ws.Workshop:
    """A workshop the viewer may facilitate; check with this before revealing, recording or closing."""
    workshop = ws.get_workshop(engine, workshop_id)
    require_school(viewer, workshop.school)
    return workshop


def reveal(engine: Engine, viewer: Viewer, workshop_id: int, item: str, revealed: bool = True) -> None:
    """Show (or hide again) everyone's votes on one item of a workshop the viewer facilitates."""
    workshop_for(engine, viewer, workshop_id)
    ws.reveal(engine, workshop_id, item, revealed)


def record_consensus(
    engine: Engine, viewer: Viewer, workshop_id: int, item: str, level: float, rationale: str = "", evidence: str = ""
) -> None:
    """Record the team's agreed level for one item of a workshop the viewer facilitates."""
    workshop_for(engine, viewer, workshop_id)
    ws.record_consensus(engine, workshop_id, item, level, rationale, evidence)


def close_workshop(engine: Engine, viewer: Viewer, workshop_id: int) -> None:
    """Close a workshop the viewer facilitates: its join code stops working."""
    workshop_for(engine, viewer, workshop_id)
    ws.close_workshop(engine, workshop_id)


# Users (district admins and LOCAL only).


def _require_manager(viewer: Viewer) -> None:
    if not can_manage_users(viewer):
        raise AccessDenied("only a district administrator can manage users")


def list_users(engine: Engine, viewer: Viewer) -> list[StoredUser]:
    """Every user, by email."""
    _require_manager(viewer)
    return user_store.list_users(engine)


def add_user(
    engine: Engine, viewer: Viewer, email: str, role: str, *, name: str = "", schools: Iterable[str] = ()
) -> StoredUser:
    """Create a user with a role and assigned schools."""
    _require_manager(viewer)
    return user_store.add_user(engine, email, role, name=name, schools=schools)


def set_role(engine: Engine, viewer: Viewer, email: str, role: str) -> StoredUser:
    """Change a user's role."""
    _require_manager(viewer)
    return user_store.set_role(engine, email, role)


def assign_school(engine: Engine, viewer: Viewer, email: str, school: str) -> StoredUser:
    """Let a user see a school."""
    _require_manager(viewer)
    return user_store.assign_school(engine, email, school)


def unassign_school(engine: Engine, viewer: Viewer, email: str, school: str) -> StoredUser:
    """Stop a user seeing a school."""
    _require_manager(viewer)
    return user_store.unassign_school(engine, email, school)


def remove_user(engine: Engine, viewer: Viewer, email: str) -> None:
    """Delete a user."""
    _require_manager(viewer)
    user_store.remove_user(engine, email)
