"""Managing what was imported: undo an import, delete a school's round, rename or merge a school.

Each is checked against the viewer's schools and role, done in one transaction with the round's figures
decided again (pl_core.services.releases), and kept in the audit trail with who and when.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from ..domain.names import InvalidName, check_name  # noqa: F401 - InvalidName re-exported
from ..domain.roles import COACH
from ..frameworks import Framework, load_framework
from ..store import schools as school_store
from ..store.integrity import MisplacedAnswers  # noqa: F401 - re-exported: the Manage page says it
from ..store.schools import ManageError  # noqa: F401 - re-exported
from .access import Viewer, require_role, require_school
from .releases import publisher


def _actor(viewer: Viewer) -> str:
    return viewer.email or viewer.name


def _publish_any(conn, school_id: int, round_id: int, framework_id: str) -> None:
    publisher(load_framework(framework_id))(conn, school_id, round_id, framework_id)


def undo_import(engine: Engine, viewer: Viewer, batch_id: int) -> int | None:
    """Undo an import of one of the viewer's schools; the import it replaced (if any) counts again."""
    found = school_store.batch_school(engine, batch_id)
    if found is None:
        raise ManageError("unknown-batch", f"there is no import #{batch_id}")
    require_school(viewer, found[0])
    return school_store.undo_import(engine, batch_id, actor=_actor(viewer), publish=_publish_any)


def delete_round(engine: Engine, viewer: Viewer, *, school: str, round: str, framework: Framework) -> int:
    """Stop counting a school's answers for a round (kept, marked deleted, in the audit trail)."""
    require_school(viewer, school)
    return school_store.delete_round(
        engine, school, round, framework.id, actor=_actor(viewer), publish=publisher(framework)
    )


def rename_school(engine: Engine, viewer: Viewer, old: str, new: str) -> None:
    """Give one of the viewer's schools another name (e.g. a mistyped one)."""
    require_school(viewer, old)
    school_store.rename_school(engine, old, check_name("school", new), actor=_actor(viewer))


def merge_schools(engine: Engine, viewer: Viewer, source: str, target: str) -> int:
    """Move everything of `source` into `target` (a coach's or district admin's action, on their schools)."""
    require_role(viewer, COACH)
    require_school(viewer, source)
    require_school(viewer, target)
    return school_store.merge_schools(engine, source, target, actor=_actor(viewer), publish=_publish_any)


def audit_trail(engine: Engine, viewer: Viewer, *, school: str | None = None) -> pd.DataFrame:
    """Who changed imported data, what and when, for the viewer's schools (newest first)."""
    if school is not None:
        require_school(viewer, school)
    events = school_store.audit_events(engine, school=school)
    if viewer.sees_every_school:
        return events
    return events[events["school"].isin(viewer.schools)].reset_index(drop=True)
