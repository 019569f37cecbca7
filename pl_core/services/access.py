"""Who may see what: the viewer, the schools each may read and write, and the checks every service makes.

Roles are stored in the database (``users`` and ``user_schools``, migration 0003):

* ``district_admin`` — every school, and managing users;
* ``coach`` — the schools assigned to them; district views cover only those schools;
* ``principal`` — their own school(s);
* workshop participants have no account: a join code admits them to one workshop
  (``pl_core.services.workshops.join``, rate-limited there).

Without sign-in (one trusted user on a laptop) the dashboard uses ``LOCAL``: all access.
A signed-in email that is not a stored user gets no access (``viewer_for`` returns None).

Bootstrapping: the first district admin is created from the command line, e.g.
``pl-diag users add ada@district.org --role district_admin --name "Ada Lopez"``; after that
district admins manage users in the dashboard or with ``pl-diag users``.

Every service in ``pl_core.services`` checks with these functions that the viewer may use the schools
concerned and raises AccessDenied when a school is named that they may not use (never filtering it
away silently); without a school filter, results are limited to the viewer's schools. School and round
are matched by name, as everywhere in the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from ..domain.roles import COACH as COACH
from ..domain.roles import DISTRICT_ADMIN
from ..domain.roles import PRINCIPAL as PRINCIPAL
from ..domain.roles import ROLES as ROLES
from ..store import users as user_store

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


def scope(viewer: Viewer, schools: Iterable[str] | None) -> list[str] | None:
    """The school filter to query with: the named schools once checked, else the viewer's (None = all)."""
    if schools is not None:
        named = list(schools)
        for school in named:
            require_school(viewer, school)
        return named
    return None if viewer.sees_every_school else sorted(viewer.schools)
