"""Storage adapter: SQLAlchemy models, engines, Alembic migrations, saving imports and reading them back.

Only pl_core.services (and the fixtures that build sample data) call this package; pages, reports,
exports and the command line go through the services.
"""

from .db import current_revision, data_version, head_revision, make_engine, normalise_url, session_scope, upgrade
from .imports import ImportResult, save_import
from .queries import (
    default_district,
    import_history,
    list_districts,
    list_frameworks_in_use,
    list_rounds,
    list_schools,
    load_comments,
    load_responses,
    round_dates,
)

__all__ = [
    "ImportResult",
    "current_revision",
    "data_version",
    "default_district",
    "head_revision",
    "import_history",
    "list_districts",
    "list_frameworks_in_use",
    "list_rounds",
    "list_schools",
    "load_comments",
    "load_responses",
    "make_engine",
    "normalise_url",
    "round_dates",
    "save_import",
    "session_scope",
    "upgrade",
]
