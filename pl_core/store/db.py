"""Engines, migrations and sessions: SQLite (embedded, WAL) or PostgreSQL via psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
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
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every checkout would see a different empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event, not the sqlite3 module, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
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
