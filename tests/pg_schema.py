"""A throwaway PostgreSQL schema for a test: on CI (CI set) an unreachable server is a failure, not a skip."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
import pytest

POSTGRES_URL = os.environ.get("PL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_or_skip() -> None:
    """Skip when PostgreSQL is unreachable, except on CI (CI set), where that is a failure."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL at {POSTGRES_URL} is unreachable ({str(exc).strip().splitlines()[0]})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so PostgreSQL tests must run")
    pytest.skip(reason)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """URL of a fresh, empty schema (dropped afterwards); search_path sends every table into it."""
    postgres_or_skip()
    schema = f"pl_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute("SET lock_timeout = '20s'")
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
