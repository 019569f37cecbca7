"""Managing who may sign in: district administrators (and the local user) only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine

from ..store import users as user_store
from ..store.users import StoredUser, UserError  # noqa: F401 - re-exported for callers
from .access import AccessDenied, Viewer, can_manage_users


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


def normalise_email(email: str) -> str:
    """An email as stored and compared."""
    return user_store.normalise_email(email)
