"""Cached reads for the pages. Caching lives here, around `pl_core` calls, never inside `pl_core`.

Every write goes through `after_write()`, which clears the read caches so the next run sees it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pl_core import scoring, settings, store
from pl_core.frameworks import Framework, list_frameworks, load_framework


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


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def schools() -> list[str]:
    return store.list_schools(engine())


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def rounds() -> list[str]:
    return store.list_rounds(engine())


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def frameworks_in_use() -> list[str]:
    return store.list_frameworks_in_use(engine())


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def responses(framework_id: str, schools: tuple[str, ...] | None = None) -> pd.DataFrame:
    return store.load_responses(engine(), framework_id, schools=list(schools) if schools else None)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def item_scores(
    framework_id: str,
    schools: tuple[str, ...] | None = None,
    by: tuple[str, ...] = scoring.DEFAULT_KEYS,
    min_group: int | None = None,
) -> pd.DataFrame:
    return scoring.score_items(responses(framework_id, schools), framework(framework_id), by=by, min_group=min_group)


def min_group_size() -> int:
    return settings.get("min_group_size")


def after_write() -> None:
    """Clear every cached read after a write, so no page shows stale data."""
    st.cache_data.clear()


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def respondent_count(framework_id: str, school: str, round_name: str) -> int:
    frame = responses(framework_id, (school,))
    answered = frame[(frame["round"] == round_name) & frame["level"].notna()]
    return int(answered["respondent"].nunique())


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def leadership(framework_id: str, school: str | None = None, round_name: str | None = None) -> pd.DataFrame:
    """Leadership consensus per item (school, round, item, level) from workshops."""
    from pl_core import workshop

    return workshop.leadership_ratings(
        engine(), framework_id, schools=[school] if school else None, rounds=[round_name] if round_name else None
    )
