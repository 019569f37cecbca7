"""Storing users: email (case-folded), display name, role and assigned schools.

Schools are assigned by name, as everything else in the app selects schools by name; when
two districts have a school of the same name, the user is assigned to both.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from ..domain.roles import COACH, DISTRICT_ADMIN, PRINCIPAL, ROLES  # noqa: F401 - re-exported
from .db import reader, session_scope
from .models import School, User, UserSchool, utc_now


@dataclass(frozen=True)
class StoredUser:
    email: str
    name: str
    role: str
    schools: tuple[str, ...]  # alphabetical
    created_at: datetime
    updated_at: datetime


class UserError(ValueError):
    """A user change that cannot be made; `code` is a short id such as "unknown-user"."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def normalise_email(email: str) -> str:
    """An email as stored and compared: trimmed and case-folded."""
    return str(email).strip().casefold()


EMAIL_MAX_CHARS, NAME_MAX_CHARS = 320, 200  # as stored


def _check_email(email: str) -> str:
    key = normalise_email(email)
    if len(key) > EMAIL_MAX_CHARS:
        raise UserError("invalid-email", f"an email address has at most {EMAIL_MAX_CHARS} characters, not {len(key):,}")
    local, at, domain = key.partition("@")
    if not local or not at or "." not in domain or any(ch.isspace() for ch in key):
        raise UserError("invalid-email", f"{email!r} is not an email address")
    return key


def _display_name(name: str) -> str:
    display = " ".join(str(name).split())
    if len(display) > NAME_MAX_CHARS:
        raise UserError("name-too-long", f"a name has at most {NAME_MAX_CHARS} characters, not {len(display):,}")
    return display


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError("unknown-role", f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value  # SQLite drops the zone; stored in UTC


def _user_id(conn: Connection, email: str) -> int:
    user_id = conn.execute(select(User.id).where(User.email == normalise_email(email))).scalar_one_or_none()
    if user_id is None:
        raise UserError("unknown-user", f"there is no user {normalise_email(email)!r}")
    return user_id


def _school_ids(conn: Connection, school: str) -> list[int]:
    ids = list(conn.execute(select(School.id).where(School.name == school)).scalars())
    if not ids:
        known = list(conn.execute(select(School.name).distinct()).scalars())
        close = difflib.get_close_matches(school, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else "; import data for it first"
        raise UserError("unknown-school", f"there is no school named {school!r}{hint}")
    return ids


def _admins(conn: Connection) -> int:
    # Locked, so two admins demoting each other at once on PostgreSQL cannot both succeed.
    return len(conn.execute(select(User.id).where(User.role == DISTRICT_ADMIN).with_for_update()).all())


def _keep_an_admin(conn: Connection, user_id: int) -> None:
    """Refuse to demote or remove the last district admin, who alone can manage users from the dashboard."""
    role = conn.execute(select(User.role).where(User.id == user_id)).scalar_one()
    if role == DISTRICT_ADMIN and _admins(conn) <= 1:
        raise UserError("last-admin", "this is the last district admin: add another one first")


def _touch(conn: Connection, user_id: int, **values) -> None:
    conn.execute(update(User).where(User.id == user_id).values(updated_at=utc_now(), **values))


def add_user(engine: Engine, email: str, role: str, *, name: str = "", schools: Iterable[str] = ()) -> StoredUser:
    """Create a user with a role and (for coaches and principals) the schools they may see."""
    key = _check_email(email)
    _check_role(role)
    now = utc_now()
    try:
        with session_scope(engine) as session:
            conn = session.connection()
            user_id = conn.execute(
                User.__table__.insert()
                .values(email=key, name=_display_name(name), role=role, created_at=now, updated_at=now)
                .returning(User.id)
            ).scalar_one()
            for school in dict.fromkeys(schools):
                _link(conn, user_id, school)
    except IntegrityError:
        raise UserError("user-exists", f"{key!r} is already a user") from None
    return get_user(engine, key)  # type: ignore[return-value]


def _link(conn: Connection, user_id: int, school: str) -> None:
    linked = set(conn.execute(select(UserSchool.school_id).where(UserSchool.user_id == user_id)).scalars())
    rows = [{"user_id": user_id, "school_id": i} for i in _school_ids(conn, school) if i not in linked]
    if rows:
        conn.execute(UserSchool.__table__.insert(), rows)


def get_user(engine: Engine, email: str) -> StoredUser | None:
    """The user with this email (any case), or None."""
    found = _read(engine, User.email == normalise_email(email))
    return found[0] if found else None


def list_users(engine: Engine) -> list[StoredUser]:
    """Every user, by email."""
    return _read(engine)


def _read(engine: Engine, *conditions) -> list[StoredUser]:
    with reader(engine).connect() as conn:
        users = conn.execute(select(User).where(*conditions).order_by(User.email)).all()
        links = conn.execute(
            select(UserSchool.user_id, School.name)
            .join(School, School.id == UserSchool.school_id)
            .where(UserSchool.user_id.in_([u.id for u in users]))
        ).all()
    schools: dict[int, set[str]] = {}
    for link in links:
        schools.setdefault(link.user_id, set()).add(link.name)
    return [
        StoredUser(
            email=u.email,
            name=u.name,
            role=u.role,
            schools=tuple(sorted(schools.get(u.id, ()))),
            created_at=_aware(u.created_at),
            updated_at=_aware(u.updated_at),
        )
        for u in users
    ]


def set_role(engine: Engine, email: str, role: str) -> StoredUser:
    """Change a user's role (the last district admin cannot be demoted)."""
    _check_role(role)
    with session_scope(engine) as session:
        conn = session.connection()
        user_id = _user_id(conn, email)
        if role != DISTRICT_ADMIN:
            _keep_an_admin(conn, user_id)
        _touch(conn, user_id, role=role)
    return get_user(engine, email)  # type: ignore[return-value]


def set_name(engine: Engine, email: str, name: str) -> StoredUser:
    """Change a user's display name."""
    with session_scope(engine) as session:
        conn = session.connection()
        _touch(conn, _user_id(conn, email), name=_display_name(name))
    return get_user(engine, email)  # type: ignore[return-value]


def assign_school(engine: Engine, email: str, school: str) -> StoredUser:
    """Let a user see a school (no change if they already can)."""
    with session_scope(engine) as session:
        conn = session.connection()
        user_id = _user_id(conn, email)
        _link(conn, user_id, school)
        _touch(conn, user_id)
    return get_user(engine, email)  # type: ignore[return-value]


def unassign_school(engine: Engine, email: str, school: str) -> StoredUser:
    """Stop a user seeing a school; UserError("not-assigned") if they were not assigned to it."""
    with session_scope(engine) as session:
        conn = session.connection()
        user_id = _user_id(conn, email)
        ids = select(School.id).where(School.name == school).scalar_subquery()
        done = conn.execute(
            delete(UserSchool).where(UserSchool.user_id == user_id, UserSchool.school_id.in_(ids))
        ).rowcount
        if not done:
            raise UserError("not-assigned", f"{normalise_email(email)!r} is not assigned to {school!r}")
        _touch(conn, user_id)
    return get_user(engine, email)  # type: ignore[return-value]


def remove_user(engine: Engine, email: str) -> None:
    """Delete a user and their school assignments (the last district admin cannot be removed)."""
    with session_scope(engine) as session:
        conn = session.connection()
        user_id = _user_id(conn, email)
        _keep_an_admin(conn, user_id)
        conn.execute(delete(UserSchool).where(UserSchool.user_id == user_id))
        conn.execute(delete(User).where(User.id == user_id))
