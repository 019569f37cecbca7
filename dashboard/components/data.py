"""Cached reads for the pages. Caching lives here, around `pl_core` calls, never inside `pl_core`.

Every write goes through `after_write()`, which clears the read caches so the next run sees it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pl_core import auth, scoring, settings, store
from pl_core.frameworks import Framework, list_frameworks, load_framework

VIEWER_KEY = "access_viewer"


def current_viewer() -> auth.Viewer:
    """Who is asking, as app.py found out this run; reads fail closed when nobody is known."""
    viewer = st.session_state.get(VIEWER_KEY)
    if viewer is None:
        raise auth.AccessDenied("sign in first")
    return viewer


@st.cache_resource(show_spinner=False)
def engine():
    """One engine per process, migrated to the latest schema on first use."""
    eng = store.make_engine(settings.database_url())
    store.upgrade(eng)
    return eng


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def frameworks() -> dict[str, str]:
    return {fw.id: fw.short_name for fw in list_frameworks()}


def framework(framework_id: str) -> Framework:
    return load_framework(framework_id)  # the loader caches by path and modification time


def schools() -> list[str]:
    """The schools the current viewer may see."""
    return _schools(current_viewer())


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _schools(viewer: auth.Viewer) -> list[str]:
    return auth.list_schools(engine(), viewer)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def rounds() -> list[str]:
    return store.list_rounds(engine())


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def frameworks_in_use() -> list[str]:
    return store.list_frameworks_in_use(engine())


def responses(framework_id: str, schools: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Stored answers to compute aggregates from (never to display), for the viewer's schools."""
    return _responses(current_viewer(), framework_id, schools)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _responses(viewer: auth.Viewer, framework_id: str, schools: tuple[str, ...] | None) -> pd.DataFrame:
    return auth.responses(engine(), viewer, framework_id, schools=list(schools) if schools else None)


def item_scores(
    framework_id: str,
    schools: tuple[str, ...] | None = None,
    by: tuple[str, ...] = scoring.DEFAULT_KEYS,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Item scores for the viewer's schools; breakdowns by role or grade band come suppressed (pl_core.privacy)."""
    return _item_scores(current_viewer(), framework_id, schools, tuple(by), min_group)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _item_scores(
    viewer: auth.Viewer, framework_id: str, schools: tuple[str, ...] | None, by: tuple[str, ...], min_group: int | None
) -> pd.DataFrame:
    return auth.item_scores(
        engine(),
        viewer,
        framework(framework_id),
        schools=list(schools) if schools else None,
        by=by,
        min_group=min_group,
    )


def min_group_size() -> int:
    return settings.get("min_group_size")


def after_write() -> None:
    """Clear every cached read after a write, so no page shows stale data."""
    st.cache_data.clear()


def respondent_count(framework_id: str, school: str, round_name: str) -> int:
    frame = responses(framework_id, (school,))
    answered = frame[(frame["round"] == round_name) & frame["level"].notna()]
    return int(answered["respondent"].nunique())


def leadership(framework_id: str, school: str | None = None, round_name: str | None = None) -> pd.DataFrame:
    """Leadership consensus per item (school, round, item, level) from workshops, for the viewer's schools."""
    return _leadership(current_viewer(), framework_id, school, round_name)


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def _leadership(viewer: auth.Viewer, framework_id: str, school: str | None, round_name: str | None) -> pd.DataFrame:
    return auth.leadership(
        engine(),
        viewer,
        framework_id,
        schools=[school] if school else None,
        rounds=[round_name] if round_name else None,
    )


def comments(framework_id: str, school: str, round_name: str) -> pd.DataFrame:
    """Staff comments as bare text, and only when enough staff responded (pl_core.privacy)."""
    return _comments(current_viewer(), framework_id, school, round_name)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _comments(viewer: auth.Viewer, framework_id: str, school: str, round_name: str) -> pd.DataFrame:
    return auth.comments(engine(), viewer, framework_id, school=school, round=round_name)
