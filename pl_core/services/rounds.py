"""Rounds: who may create one, and the check every write that names a round makes.

A round name is shared by every school of the district and a new one can become the round pages open on, so
creating one is for a coach or a district admin (and the local user), from the command line
(`pl-diag rounds add NAME`) or by importing into it. A principal adds answers to rounds that exist.
"""

from __future__ import annotations

from sqlalchemy import Engine

from .. import store
from ..domain.names import InvalidName, check_name  # noqa: F401 - re-exported
from ..domain.roles import COACH
from ..store import schools as school_store
from .access import AccessDenied, Viewer


class NewRoundNotAllowed(AccessDenied):
    """A principal named a round that does not exist; only a coach or a district admin creates rounds."""


def may_create_rounds(viewer: Viewer) -> bool:
    """Whether the viewer may create a new round: coaches, district admins and the local user."""
    return viewer.role == COACH or viewer.sees_every_school


def list_rounds(engine: Engine) -> list[str]:
    """Every round name, oldest first."""
    return store.list_rounds(engine)


def add_round(engine: Engine, viewer: Viewer, name: str, *, district: str | None = None) -> bool:
    """Create a round (coaches, district admins, local); False when a round of that name already exists."""
    if not may_create_rounds(viewer):
        raise AccessDenied(f"creating a round needs a coach or district admin; your account is {viewer.role!r}")
    name = check_name("round", name)
    return school_store.add_round(engine, name, district=district or store.default_district(engine))


def require_round(engine: Engine, viewer: Viewer, name: str) -> str:
    """The checked round name (stripped); NewRoundNotAllowed when the viewer may not create it and it is new."""
    name = check_name("round", name)
    if not may_create_rounds(viewer) and name not in store.list_rounds(engine):
        raise NewRoundNotAllowed(
            f"there is no round named {name!r}, and a principal cannot create one: ask your coach or district "
            "admin to create it (pl-diag rounds add), or choose one of the existing rounds"
        )
    return name
