"""Cached reads for the pages. Caching lives here, around `pl_core.services` calls, never inside `pl_core`.

Every read is keyed by the viewer, so one person's cached figures never reach another. Every write
goes through `after_write()`, which clears the read caches so the next run sees it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pl_core.domain.summary import SchoolSummary
from pl_core.frameworks import Framework, list_frameworks, load_framework
from pl_core.services import access, catalog, imports, scores
from pl_core.services import district as district_service
from pl_core.services import workshops as workshop_service

VIEWER_KEY = "access_viewer"


def current_viewer() -> access.Viewer:
    """Who is asking, as app.py found out this run; reads fail closed when nobody is known."""
    viewer = st.session_state.get(VIEWER_KEY)
    if viewer is None:
        raise access.AccessDenied("sign in first")
    return viewer


@st.cache_resource(show_spinner=False)
def engine():
    """One engine per process, migrated to the latest schema on first use."""
    return catalog.open_engine()


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def frameworks() -> dict[str, str]:
    return {fw.id: fw.short_name for fw in list_frameworks()}


def framework(framework_id: str) -> Framework:
    return load_framework(framework_id)  # the loader caches by path and modification time


def schools() -> list[str]:
    """The schools the current viewer may see."""
    return _schools(current_viewer())


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _schools(viewer: access.Viewer) -> list[str]:
    return catalog.list_schools(engine(), viewer)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def rounds() -> list[str]:
    return catalog.list_rounds(engine())


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def frameworks_in_use() -> list[str]:
    return catalog.frameworks_in_use(engine())


def rounds_with_data(framework_id: str) -> dict[str, list[str]]:
    """The viewer's schools with staff answers on the framework, each with its rounds with answers, oldest first."""
    return _rounds_with_data(current_viewer(), framework_id)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _rounds_with_data(viewer: access.Viewer, framework_id: str) -> dict[str, list[str]]:
    return catalog.rounds_with_data_by_school(engine(), viewer, framework_id)


def default_round(framework_id: str, school: str) -> str | None:
    """The round a page opens on for `school`: its latest round with staff answers."""
    return _default_round(current_viewer(), framework_id, school)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def _default_round(viewer: access.Viewer, framework_id: str, school: str) -> str | None:
    return catalog.default_round(engine(), viewer, framework_id, school)


def school_scores(framework_id: str, school: str) -> pd.DataFrame:
    """Whole-school scores of one school in every round (published figures)."""
    return _school_scores(current_viewer(), framework_id, school)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _school_scores(viewer: access.Viewer, framework_id: str, school: str) -> pd.DataFrame:
    return scores.school_scores(engine(), viewer, framework(framework_id), school)


def breakdown(framework_id: str, school: str, round_name: str, by: str) -> pd.DataFrame:
    """Scores of one school and round by role or grade band; hidden groups blank and `suppressed`."""
    return _breakdown(current_viewer(), framework_id, school, round_name, by)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _breakdown(viewer: access.Viewer, framework_id: str, school: str, round_name: str, by: str) -> pd.DataFrame:
    return scores.breakdown_scores(engine(), viewer, framework(framework_id), school, round_name, by)


def district_scores(framework_id: str) -> pd.DataFrame:
    """Whole-school scores of every school the viewer may see, every round."""
    return _district_scores(current_viewer(), framework_id)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _district_scores(viewer: access.Viewer, framework_id: str) -> pd.DataFrame:
    return scores.district_scores(engine(), viewer, framework(framework_id))


def district_reference(framework_id: str) -> pd.DataFrame | None:
    """The district's pooled mean per round x item (`ref`), or None when too few schools have figures."""
    return _district_reference(current_viewer(), framework_id)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _district_reference(viewer: access.Viewer, framework_id: str) -> pd.DataFrame | None:
    return scores.district_reference(engine(), viewer, framework(framework_id))


def summary(framework_id: str, school: str, round_name: str) -> SchoolSummary:
    """The school's headline figures for the round (the same as the report's)."""
    return _summary(current_viewer(), framework_id, school, round_name)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _summary(viewer: access.Viewer, framework_id: str, school: str, round_name: str) -> SchoolSummary:
    return scores.school_summary(engine(), viewer, framework(framework_id), school, round_name)


_seen_version: list[int] = []  # the data version this process's caches were filled at


def refresh_if_changed() -> None:
    """Drop every cached read when any app process (a replica) or the CLI has written since: called each run.

    One tiny query per run (pl_core.services.catalog.data_version) keeps replicas on one database in step,
    and a write through this process clears its caches at once (`after_write`).
    """
    version = catalog.data_version(engine())
    if _seen_version and _seen_version[0] != version:
        st.cache_data.clear()
    _seen_version[:] = [version]


def min_group_size() -> int:
    return scores.min_group_size()


def after_write() -> None:
    """Clear every cached read after a write, so no page shows stale data."""
    st.cache_data.clear()


def leadership(framework_id: str, school: str | None = None, round_name: str | None = None) -> pd.DataFrame:
    """Leadership consensus per item (school, round, item, level) from workshops, for the viewer's schools."""
    return _leadership(current_viewer(), framework_id, school, round_name)


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def _leadership(viewer: access.Viewer, framework_id: str, school: str | None, round_name: str | None) -> pd.DataFrame:
    return workshop_service.leadership(
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
def _comments(viewer: access.Viewer, framework_id: str, school: str, round_name: str) -> pd.DataFrame:
    return scores.comments(engine(), viewer, framework(framework_id), school, round_name)


def district_view(framework_id: str, round_name: str, today) -> district_service.DistrictView:
    """Every school the viewer may see in one round: scores, ranking, growth, leadership gaps, goals."""
    return _district_view(current_viewer(), framework_id, round_name, today, tuple(rounds()))


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _district_view(viewer: access.Viewer, framework_id: str, round_name: str, today, all_rounds: tuple[str, ...]):
    return district_service.district_view(engine(), viewer, framework(framework_id), round_name, today, all_rounds)


def expected_staff(round_name: str) -> dict[str, int]:
    """{school: expected staff count} entered for the round, for the viewer's schools."""
    return _expected_staff(current_viewer(), round_name)


@st.cache_data(ttl=300, max_entries=32, show_spinner=False)
def _expected_staff(viewer: access.Viewer, round_name: str) -> dict[str, int]:
    return imports.expected_staff_by_school(engine(), viewer, round=round_name, schools=schools())
