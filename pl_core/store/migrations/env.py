"""Alembic environment: runs on the connection handed over in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from pl_core.store.models import Base

target_metadata = Base.metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things in place
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:  # e.g. the plain `alembic` command: use the configured database
    from pl_core.store.db import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.begin() as conn:
            run_migrations(conn)
    finally:
        engine.dispose()
else:
    run_migrations(connection)
