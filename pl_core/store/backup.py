"""Online backups of the embedded SQLite database (PostgreSQL: the pg_dump command to run instead)."""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from .db import normalise_url, storage_error, storage_problem


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]


class BackupNotSupported(Exception):
    """This database is not backed up by the app; the message says what to run instead."""


def pg_dump_command(url: str, out: str | Path) -> str:
    """The pg_dump command line that backs up a PostgreSQL database URL (password left to PGPASSWORD or ~/.pgpass)."""
    import shlex

    parsed = normalise_url(url)
    # Never echo a password into a terminal or a log: pg_dump reads it from PGPASSWORD or ~/.pgpass.
    target = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    dsn = target.render_as_string(hide_password=False)
    return f"pg_dump --format=custom --file={shlex.quote(str(out))} {shlex.quote(dsn)}"


_OS_PROBLEMS = {errno.ENOSPC: "disk-full", errno.EDQUOT: "disk-full", errno.EROFS: "read-only", errno.EIO: "io-error"}


def _backup_storage_error(exc: BaseException, out: Path):
    """A StorageError about the backup's folder when the disk is full or read-only, else None."""
    if isinstance(exc, sqlite3.Error):
        code = storage_problem(exc)
    elif isinstance(exc, OSError):
        code = _OS_PROBLEMS.get(exc.errno)
    else:
        code = None
    if code is None:
        return None
    return storage_error(code, str(out.parent), str(exc), what="the backup's folder")


def backup_database(
    url: str, out: str | Path, tables: Sequence[str] = ("schools", "responses", "workshops", "goals")
) -> BackupResult:
    """Copy a SQLite database to `out` with SQLite's online backup API, safe while the app writes to it.

    The copy is written beside `out` and renamed into place, so a failed backup never leaves a
    half-written file under the final name. PostgreSQL raises BackupNotSupported naming the
    pg_dump command to run instead.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "postgresql":
        raise BackupNotSupported(
            "PostgreSQL is backed up with pg_dump, not by pl-diag; run:\n"
            f"  {pg_dump_command(url, out)}\n"
            "(the password comes from PGPASSWORD or ~/.pgpass; restore with pg_restore)"
        )
    source_path = parsed.database
    if source_path in (None, "", ":memory:"):
        raise ValueError("an in-memory SQLite database cannot be backed up")
    source_path = Path(source_path).expanduser()
    if not source_path.is_file():
        raise FileNotFoundError(f"no SQLite database at {source_path}")
    out = Path(out).expanduser()
    if out.resolve() == source_path.resolve():
        raise ValueError("the backup file must not be the database itself")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise _backup_storage_error(exc, out) or exc from None
    os.close(fd)  # mkstemp made it 0600, which the copy keeps: it holds the staff's (pseudonymous) answers
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(temp_name)
        try:
            # One step (pages=-1) copies a consistent snapshot; WAL lets writers carry on meanwhile.
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file, no -wal beside it
            if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("the backup failed SQLite's integrity check")
            counts = {}
            for table in tables:
                try:
                    counts[table] = target.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                except sqlite3.OperationalError:  # a database not yet migrated that far
                    continue
        finally:
            target.close()
            source.close()
        os.replace(temp_name, out)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        problem = _backup_storage_error(exc, out)
        if problem is not None:
            raise problem from None
        raise
    return BackupResult(out, out.stat().st_size, counts)
