"""Published figures: whole-school scores, breakdowns by role or grade band, district scores, comments, summaries.

Every figure any page, report, export or command shows is read here: level counts from the store,
cleared by pl_core.privacy, scored by pl_core.scoring.score_counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from .. import privacy, scoring, store
from ..domain.summary import SchoolSummary, summarise_school
from ..frameworks import Framework
from ..store import counts as count_store
from ..store import schools as school_store
from .access import Viewer, require_school, scope
from .workshops import leadership

level_numbers = scoring.level_numbers  # every level of the framework's scales, for callers laying out counts
MIN_DISTRICT_SCHOOLS = 3  # a district figure needs this many schools, or it tells a principal about one other school


def min_group_size() -> int:
    """The smallest group whose figures are shown (PL_MIN_GROUP_SIZE, default 5)."""
    return privacy.min_group_size()


def _wide_counts(long: pd.DataFrame, people: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Long (school, round, item, level, answers) counts as one row per school x round x item with count_<k>."""
    keys = ["school", "round", "item"]
    levels = scoring.level_numbers(framework)
    count_cols = [f"count_{k}" for k in levels]
    if long.empty:
        return pd.DataFrame(columns=[*keys, "respondents", "missing", *count_cols])
    answered = long[long["level"].notna()]
    wide = answered.pivot_table(index=keys, columns="level", values="answers", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=levels, fill_value=0)
    wide.columns = count_cols
    missing = long[long["level"].isna()].groupby(keys)["answers"].sum()
    index = wide.index.union(missing.index)
    wide = wide.reindex(index, fill_value=0)
    wide["missing"] = missing.reindex(index, fill_value=0)
    wide["respondents"] = people.set_index(keys)["people"].reindex(index).fillna(0)
    return wide.reset_index()[[*keys, "respondents", "missing", *count_cols]]


def _counts(engine: Engine, framework: Framework, schools, rounds) -> pd.DataFrame:
    long, people = count_store.level_counts(engine, framework.id, schools=schools, rounds=rounds)
    return _wide_counts(long, people, framework)


def whole_school_scores(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Whole-school item scores per school x round x item, of `schools` (default: every school the viewer may see)."""
    return scoring.score_counts(_counts(engine, framework, scope(viewer, schools), rounds), framework)


def school_scores(
    engine: Engine, viewer: Viewer, framework: Framework, school: str, *, rounds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Whole-school item scores of one school, one row per round x item (every round unless narrowed)."""
    return whole_school_scores(engine, viewer, framework, schools=[school], rounds=rounds)


def breakdown_scores(
    engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str, by: str
) -> pd.DataFrame:
    """Item scores of one school and round by role or grade band; hidden groups come blank with `suppressed`."""
    if by not in scoring.BREAKDOWNS:
        raise ValueError(f"break down by one of {', '.join(scoring.BREAKDOWNS)}, not {by!r}")
    require_school(viewer, school)
    rows = store.load_responses(engine, framework.id, schools=[school], rounds=[round])
    scores = scoring.score_items(rows, framework, by=("school", "round", by))
    whole = scoring.score_items(rows, framework)
    return privacy.suppress_breakdown(scores, by, privacy.min_group_size(), whole)


def district_scores(
    engine: Engine, viewer: Viewer, framework: Framework, *, rounds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Whole-school item scores of every school the viewer may see; cells under the threshold come blank."""
    counts = _counts(engine, framework, scope(viewer, None), rounds)
    counts["suppressed"] = counts[[c for c in counts if c.startswith("count_")]].sum(axis=1) < privacy.min_group_size()
    return scoring.score_counts(counts, framework)


def district_reference(
    engine: Engine, viewer: Viewer, framework: Framework, *, rounds: Sequence[str] | None = None
) -> pd.DataFrame | None:
    """The district's pooled mean per round x item (`ref`) over every school's published figures.

    None when fewer than MIN_DISTRICT_SCHOOLS schools have figures: with two schools, the district
    figure minus a principal's own would be the other school's.
    """
    counts = _counts(engine, framework, None, rounds)
    levels = scoring.level_numbers(framework)
    count_cols = [f"count_{k}" for k in levels]
    counts = counts[counts[count_cols].sum(axis=1) >= privacy.min_group_size()]
    if counts["school"].nunique() < MIN_DISTRICT_SCHOOLS:
        return None
    pooled = counts.groupby(["round", "item"], as_index=False)[count_cols].sum()
    n = pooled[count_cols].sum(axis=1)
    pooled["ref"] = (pooled[count_cols].to_numpy() * np.array(levels, dtype=float)).sum(axis=1) / n
    return pooled[["round", "item", "ref"]]


def respondent_count(engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str) -> int:
    """Staff who gave at least one answer in the round."""
    require_school(viewer, school)
    rows = store.load_responses(engine, framework.id, schools=[school], rounds=[round])
    return int(rows.loc[rows["level"].notna(), "respondent"].nunique())


def comments(engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str) -> pd.DataFrame:
    """A school's free-text comments for one round as bare text (`column`, `text`), only if enough staff responded."""
    require_school(viewer, school)
    found = store.load_comments(engine, framework.id, schools=[school], rounds=[round])
    answered = respondent_count(engine, viewer, framework, school, round)
    parts = [
        privacy.comments_for_display(group, answered).assign(column=question)
        for question, group in found.groupby("column", sort=False)
    ]
    if not parts or answered < privacy.min_group_size():
        return pd.DataFrame({"text": pd.Series(dtype=str), "column": pd.Series(dtype=str)})
    return pd.concat(parts, ignore_index=True)


def school_summary(engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str) -> SchoolSummary:
    """The headline figures of a school in a round, shared by the Overview and the report."""
    scores = school_scores(engine, viewer, framework, school)
    rounds = store.list_rounds(engine)
    previous = _previous_with_data(scores, rounds, round)
    return summarise_school(
        framework,
        scores,
        school=school,
        round=round,
        rounds=rounds,
        respondents=respondent_count(engine, viewer, framework, school, round),
        respondents_before=respondent_count(engine, viewer, framework, school, previous) if previous else None,
        leadership=leadership(engine, viewer, framework.id, schools=[school], rounds=[round]),
        expected_staff=school_store.expected_staff(engine, school, round),
    )


def _previous_with_data(scores: pd.DataFrame, rounds: Sequence[str], round: str) -> str | None:
    with_data = set(scores.loc[scores["n"].fillna(0) > 0, "round"])
    before = list(rounds[: list(rounds).index(round)]) if round in rounds else []
    return next((r for r in reversed(before) if r in with_data), None)
