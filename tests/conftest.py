"""Shared database fixtures: every store test runs against SQLite (a file) and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import Engine

from pl_core.store import make_engine, upgrade

POSTGRES_URL = os.environ.get("PL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_or_skip() -> None:
    """Skip when PostgreSQL is unreachable, except on CI (CI set), where that is a failure."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL at {POSTGRES_URL} is unreachable ({str(exc).strip().splitlines()[0]})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so PostgreSQL tests must run")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """URL of a fresh, empty database: a SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'pl-diagnostics.db'}"
        return
    _postgres_or_skip()
    schema = f"pl_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        # search_path sends every unqualified table, alembic_version included, into the schema.
        yield f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute("SET lock_timeout = '20s'")
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """URL of a fresh database with all migrations applied."""
    engine = make_engine(empty_db_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return empty_db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh, migrated database, disposed after the test."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
