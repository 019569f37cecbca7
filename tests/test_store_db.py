"""Engines, migrations and sessions of pl_core.store, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from pl_core.store import current_revision, head_revision, make_engine, normalise_url, session_scope, upgrade
from pl_core.store.models import Base, District

TABLES = {
    "alembic_version",
    "comments",
    "districts",
    "audit_events",
    "data_version",
    "expected_staff",
    "frameworks",
    "goals",
    "import_batches",
    "join_failures",
    "milestones",
    "publication_cells",
    "publication_comments",
    "publication_members",
    "publication_state",
    "publications",
    "respondents",
    "responses",
    "rounds",
    "saved_mappings",
    "schools",
    "user_schools",
    "users",
    "workshop_items",
    "workshop_participants",
    "workshop_votes",
    "workshops",
}


def test_migrations_create_every_table_in_an_empty_database(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) == TABLES
        assert current_revision(engine) == head_revision() == "0007"
    finally:
        engine.dispose()


def test_upgrade_again_is_a_no_op(engine):
    upgrade(engine)
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) == TABLES
    assert current_revision(engine) == head_revision()


def test_models_match_the_hand_written_migration(engine):
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_sqlite_file_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        engine.dispose()


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path):
    path = tmp_path / "a.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    try:
        with engine.begin():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
        other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_sqlite_reads_do_not_hold_the_write_lock(tmp_path):
    from pl_core.store.db import reader

    path = tmp_path / "a.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    try:
        with reader(engine).connect() as conn:
            conn.execute(select(District.id)).all()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_make_engine_creates_missing_folders_for_the_sqlite_file(tmp_path):
    path = tmp_path / "deep" / "er" / "store.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    assert path.exists()


def test_make_engine_defaults_to_sqlite_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PL_DATABASE_URL", raising=False)
    engine = make_engine()
    try:
        assert engine.dialect.name == "sqlite"
        assert engine.url.database == str(tmp_path / "data" / "pl-diagnostics.db")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgres://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ],
)
def test_postgresql_urls_use_psycopg_3(url):
    assert normalise_url(url).drivername == "postgresql+psycopg"
    engine = make_engine(url)  # no connection is made until first use
    try:
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_postgresql_url_keeps_its_password():
    assert normalise_url("postgresql://u:s3cret@db/x").password == "s3cret"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql+psycopg2://u@h/db", "oracle://u@h/db"])
def test_unsupported_databases_are_rejected_with_a_hint(url):
    with pytest.raises(ValueError, match="unsupported"):
        make_engine(url)


def test_in_memory_sqlite_is_one_database_shared_by_threads():
    engine = make_engine("sqlite://")
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            session.add(District(name="Memory District"))
        seen: list[str] = []
        worker = threading.Thread(target=lambda: seen.extend(district_names(engine)))
        worker.start()
        worker.join()
        assert seen == ["Memory District"]
    finally:
        engine.dispose()


def district_names(engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.scalars(select(District.name)))


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine):
    with session_scope(engine) as session:
        session.add(District(name="Kept"))
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(District(name="Dropped"))
            session.flush()
            raise RuntimeError("boom")
    with session_scope(engine) as session:
        assert list(session.scalars(select(District.name))) == ["Kept"]


def test_migration_0007_drops_the_answers_keys_keeping_every_answer_and_its_indexes(empty_db_url):
    """A database with answers stored under 0006 keeps them all through 0007 (SQLite rebuilds the table) and
    back; only the two foreign keys of `responses` go (comments keep theirs)."""
    from types import SimpleNamespace

    import pandas as pd
    from alembic import command

    from pl_core.store import save_import
    from pl_core.store.db import _alembic_config

    engine = make_engine(empty_db_url)
    try:
        upgrade(engine, "0006")
        answers = pd.DataFrame({
            "respondent": ["k1", "k1", "k2"], "role": ["teacher"] * 3, "grade_band": [None] * 3,
            "item": ["culture", "voice", "culture"], "level": pd.array([3, None, 2], dtype="Int64"),
        })  # fmt: skip
        comments = pd.DataFrame({"respondent": ["k2"], "column": ["Notes"], "text": ["ok"]})
        report = SimpleNamespace(valid=True, file_name="f.csv", file_hash="h", format="csv", rows_read=2,
                                 respondents=2, answers=2, missing_answers=1, superseded=0)  # fmt: skip
        framework = SimpleNamespace(id="pl-test", name="PL Test", content_hash="x")
        save_import(engine, SimpleNamespace(report=report, responses=answers, comments=comments),
                    school="Oak", round="Fall 2026", framework=framework)  # fmt: skip

        def state():
            found = inspect(engine)
            with engine.connect() as conn:
                stored = conn.exec_driver_sql(
                    "SELECT batch_id, respondent_id, item, level FROM responses ORDER BY id").all()  # fmt: skip
            return (
                sorted(fk["name"] for fk in found.get_foreign_keys("responses")),
                sorted(ix["name"] for ix in found.get_indexes("responses")),
                sorted(fk["name"] for fk in found.get_foreign_keys("comments")),
                [tuple(r) for r in stored],
            )

        before = state()
        assert before[0] == ["fk_responses_batch_id_import_batches", "fk_responses_respondent_id_respondents"]
        assert before[3] == [(1, 1, "culture", 3), (1, 1, "voice", None), (1, 2, "culture", 2)]
        upgrade(engine)
        after = state()
        assert after[0] == []
        assert (
            after[1:]
            == before[1:]
            == (
                ["ix_responses_batch_id", "ix_responses_respondent_id"],
                ["fk_comments_batch_id_import_batches", "fk_comments_respondent_id_respondents"],
                before[3],
            )
        )
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0006")
        assert state() == before
    finally:
        engine.dispose()
