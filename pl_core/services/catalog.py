"""Engines and pick lists: the schools, rounds and frameworks a viewer can choose, and sensible defaults."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from .. import settings, store
from ..domain.rounds import round_sort_key
from ..store.backup import BackupNotSupported, BackupResult, backup_database  # noqa: F401 - re-exported
from ..store.db import (
    StorageError,  # noqa: F401 - re-exported: pages and the CLI show its message
    reader,
)
from ..store.integrity import Misplaced
from ..store.integrity import misplaced_answers as store_misplaced
from .access import Viewer, allowed_schools, require_school


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened or migrated; the message says what was tried, never a traceback."""


def open_engine(url: str | URL | None = None) -> Engine:
    """An engine on `url` (default: the configured database), migrated to the newest schema.

    A database already at the newest schema is not written to here, so a read-only one still opens for reading.
    """
    try:
        engine = store.make_engine(url if url is not None else settings.database_url())
        if store.current_revision(engine) != store.head_revision():
            store.upgrade(engine)
    except StorageError as exc:  # already says what to do
        raise DatabaseUnavailable(f"cannot open the database: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure here is the URL, the server or the disk
        first = f"{exc.__class__.__name__}: {exc}".splitlines()[0]
        raise DatabaseUnavailable(f"cannot open the database: {first}") from None
    return engine


def schema_revision(engine: Engine) -> tuple[str | None, str]:
    """(the revision the database is at, the newest revision this code ships)."""
    return store.current_revision(engine), store.head_revision()


def misplaced_answers(engine: Engine) -> Misplaced:
    """Stored answers that point at no import batch or respondent, or at a person of another school (0, 0, 0
    unless something wrote around the import, whose own check would have refused it)."""
    with reader(engine).connect() as conn:
        return store_misplaced(conn)


def data_version(engine: Engine) -> int:
    """Goes up with every write that changes what pages show, in any app process: part of every cache key."""
    return store.data_version(engine)


def list_schools(engine: Engine, viewer: Viewer) -> list[str]:
    """The known schools the viewer may see, alphabetically."""
    return allowed_schools(viewer, store.list_schools(engine))


def list_rounds(engine: Engine) -> list[str]:
    """Every round name in chronological order (round names are shared by the district's schools)."""
    return store.list_rounds(engine)


def frameworks_in_use(engine: Engine) -> list[str]:
    """Ids of the frameworks with at least one stored import."""
    return store.list_frameworks_in_use(engine)


def rounds_with_data(engine: Engine, viewer: Viewer, framework_id: str, school: str) -> list[str]:
    """The rounds in which `school` has stored staff answers on the framework, oldest first."""
    require_school(viewer, school)
    history = store.import_history(engine, school=school)
    active = history[(history["framework"] == framework_id) & (history["status"] == "active")]
    with_data = set(active["round"])
    return [r for r in store.list_rounds(engine) if r in with_data]


def rounds_with_data_by_school(engine: Engine, viewer: Viewer, framework_id: str) -> dict[str, list[str]]:
    """Each of the viewer's schools with stored staff answers on the framework, and those rounds, oldest first."""
    history = store.import_history(engine)
    active = history[(history["framework"] == framework_id) & (history["status"] == "active")]
    allowed = set(allowed_schools(viewer, sorted(set(active["school"]))))
    order = {name: i for i, name in enumerate(store.list_rounds(engine))}
    found: dict[str, list[str]] = {}
    for school, rounds in active.groupby("school")["round"]:
        if school in allowed:
            found[school] = sorted(set(rounds), key=lambda r: order.get(r, len(order)))
    return dict(sorted(found.items()))


def default_round(engine: Engine, viewer: Viewer, framework_id: str, school: str) -> str | None:
    """The round a page should open on for `school`: its latest round with staff answers, else the newest round."""
    with_data = rounds_with_data(engine, viewer, framework_id, school)
    if with_data:
        return with_data[-1]
    rounds = store.list_rounds(engine)
    return rounds[-1] if rounds else None


def round_order_key(name: str) -> tuple:
    """A sort key that puts recognisable round names (Fall 2025, Spring 2026) in time order."""
    key = round_sort_key(name)
    return (0, *key) if key is not None else (1, name)


def backup(url: str | None, out) -> BackupResult:
    """An online copy of the embedded SQLite database at `out` (PostgreSQL raises BackupNotSupported with pg_dump)."""
    return backup_database(url or settings.database_url(), out)
