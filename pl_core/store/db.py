"""Engines, migrations and sessions: SQLite (embedded, WAL) or PostgreSQL via psycopg 3."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from .. import settings

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 30
# Connections opened with this execution option start a plain (deferred) transaction on SQLite, so
# readers do not queue behind writers; everything else starts with BEGIN IMMEDIATE.
READ_ONLY = "pl_read_only"
# Any fixed number works: it only has to be the same for every process migrating one database.
_PG_MIGRATION_LOCK = 7_412_001
# The database holds staff answers (pseudonymous) and sits beside the 0600 respondent-key secret: owner only.
PRIVATE_FILE_MODE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
_UMASK_LOCK = threading.Lock()  # the umask is per process: threads opening databases take turns setting it


class StorageError(RuntimeError):
    """The database could not save (or read) for a reason outside the app: a full disk, a read-only file or server.

    The message says what happened and what to do; nothing of the failed write was kept.
    """

    def __init__(self, code: str, message: str):
        self.code = code  # "disk-full", "read-only", "io-error"
        super().__init__(message)


# SQLite result codes (sqlite3.Error.sqlite_errorname) and PostgreSQL SQLSTATEs, with what each means for the user.
_SQLITE_PROBLEMS = {"SQLITE_FULL": "disk-full", "SQLITE_READONLY": "read-only", "SQLITE_IOERR": "io-error"}
_SQLITE_MESSAGES = {
    "database or disk is full": "disk-full",
    "attempt to write a readonly database": "read-only",
    "disk i/o error": "io-error",
}
_PG_PROBLEMS = {"53100": "disk-full", "25006": "read-only", "58030": "io-error"}  # disk_full, read_only_sql_transaction


def storage_problem(error: BaseException) -> str | None:
    """The problem a database driver's error is ("disk-full", "read-only" or "io-error"), or None for any other."""
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        for prefix, code in _SQLITE_PROBLEMS.items():
            if name == prefix or name.startswith(prefix + "_"):
                return code
        message = str(error).lower()
        return next((code for text, code in _SQLITE_MESSAGES.items() if text in message), None)
    sqlstate = getattr(error, "sqlstate", None)  # psycopg 3
    return _PG_PROBLEMS.get(sqlstate) if isinstance(sqlstate, str) else None


def storage_error(code: str, where: str, detail: str, *, what: str = "the database") -> StorageError:
    """The StorageError for a problem code, naming what failed (`what` at `where`) and what to do."""
    first = detail.strip().splitlines()[0] if detail.strip() else code
    if code == "disk-full":
        advice = (
            f"the disk holding {what} ({where}) is full, so nothing was saved ({first}). "
            "Free some space on it (or ask your administrator to), then try again."
        )
    elif code == "read-only":
        advice = (
            f"{what} ({where}) is read-only, so nothing was saved ({first}). Make the file and its folder "
            "writable by the user running PL Diagnostics (on PostgreSQL: connect to the primary server, not a "
            "read-only replica), then try again."
        )
    else:
        advice = (
            f"the disk holding {what} ({where}) reported an error, so nothing was saved ({first}). "
            "Check the disk (and restore from your backup if the file is damaged), then try again."
        )
    return StorageError(code, advice[0].upper() + advice[1:])


def describe_database(url: URL) -> str:
    """Where a database is, for messages: the SQLite file, or the PostgreSQL host and database (never a password)."""
    if url.get_backend_name() == "sqlite":
        file = _sqlite_file(url)
        return str(file) if file is not None else "in memory"
    return f"{url.host or 'localhost'}/{url.database or ''}"


def normalise_url(url: str | URL) -> URL:
    """Parse a database URL, pointing plain PostgreSQL URLs at the psycopg 3 driver."""
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise ValueError(f"unsupported PostgreSQL driver {driver!r}: use postgresql+psycopg://user@host/db")
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise ValueError(f"unsupported SQLite driver {driver!r}: use sqlite:///path/to/file.db")
        return parsed
    raise ValueError(f"unsupported database {parsed.drivername!r}: use sqlite:///… or postgresql+psycopg://…")


