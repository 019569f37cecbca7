"""Storage adapter: SQLAlchemy models, engines, Alembic migrations, saving imports and reading them back."""

from .db import current_revision, head_revision, make_engine, normalise_url, session_scope, upgrade
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
)
from .rounds import ordinal_for_new_round, round_sort_key

__all__ = [
    "ImportResult",
    "current_revision",
    "default_district",
    "list_districts",
    "head_revision",
    "import_history",
    "list_frameworks_in_use",
    "list_rounds",
    "list_schools",
    "load_comments",
    "load_responses",
    "make_engine",
    "normalise_url",
    "ordinal_for_new_round",
    "round_sort_key",
    "save_import",
    "session_scope",
    "upgrade",
]
from .goals import delete_goal, get_goal, list_goals, measurements, restore_goal, save_goal, set_milestone_done
from .rounds import round_date

__all__ += [
    "delete_goal",
    "get_goal",
    "list_goals",
    "measurements",
    "restore_goal",
    "round_date",
    "save_goal",
    "set_milestone_done",
]
