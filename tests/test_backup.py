"""`pl-diag backup`: SQLite's online backup while the app writes; PostgreSQL gets the pg_dump command instead."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading

import pytest
from test_export import seed

from pl_core import store
from pl_core.cli import main as cli_main
from pl_core.domain import goals as g
from pl_core.store import backup
from pl_core.store import goals as goal_store


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'live' / 'pl.db'}"
    engine = store.make_engine(url)
    store.upgrade(engine)
    seed(engine)
    engine.dispose()
    return url


def count(path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_backup_while_another_thread_writes_holds_every_committed_row(sqlite_url, tmp_path):
    engine = store.make_engine(sqlite_url)
    responses = count(store.normalise_url(sqlite_url).database, "responses")
    stop, written, errors = threading.Event(), [], []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                written.append(
                    goal_store.save_goal(
                        engine,
                        g.Goal(
                            school="Writer School",
                            framework_id="dps-driver-model",
                            item_id="culture",
                            baseline_level=1.0,
                            target_level=2.0,
                            start_date=dt.date(2026, 9, 1),
                            target_date=dt.date(2027, 6, 1),
                            title=f"goal {len(written)}",
                        ),
                    )
                )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:  # the backup starts with the writer in full flow
            stop.wait(0.01)
        before = len(written)
        results = [backup.backup_database(sqlite_url, tmp_path / f"backup-{i}.db") for i in range(3)]
        after = len(written)
    finally:
        stop.set()
        writer.join()
        engine.dispose()
    assert errors == []
    assert after > before, "the writer kept writing while the backups ran"
    for result in results:
        assert result.tables["responses"] == responses == 45
        # Goals committed before the backup began are all in it; those after may or may not be.
        goals = count(result.path, "goals")
        assert 1 + before <= goals <= 1 + len(written)
        assert result.tables["goals"] == goals
        with sqlite3.connect(result.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert not list(tmp_path.glob(".backup-*.tmp")), "temporary files are renamed or removed"


def test_backup_opens_as_a_database_the_app_can_read(sqlite_url, tmp_path):
    result = backup.backup_database(sqlite_url, tmp_path / "copy.db")
    assert stat.S_IMODE(os.stat(result.path).st_mode) == 0o600
    engine = store.make_engine(f"sqlite:///{result.path}")
    try:
        assert store.current_revision(engine) == store.head_revision()
        assert len(store.load_responses(engine, "dps-driver-model")) == 45
        assert len(goal_store.list_goals(engine)) == 1
    finally:
        engine.dispose()


def test_cli_backup_reports_what_it_copied(sqlite_url, tmp_path, capsys):
    out = tmp_path / "nightly.db"
    assert cli_main(["backup", "--out", str(out), "--db", sqlite_url]) == 0
    printed = capsys.readouterr().out
    assert f"backed up to {out}" in printed and "45 responses" in printed and "1 goals" in printed
    assert count(out, "responses") == 45


def test_postgresql_gets_the_pg_dump_command_without_the_password_and_a_failure_status(tmp_path, capsys):
    out = tmp_path / "pl.dump"
    url = "postgresql+psycopg://pl:s3cret@db.internal:5432/pl"
    assert cli_main(["backup", "--out", str(out), "--db", url]) == 1
    err = capsys.readouterr().err
    assert f"pg_dump --format=custom --file={out} postgresql://pl@db.internal:5432/pl" in err
    assert "s3cret" not in err
    assert not out.exists()


def test_pg_dump_command_quotes_for_the_shell():
    command = backup.pg_dump_command("postgresql://pl@db/pl?sslmode=require", "my backup.dump")
    assert command == "pg_dump --format=custom --file='my backup.dump' 'postgresql://pl@db/pl?sslmode=require'"


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("sqlite:///{tmp}/absent.db", "no SQLite database at"),
        ("sqlite://", "in-memory"),
        ("mysql://x@y/z", "unsupported database"),
    ],
)
def test_cli_backup_refuses_what_it_cannot_copy(tmp_path, capsys, db, message):
    code = cli_main(["backup", "--out", str(tmp_path / "b.db"), "--db", db.replace("{tmp}", str(tmp_path))])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()


def test_backup_onto_the_database_itself_is_refused(sqlite_url, capsys):
    path = store.normalise_url(sqlite_url).database
    assert cli_main(["backup", "--out", path, "--db", sqlite_url]) == 2
    assert "must not be the database itself" in capsys.readouterr().err
    assert count(path, "responses") == 45