def make_engine(url: str | URL | None = None) -> Engine:
    """Engine for `url` (default: the configured database), set up for safe concurrent writes."""
    parsed = normalise_url(url if url is not None else settings.database_url())
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    _report_storage_problems(engine, describe_database(parsed))
    return engine


def _report_storage_problems(engine: Engine, where: str) -> None:
    """Turn a full disk or a read-only database, whatever statement met it, into a StorageError saying what to do."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if context.is_pre_ping:  # a lost connection is the pool's to handle (it reconnects)
            return
        code = storage_problem(context.original_exception)
        if code is not None:
            raise storage_error(code, where, str(context.original_exception)) from context.original_exception


def _sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL (None in memory; a file: URI names it after "file:")."""
    database = url.database
    if database in (None, "", ":memory:") or "mode=memory" in database:
        return None
    if str(url.query.get("uri", "")).lower() in ("true", "1") and database.startswith("file:"):
        database = database[len("file:") :].split("?", 1)[0]
    return Path(database).expanduser()


def make_private(database: Path) -> None:
    """Owner-only modes on an existing SQLite database and its WAL, shared-memory and journal files."""
    for suffix in SQLITE_COMPANIONS:
        path = database.with_name(database.name + suffix)
        try:
            if path.exists() and (path.stat().st_mode & 0o777) != PRIVATE_FILE_MODE:
                os.chmod(path, PRIVATE_FILE_MODE)
        except OSError:  # not ours to change (another owner, a read-only disk): SQLite reports what matters
            pass


@contextmanager
def _private_umask() -> Iterator[None]:
    """Files created in the block (a new database; SQLite copies its mode to the WAL) are owner-only."""
    with _UMASK_LOCK:
        previous = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(previous)


def _sqlite_engine(url: URL) -> Engine:
    file = _sqlite_file(url)
    in_memory = file is None
    if in_memory:
        # One shared connection, or every checkout would see a different empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(file)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False})

        @event.listens_for(engine, "do_connect")
        def _connect_privately(dialect, _record, cargs, cparams):
            with _private_umask():
                return dialect.connect(*cargs, **cparams)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event, not the sqlite3 module, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                with _private_umask():  # the WAL and shared-memory files are made here, on the first connection
                    try:
                        cursor.execute("PRAGMA journal_mode = WAL")
                    except sqlite3.OperationalError as exc:
                        # A read-only database can still be read; its first write says why it cannot be saved.
                        if storage_problem(exc) != "read-only":
                            raise
                cursor.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode, much faster
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Taking the write lock up front makes writers wait (busy timeout) instead of failing with
        # "database is locked" when a read lock cannot be upgraded mid-transaction.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def reader(engine: Engine) -> Engine:
    """The same engine (same pool) with transactions that only read."""
    return engine.execution_options(**{READ_ONLY: True})


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations up to `revision` (default: the newest); safe to run again."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several app processes may start at once; let one migrate while the others wait.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(_alembic_config(conn), revision)


def data_version(engine: Engine) -> int:
    """A number that goes up with every write that changes what pages show, in any process."""
    with reader(engine).connect() as conn:
        return int(conn.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar_one())


def current_revision(engine: Engine) -> str | None:
    """The migration revision the database is at (None when it has never been migrated)."""
    with reader(engine).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest migration revision shipped with this code."""
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


@contextmanager
def session_scope(engine: Engine, *, changes_data: bool = True) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back if it raises.

    Unless `changes_data` is False (a workshop vote, which no cached figure shows), the commit also moves
    the data version on, so every app process sees that its cached reads are stale (`data_version`).
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        if changes_data:
            session.execute(text("UPDATE data_version SET version = version + 1 WHERE id = 1"))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
