"""Shared database fixtures: every store test runs against SQLite (a file) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg_schema import postgres_schema
from sqlalchemy import Engine

from pl_core.store import make_engine, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """URL of a fresh, empty database: a SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'pl-diagnostics.db'}"
        return
    with postgres_schema() as url:
        yield url


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
