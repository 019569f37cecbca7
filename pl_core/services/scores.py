"""Published figures: whole-school scores, breakdowns by role or grade band, district scores, comments, summaries.

Every figure a page, report, export or command shows is read here, and only from the current release of
each round (pl_core.store.publications): level counts that pl_core.privacy cleared, scored by
pl_core.scoring.score_counts. Hidden cells come back blank with `suppressed` True. Nothing here reads
the answers themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from .. import privacy, scoring, store
from ..domain.summary import SchoolSummary, summarise_school
from ..frameworks import Framework
from ..store import publications as releases
from ..store import schools as school_store
from .access import Viewer, require_school, scope
from .workshops import leadership

level_numbers = scoring.level_numbers  # every level of the framework's scales, for callers laying out counts
MIN_DISTRICT_SCHOOLS = 3  # a district figure needs this many schools, or it tells a principal about one other school
NOT_GIVEN = "(not given)"  # the group of people who left their role or grade band blank


def min_group_size() -> int:
    """The smallest group whose figures are shown (PL_MIN_GROUP_SIZE, default 5)."""
    return privacy.min_group_size()


def _released(
    engine: Engine,
    framework: Framework,
    breakdown: str,
    schools: Sequence[str] | None,
    rounds: Sequence[str] | None,
) -> pd.DataFrame:
    """Released cells of one breakdown as level counts: school, round, [breakdown,] item, respondents, missing,
    count_<k>, suppressed."""
    cells = releases.released_cells(engine, framework.id, breakdowns=[breakdown], schools=schools, rounds=rounds)
    levels = scoring.level_numbers(framework)
    count_cols = [f"count_{k}" for k in levels]
    table = cells.drop(columns="counts")
    table[count_cols] = _decode_counts(cells["counts"], levels)
    table["suppressed"] = table["suppressed"].astype(bool)
    if breakdown == privacy.ALL:
        return table.drop(columns=["breakdown", "grp"])
    return table.drop(columns="breakdown").rename(columns={"grp": breakdown})


def _decode_counts(encoded: pd.Series, levels: Sequence[int]) -> np.ndarray:
    """ "1:2,3:5" strings (answers per level) as a cells x levels matrix of counts.

    A plain loop: a cell holds a handful of pairs, and at 1,000 schools this is several times faster than
    pandas' str.split/explode, which builds an object per pair.
    """
    matrix = np.zeros((len(encoded), len(levels)), dtype="int64")
    position = {str(level): i for i, level in enumerate(levels)}
    for row, text in enumerate(encoded.to_numpy(dtype=object, na_value=None)):
        if not text or not isinstance(text, str):
            continue
        for pair in text.split(","):
            level, _, count = pair.partition(":")
            matrix[row, position[level]] += int(count)
    return matrix


def whole_school_scores(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Released whole-school item scores per school x round x item, of `schools` (default: the viewer's)."""
    counts = _released(engine, framework, privacy.ALL, scope(viewer, schools), rounds)
    return scoring.score_counts(counts, framework)


def school_scores(
    engine: Engine, viewer: Viewer, framework: Framework, school: str, *, rounds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Released whole-school item scores of one school, one row per round x item (every round unless narrowed)."""
    return whole_school_scores(engine, viewer, framework, schools=[school], rounds=rounds)


def breakdown_scores(
    engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str, by: str
) -> pd.DataFrame:
    """Released item scores of one school and round by role or grade band; hidden groups blank and `suppressed`.

    People who left the role or grade band blank form the group NOT_GIVEN.
    """
    require_school(viewer, school)
    return released_breakdowns(engine, viewer, framework, by, schools=[school], rounds=[round])


def released_breakdowns(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    by: str,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Released scores by role or grade band of `schools` (default: the viewer's) x rounds x groups x items."""
    if by not in scoring.BREAKDOWNS:
        raise ValueError(f"break down by one of {', '.join(scoring.BREAKDOWNS)}, not {by!r}")
    counts = _released(engine, framework, by, scope(viewer, schools), rounds)
    counts[by] = counts[by].astype(object).where(counts[by].notna(), NOT_GIVEN)
    return scoring.score_counts(counts, framework, by=("school", "round", by))


def district_scores(
    engine: Engine, viewer: Viewer, framework: Framework, *, rounds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Released whole-school item scores of every school the viewer may see (hidden cells blank)."""
    return whole_school_scores(engine, viewer, framework, rounds=rounds)


def district_reference(
    engine: Engine, viewer: Viewer, framework: Framework, *, rounds: Sequence[str] | None = None
) -> pd.DataFrame | None:
    """The district's pooled mean per round x item (`ref`) over every school's released figures.

    A sum of released figures reveals nothing new. None when fewer than MIN_DISTRICT_SCHOOLS schools have
    figures in a round: with two schools, the district figure minus a principal's own is the other school's.
    """
    counts = _released(engine, framework, privacy.ALL, None, rounds)
    counts = counts[~counts["suppressed"]]
    enough = counts.groupby("round")["school"].nunique()
    counts = counts[counts["round"].isin(enough[enough >= MIN_DISTRICT_SCHOOLS].index)]
    if counts.empty:
        return None
    levels = scoring.level_numbers(framework)
    count_cols = [f"count_{k}" for k in levels]
    pooled = counts.groupby(["round", "item"], as_index=False)[count_cols].sum()
    n = pooled[count_cols].sum(axis=1)
    pooled["ref"] = (pooled[count_cols].to_numpy() * np.array(levels, dtype=float)).sum(axis=1) / n
    return pooled[["round", "item", "ref"]]


def release_status(engine: Engine, viewer: Viewer, framework: Framework, school: str) -> pd.DataFrame:
    """Per round of a school: people and answered in the current release, whether shown, and people held back."""
    require_school(viewer, school)
    return releases.releases(engine, framework.id, schools=[school])


def comments(engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str) -> pd.DataFrame:
    """The comments released with a school's round (`text`, `column`): bare text, sorted, never per group."""
    require_school(viewer, school)
    found = releases.released_comments(engine, framework.id, school, round)
    return found[["text", "column"]]


def school_summary(engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str) -> SchoolSummary:
    """The headline figures of a school in a round, shared by the Overview and the report."""
    scores = school_scores(engine, viewer, framework, school)
    status = release_status(engine, viewer, framework, school).set_index("round")
    rounds = store.list_rounds(engine)
    previous = _previous_with_data(scores, rounds, round)
    return summarise_school(
        framework,
        scores,
        school=school,
        round=round,
        rounds=rounds,
        respondents=_answered(status, round),
        respondents_before=_answered(status, previous) if previous else None,
        leadership=leadership(engine, viewer, framework.id, schools=[school], rounds=[round]),
        expected_staff=school_store.expected_staff(engine, school, round),
        held_back=int(status["held"].get(round, 0)),
    )


def _previous_with_data(scores: pd.DataFrame, rounds: Sequence[str], round: str) -> str | None:
    with_data = set(scores.loc[scores["n"].fillna(0) > 0, "round"])
    before = list(rounds[: list(rounds).index(round)]) if round in rounds else []
    return next((r for r in reversed(before) if r in with_data), None)


def _answered(status: pd.DataFrame, round: str) -> int | None:
    """Staff who answered in a round's release; None when the release shows nothing (too few to say)."""
    if round not in status.index or not bool(status.at[round, "shown"]):
        return None
    return int(status.at[round, "answered"])
